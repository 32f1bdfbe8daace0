/**
 * The magnitude of `tf.signal.stft(signal, frame_length, frame_step, fft_length)` with its default
 * window (`tf.signal.hann_window`, periodic=True) and no end padding: the features of TensorFlow's
 * "Simple audio recognition" tutorial (`tf.abs(tf.signal.stft(waveform, 255, 128))`).
 *
 * Written by hand because no library computes TensorFlow's exact window: `hann_window` computes
 * `0.5 - 0.5 * cos(2*pi*n / d)` in float32, where d = length for an even periodic window but
 * length - 1 for an odd one (TensorFlow only makes even windows periodic, so the tutorial's 255-sample
 * window is the symmetric one). The window and the windowed frame are rounded to float32 like
 * TensorFlow's, the FFT runs in double precision (fft.js), the magnitude is rounded to float32.
 */
import { RealFft64 } from './fft64';
import type { FeatureMatrix } from './mfcc';

/** STFT settings, in samples. */
export interface StftOptions {
  frameLength: number;
  frameStep: number;
  /** FFT size; default the next power of two >= frameLength (tf.signal.stft's default). */
  fftLength?: number;
}

/** The smallest power of two >= n. */
function nextPow2(n: number): number {
  let p = 1;
  while (p < n) p *= 2;
  return p;
}

/** tf.signal.hann_window(length, periodic=True) in float32, as TensorFlow computes it. */
export function tfHannWindow(length: number): Float32Array {
  const even = length % 2 === 0 ? 1 : 0;
  const denom = Math.fround(length + even - 1);
  const twoPi = Math.fround(2 * Math.PI);
  const w = new Float32Array(length);
  for (let n = 0; n < length; n++) {
    const arg = Math.fround(Math.fround(twoPi * n) / denom);
    w[n] = Math.fround(0.5 - Math.fround(0.5 * Math.fround(Math.cos(arg))));
  }
  return w;
}

/** STFT magnitude frames of a mono signal. */
export class Stft {
  readonly frameLength: number;
  readonly frameStep: number;
  readonly fftLength: number;
  readonly window: Float32Array;
  private readonly fft: RealFft64;

  constructor(options: StftOptions) {
    const { frameLength, frameStep } = options;
    if (!Number.isInteger(frameLength) || frameLength < 2)
      throw new Error(`stft: frameLength must be an integer >= 2, got ${frameLength}`);
    if (!Number.isInteger(frameStep) || frameStep < 1)
      throw new Error(`stft: frameStep must be a positive integer, got ${frameStep}`);
    const fftLength = options.fftLength ?? nextPow2(frameLength);
    if (fftLength < frameLength || fftLength < 4 || (fftLength & (fftLength - 1)) !== 0)
      throw new Error(
        `stft: fftLength must be a power of two >= frameLength (${frameLength}), got ${fftLength}`,
      );
    this.frameLength = frameLength;
    this.frameStep = frameStep;
    this.fftLength = fftLength;
    this.window = tfHannWindow(frameLength);
    this.fft = new RealFft64(fftLength);
  }

  /** Bins per frame: fftLength / 2 + 1. */
  get bins(): number {
    return this.fftLength / 2 + 1;
  }

  /** Frames for n samples (tf.signal.frame without pad_end). */
  frameCount(n: number): number {
    return n < this.frameLength ? 0 : 1 + Math.floor((n - this.frameLength) / this.frameStep);
  }

  /** The magnitudes, row-major [frames][bins]. */
  compute(samples: Float32Array, out?: Float32Array): FeatureMatrix {
    const frames = this.frameCount(samples.length);
    const bins = this.bins;
    const data = out ?? new Float32Array(frames * bins);
    const input = this.fft.input;
    for (let f = 0; f < frames; f++) {
      const start = f * this.frameStep;
      for (let i = 0; i < this.frameLength; i++) input[i] = Math.fround(samples[start + i] * this.window[i]);
      input.fill(0, this.frameLength);
      const spec = this.fft.run();
      const row = f * bins;
      for (let k = 0; k < bins; k++) {
        // TensorFlow's complex64 output, then |z|.
        const re = Math.fround(spec[2 * k]);
        const im = Math.fround(spec[2 * k + 1]);
        data[row + k] = Math.sqrt(re * re + im * im);
      }
    }
    return { frames, bins, data };
  }
}
