// TensorFlow 2.21's own AudioSpectrogram/Mfcc outputs (../shared/reference/tf-audio-ops), read once
// for the tests of both MFCC engines.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export const REF =
  process.env.WAVEBENCH_TF_REFERENCE ?? join(__dirname, '../../../shared/reference/tf-audio-ops');

/** One clip variant of the reference manifest. */
export interface RefEntry {
  wav: string;
  variant: 'full' | 'clip';
  samples: number;
  spectrogram: { file: string; shape: [number, number] };
  mfcc: { file: string; shape: [number, number] };
}

/** A little-endian float32 file. */
export function f32(path: string): Float32Array {
  const b = readFileSync(path);
  return new Float32Array(b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength));
}

/** The manifest's entries; empty when the reference is missing (the "present" test then fails). */
export const refEntries: RefEntry[] = existsSync(join(REF, 'manifest.json'))
  ? JSON.parse(readFileSync(join(REF, 'manifest.json'), 'utf8')).clips
  : [];

/** The tests' spectrogram metric: max |a - r| / r over reference values above 1e-6 of the reference's max. */
export function maxRelError(actual: ArrayLike<number>, ref: Float32Array): number {
  let max = 0;
  for (const v of ref) max = Math.max(max, v);
  let worst = 0;
  for (let i = 0; i < ref.length; i++) {
    if (ref[i] > 1e-6 * max) worst = Math.max(worst, Math.abs(actual[i] - ref[i]) / ref[i]);
  }
  return worst;
}

/** Max |a - r| over all values. */
export function maxAbsError(actual: ArrayLike<number>, ref: ArrayLike<number>): number {
  let worst = 0;
  for (let i = 0; i < ref.length; i++) worst = Math.max(worst, Math.abs(actual[i] - ref[i]));
  return worst;
}
