import { Dct } from './dct';
import { MelFilterbank } from './melFilterbank';
import { Spectrogram, type SpectrogramOptions } from './spectrogram';

/**
 * MFCC exactly as TensorFlow's `Mfcc` op (tensorflow/core/kernels/mfcc.cc) applied to the output of
 * `AudioSpectrogram(magnitude_squared=True)`:
 * 1. power spectrogram (spectrogram.ts), rounded to float32 as TensorFlow's op output is;
 * 2. mel filterbank on sqrt(power) (melFilterbank.ts; defaults 40 channels, 20..4000 Hz);
 * 3. natural log with a floor: ln(max(x, 1e-12)) (TensorFlow's kFilterbankFloor);
 * 4. DCT-II with sqrt(2/N) scaling on every coefficient (dct.ts), keeping `coefficientCount`.
 * Speed and exactness: each frame first goes through the float32 FFT. Its error per bin was measured
 * at <= 32 eps32 ||x_w||_2 on 60k speech frames; with twice that as the bound B, a band of n bins
 * and magnitude m has a log error <= n B / m, and a coefficient at most sqrt(2/N) times their sum.
 * Where that bound exceeds a quarter of the 1e-3 tolerance (pure tones, whose far bands hold only
 * window side lobes), the frame is recomputed with the double-precision FFT, as TensorFlow does.
 * Output is row-major [frames][coefficients], as TensorFlow's [1, frames, coefficients].
 */
export interface MfccOptions extends SpectrogramOptions {
  sampleRate?: number;
  filterbankChannels?: number;
  lowerFrequencyHz?: number;
  upperFrequencyHz?: number;
  /** DCT coefficients kept (default 40). */
  coefficientCount?: number;
}

/** TensorFlow's floor before the log (mfcc.cc kFilterbankFloor). */
export const FILTERBANK_FLOOR = 1e-12;

/** A frames x bins feature matrix, row-major. */
export interface FeatureMatrix {
  frames: number;
  bins: number;
  data: Float32Array;
}

/** MFCC (and log-mel) of one configuration; the spectrogram, filterbank and DCT are built once. */
export class Mfcc {
  readonly spectrogram: Spectrogram;
  readonly filterbank: MelFilterbank;
  readonly dct: Dct;
  readonly coefficientCount: number;
  private readonly row: Float32Array;
  /** Bins feeding each band: the error bound's n. */
  private readonly bandBins: Float64Array;
  private readonly errorScale: number;
  /** Frames recomputed in double precision since creation (for benchmarks and tests). */
  exactFrames = 0;
  /** Frames computed since creation. */
  totalFrames = 0;
  private readonly mel: Float64Array;
  /** The MFCC of an all-floor frame (digital silence), computed once: such frames skip the log and DCT. */
  private readonly floorFrame: Float32Array;

  private constructor(spectrogram: Spectrogram, o: Required<Omit<MfccOptions, keyof SpectrogramOptions>>) {
    this.spectrogram = spectrogram;
    this.filterbank = new MelFilterbank({
      inputLength: spectrogram.bins,
      sampleRate: o.sampleRate,
      channels: o.filterbankChannels,
      lowerFrequencyHz: o.lowerFrequencyHz,
      upperFrequencyHz: o.upperFrequencyHz,
    });
    this.coefficientCount = o.coefficientCount;
    this.dct = new Dct(o.filterbankChannels, o.coefficientCount);
    this.row = new Float32Array(spectrogram.bins);
    this.bandBins = this.filterbank.binsPerBand();
    // B = 64 eps32 ||x||; coefficient error <= sqrt(2/N) * B * sum(n_c / m_c) must stay <= 2.5e-4.
    this.errorScale = (64 * 2 ** -24 * Math.sqrt(2 / o.filterbankChannels)) / 2.5e-4;
    this.mel = new Float64Array(o.filterbankChannels);
    this.floorFrame = new Float32Array(o.coefficientCount);
    this.mel.fill(Math.log(FILTERBANK_FLOOR));
    this.dct.apply(this.mel, this.floorFrame);
  }

  /** Builds the tables for these options (defaults: TensorFlow's speech_commands values). */
  static async create(options: MfccOptions = {}): Promise<Mfcc> {
    const spectrogram = await Spectrogram.create({
      windowSize: options.windowSize,
      stride: options.stride,
      magnitudeSquared: true,
    });
    return new Mfcc(spectrogram, {
      sampleRate: options.sampleRate ?? 16000,
      filterbankChannels: options.filterbankChannels ?? 40,
      lowerFrequencyHz: options.lowerFrequencyHz ?? 20,
      upperFrequencyHz: options.upperFrequencyHz ?? 4000,
      coefficientCount: options.coefficientCount ?? 40,
    });
  }

  /** Frames produced for n samples. */
  frameCount(n: number): number {
    return this.spectrogram.frameCount(n);
  }

  /** Mel filterbank output of one frame after the floored log, into this.mel; false if all at the floor. */
  private logMelFrame(samples: Float32Array, start: number): boolean {
    const energy = this.spectrogram.powerFrame(samples, start, this.row, 0);
    const mel = this.mel;
    this.filterbank.apply(this.row, 0, mel);
    this.totalFrames++;
    if (energy > 0) {
      let sum = 0;
      const nb = this.bandBins;
      for (let c = 0; c < mel.length; c++) sum += nb[c] / Math.max(mel[c], FILTERBANK_FLOOR);
      if (this.errorScale * Math.sqrt(energy) * sum > 1) {
        this.exactFrames++;
        this.spectrogram.powerFrameExact(samples, start, this.row, 0);
        this.filterbank.apply(this.row, 0, mel);
      }
    }
    let any = false;
    for (let c = 0; c < mel.length; c++) {
      const v = mel[c];
      if (v > FILTERBANK_FLOOR) {
        mel[c] = Math.log(v);
        any = true;
      } else {
        mel[c] = -27.631021115928547; // ln(1e-12)
      }
    }
    return any;
  }

  /** MFCC of `samples` (at the configured rate): [frames][coefficientCount]. */
  compute(samples: Float32Array, out?: Float32Array): FeatureMatrix {
    const frames = this.frameCount(samples.length);
    const bins = this.coefficientCount;
    const data =
      out && out.length >= frames * bins ? out.subarray(0, frames * bins) : new Float32Array(frames * bins);
    const stride = this.spectrogram.stride;
    for (let f = 0; f < frames; f++) {
      if (this.logMelFrame(samples, f * stride)) this.dct.apply(this.mel, data, f * bins);
      else data.set(this.floorFrame, f * bins);
    }
    return { frames, bins, data };
  }

  /** Log-mel energies (the values the DCT consumes): [frames][filterbankChannels]. */
  computeLogMel(samples: Float32Array, out?: Float32Array): FeatureMatrix {
    const frames = this.frameCount(samples.length);
    const bins = this.filterbank.channels;
    const data =
      out && out.length >= frames * bins ? out.subarray(0, frames * bins) : new Float32Array(frames * bins);
    const stride = this.spectrogram.stride;
    for (let f = 0; f < frames; f++) {
      this.logMelFrame(samples, f * stride);
      for (let c = 0; c < bins; c++) data[f * bins + c] = this.mel[c];
    }
    return { frames, bins, data };
  }

  /** Frees the FFT buffers. */
  dispose(): void {
    this.spectrogram.dispose();
  }
}
