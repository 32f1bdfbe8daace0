// TensorFlow 2.21's own AudioSpectrogram/Mfcc outputs (test/fixtures/tf-audio-ops, made by its
// make_reference.py), read once for the tests of both MFCC engines.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export const REF = join(__dirname, '../fixtures/tf-audio-ops');

/** The reference's size: the 18 clips of make_inputs.sh, each decoded as is (full) and to 1 s (clip). */
export const REF_CLIPS = 18;
export const REF_VARIANTS = 2 * REF_CLIPS;

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

/** The manifest's entries; empty when the reference is missing (checkReference then fails). */
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

/**
 * Fails unless the manifest lists all REF_VARIANTS variants (every clip of wav/ as full and clip) and
 * their files exist: a truncated manifest must not silently shrink the tests' coverage.
 */
export function checkReference(entries: RefEntry[] = refEntries): void {
  if (!existsSync(join(REF, 'manifest.json'))) throw new Error(`missing ${REF}/manifest.json`);
  if (entries.length !== REF_VARIANTS) {
    throw new Error(`${REF}/manifest.json lists ${entries.length} variants, expected ${REF_VARIANTS}`);
  }
  const wavs = new Set(entries.map((e) => e.wav));
  if (wavs.size !== REF_CLIPS) throw new Error(`manifest covers ${wavs.size} clips, expected ${REF_CLIPS}`);
  for (const w of wavs) {
    const variants = entries
      .filter((e) => e.wav === w)
      .map((e) => e.variant)
      .sort();
    if (variants.join() !== 'clip,full')
      throw new Error(`${w}: variants ${variants.join()}, expected clip,full`);
  }
  for (const e of entries) {
    for (const f of [e.wav, e.spectrogram.file, e.mfcc.file]) {
      if (!existsSync(join(REF, f))) throw new Error(`missing ${REF}/${f}`);
    }
  }
}
