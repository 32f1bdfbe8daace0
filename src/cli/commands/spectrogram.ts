import { writeFile } from 'node:fs/promises';
import { COLORMAP_NAMES, isColormapName } from '../../audio/colormap';
import { FeatureExtractor } from '../../audio/features';
import { decodeAnyToRate } from '../../audio/load';
import { encodeFeaturePng } from '../../audio/png';
import { Spectrogram } from '../../audio/spectrogram';
import { WavError } from '../../audio/wavDecode';
import { CliError, parse } from '../args';
import { readBytes, reasonOf } from '../audioInput';
import type { Command } from '../command';
import { printable, printHelp } from '../output';

async function spectrogram(args: string[]): Promise<number> {
  const { values } = parse(args, {
    input_wav: { type: 'string' },
    output_png: { type: 'string' },
    colormap: { type: 'string', default: 'viridis' },
    brightness: { type: 'string', default: '200' },
    mfcc: { type: 'boolean' },
  });
  if (values.help) return printHelp(spectrogramCommand);
  const input = values.input_wav as string | undefined;
  const output = values.output_png as string | undefined;
  if (!input || !output) throw new CliError('spectrogram: --input_wav and --output_png are required');
  const cmap = values.colormap as string;
  if (!isColormapName(cmap))
    throw new CliError(`spectrogram: unknown --colormap '${cmap}' (one of ${COLORMAP_NAMES.join(', ')})`);
  const brightness = Number(values.brightness);
  if (!(brightness > 0)) throw new CliError('spectrogram: --brightness must be a positive number');
  try {
    const audio = await decodeAnyToRate(input, await readBytes(input), 16000);
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

export const spectrogramCommand: Command = {
  name: 'spectrogram',
  synopsis: 'spectrogram --input_wav F --output_png OUT [--colormap NAME] [--mfcc]',
  summary: "a spectrogram (or MFCC) picture, like TensorFlow's wav_to_spectrogram",
  help: `wavebench spectrogram --input_wav FILE --output_png OUT [--colormap ${COLORMAP_NAMES.join('|')}] [--mfcc]

Writes a PNG: one column per 10 ms frame, one row per frequency bin (low at the bottom).
--mfcc draws the MFCC instead. --brightness N applies to the 'tf' colormap (default 200).`,
  run: spectrogram,
};
