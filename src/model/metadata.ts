import { readFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import {
  DEFAULT_FEATURES,
  FEATURE_TYPES,
  type FeatureConfig,
  type FeatureType,
  type MicroOptions,
} from '../audio/features';
import { MICRO_DEFAULTS } from '../audio/microFrontend';

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
    /** Type 'micro': the front end's optional parameters (TensorFlow's defaults when absent). */
    micro?: MicroOptions;
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

/** A metadata problem, naming the field. */
export class MetadataError extends Error {}

function req<T>(cond: unknown, msg: string, value: T): T {
  if (!cond) throw new MetadataError(msg);
  return value;
}

const isNum = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

/** Validates a parsed metadata.json; every field but `version` is required. */
export function parseMetadata(json: unknown): ModelMetadata {
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
  req(new Set(labels).size === labels.length, 'metadata.json: "labels" has duplicates', 0);
  for (const k of ['sampleRate', 'clipDurationMs', 'windowSizeMs', 'windowStrideMs'] as const) {
    req(isNum(o[k]) && (o[k] as number) > 0, `metadata.json: "${k}" must be a positive number`, 0);
  }
  const f = o.features as Record<string, unknown>;
  req(f && typeof f === 'object', 'metadata.json: "features" must be an object', 0);
  req(
    (FEATURE_TYPES as readonly unknown[]).includes(f.type),
    `metadata.json: "features.type" must be one of ${FEATURE_TYPES.join(', ')}`,
    0,
  );
  const micro = f.type === 'micro' ? parseMicro(f) : undefined;
  for (const k of ['binCount', 'lowerFrequencyHz', 'upperFrequencyHz', 'filterbankChannels'] as const) {
    req(isNum(f[k]) && (f[k] as number) >= 0, `metadata.json: "features.${k}" must be a number`, 0);
  }
  req(
    ['none', 'per-clip', 'dataset'].includes(f.normalize as string),
    'metadata.json: "features.normalize" must be "none", "per-clip" or "dataset"',
    0,
  );
  if (f.normalize === 'dataset') {
    for (const k of ['mean', 'std'] as const) {
      req(
        Array.isArray(f[k]) && (f[k] as unknown[]).length > 0 && (f[k] as unknown[]).every(isNum),
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
  return {
    name,
    version: o.version as string | undefined,
    labels,
    sampleRate: o.sampleRate as number,
    clipDurationMs: o.clipDurationMs as number,
    windowSizeMs: o.windowSizeMs as number,
    windowStrideMs: o.windowStrideMs as number,
    features: {
      type: f.type as FeatureType,
      binCount: f.binCount as number,
      lowerFrequencyHz: f.lowerFrequencyHz as number,
      upperFrequencyHz: f.upperFrequencyHz as number,
      filterbankChannels: f.filterbankChannels as number,
      normalize: f.normalize as Normalize,
      mean: f.mean as number[] | undefined,
      std: f.std as number[] | undefined,
      ...(micro ? { micro } : {}),
    },
  };
}

/** Metadata for a package with only labels.txt: the speech_commands defaults. */
export function metadataFromLabels(name: string, labelsText: string): ModelMetadata {
  const labels = labelsText
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter(Boolean);
  if (labels.length < 2) throw new MetadataError('labels.txt must list at least 2 labels, one per line');
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
  let text: string | undefined;
  try {
    text = await readFile(join(dir, 'metadata.json'), 'utf8');
  } catch {
    // no metadata.json: labels.txt below
  }
  try {
    if (text !== undefined) return parseMetadata(JSON.parse(text));
    const labels = await readFile(join(dir, 'labels.txt')).catch(() => {
      throw new ModelError(dir, 'neither metadata.json nor labels.txt found');
    });
    return metadataFromLabels(basename(dir), labels.toString('utf8'));
  } catch (e) {
    if (e instanceof ModelError) throw e;
    throw new ModelError(dir, (e as Error).message);
  }
}
