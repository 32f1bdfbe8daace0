import { averagePool } from './averagePool';
import { Mfcc, type FeatureMatrix } from './mfcc';
import { MfccWasm } from './mfccWasm';

/** The feature types a model can take (metadata.json `features.type`). */
export const FEATURE_TYPES = ['mfcc', 'spectrogram', 'average', 'logmel'] as const;
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
    return new FeatureExtractor(c, mfcc, fast);
  }

  /** Frames for n samples. */
  frameCount(n: number): number {
    return this.mfcc.frameCount(n);
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
      case 'average': {
        const w = Math.max(1, Math.floor(this.mfcc.spectrogram.bins / this.config.binCount));
        return Math.ceil(this.mfcc.spectrogram.bins / w);
      }
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
      case 'average': {
        const s = this.mfcc.spectrogram.compute(samples);
        return averagePool(s.data, s.frames, s.bins, this.config.binCount);
      }
    }
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
