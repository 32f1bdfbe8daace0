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

const filterCache = new Map<string, { h: Float64Array; half: number }>();

/** The prototype lowpass filter for up/down (cached per pair). */
function designFilter(up: number, down: number): { h: Float64Array; half: number } {
  const key = `${up}/${down}`;
  const cached = filterCache.get(key);
  if (cached) return cached;
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
  return entry;
}

/** The reduced up/down factors for a rate change. */
export function resampleFactors(fromRate: number, toRate: number): { up: number; down: number } {
  if (!Number.isInteger(fromRate) || !Number.isInteger(toRate) || fromRate <= 0 || toRate <= 0) {
    throw new Error(`resample: rates must be positive integers (${fromRate} -> ${toRate} Hz)`);
  }
  const g = gcd(fromRate, toRate);
  return { up: toRate / g, down: fromRate / g };
}

/** Resamples `input` from `fromRate` to `toRate` Hz; returns `input` itself when the rates match. */
export function resample(input: Float32Array, fromRate: number, toRate: number): Float32Array {
  if (fromRate === toRate) return input;
  const { up, down } = resampleFactors(fromRate, toRate);
  const { h, half } = designFilter(up, down);
  const nIn = input.length;
  const nOut = Math.ceil((nIn * up) / down);
  const out = new Float32Array(nOut);
  const taps = h.length;
  for (let k = 0; k < nOut; k++) {
    // y[k] = sum_n x[n] h[half + k*down - n*up], over n where the tap index is in [0, taps).
    const t = k * down + half; // tap index for n = 0
    let nMin = Math.ceil((t - (taps - 1)) / up);
    if (nMin < 0) nMin = 0;
    let nMax = Math.floor(t / up);
    if (nMax > nIn - 1) nMax = nIn - 1;
    let acc = 0;
    let ti = t - nMin * up;
    for (let n = nMin; n <= nMax; n++, ti -= up) acc += input[n] * h[ti];
    out[k] = acc;
  }
  return out;
}
