import { basename } from 'node:path';
import { MODEL_FILE_LIMITS, ModelFileError, readModelFile } from './modelFiles';
import {
  DEFAULT_FEATURES,
  FEATURE_TYPES,
  type FeatureConfig,
  type FeatureType,
  type MicroOptions,
} from '../audio/features';
import { MICRO_DEFAULTS } from '../audio/microFrontend';
import type { MelSpectrogramParams } from '../audio/melSpectrogram';
import { parseMelSpectrogram, parseWaveform } from './frontEndMetadata';
import { isNum, MetadataError, req } from './metadataCheck';

export { MetadataError };

/** How features are normalised before the model. */
export type Normalize = 'none' | 'per-clip' | 'dataset';

/** A model package's metadata.json (or the defaults plus labels.txt). */
export interface ModelMetadata {
  name: string;
  version?: string;
  labels: string[];
  sampleRate: number;
  clipDurationMs: number;
  windowSizeMs: number;
  windowStrideMs: number;
  /** What the model outputs: probabilities (default), or logits that Wavebench passes through a softmax. */
  output?: 'probabilities' | 'logits';
  features: {
    type: FeatureType;
    binCount: number;
    lowerFrequencyHz: number;
    upperFrequencyHz: number;
    filterbankChannels: number;
    normalize: Normalize;
    /** Per-bin mean and standard deviation, with normalize = 'dataset'. */
    mean?: number[];
    std?: number[];
    /** stft: tf.signal.stft's frame_length, frame_step (samples) and fft_length (default next power of two). */
    frameLength?: number;
    frameStep?: number;
    fftLength?: number;
    /** Type 'micro': the front end's optional parameters (TensorFlow's defaults when absent). */
    micro?: MicroOptions;
    /** Type 'melspectrogram': all its parameters, defaults filled in. */
    mel?: MelSpectrogramParams;
  };
}

/** The optional `micro` parameters of metadata.json's features, with their kinds. */
const MICRO_FIELDS = {
  smoothingBits: 'int',
  evenSmoothing: 'number',
  oddSmoothing: 'number',
  minSignalRemaining: 'number',
  enablePcan: 'boolean',
  pcanStrength: 'number',
  pcanOffset: 'number',
  gainBits: 'int',
  enableLog: 'boolean',
  scaleShift: 'int',
  scale: 'number',
  sampleScale: 'number',
} as const;

/**
 * A micro feature block: `{"type": "micro", "binCount": 40}` plus optional front-end parameters;
 * lower/upperFrequencyHz are its band limits (default 125 / 7500 Hz).
 */
function parseMicro(f: Record<string, unknown>): MicroOptions {
  const micro: Record<string, unknown> = {};
  for (const [k, kind] of Object.entries(MICRO_FIELDS)) {
    const v = f[k];
    if (v === undefined) continue;
    const ok =
      kind === 'boolean'
        ? typeof v === 'boolean'
        : isNum(v) && v >= 0 && (kind !== 'int' || (Number.isInteger(v) && v <= 31));
    req(
      ok,
      `metadata.json: "features.${k}" must be ${kind === 'boolean' ? 'true or false' : `a non-negative ${kind === 'int' ? 'integer below 32' : 'number'}`}`,
      0,
    );
    micro[k] = v;
  }
  f.lowerFrequencyHz ??= MICRO_DEFAULTS.lowerBandLimit;
  f.upperFrequencyHz ??= MICRO_DEFAULTS.upperBandLimit;
  f.filterbankChannels ??= f.binCount;
  f.normalize ??= 'none';
  return micro as MicroOptions;
}

/**
 * Ranges of metadata.json numbers: what a small speech/sound classifier can use, with margin, so
 * that no number sizes a buffer beyond reason (sampleRate 1e9 took 7 GB for one clip before).
 * - sampleRate: an integer, 1,000 .. 384,000 Hz (telephone 8 kHz up to 384 kHz audio);
 * - clipDurationMs: up to 60 s of input window (speech_commands uses 1 s);
 * - windowSizeMs / windowStrideMs: the window at least 2 samples and at most 65,536 (a 4 s FFT at
 *   16 kHz) and no longer than the clip; the stride at least 1 sample and at most the window;
 * - binCount: an integer 1 .. 4,096; filterbankChannels: an integer 1 .. 1,024;
 * - 0 <= lowerFrequencyHz < upperFrequencyHz <= sampleRate / 2;
 * - labels: 2 .. 10,000 unique non-empty strings of at most 256 characters;
 * - mean/std: at most 65,536 values (their length must equal the bins: checked at load).
 */
export const METADATA_LIMITS = {
  minSampleRate: 1000,
  maxSampleRate: 384_000,
  maxClipDurationMs: 60_000,
  maxWindowSamples: 65_536,
  maxBinCount: 4096,
  maxFilterbankChannels: 1024,
  maxLabels: 10_000,
  maxLabelLength: 256,
  maxStats: 65_536,
};

/** Validates a parsed metadata.json; every field but `version` is required. */
export function parseMetadata(json: unknown): ModelMetadata {
  const L = METADATA_LIMITS;
  const o = json as Record<string, unknown>;
  req(o && typeof o === 'object' && !Array.isArray(o), 'metadata.json is not a JSON object', 0);
  const name = req(
    typeof o.name === 'string' && o.name,
    'metadata.json: "name" must be a non-empty string',
    o.name as string,
  );
  if (o.version !== undefined)
    req(typeof o.version === 'string', 'metadata.json: "version" must be a string', 0);
  const labels = req(
    Array.isArray(o.labels) && o.labels.length >= 2 && o.labels.every((l) => typeof l === 'string' && l),
    'metadata.json: "labels" must be an array of at least 2 non-empty strings',
    o.labels as string[],
  );
  req(
    labels.length <= L.maxLabels,
    `metadata.json: "labels" has ${labels.length} entries (limit ${L.maxLabels})`,
    0,
  );
  req(
    labels.every((l) => l.length <= L.maxLabelLength),
    `metadata.json: a label is longer than ${L.maxLabelLength} characters`,
    0,
  );
  req(new Set(labels).size === labels.length, 'metadata.json: "labels" has duplicates', 0);
  const f = o.features as Record<string, unknown>;
  req(f && typeof f === 'object' && !Array.isArray(f), 'metadata.json: "features" must be an object', 0);
  req(
    (FEATURE_TYPES as readonly unknown[]).includes(f.type),
    `metadata.json: "features.type" must be one of ${FEATURE_TYPES.join(', ')}`,
    0,
  );
  // stft with frameLength/frameStep (samples) needs no windowSizeMs/windowStrideMs nor mel settings;
  // melspectrogram (winLength/hopLength in samples) and waveform neither.
  const stft = f.type === 'stft' ? parseStft(f) : undefined;
  const ownWindow = f.type === 'melspectrogram' || f.type === 'waveform';
  for (const k of ['sampleRate', 'clipDurationMs', 'windowSizeMs', 'windowStrideMs'] as const) {
    const inSamples = stft?.frameLength || ownWindow;
    if (inSamples && (k === 'windowSizeMs' || k === 'windowStrideMs') && o[k] === undefined) continue;
    req(isNum(o[k]) && (o[k] as number) > 0, `metadata.json: "${k}" must be a positive number`, 0);
  }
  const rate = o.sampleRate as number;
  req(
    Number.isInteger(rate) && rate >= L.minSampleRate && rate <= L.maxSampleRate,
    `metadata.json: "sampleRate" must be an integer from ${L.minSampleRate} to ${L.maxSampleRate} Hz (got ${rate})`,
    0,
  );
  const clipMs = o.clipDurationMs as number;
  req(
    clipMs <= L.maxClipDurationMs && Math.round((rate * clipMs) / 1000) >= 1,
    `metadata.json: "clipDurationMs" must be at most ${L.maxClipDurationMs} (got ${clipMs})`,
    0,
  );
  // stft given in samples (frameLength/frameStep) may leave the ms fields out; when present they are checked.
  const msWindow = o.windowSizeMs !== undefined;
  const win = Math.round((rate * (o.windowSizeMs as number)) / 1000);
  const hop = Math.round((rate * (o.windowStrideMs as number)) / 1000);
  req(
    !msWindow || (win >= 2 && win <= L.maxWindowSamples && (o.windowSizeMs as number) <= clipMs),
    `metadata.json: "windowSizeMs" must give 2 to ${L.maxWindowSamples} samples and fit in the clip (got ${o.windowSizeMs} ms)`,
    0,
  );
  req(
    o.windowStrideMs === undefined || (hop >= 1 && (o.windowStrideMs as number) <= clipMs),
    `metadata.json: "windowStrideMs" must give at least 1 sample and fit in the clip (got ${o.windowStrideMs} ms)`,
    0,
  );
  const micro = f.type === 'micro' ? parseMicro(f) : undefined;
  const clip = Math.round((rate * clipMs) / 1000);
  const mel = f.type === 'melspectrogram' ? parseMelSpectrogram(f, rate, clip, L) : undefined;
  if (f.type === 'waveform') parseWaveform(f);
  if (mel) {
    for (const [k, n] of [
      ['windowSizeMs', mel.winLength],
      ['windowStrideMs', mel.hopLength],
    ] as const)
      req(
        o[k] === undefined || Math.round((rate * (o[k] as number)) / 1000) === n,
        `metadata.json: "${k}" (${o[k]} ms) disagrees with "features.${k === 'windowSizeMs' ? 'winLength' : 'hopLength'}" (${n} samples); leave it out`,
        0,
      );
  }
  for (const k of ['binCount', 'lowerFrequencyHz', 'upperFrequencyHz', 'filterbankChannels'] as const) {
    if (ownWindow) break;
    if (stft && f[k] === undefined) continue;
    req(isNum(f[k]) && (f[k] as number) >= 0, `metadata.json: "features.${k}" must be a number`, 0);
  }
  const intIn = (k: 'binCount' | 'filterbankChannels', max: number) =>
    req(
      Number.isInteger(f[k]) && (f[k] as number) >= 1 && (f[k] as number) <= max,
      `metadata.json: "features.${k}" must be an integer from 1 to ${max} (got ${f[k]})`,
      0,
    );
  if (!ownWindow && (!stft || f.binCount !== undefined)) intIn('binCount', L.maxBinCount);
  if (!ownWindow && (!stft || f.filterbankChannels !== undefined))
    intIn('filterbankChannels', L.maxFilterbankChannels);
  const lo = f.lowerFrequencyHz as number;
  const hi = f.upperFrequencyHz as number;
  req(
    ownWindow || (stft && (lo === undefined || hi === undefined)) || (lo < hi && hi <= rate / 2),
    `metadata.json: "features" needs lowerFrequencyHz < upperFrequencyHz <= sampleRate / 2 (got ${lo}..${hi} Hz at ${rate} Hz)`,
    0,
  );
  if (f.type === 'mfcc')
    req(
      (f.binCount as number) <= (f.filterbankChannels as number),
      `metadata.json: "features.binCount" (${f.binCount} MFCCs) exceeds "filterbankChannels" (${f.filterbankChannels})`,
      0,
    );
  req(
    o.output === undefined || o.output === 'probabilities' || o.output === 'logits',
    'metadata.json: "output" must be "probabilities" or "logits"',
    0,
  );
  if ((stft || ownWindow) && f.normalize === undefined) f.normalize = 'none';
  req(
    ['none', 'per-clip', 'dataset'].includes(f.normalize as string),
    'metadata.json: "features.normalize" must be "none", "per-clip" or "dataset"',
    0,
  );
  if (f.normalize === 'dataset') {
    for (const k of ['mean', 'std'] as const) {
      req(
        Array.isArray(f[k]) &&
          (f[k] as unknown[]).length > 0 &&
          (f[k] as unknown[]).length <= L.maxStats &&
          (f[k] as unknown[]).every(isNum),
        `metadata.json: "features.${k}" must be an array of numbers with normalize "dataset"`,
        0,
      );
    }
    req(
      (f.mean as number[]).length === (f.std as number[]).length,
      'metadata.json: "features.mean" and "std" differ in length',
      0,
    );
    req(
      (f.std as number[]).every((s) => s > 0),
      'metadata.json: "features.std" must be positive',
      0,
    );
  }
  const d = DEFAULT_FEATURES;
  // The window and hop in samples for the types that state them so (waveform: one sample).
  const [winSamples, hopSamples] = mel
    ? [mel.winLength, mel.hopLength]
    : f.type === 'waveform'
      ? [1, 1]
      : [stft?.frameLength ?? 0, stft?.frameStep ?? 0];
  return {
    name,
    version: o.version as string | undefined,
    labels,
    sampleRate: rate,
    clipDurationMs: o.clipDurationMs as number,
    windowSizeMs: (o.windowSizeMs as number) ?? (winSamples * 1000) / rate,
    windowStrideMs: (o.windowStrideMs as number) ?? (hopSamples * 1000) / rate,
    ...(o.output !== undefined && { output: o.output as 'probabilities' | 'logits' }),
    features: {
      type: f.type as FeatureType,
      binCount: mel?.nMels ?? (f.type === 'waveform' ? 1 : ((f.binCount as number) ?? d.binCount)),
      lowerFrequencyHz: mel?.fMin ?? (f.lowerFrequencyHz as number) ?? d.lowerFrequencyHz,
      upperFrequencyHz: mel?.fMax ?? (f.upperFrequencyHz as number) ?? d.upperFrequencyHz,
      filterbankChannels: mel?.nMels ?? (f.filterbankChannels as number) ?? d.filterbankChannels,
      normalize: f.normalize as Normalize,
      mean: f.mean as number[] | undefined,
      std: f.std as number[] | undefined,
      ...stft,
      ...(micro ? { micro } : {}),
      ...(mel ? { mel } : {}),
    },
  };
}

/** The stft fields: frameLength and frameStep together (else windowSizeMs/windowStrideMs), fftLength. */
function parseStft(f: Record<string, unknown>): {
  frameLength?: number;
  frameStep?: number;
  fftLength?: number;
} {
  const int = (v: unknown) => typeof v === 'number' && Number.isInteger(v) && v > 0;
  const r: { frameLength?: number; frameStep?: number; fftLength?: number } = {};
  req(
    (f.frameLength === undefined) === (f.frameStep === undefined),
    'metadata.json: "features.frameLength" and "features.frameStep" go together',
    0,
  );
  for (const k of ['frameLength', 'frameStep', 'fftLength'] as const) {
    if (f[k] === undefined) continue;
    req(int(f[k]), `metadata.json: "features.${k}" must be a positive integer (samples)`, 0);
    r[k] = f[k] as number;
  }
  if (r.frameLength !== undefined && (r.frameLength < 2 || r.frameLength > METADATA_LIMITS.maxWindowSamples))
    throw new MetadataError(
      `metadata.json: "features.frameLength" must be from 2 to ${METADATA_LIMITS.maxWindowSamples} samples`,
    );
  if (r.frameStep !== undefined && r.frameStep > METADATA_LIMITS.maxWindowSamples)
    throw new MetadataError(
      `metadata.json: "features.frameStep" must be at most ${METADATA_LIMITS.maxWindowSamples} samples`,
    );
  if (r.fftLength !== undefined) {
    const fl = r.frameLength ?? 0;
    req(
      (r.fftLength & (r.fftLength - 1)) === 0 &&
        r.fftLength >= Math.max(4, fl) &&
        r.fftLength <= 2 * METADATA_LIMITS.maxWindowSamples,
      `metadata.json: "features.fftLength" must be a power of two >= frameLength`,
      0,
    );
  }
  return r;
}

/** Metadata for a package with only labels.txt: the speech_commands defaults. */
export function metadataFromLabels(name: string, labelsText: string): ModelMetadata {
  const labels = labelsText
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter(Boolean);
  if (labels.length < 2) throw new MetadataError('labels.txt must list at least 2 labels, one per line');
  if (labels.length > METADATA_LIMITS.maxLabels)
    throw new MetadataError(`labels.txt lists ${labels.length} labels (limit ${METADATA_LIMITS.maxLabels})`);
  if (new Set(labels).size !== labels.length) throw new MetadataError('labels.txt has duplicate labels');
  return {
    name,
    labels,
    sampleRate: DEFAULT_FEATURES.sampleRate,
    clipDurationMs: 1000,
    windowSizeMs: DEFAULT_FEATURES.windowSizeMs,
    windowStrideMs: DEFAULT_FEATURES.windowStrideMs,
    features: {
      type: 'mfcc',
      binCount: DEFAULT_FEATURES.binCount,
      lowerFrequencyHz: DEFAULT_FEATURES.lowerFrequencyHz,
      upperFrequencyHz: DEFAULT_FEATURES.upperFrequencyHz,
      filterbankChannels: DEFAULT_FEATURES.filterbankChannels,
      normalize: 'none',
    },
  };
}

/** The feature extractor configuration of a model. */
export function featureConfigOf(m: ModelMetadata): FeatureConfig {
  return {
    type: m.features.type,
    sampleRate: m.sampleRate,
    windowSizeMs: m.windowSizeMs,
    windowStrideMs: m.windowStrideMs,
    binCount: m.features.binCount,
    lowerFrequencyHz: m.features.lowerFrequencyHz,
    upperFrequencyHz: m.features.upperFrequencyHz,
    filterbankChannels: m.features.filterbankChannels,
    frameLength: m.features.frameLength,
    frameStep: m.features.frameStep,
    fftLength: m.features.fftLength,
    mel: m.features.mel,
    micro:
      m.features.type === 'micro'
        ? {
            lowerBandLimit: m.features.lowerFrequencyHz,
            upperBandLimit: m.features.upperFrequencyHz,
            ...m.features.micro,
          }
        : undefined,
  };
}

/** Samples in the model's input window. */
export function clipSamples(m: ModelMetadata): number {
  return Math.round((m.sampleRate * m.clipDurationMs) / 1000);
}

/** A model folder that cannot be used, with the folder and the problem. */
export class ModelError extends Error {
  constructor(
    readonly dir: string,
    readonly problem: string,
  ) {
    super(`model ${dir}: ${problem}`);
    this.name = 'ModelError';
  }
}

/** Loads metadata.json, or labels.txt with the speech_commands defaults. */
export async function loadMetadata(dir: string): Promise<ModelMetadata> {
  const read = async (file: string): Promise<string | undefined> => {
    try {
      return (await readModelFile(dir, file, MODEL_FILE_LIMITS.metadata)).toString('utf8');
    } catch (e) {
      if (e instanceof ModelFileError && e.code === 'ENOENT') return undefined;
      if (e instanceof ModelFileError) throw new ModelError(dir, e.message);
      throw e;
    }
  };
  const text = await read('metadata.json');
  try {
    if (text !== undefined) return parseMetadata(JSON.parse(text));
    const labels = await read('labels.txt');
    if (labels === undefined) throw new ModelError(dir, 'neither metadata.json nor labels.txt found');
    return metadataFromLabels(basename(dir), labels);
  } catch (e) {
    if (e instanceof ModelError) throw e;
    throw new ModelError(dir, (e as Error).message);
  }
}
