/**
 * Band-limited rational resampling, the same filter as scipy.signal.resample_poly's default:
 * up/down reduced by their gcd, a zero-phase FIR lowpass of 2 * 10 * max(up, down) + 1 taps with
 * cutoff 1 / max(up, down) of Nyquist, Kaiser window (beta 5), unit DC gain times `up`; output
 * length ceil(n * up / down). Evaluated polyphase: each output sample only touches the taps that
 * meet real input samples (about 20 * max(up, down) / up multiply-adds). Written here because no
 * maintained JS package offers an anti-aliased polyphase resampler with scipy's conventions.
 */

function gcd(a: number, b: number): number {
  while (b) [a, b] = [b, a % b];
  return a;
}

/** Zeroth-order modified Bessel function of the first kind (power series). */
function besselI0(x: number): number {
  let sum = 1;
  let term = 1;
  const q = (x * x) / 4;
  for (let k = 1; k < 200; k++) {
    term *= q / (k * k);
    sum += term;
    if (term < sum * 1e-17) break;
  }
  return sum;
}

/**
 * Bounds, so that no header can make the resampler take gigabytes: the filter has 20 * max(up, down)
 * + 1 taps, so max(up, down) <= 65,536 keeps it under 1.4 M taps (10.5 MB of float64) while every
 * real rate pair fits (44,100 -> 16,000 is 441/160; 11,025 -> 16,000 is 2,205/640; an odd 44,056 Hz
 * is 5,507/2,000; 2.4 MHz SDR is 150/1). The output is at most 2^26 samples per call (256 MB of
 * float32, 70 min at 16 kHz): longer audio is resampled by ranges (resampleRange).
 */
export const MAX_RESAMPLE_FACTOR = 65_536;
/** See MAX_RESAMPLE_FACTOR. */
export const MAX_RESAMPLE_OUTPUT = 2 ** 26;
/** Filters kept (least recently used dropped): a session meets few rate pairs. */
const FILTER_CACHE_SIZE = 4;

/** A rate change the resampler refuses (too costly a filter, or too long an output). */
export class ResampleError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ResampleError';
  }
}

const filterCache = new Map<string, { h: Float64Array; half: number }>();

/** Number of filters cached now (for tests: the cache is bounded). */
export function filterCacheSize(): number {
  return filterCache.size;
}

/** The prototype lowpass filter for up/down (cached per pair, the few most recent). */
function designFilter(up: number, down: number): { h: Float64Array; half: number } {
  const key = `${up}/${down}`;
  const cached = filterCache.get(key);
  if (cached) {
    filterCache.delete(key);
    filterCache.set(key, cached);
    return cached;
  }
  const maxRate = Math.max(up, down);
  const fc = 1 / maxRate;
  const half = 10 * maxRate;
  const n = 2 * half + 1;
  const h = new Float64Array(n);
  const beta = 5.0;
  const i0b = besselI0(beta);
  let sum = 0;
  for (let i = 0; i < n; i++) {
    const m = i - half;
    const x = fc * m;
    const sinc = x === 0 ? 1 : Math.sin(Math.PI * x) / (Math.PI * x);
    const r = (2 * i) / (n - 1) - 1;
    const w = besselI0(beta * Math.sqrt(Math.max(0, 1 - r * r))) / i0b;
    h[i] = fc * sinc * w;
    sum += h[i];
  }
  for (let i = 0; i < n; i++) h[i] = (h[i] / sum) * up;
  const entry = { h, half };
  filterCache.set(key, entry);
  while (filterCache.size > FILTER_CACHE_SIZE) filterCache.delete(filterCache.keys().next().value!);
  return entry;
}

/** The reduced up/down factors for a rate change; a ResampleError when its filter would be too large. */
export function resampleFactors(fromRate: number, toRate: number): { up: number; down: number } {
  if (!Number.isInteger(fromRate) || !Number.isInteger(toRate) || fromRate <= 0 || toRate <= 0) {
    throw new ResampleError(`resample: rates must be positive integers (${fromRate} -> ${toRate} Hz)`);
  }
  const g = gcd(fromRate, toRate);
  const up = toRate / g;
  const down = fromRate / g;
  if (Math.max(up, down) > MAX_RESAMPLE_FACTOR) {
    throw new ResampleError(
      `cannot resample ${fromRate} Hz to ${toRate} Hz: the ratio ${down}:${up} needs a filter of ` +
        `${20 * Math.max(up, down) + 1} taps (limit ${20 * MAX_RESAMPLE_FACTOR + 1})`,
    );
  }
  return { up, down };
}

/** Output length of resampling n samples from `fromRate` to `toRate`. */
export function resampledLength(n: number, fromRate: number, toRate: number): number {
  if (fromRate === toRate) return n;
  const { up, down } = resampleFactors(fromRate, toRate);
  return Math.ceil((n * up) / down);
}

/**
 * Input samples [first, end) that output samples [k0, k1) of a rate change depend on (clamped to
 * [0, nIn)): what to read of a long file to resample one range of it.
 */
export function resampleInputRange(
  k0: number,
  k1: number,
  nIn: number,
  fromRate: number,
  toRate: number,
): { first: number; end: number } {
  if (fromRate === toRate) return { first: Math.max(0, k0), end: Math.min(nIn, k1) };
  const { up, down } = resampleFactors(fromRate, toRate);
  const half = 10 * Math.max(up, down);
  const first = Math.max(0, Math.ceil((k0 * down + half - 2 * half) / up));
  const end = Math.min(nIn, Math.floor(((k1 - 1) * down + half) / up) + 1);
  return { first, end: Math.max(first, end) };
}

/** Resamples `input` from `fromRate` to `toRate` Hz; returns `input` itself when the rates match. */
export function resample(input: Float32Array, fromRate: number, toRate: number): Float32Array {
  if (fromRate === toRate) return input;
  const nOut = resampledLength(input.length, fromRate, toRate);
  return resampleRange(input, 0, input.length, fromRate, toRate, 0, nOut);
}

/**
 * Output samples [k0, k1) of resampling a signal of `nIn` samples, given `chunk` = its samples
 * [chunkStart, chunkStart + chunk.length) (which must cover resampleInputRange(k0, k1)): exactly
 * the values `resample` gives for the whole signal, computed from a bounded part of it.
 */
export function resampleRange(
  chunk: Float32Array,
  chunkStart: number,
  nIn: number,
  fromRate: number,
  toRate: number,
  k0: number,
  k1: number,
): Float32Array {
  const nOut = Math.max(0, k1 - k0);
  if (nOut > MAX_RESAMPLE_OUTPUT) {
    throw new ResampleError(
      `cannot resample ${fromRate} Hz to ${toRate} Hz in one piece: ${nOut} output samples ` +
        `(limit ${MAX_RESAMPLE_OUTPUT}, ${(MAX_RESAMPLE_OUTPUT / toRate / 60).toFixed(0)} min)`,
    );
  }
  const out = new Float32Array(nOut);
  if (fromRate === toRate) {
    for (let k = 0; k < nOut; k++) {
      const i = k0 + k - chunkStart;
      out[k] = i >= 0 && i < chunk.length ? chunk[i] : 0;
    }
    return out;
  }
  const { up, down } = resampleFactors(fromRate, toRate);
  const { h, half } = designFilter(up, down);
  const taps = h.length;
  const lo = Math.max(0, chunkStart);
  const hi = Math.min(nIn, chunkStart + chunk.length) - 1;
  for (let j = 0; j < nOut; j++) {
    const k = k0 + j;
    // y[k] = sum_n x[n] h[half + k*down - n*up], over n where the tap index is in [0, taps).
    const t = k * down + half; // tap index for n = 0
    let nMin = Math.ceil((t - (taps - 1)) / up);
    if (nMin < lo) nMin = lo;
    let nMax = Math.floor(t / up);
    if (nMax > hi) nMax = hi;
    let acc = 0;
    let ti = t - nMin * up;
    for (let n = nMin; n <= nMax; n++, ti -= up) acc += chunk[n - chunkStart] * h[ti];
    out[j] = acc;
  }
  return out;
}
