/**
 * `wavebench`: the command-line tool over the same engine as the extension.
 * Errors are one line on stderr (`wavebench: PATH: REASON`), never a stack trace.
 */
import { writeFile } from 'node:fs/promises';
import { FeatureExtractor, FEATURE_TYPES, type FeatureType } from './audio/features';
import { fitLength } from './audio/fitLength';
import { decodeToRate } from './audio/load';
import type { ChannelStats } from './audio/stats';
import { scanWavFile, WavFile } from './audio/wavFile';
import { encodeFeaturePng } from './audio/png';
import { COLORMAP_NAMES, isColormapName } from './audio/colormap';
import { WavError, type WavHeader } from './audio/wavDecode';
import { Spectrogram } from './audio/spectrogram';
import { CliError, parse } from './cliArgs';
import { runClassifyCommand, CLASSIFY_HELP } from './cliClassify';
import { runInspectCommand, INSPECT_HELP } from './cliInspect';
import { exitAfterOutput, guardStdio, printable } from './cliOutput';
import { runModelsCommand, MODELS_HELP } from './cliModels';

const HELP: Record<string, string> = {
  main: `wavebench: inspect WAV clips, compute the model's features, classify folders.

Commands:
  info FILE... [--json]                 file facts and level statistics
  features FILE [--type T] [--clip] [--json]
                                        spectrogram/MFCC features at 16 kHz (T: ${FEATURE_TYPES.join('|')})
  spectrogram --input_wav F --output_png OUT [--colormap NAME] [--mfcc]
                                        a spectrogram (or MFCC) picture, like TensorFlow's wav_to_spectrogram
  classify PATH... [--model NAME|DIR] [...]
                                        batch classification with metrics (classify --help)
  models [--json]                       the bundled models: labels, size, test figures
  inspect FOLDER [--json OUT] [...]     dataset audit: labels, formats, splits, leakage, problems (inspect --help)
  models --describe PATH                what a model is read as: format, front end, input, labels, ops

Run 'wavebench COMMAND --help' for a command's options.`,
  info: `wavebench info FILE... [--json]

Prints each file's format, sample rate, channels, duration and per-channel peak/RMS.
--json prints one JSON object per file (an array with several files); levels are linear.
Exit code 2 if any file could not be read (the others are still reported).`,
  features: `wavebench features FILE [--type mfcc|spectrogram|average|logmel] [--clip] [--json]

Computes features exactly as TensorFlow's speech_commands pipeline: the audio is mixed to mono and
resampled to 16 kHz; --clip first makes it exactly 1 s (zero-padded at the end or cut).
--json prints {"type","engine","frames","bins","data":[row-major]} (engine: wasm or js, what computed them).`,
  spectrogram: `wavebench spectrogram --input_wav FILE --output_png OUT [--colormap ${COLORMAP_NAMES.join('|')}] [--mfcc]

Writes a PNG: one column per 10 ms frame, one row per frequency bin (low at the bottom).
--mfcc draws the MFCC instead. --brightness N applies to the 'tf' colormap (default 200).`,
};

function reasonOf(e: unknown): string {
  if (e instanceof WavError) return e.reason;
  const err = e as NodeJS.ErrnoException;
  if (err && err.code === 'ENOENT') return 'no such file';
  if (err && err.code === 'EISDIR') return 'is a directory';
  if (err && err.code === 'EACCES') return 'permission denied';
  return err instanceof Error ? err.message : String(e);
}

/** Files read whole (features, spectrogram) are at most this large; `info` streams any length. */
const MAX_WHOLE_FILE_BYTES = 512 * 1024 * 1024;

async function readBytes(path: string): Promise<Buffer> {
  const file = WavFile.openSync(path);
  try {
    return file.readAll(MAX_WHOLE_FILE_BYTES);
  } finally {
    file.close();
  }
}

/** Facts and statistics of one file, streamed in bounded chunks: memory does not grow with its length. */
function infoOf(path: string): { header: WavHeader; stats: ChannelStats[] } {
  const file = WavFile.openSync(path);
  try {
    const header = file.readHeader();
    return { header, stats: scanWavFile(file, header, { perChannel: true }).channels };
  } finally {
    file.close();
  }
}

async function info(args: string[]): Promise<number> {
  const { values, positionals } = parse(args, { json: { type: 'boolean' } });
  if (values.help) return help('info');
  if (!positionals.length) throw new CliError('info: no FILE given');
  const results: object[] = [];
  let failed = false;
  for (const path of positionals) {
    try {
      const { header, stats: st } = infoOf(path);
      const d = { facts: header.facts, warnings: header.warnings };
      const f = d.facts;
      const r = {
        path,
        format: f.format,
        container: f.container,
        formatTag: f.formatTag,
        extensible: f.extensible,
        bitsPerSample: f.bitsPerSample,
        sampleRate: f.sampleRate,
        channels: f.channels,
        frames: f.frames,
        durationSec: f.durationSec,
        peak: st.map((s) => s.peak),
        rms: st.map((s) => s.rms),
        dcOffset: st.map((s) => s.dcOffset),
        clippedRatio: st.map((s) => s.clippedRatio),
        silenceRatio: st.map((s) => s.silenceRatio),
        chunks: f.chunks,
        warnings: d.warnings,
      };
      results.push(r);
      if (!values.json) {
        const db = (x: number) =>
          Number.isNaN(x) ? 'NaN' : x === Infinity ? 'inf' : x > 0 ? (20 * Math.log10(x)).toFixed(1) : '-inf';
        console.log(
          `${printable(path)}: ${f.container} ${f.format} ${f.bitsPerSample}-bit, ${f.sampleRate} Hz, ${f.channels} ch, ` +
            `${f.frames} frames (${f.durationSec.toFixed(3)} s)`,
        );
        st.forEach((s, i) =>
          console.log(
            `  ch${i}: peak ${db(s.peak)} dBFS, RMS ${db(s.rms)} dBFS, DC ${s.dcOffset.toExponential(2)}, ` +
              `clipped ${(100 * s.clippedRatio).toFixed(2)}%, silent ${(100 * s.silenceRatio).toFixed(0)}%`,
          ),
        );
        for (const w of d.warnings) console.log(`  warning: ${printable(w)}`);
      }
    } catch (e) {
      failed = true;
      const reason = reasonOf(e);
      console.error(`wavebench: ${printable(path)}: ${printable(reason)}`);
      results.push({ path, error: reason });
    }
  }
  if (values.json) console.log(JSON.stringify(results.length === 1 ? results[0] : results, null, 1));
  return failed ? 2 : 0;
}

async function features(args: string[]): Promise<number> {
  const { values, positionals } = parse(args, {
    type: { type: 'string', default: 'mfcc' },
    clip: { type: 'boolean' },
    json: { type: 'boolean' },
  });
  if (values.help) return help('features');
  if (positionals.length !== 1) throw new CliError('features: give exactly one FILE');
  const type = values.type as string;
  if (!(FEATURE_TYPES as readonly string[]).includes(type)) {
    throw new CliError(`features: unknown --type '${type}' (one of ${FEATURE_TYPES.join(', ')})`);
  }
  const path = positionals[0];
  try {
    const audio = decodeToRate(path, await readBytes(path), 16000);
    const samples = values.clip ? fitLength(audio.samples, 16000) : audio.samples;
    const fx = await FeatureExtractor.create({ type: type as FeatureType });
    const m = fx.compute(samples);
    if (values.json) {
      const engine = fx.engineName;
      console.log(JSON.stringify({ type, engine, frames: m.frames, bins: m.bins, data: Array.from(m.data) }));
    } else {
      let lo = Infinity;
      let hi = -Infinity;
      for (const v of m.data) {
        lo = Math.min(lo, v);
        hi = Math.max(hi, v);
      }
      console.log(
        `${printable(path)}: ${type} ${m.frames} frames x ${m.bins} bins, min ${lo.toPrecision(5)}, max ${hi.toPrecision(5)}`,
      );
      if (audio.facts.sampleRate !== 16000)
        console.log(`  resampled from ${audio.facts.sampleRate} Hz to 16000 Hz`);
      for (const w of audio.warnings) console.log(`  warning: ${printable(w)}`);
    }
    return 0;
  } catch (e) {
    console.error(`wavebench: ${printable(path)}: ${printable(reasonOf(e))}`);
    return 2;
  }
}

async function spectrogram(args: string[]): Promise<number> {
  const { values } = parse(args, {
    input_wav: { type: 'string' },
    output_png: { type: 'string' },
    colormap: { type: 'string', default: 'viridis' },
    brightness: { type: 'string', default: '200' },
    mfcc: { type: 'boolean' },
  });
  if (values.help) return help('spectrogram');
  const input = values.input_wav as string | undefined;
  const output = values.output_png as string | undefined;
  if (!input || !output) throw new CliError('spectrogram: --input_wav and --output_png are required');
  const cmap = values.colormap as string;
  if (!isColormapName(cmap))
    throw new CliError(`spectrogram: unknown --colormap '${cmap}' (one of ${COLORMAP_NAMES.join(', ')})`);
  const brightness = Number(values.brightness);
  if (!(brightness > 0)) throw new CliError('spectrogram: --brightness must be a positive number');
  try {
    const audio = decodeToRate(input, await readBytes(input), 16000);
    let png: Buffer;
    if (values.mfcc) {
      const fx = await FeatureExtractor.create({ type: 'mfcc' });
      const m = fx.compute(audio.samples);
      if (!m.frames) throw new WavError('too short for one 30 ms frame');
      png = encodeFeaturePng(m.data, m.frames, m.bins, { colormap: cmap, linear: true });
    } else {
      const s = await Spectrogram.create();
      const m = s.compute(audio.samples);
      if (!m.frames) throw new WavError('too short for one 30 ms frame');
      png = encodeFeaturePng(m.data, m.frames, m.bins, { colormap: cmap, brightness });
    }
    try {
      await writeFile(output, png);
    } catch (e) {
      const err = e as NodeJS.ErrnoException;
      console.error(`wavebench: ${printable(output)}: cannot write (${printable(err.code ?? err.message)})`);
      return 2;
    }
    console.log(`${printable(output)}: ${values.mfcc ? 'MFCC' : 'spectrogram'} PNG written`);
    return 0;
  } catch (e) {
    console.error(`wavebench: ${printable(input)}: ${printable(reasonOf(e))}`);
    return 2;
  }
}

function help(cmd: string): number {
  console.log(
    cmd === 'classify'
      ? CLASSIFY_HELP
      : cmd === 'inspect'
        ? INSPECT_HELP
        : cmd === 'models'
          ? MODELS_HELP
          : HELP[cmd],
  );
  return 0;
}

/** Runs the CLI; resolves to the process exit code. */
export async function main(argv: string[]): Promise<number> {
  const [cmd, ...rest] = argv;
  try {
    switch (cmd) {
      case 'info':
        return await info(rest);
      case 'features':
        return await features(rest);
      case 'spectrogram':
        return await spectrogram(rest);
      case 'classify':
        return await runClassifyCommand(rest);
      case 'inspect':
        return await runInspectCommand(rest);
      case 'models':
        return await runModelsCommand(rest);
      case undefined:
      case '--help':
      case '-h':
      case 'help':
        return help('main');
      default:
        throw new CliError(`unknown command '${cmd}' (try --help)`);
    }
  } catch (e) {
    console.error(`wavebench: ${printable(e instanceof Error ? e.message : String(e))}`);
    return 2;
  }
}

if (require.main === module) {
  guardStdio();
  // Never process.exit() straight away: stdout on a pipe is asynchronous (see cliOutput.ts).
  main(process.argv.slice(2)).then(exitAfterOutput, (e) => {
    console.error(`wavebench: ${printable(e instanceof Error ? e.message : String(e))}`);
    return exitAfterOutput(2);
  });
}
