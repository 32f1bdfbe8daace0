import { averagePool } from './averagePool';
import { Mfcc, type FeatureMatrix } from './mfcc';
import { MfccWasm } from './mfccWasm';
import { Stft } from './stft';
import {
  MICRO_DEVICE_SAMPLE_SCALE,
  MICRO_SEED_SCALE,
  MicroFrontend,
  type MicroFrontendParams,
} from './microFrontend';

/** The feature types a model can take (metadata.json `features.type`). */
export const FEATURE_TYPES = ['mfcc', 'spectrogram', 'average', 'logmel', 'stft', 'micro'] as const;

/**
 * The `micro` front end's optional parameters (TensorFlow's defaults when absent); `scale` multiplies
 * its output (default 10/256, as the seed's freeze.py and input_data.py do); `sampleScale` makes the
 * float samples int16 (default 32768: a 16-bit clip's own samples, as a device feeds them; a frozen
 * graph's own Mul constant, 32767 in the seed's freeze.py, where the graph has one).
 */
export type MicroOptions = Partial<
  Omit<MicroFrontendParams, 'sampleRate' | 'windowSizeMs' | 'windowStepMs' | 'numChannels'>
> & { scale?: number; sampleScale?: number };
/** A feature type. */
export type FeatureType = (typeof FEATURE_TYPES)[number];

/** Feature settings; defaults are the speech_commands example's. */
export interface FeatureConfig {
  type: FeatureType;
  sampleRate: number;
  windowSizeMs: number;
  windowStrideMs: number;
  /** Coefficients (mfcc), pooled bins (average: target count), mel bands (logmel). */
  binCount: number;
  lowerFrequencyHz: number;
  upperFrequencyHz: number;
  filterbankChannels: number;
  /** stft: frame length and step in samples (tf.signal.stft's), FFT size (default next power of two). */
  frameLength?: number;
  frameStep?: number;
  fftLength?: number;
  /** With type 'micro': the front end's other parameters (binCount is its channel count). */
  micro?: MicroOptions;
}

/** speech_commands defaults: 16 kHz, 30 ms / 10 ms, 40 MFCCs from 40 mel bands over 20..4000 Hz. */
export const DEFAULT_FEATURES: FeatureConfig = {
  type: 'mfcc',
  sampleRate: 16000,
  windowSizeMs: 30,
  windowStrideMs: 10,
  binCount: 40,
  lowerFrequencyHz: 20,
  upperFrequencyHz: 4000,
  filterbankChannels: 40,
};

/** Computes one feature type for mono audio at `config.sampleRate`; tables are built once. */
export class FeatureExtractor {
  private constructor(
    readonly config: FeatureConfig,
    private readonly mfcc: Mfcc,
    /** The MFCC hot loop in WebAssembly (double precision, ~5x the JS engine); JS when unavailable. */
    private readonly fast: MfccWasm | undefined,
    /** The stft feature type's transform. */
    private readonly stft?: Stft,
    /** TF Lite Micro's front end, for type 'micro'. */
    private readonly micro?: MicroFrontend,
  ) {}

  /** Builds the extractor for a configuration. */
  static async create(config: Partial<FeatureConfig> = {}): Promise<FeatureExtractor> {
    const c = { ...DEFAULT_FEATURES, ...config };
    const windowSize = Math.round((c.sampleRate * c.windowSizeMs) / 1000);
    const stride = Math.round((c.sampleRate * c.windowStrideMs) / 1000);
    const mfcc = await Mfcc.create({
      windowSize,
      stride,
      sampleRate: c.sampleRate,
      filterbankChannels: c.type === 'logmel' ? c.binCount : c.filterbankChannels,
      lowerFrequencyHz: c.lowerFrequencyHz,
      upperFrequencyHz: c.upperFrequencyHz,
      coefficientCount: c.type === 'mfcc' ? c.binCount : c.filterbankChannels,
    });
    let fast: MfccWasm | undefined;
    if (c.type === 'mfcc') {
      try {
        fast = await MfccWasm.create({
          windowSize,
          stride,
          sampleRate: c.sampleRate,
          filterbankChannels: c.filterbankChannels,
          lowerFrequencyHz: c.lowerFrequencyHz,
          upperFrequencyHz: c.upperFrequencyHz,
          coefficientCount: c.binCount,
        });
      } catch {
        // mfcc.wasm missing or WebAssembly unavailable: the JS engine computes the same numbers.
      }
    }
    const stft =
      c.type === 'stft'
        ? new Stft({
            frameLength: c.frameLength ?? windowSize,
            frameStep: c.frameStep ?? stride,
            fftLength: c.fftLength,
          })
        : undefined;
    let micro: MicroFrontend | undefined;
    if (c.type === 'micro') {
      const rest: Partial<MicroFrontendParams> & { scale?: number; sampleScale?: number } = { ...c.micro };
      delete rest.scale;
      delete rest.sampleScale;
      micro = new MicroFrontend({
        ...rest,
        sampleRate: c.sampleRate,
        windowSizeMs: c.windowSizeMs,
        windowStepMs: c.windowStrideMs,
        numChannels: c.binCount,
      });
    }
    return new FeatureExtractor(c, mfcc, fast, stft, micro);
  }

  /** Frames for n samples. */
  frameCount(n: number): number {
    return this.stft
      ? this.stft.frameCount(n)
      : this.micro
        ? this.micro.frameCount(n)
        : this.mfcc.frameCount(n);
  }

  /** Bins per frame of this feature type. */
  get bins(): number {
    switch (this.config.type) {
      case 'mfcc':
        return this.config.binCount;
      case 'logmel':
        return this.mfcc.filterbank.channels;
      case 'spectrogram':
        return this.mfcc.spectrogram.bins;
      case 'stft':
        return this.stft!.bins;
      case 'average': {
        const w = Math.max(1, Math.floor(this.mfcc.spectrogram.bins / this.config.binCount));
        return Math.ceil(this.mfcc.spectrogram.bins / w);
      }
      case 'micro':
        return this.config.binCount;
    }
  }

  /** The features of `samples`, row-major [frames][bins]. */
  compute(samples: Float32Array, out?: Float32Array): FeatureMatrix {
    switch (this.config.type) {
      case 'mfcc':
        return (this.fast ?? this.mfcc).compute(samples, out);
      case 'logmel':
        return this.mfcc.computeLogMel(samples, out);
      case 'spectrogram':
        return this.mfcc.spectrogram.compute(samples, out);
      case 'stft':
        return this.stft!.compute(samples, out);
      case 'average': {
        const s = this.mfcc.spectrogram.compute(samples);
        const m = averagePool(s.data, s.frames, s.bins, this.config.binCount);
        // The caller's buffer is the model's input (the classifier packs a batch into it).
        if (out) {
          out.set(m.data);
          m.data = out.subarray(0, m.data.length);
        }
        return m;
      }
      case 'micro':
        return this.micro!.compute(
          samples,
          this.config.micro?.scale ?? MICRO_SEED_SCALE,
          out,
          this.config.micro?.sampleScale ?? MICRO_DEVICE_SAMPLE_SCALE,
        );
    }
  }

  /**
   * Which engine computes this extractor's features: 'wasm' (the WebAssembly MFCC kernel, what
   * production uses for MFCC models) or 'js' (the TypeScript engine: other feature types, or the
   * fallback when mfcc.wasm cannot be loaded). Reported so tests and users can see it.
   */
  get engineName(): 'wasm' | 'js' {
    return this.config.type === 'mfcc' && this.fast ? 'wasm' : 'js';
  }

  /** The underlying MFCC engine (its spectrogram serves pictures). */
  get engine(): Mfcc {
    return this.mfcc;
  }

  /** Frees WASM buffers. */
  dispose(): void {
    this.fast?.dispose();
    this.mfcc.dispose();
  }
}
