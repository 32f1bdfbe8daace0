/**
 * metadata.json's `features` for the front ends PyTorch models take: `melspectrogram` (torchaudio /
 * librosa parameters, melSpectrogram.ts) and `waveform` (the samples themselves). Every field is
 * checked and a bad one named on one line; a field these types do not take (a typo such as
 * `hop_length`, or binCount/lowerFrequencyHz, which are nMels/fMin here) is refused rather than ignored.
 */
import { melDefaults, type MelSpectrogramParams } from '../audio/melSpectrogram';
import { isNum, MetadataError, req } from './metadataCheck';

/** The fields of a melspectrogram block (besides type and the normalisation's). */
const MEL_FIELDS = [
  'nFft',
  'winLength',
  'hopLength',
  'nMels',
  'fMin',
  'fMax',
  'center',
  'padMode',
  'power',
  'melScale',
  'norm',
  'log',
  'logOffset',
  'topDb',
] as const;
const COMMON_FIELDS = ['type', 'normalize', 'mean', 'std'];

/** Refuses fields the type does not take. */
function onlyFields(f: Record<string, unknown>, type: string, fields: readonly string[]): void {
  for (const k of Object.keys(f)) {
    if (COMMON_FIELDS.includes(k) || fields.includes(k)) continue;
    const alias: Record<string, string> = {
      binCount: 'nMels',
      filterbankChannels: 'nMels',
      lowerFrequencyHz: 'fMin',
      upperFrequencyHz: 'fMax',
    };
    const hint =
      type === 'waveform'
        ? 'it takes no parameters'
        : alias[k]
          ? `use "${alias[k]}"`
          : `its fields: ${fields.join(', ')}`;
    throw new MetadataError(`metadata.json: "features.${k}" is not a ${type} field (${hint})`);
  }
}

/** One of `values` (null counts as "none" where "none" is allowed). */
function oneOf<T extends string | number | boolean>(
  f: Record<string, unknown>,
  k: string,
  values: readonly T[],
): T | undefined {
  let v = f[k];
  if (v === undefined) return undefined;
  if (v === null && values.includes('none' as T)) v = 'none';
  req(
    values.includes(v as T),
    `metadata.json: "features.${k}" must be ${values.map((x) => JSON.stringify(x)).join(' or ')} (got ${JSON.stringify(f[k])})`,
    0,
  );
  return v as T;
}

/** An integer in lo .. hi, or undefined. */
function intIn(f: Record<string, unknown>, k: string, lo: number, hi: number): number | undefined {
  const v = f[k];
  if (v === undefined) return undefined;
  req(
    Number.isInteger(v) && (v as number) >= lo && (v as number) <= hi,
    `metadata.json: "features.${k}" must be an integer from ${lo} to ${hi} (got ${JSON.stringify(v)})`,
    0,
  );
  return v as number;
}

/** Limits the melspectrogram's sizes share with the other types (metadata.ts METADATA_LIMITS). */
export interface FrontEndLimits {
  maxWindowSamples: number;
  maxFilterbankChannels: number;
}

/**
 * A melspectrogram block, with torchaudio's defaults for what it leaves out (melSpectrogram.ts
 * `melDefaults`); `clip` is the model's window in samples, which must give at least one frame.
 */
export function parseMelSpectrogram(
  f: Record<string, unknown>,
  rate: number,
  clip: number,
  L: FrontEndLimits,
): MelSpectrogramParams {
  onlyFields(f, 'melspectrogram', MEL_FIELDS);
  req(f.nFft !== undefined, 'metadata.json: "features.nFft" is required (melspectrogram)', 0);
  const o = {
    nFft: intIn(f, 'nFft', 2, L.maxWindowSamples)!,
    winLength: intIn(f, 'winLength', 1, L.maxWindowSamples),
    hopLength: intIn(f, 'hopLength', 1, L.maxWindowSamples),
    nMels: intIn(f, 'nMels', 1, L.maxFilterbankChannels),
    center: oneOf(f, 'center', [true, false]),
    padMode: oneOf(f, 'padMode', ['reflect', 'constant']),
    power: oneOf(f, 'power', [1, 2]),
    melScale: oneOf(f, 'melScale', ['htk', 'slaney']),
    norm: oneOf(f, 'norm', ['slaney', 'none']),
    log: oneOf(f, 'log', ['log', 'db', 'none']),
  };
  req(
    o.winLength === undefined || o.winLength <= o.nFft,
    `metadata.json: "features.winLength" (${o.winLength}) must be at most "nFft" (${o.nFft})`,
    0,
  );
  for (const k of ['fMin', 'fMax', 'logOffset', 'topDb'] as const) {
    if (f[k] === undefined) continue;
    const positive = k !== 'fMin';
    req(
      isNum(f[k]) && (positive ? (f[k] as number) > 0 : (f[k] as number) >= 0),
      `metadata.json: "features.${k}" must be a ${positive ? 'positive' : 'non-negative'} number (got ${JSON.stringify(f[k])})`,
      0,
    );
  }
  req(
    f.logOffset === undefined || o.log === 'log',
    'metadata.json: "features.logOffset" goes with "log": "log"',
    0,
  );
  req(f.topDb === undefined || o.log === 'db', 'metadata.json: "features.topDb" goes with "log": "db"', 0);
  const p = melDefaults(rate, {
    ...Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)),
    nFft: o.nFft,
    ...(f.fMin !== undefined && { fMin: f.fMin as number }),
    ...(f.fMax !== undefined && { fMax: f.fMax as number }),
    ...(f.logOffset !== undefined && { logOffset: f.logOffset as number }),
    ...(f.topDb !== undefined && { topDb: f.topDb as number }),
  });
  req(
    p.fMin < p.fMax && p.fMax <= rate / 2,
    `metadata.json: "features" needs fMin < fMax <= sampleRate / 2 (got ${p.fMin}..${p.fMax} Hz at ${rate} Hz)`,
    0,
  );
  const pad = p.center ? Math.floor(p.nFft / 2) : 0;
  req(
    p.center ? !(p.padMode === 'reflect' && clip <= pad) : clip >= p.nFft,
    p.center
      ? `metadata.json: the clip (${clip} samples) is too short to reflect-pad by nFft / 2 (${pad})`
      : `metadata.json: the clip (${clip} samples) is shorter than "nFft" (${p.nFft}) with "center": false`,
    0,
  );
  return p;
}

/** A waveform block: no parameters besides the normalisation. */
export function parseWaveform(f: Record<string, unknown>): void {
  onlyFields(f, 'waveform', []);
}
