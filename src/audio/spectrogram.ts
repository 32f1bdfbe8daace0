import { RealFft } from './fft';
import { RealFft64 } from './fft64';

/**
 * Options of the short-time power spectrogram, following TensorFlow's `AudioSpectrogram` op
 * (tensorflow/core/kernels/spectrogram.cc, spectrogram_op.cc):
 * - the window is a *periodic* Hann window of `windowSize` samples: w[i] = 0.5 - 0.5 cos(2 pi i / windowSize);
 * - the FFT length is the next power of two >= windowSize (480 -> 512), the windowed frame is
 *   zero-padded at its end, and the output has fftSize / 2 + 1 bins (257);
 * - frames start every `stride` samples; their count is 1 + floor((n - windowSize) / stride) when
 *   n >= windowSize, else 0 (no partial frame, no padding);
 * - the output is |X|^2 (`magnitudeSquared`, the speech_commands setting) or |X|, unnormalised.
 * TensorFlow runs its FFT in double precision, and so does `compute` here (fft64.ts); `powerFrame`
 * is the float32 fast path (fft.ts) for callers that bound its error themselves (mfcc.ts).
 */
export interface SpectrogramOptions {
  /** Window length in samples (default 480 = 30 ms at 16 kHz). */
  windowSize?: number;
  /** Hop between frames in samples (default 160 = 10 ms at 16 kHz). */
  stride?: number;
  /** Output |X|^2 when true (default), |X| when false. */
  magnitudeSquared?: boolean;
}

/** Next power of two >= n, as TensorFlow's NextPowerOfTwo. */
export function nextPowerOfTwo(n: number): number {
  let p = 1;
  while (p < n) p *= 2;
  return p;
}

/** Number of frames TensorFlow's AudioSpectrogram yields for n samples. */
export function spectrogramFrameCount(n: number, windowSize = 480, stride = 160): number {
  return n < windowSize ? 0 : 1 + Math.floor((n - windowSize) / stride);
}

/** A spectrogram of one configuration; its window and FFT are built once. */
export class Spectrogram {
  readonly windowSize: number;
  readonly stride: number;
  readonly fftSize: number;
  readonly bins: number;
  readonly magnitudeSquared: boolean;
  private readonly window: Float32Array;
  private readonly window64: Float64Array;
  private readonly fft64: RealFft64;

  private constructor(
    private readonly fft: RealFft,
    o: Required<SpectrogramOptions>,
  ) {
    this.windowSize = o.windowSize;
    this.stride = o.stride;
    this.magnitudeSquared = o.magnitudeSquared;
    this.fftSize = fft.size;
    this.bins = fft.size / 2 + 1;
    this.fft64 = new RealFft64(fft.size);
    this.window64 = new Float64Array(o.windowSize);
    for (let i = 0; i < o.windowSize; i++)
      this.window64[i] = 0.5 - 0.5 * Math.cos((2 * Math.PI * i) / o.windowSize);
    this.window = Float32Array.from(this.window64);
  }

  /** Builds the window and FFT for these options. */
  static async create(options: SpectrogramOptions = {}): Promise<Spectrogram> {
    const o = {
      windowSize: options.windowSize ?? 480,
      stride: options.stride ?? 160,
      magnitudeSquared: options.magnitudeSquared ?? true,
    };
    if (!(o.windowSize >= 2) || !(o.stride >= 1)) {
      throw new Error(`bad spectrogram options: window ${o.windowSize}, stride ${o.stride}`);
    }
    return new Spectrogram(await RealFft.create(Math.max(32, nextPowerOfTwo(o.windowSize))), o);
  }

  /** Frames produced for `n` samples. */
  frameCount(n: number): number {
    return spectrogramFrameCount(n, this.windowSize, this.stride);
  }

  /**
   * Fast path: |X|^2 of the frame starting at `start` into `out[outOffset .. outOffset + bins)`,
   * through the float32 FFT. Returns the frame's energy sum(x_w^2) (for error bounds).
   */
  powerFrame(samples: Float32Array, start: number, out: Float32Array, outOffset = 0): number {
    const input = this.fft.input;
    const w = this.window;
    const n = this.windowSize;
    let energy = 0;
    for (let i = 0; i < n; i++) {
      const v = samples[start + i] * w[i];
      input[i] = v;
      energy += v * v;
    }
    input.fill(0, n);
    const spec = this.fft.run();
    const half = this.fftSize >> 1;
    out[outOffset] = spec[0] * spec[0];
    out[outOffset + half] = spec[1] * spec[1];
    for (let k = 1; k < half; k++) {
      const re = spec[2 * k];
      const im = spec[2 * k + 1];
      out[outOffset + k] = re * re + im * im;
    }
    return energy;
  }

  /** Exact path: |X|^2 of one frame through the double-precision FFT, rounded to float32 as TensorFlow's output. */
  powerFrameExact(samples: Float32Array, start: number, out: Float32Array, outOffset = 0): void {
    const input = this.fft64.input;
    const w = this.window64;
    const n = this.windowSize;
    // TensorFlow multiplies in double: float32 sample times double window.
    for (let i = 0; i < n; i++) input[i] = samples[start + i] * w[i];
    input.fill(0, n);
    const spec = this.fft64.run();
    const half = this.fftSize >> 1;
    for (let k = 0; k <= half; k++) {
      const re = spec[2 * k];
      const im = spec[2 * k + 1];
      out[outOffset + k] = re * re + im * im;
    }
  }

  /** The whole spectrogram, row-major [frames][bins] (time-major, as TensorFlow's output). */
  compute(samples: Float32Array, out?: Float32Array): { frames: number; bins: number; data: Float32Array } {
    const frames = this.frameCount(samples.length);
    const size = frames * this.bins;
    const data = out && out.length >= size ? out.subarray(0, size) : new Float32Array(size);
    for (let f = 0; f < frames; f++) this.powerFrameExact(samples, f * this.stride, data, f * this.bins);
    if (!this.magnitudeSquared) for (let i = 0; i < size; i++) data[i] = Math.sqrt(data[i]);
    return { frames, bins: this.bins, data };
  }

  /** Frees the FFT's WASM buffers. */
  dispose(): void {
    this.fft.dispose();
  }
}
