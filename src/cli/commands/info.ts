import { formatLabel, scanAudioFile, type AudioScan } from '../../audio/audioFile';
import { WavFile } from '../../audio/wavFile';
import { CliError, parse } from '../args';
import { reasonOf } from '../audioInput';
import type { Command } from '../command';
import { printable, printHelp } from '../output';

/** Facts and statistics of one file, streamed in bounded chunks: memory does not grow with its length. */
async function infoOf(path: string): Promise<AudioScan> {
  const file = WavFile.openSync(path);
  try {
    return await scanAudioFile(file, { perChannel: true });
  } finally {
    file.close();
  }
}

async function info(args: string[]): Promise<number> {
  const { values, positionals } = parse(args, { json: { type: 'boolean' } });
  if (values.help) return printHelp(infoCommand);
  if (!positionals.length) throw new CliError('info: no FILE given');
  const results: object[] = [];
  let failed = false;
  for (const path of positionals) {
    try {
      const d = await infoOf(path);
      const st = d.channels;
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
        ...(f.codec ? { codec: f.codec } : {}),
        warnings: d.warnings,
      };
      results.push(r);
      if (!values.json) {
        const db = (x: number) =>
          Number.isNaN(x) ? 'NaN' : x === Infinity ? 'inf' : x > 0 ? (20 * Math.log10(x)).toFixed(1) : '-inf';
        console.log(
          `${printable(path)}: ${formatLabel(f)}, ${f.sampleRate} Hz, ${f.channels} ch, ` +
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

export const infoCommand: Command = {
  name: 'info',
  synopsis: 'info FILE... [--json]',
  summary: 'file facts and level statistics',
  help: `wavebench info FILE... [--json]

Prints each file's format, sample rate, channels, duration and per-channel peak/RMS. WAV, FLAC,
MP3, Ogg Vorbis and Opus (sniffed from the content); compressed files are decoded in a streaming
pass and also report codec facts (bitrate, VBR, MP3 encoder delay/padding, Opus pre-skip).
--json prints one JSON object per file (an array with several files); levels are linear.
Exit code 2 if any file could not be read (the others are still reported).`,
  run: info,
};
