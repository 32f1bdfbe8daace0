import { averagePool } from './averagePool';
import { Mfcc, type FeatureMatrix } from './mfcc';
import { MfccWasm } from './mfccWasm';
import { MelSpectrogram, melDefaults, type MelSpectrogramParams } from './melSpectrogram';
import { Stft } from './stft';
import {
  MICRO_DEVICE_SAMPLE_SCALE,
  MICRO_SEED_SCALE,
  MicroFrontend,
  type MicroFrontendParams,
} from './microFrontend';

/** The feature types a model can take (metadata.json `features.type`). */
export const FEATURE_TYPES = [
  'mfcc',
  'spectrogram',
  'average',
  'logmel',
  'stft',
  'micro',
  'melspectrogram',
  'waveform',
] as const;

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
  /** With type 'melspectrogram': its parameters (default: nFft 400 and torchaudio's defaults). */
  mel?: MelSpectrogramParams;
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

/**
 * The MFCC kernel's arithmetic: 'float32' (the default: MfccWasm.computeBatchF32, four frames a SIMD
 * vector, within 1.3e-5 of TensorFlow's MFCC, 2.5x the throughput) or 'float64' (TensorFlow's chain
 * in double precision, within 1.5e-8: the reference tests' and `features --float64`).
 */
export type MfccPrecision = 'float32' | 'float64';

/** How an extractor computes (not what: that is the FeatureConfig). */
export interface ExtractorOptions {
  /** The WASM MFCC kernel's precision (default 'float32'); other feature types are unaffected. */
  mfccPrecision?: MfccPrecision;
}

/** Computes one feature type for mono audio at `config.sampleRate`; tables are built once. */
export class FeatureExtractor {
  private constructor(
    readonly config: FeatureConfig,
    /** The MFCC kernel's precision (only 'mfcc' on the WASM kernel uses float32). */
    readonly mfccPrecision: MfccPrecision,
    /** TensorFlow's spectrogram/MFCC chain, for the types built on it (mfcc, logmel, spectrogram, average). */
    private readonly tf: Mfcc | undefined,
    /** The MFCC hot loop in WebAssembly (float32 or float64, see MfccPrecision); JS when unavailable. */
    private readonly fast: MfccWasm | undefined,
    /** The stft feature type's transform. */
    private readonly stft?: Stft,
    /** TF Lite Micro's front end, for type 'micro'. */
    private readonly micro?: MicroFrontend,
    /** The PyTorch-style mel spectrogram, for type 'melspectrogram'. */
    private readonly mel?: MelSpectrogram,
  ) {}

  /** Builds the extractor for a configuration. */
  static async create(
    config: Partial<FeatureConfig> = {},
    options: ExtractorOptions = {},
  ): Promise<FeatureExtractor> {
    const c = { ...DEFAULT_FEATURES, ...config };
    const windowSize = Math.round((c.sampleRate * c.windowSizeMs) / 1000);
    const stride = Math.round((c.sampleRate * c.windowStrideMs) / 1000);
    const onTf = c.type === 'mfcc' || c.type === 'logmel' || c.type === 'spectrogram' || c.type === 'average';
    const mfcc = !onTf
      ? undefined
      : await Mfcc.create({
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
    const mel =
      c.type === 'melspectrogram'
        ? new MelSpectrogram({
            ...(c.mel ?? melDefaults(c.sampleRate, { nFft: 400 })),
            sampleRate: c.sampleRate,
          })
        : undefined;
    const precision = fast && options.mfccPrecision !== 'float64' ? 'float32' : 'float64';
    return new FeatureExtractor(c, precision, mfcc, fast, stft, micro, mel);
  }

  /**
   * Samples between frames when every frame is computed from its own samples alone, so that the
   * frames of a long span are those of any window inside it starting a whole number of hops in;
   * undefined for 'micro', whose noise reduction and gain control carry state from frame to frame.
   */
  get frameHop(): number | undefined {
    if (this.micro) return undefined;
    if (this.mel) return this.mel.frameHop;
    const c = this.config;
    if (c.type === 'waveform') return 1;
    const stride = Math.round((c.sampleRate * c.windowStrideMs) / 1000);
    return c.type === 'stft' ? (c.frameStep ?? stride) : stride;
  }

  /** Frames for n samples. */
  frameCount(n: number): number {
    if (this.config.type === 'waveform') return n;
    return (this.stft ?? this.micro ?? this.mel ?? this.tf!).frameCount(n);
  }

  /** Bins per frame of this feature type. */
  get bins(): number {
    switch (this.config.type) {
      case 'mfcc':
        return this.config.binCount;
      case 'logmel':
        return this.tf!.filterbank.channels;
      case 'spectrogram':
        return this.tf!.spectrogram.bins;
      case 'stft':
        return this.stft!.bins;
      case 'average': {
        const w = Math.max(1, Math.floor(this.tf!.spectrogram.bins / this.config.binCount));
        return Math.ceil(this.tf!.spectrogram.bins / w);
      }
      case 'micro':
        return this.config.binCount;
      case 'melspectrogram':
        return this.mel!.bins;
      case 'waveform':
        return 1;
    }
  }

  /** The features of `samples`, row-major [frames][bins]. */
  compute(samples: Float32Array, out?: Float32Array): FeatureMatrix {
    switch (this.config.type) {
      case 'mfcc':
        if (this.fast && this.mfccPrecision === 'float32') return this.fast.computeF32(samples, out);
        return (this.fast ?? this.tf!).compute(samples, out);
      case 'logmel':
        return this.tf!.computeLogMel(samples, out);
      case 'spectrogram':
        return this.tf!.spectrogram.compute(samples, out);
      case 'stft':
        return this.stft!.compute(samples, out);
      case 'average': {
        const s = this.tf!.spectrogram.compute(samples);
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
      case 'melspectrogram':
        return this.mel!.compute(samples, out);
      case 'waveform': {
        // The samples are the input: one frame of one value per sample.
        const data =
          out && out.length >= samples.length
            ? out.subarray(0, samples.length)
            : new Float32Array(samples.length);
        data.set(samples);
        return { frames: samples.length, bins: 1, data };
      }
    }
  }

  /**
   * The features of clips of equal length, one after another in `out` ([clips][frames][bins]):
   * MFCC on the float32 kernel in one call (its SIMD lanes run across the clips' frames), every
   * other type clip by clip. The numbers are those of `compute` on each clip.
   */
  computeBatch(clips: Float32Array[], out: Float32Array): void {
    const need = clips.reduce((s, c) => s + this.frameCount(c.length) * this.bins, 0);
    if (out.length < need) throw new Error(`computeBatch: ${need} values do not fit in ${out.length}`);
    if (this.config.type === 'mfcc' && this.fast && this.mfccPrecision === 'float32') {
      this.fast.computeBatchF32(clips, out);
      return;
    }
    let at = 0;
    for (const c of clips) {
      const size = this.frameCount(c.length) * this.bins;
      const m = this.compute(c, out.subarray(at, at + size));
      if (m.data.buffer !== out.buffer || m.data.byteOffset !== out.byteOffset + 4 * at) out.set(m.data, at);
      at += size;
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

  /** Frames the float32 MFCC kernel recomputed in double since creation (0 on other engines). */
  get f32Fallbacks(): number {
    return this.fast?.f32Fallbacks ?? 0;
  }

  /** Frees WASM buffers. */
  dispose(): void {
    this.fast?.dispose();
    this.tf?.dispose();
  }
}
