import { createHash } from 'node:crypto';
import { openFileSource } from '../audio/byteSource';
import { resample, resampleFactors } from '../audio/resample';
import { WavError } from '../audio/wavDecode';
import { MAX_READ_BYTES, WavSource } from '../audio/wavSource';
import type { ClassifyOptions, Classifier, FileClassification } from './classifier';
import { DEFAULT_WINDOW_STRIDE_MS } from './defaults';
import { windowStarts } from './windows';

/** Files larger than this are classified by streaming (bounded memory) instead of read whole. */
export const STREAM_CLASSIFY_BYTES = 64 << 20;

/** Source bytes read for one block of windows. */
const BLOCK_READ_BYTES = 32 << 20;

/**
 * Classifies a long file in bounded memory: the content hash in MAX_READ_BYTES pieces, then blocks of
 * sliding windows, each block reading only the source frames its windows need. The resampled block
 * is bit-identical to the same samples of a whole-file resample: each block starts on a multiple of
 * the rate ratio's `down` and extends past the filter's half-length on both sides, so every output
 * sample sums the same inputs with the same taps in the same order.
 */
export async function classifyLongFile(
  c: Classifier,
  path: string,
  options: ClassifyOptions & { blockReadBytes?: number } = {},
): Promise<FileClassification> {
  const result: FileClassification = { path };
  const bytes = await openFileSource(path);
  try {
    const hash = createHash('sha1');
    const piece = new Uint8Array(Math.min(MAX_READ_BYTES, bytes.size));
    for (let o = 0; o < bytes.size; o += piece.length) {
      const got = await bytes.read(o, piece);
      hash.update(piece.subarray(0, got));
      if (!got) break;
    }
    result.contentHash = hash.digest('hex');
    const src = await WavSource.open(bytes);
    const f = src.facts;
    result.durationSec = f.durationSec;
    result.sampleRate = f.sampleRate;
    if (src.header.warnings.length) result.warnings = src.header.warnings;
    if (f.frames === 0) throw new WavError('no audio (0 frames)');
    const md = c.model.metadata;
    const rate = md.sampleRate;
    const window = Math.round((rate * md.clipDurationMs) / 1000);
    const stride = Math.max(
      1,
      Math.round(((options.windowStrideMs ?? DEFAULT_WINDOW_STRIDE_MS) * rate) / 1000),
    );
    const { up, down } = f.sampleRate === rate ? { up: 1, down: 1 } : resampleFactors(f.sampleRate, rate);
    const nOut = Math.ceil((f.frames * up) / down);
    const starts = windowStarts(nOut, window, stride);
    // The filter reaches 10 * max(up, down) taps either side at the upsampled rate: in input samples, plus one.
    const reach = Math.ceil((10 * Math.max(up, down)) / up) + 1;
    const perWindowIn = Math.ceil((stride * down) / up);
    const perBlock = Math.max(
      1,
      Math.floor((options.blockReadBytes ?? BLOCK_READ_BYTES) / f.blockAlign / Math.max(1, perWindowIn)),
    );
    const batch = options.batchSize ?? 64;
    const size = c.model.frames * c.model.bins;
    const probs: Float32Array[] = [];
    const inputs = new Float32Array(Math.min(batch, starts.length) * size);
    for (let i = 0; i < starts.length; i += perBlock) {
      const block = starts.slice(i, i + perBlock);
      const k0 = block[0];
      const k1 = block[block.length - 1] + window;
      // Input frames [n0, n1) cover every tap of outputs [k0, k1); n0 is a multiple of `down`.
      let n0 = Math.floor((k0 * down) / up) - reach;
      n0 = Math.max(0, Math.floor(n0 / down) * down);
      const n1 = Math.min(f.frames, Math.ceil((k1 * down) / up) + reach);
      const mono = await src.mono(n0, n1 - n0);
      const out = up === 1 && down === 1 ? mono : resample(mono, f.sampleRate, rate);
      const offset = (n0 / down) * up;
      // Whole-file outputs past its end are zero-filled by fitLength, as in classifyFiles.
      const local = out.subarray(0, Math.max(0, Math.min(out.length, nOut - offset)));
      for (let j = 0; j < block.length; j += batch) {
        const n = Math.min(batch, block.length - j);
        for (let w = 0; w < n; w++) c.inputFor(local, block[j + w] - offset, inputs, w * size);
        probs.push(...(await c.predict(inputs, n)));
      }
    }
    Object.assign(result, c.describe(nOut, starts, probs, options));
  } catch (e) {
    result.error = e instanceof WavError ? e.reason : (e as Error).message;
  } finally {
    await bytes.close();
  }
  return result;
}
