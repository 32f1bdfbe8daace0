/**
 * Double-precision real FFT through fft.js (MIT, radix-4). TensorFlow computes spectrograms in
 * double precision; where float32 (fft.ts, 5x faster) cannot reach TensorFlow's numbers within the
 * tolerances, this one does: the displayed spectrogram, and MFCC frames whose error bound is too
 * loose (see mfcc.ts).
 */
import FFT from 'fft.js';

/** A forward real FFT in double precision, buffers owned by the instance. */
export class RealFft64 {
  readonly size: number;
  readonly input: Float64Array;
  private readonly out: Float64Array;
  private readonly fft: FFT;

  constructor(size: number) {
    if (size < 4 || (size & (size - 1)) !== 0)
      throw new Error(`FFT size must be a power of two >= 4, got ${size}`);
    this.size = size;
    this.fft = new FFT(size);
    this.input = new Float64Array(size);
    this.out = new Float64Array(2 * size);
  }

  /** Transforms `input`; the result is interleaved (re, im) for bins 0 .. size/2 (size + 2 values used). */
  run(): Float64Array {
    this.fft.realTransform(this.out, this.input);
    return this.out;
  }
}
