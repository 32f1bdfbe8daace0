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
