import { FeatureExtractor, FEATURE_TYPES, type FeatureType } from '../../audio/features';
import { fitLength } from '../../audio/fitLength';
import { decodeAnyToRate } from '../../audio/load';
import { CliError, parse } from '../args';
import { readBytes, reasonOf } from '../audioInput';
import type { Command } from '../command';
import { printable, printHelp } from '../output';

async function features(args: string[]): Promise<number> {
  const { values, positionals } = parse(args, {
    type: { type: 'string', default: 'mfcc' },
    clip: { type: 'boolean' },
    float64: { type: 'boolean' },
    json: { type: 'boolean' },
  });
  if (values.help) return printHelp(featuresCommand);
  if (positionals.length !== 1) throw new CliError('features: give exactly one FILE');
  const type = values.type as string;
  if (!(FEATURE_TYPES as readonly string[]).includes(type)) {
    throw new CliError(`features: unknown --type '${type}' (one of ${FEATURE_TYPES.join(', ')})`);
  }
  const path = positionals[0];
  try {
    const audio = await decodeAnyToRate(path, await readBytes(path), 16000);
    const samples = values.clip ? fitLength(audio.samples, 16000) : audio.samples;
    const fx = await FeatureExtractor.create(
      { type: type as FeatureType },
      { mfccPrecision: values.float64 ? 'float64' : 'float32' },
    );
    const m = fx.compute(samples);
    if (values.json) {
      const engine = fx.engineName;
      const precision = type === 'mfcc' && engine === 'wasm' ? fx.mfccPrecision : undefined;
      const { frames, bins } = m;
      console.log(JSON.stringify({ type, engine, precision, frames, bins, data: Array.from(m.data) }));
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

export const featuresCommand: Command = {
  name: 'features',
  synopsis: 'features FILE [--type T] [--clip] [--float64] [--json]',
  summary: `spectrogram/MFCC features at 16 kHz (T: ${FEATURE_TYPES.join('|')})`,
  help: `wavebench features FILE [--type mfcc|spectrogram|average|logmel] [--clip] [--float64] [--json]

Computes features exactly as TensorFlow's speech_commands pipeline: the audio is mixed to mono and
resampled to 16 kHz; --clip first makes it exactly 1 s (zero-padded at the end or cut).
MFCC comes from the float32 WebAssembly kernel classify uses (within 1.3e-5 of TensorFlow's);
--float64 computes it in double precision as TensorFlow does (within 1.5e-8).
--json prints {"type","engine","precision","frames","bins","data":[row-major]} (engine: wasm or js,
what computed them; precision, for MFCC on the kernel: float32 or float64).`,
  run: features,
};
