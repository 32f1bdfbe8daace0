/**
 * Double-precision real DFT of any length (PyTorch's and librosa's `n_fft` need not be a power of two:
 * torchaudio's default is 400). Powers of two go straight to fft.js (RealFft64); other lengths use
 * Bluestein's chirp-z transform on fft.js's complex FFT of the next power of two >= 2N - 1.
 *
 * Written here because no well-kept npm library gives an arbitrary-length FFT in double precision
 * without heavy baggage (ndarray-fft needs ndarray and cwise's run-time code generation; kissfft ports
 * compute in float32, which cannot meet the 1e-5 relative bound on weak mel bands).
 */
import FFT from 'fft.js';
import { RealFft64 } from './fft64';

/** A forward real DFT of one length, buffers owned by the instance. */
export class RealDft64 {
  readonly size: number;
  /** Write `size` samples here, then call `run()`. */
  readonly input: Float64Array;
  /** Bins: floor(size / 2) + 1. */
  readonly bins: number;
  private readonly pow2: RealFft64 | undefined;
  private readonly fft: FFT | undefined;
  /** Bluestein: the chirp exp(-i pi n^2 / N), its padded conjugate's transform, and work arrays. */
  private readonly chirp: Float64Array;
  private readonly chirpFft: Float64Array;
  private readonly a: Float64Array;
  private readonly aFft: Float64Array;
  private readonly conv: Float64Array;
  private readonly out: Float64Array;

  constructor(size: number) {
    if (!Number.isInteger(size) || size < 2) throw new Error(`DFT size must be an integer >= 2, got ${size}`);
    this.size = size;
    this.bins = Math.floor(size / 2) + 1;
    const isPow2 = size >= 4 && (size & (size - 1)) === 0;
    if (isPow2) {
      this.pow2 = new RealFft64(size);
      this.input = this.pow2.input;
      this.chirp = this.chirpFft = this.a = this.aFft = this.conv = this.out = new Float64Array(0);
      return;
    }
    this.input = new Float64Array(size);
    let m = 4;
    while (m < 2 * size - 1) m *= 2;
    this.fft = new FFT(m);
    this.chirp = new Float64Array(2 * size);
    for (let n = 0; n < size; n++) {
      // n^2 mod 2N keeps the angle exact for long transforms.
      const angle = (Math.PI * ((n * n) % (2 * size))) / size;
      this.chirp[2 * n] = Math.cos(angle);
      this.chirp[2 * n + 1] = -Math.sin(angle);
    }
    const b = new Float64Array(2 * m);
    for (let n = 0; n < size; n++) {
      b[2 * n] = this.chirp[2 * n];
      b[2 * n + 1] = -this.chirp[2 * n + 1];
      if (n > 0) {
        b[2 * (m - n)] = b[2 * n];
        b[2 * (m - n) + 1] = b[2 * n + 1];
      }
    }
    this.chirpFft = new Float64Array(2 * m);
    this.fft.transform(this.chirpFft, b);
    this.a = new Float64Array(2 * m);
    this.aFft = new Float64Array(2 * m);
    this.conv = new Float64Array(2 * m);
    this.out = new Float64Array(2 * this.bins);
  }

  /** Transforms `input` (left unchanged); the result is interleaved (re, im) for bins 0 .. floor(size / 2). */
  run(): Float64Array {
    if (this.pow2) return this.pow2.run();
    const { size, chirp, a, aFft, conv, chirpFft, out } = this;
    for (let n = 0; n < size; n++) {
      a[2 * n] = this.input[n] * chirp[2 * n];
      a[2 * n + 1] = this.input[n] * chirp[2 * n + 1];
    }
    this.fft!.transform(aFft, a);
    for (let i = 0; i < aFft.length; i += 2) {
      const re = aFft[i] * chirpFft[i] - aFft[i + 1] * chirpFft[i + 1];
      const im = aFft[i] * chirpFft[i + 1] + aFft[i + 1] * chirpFft[i];
      aFft[i] = re;
      aFft[i + 1] = im;
    }
    this.fft!.inverseTransform(conv, aFft);
    for (let k = 0; k < this.bins; k++) {
      const re = conv[2 * k];
      const im = conv[2 * k + 1];
      out[2 * k] = re * chirp[2 * k] - im * chirp[2 * k + 1];
      out[2 * k + 1] = re * chirp[2 * k + 1] + im * chirp[2 * k];
    }
    return out;
  }
}
