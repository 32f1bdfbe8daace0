/**
 * The editor view's arithmetic, without the DOM: the visible time range, x <-> time on a plot with
 * a left axis, y <-> spectrogram bin on a linear or mel scale, zoom, and the plots' geometry (time
 * ticks, column -> frame, row -> bin, dB colour range). Unit-tested in Node.
 */

/** Width of the left axis (labels) and height of the bottom axis (time), in CSS pixels. */
export const AXIS_L = 48;
export const AXIS_B = 16;

/** A visible range in seconds; null means the whole file. */
export type View = [number, number] | null;

/** Shortest range a zoom may show, in seconds. */
export const MIN_SPAN_SEC = 0.02;

/** The range shown: `view` clamped to [0, duration], or the whole file. */
export function viewRange(view: View, duration: number): [number, number] {
  if (!view || !(view[1] > view[0])) return [0, duration];
  return [Math.max(0, view[0]), Math.min(duration, view[1])];
}

/** The view for [a, b): at least MIN_SPAN_SEC, inside the file, null when it covers it all. */
export function clampView(a: number, b: number, duration: number): View {
  const span = Math.max(MIN_SPAN_SEC, Math.min(duration, b - a));
  if (span >= duration) return null;
  const s = Math.max(0, Math.min(duration - span, a));
  return [s, s + span];
}

/** The view after zooming by `factor` (< 1 in, > 1 out) around time `t`, keeping `t` where it is. */
export function zoomAround(view: View, duration: number, t: number, factor: number): View {
  const [a, b] = viewRange(view, duration);
  return clampView(t - (t - a) * factor, t + (b - t) * factor, duration);
}

/** The x of time `t` on a plot `w` wide whose first `left` pixels are the axis. */
export function xOfTime(t: number, range: [number, number], w: number, left: number): number {
  const [a, b] = range;
  return left + ((t - a) / (b - a || 1)) * (w - left);
}

/** The time at x (inverse of xOfTime). */
export function timeOfX(x: number, range: [number, number], w: number, left: number): number {
  const [a, b] = range;
  return a + ((x - left) / (w - left)) * (b - a);
}

/** Mel of a frequency (HTK: 1127 ln(1 + f / 700), the formula TensorFlow's mel filterbank uses). */
export const melOf = (hz: number) => 1127 * Math.log1p(hz / 700);

/** The (fractional) spectrogram bin drawn at row y of a plot h rows high, on a linear or mel scale. */
export function binPosAtY(y: number, h: number, maxHz: number, bins: number, mel: boolean): number {
  const frac = 1 - y / h;
  const hz = mel ? 700 * Math.expm1((frac * melOf(maxHz)) / 1127) : frac * maxHz;
  return Math.min(bins - 1, Math.max(0, (hz / maxHz) * (bins - 1)));
}

/** The row of frequency `hz` on a plot h rows high (0 at the top = maxHz). */
export function yOfHz(hz: number, h: number, maxHz: number, mel: boolean): number {
  const frac = mel ? melOf(hz) / melOf(maxHz) : hz / maxHz;
  return h - frac * h;
}

// ---- plot geometry and formats ----

export const fmtDb = (x: number) => (Number.isFinite(x) ? `${x.toFixed(1)} dBFS` : '-inf dBFS');
export const fmtTime = (s: number) =>
  s >= 60 ? `${Math.floor(s / 60)}:${(s % 60).toFixed(2).padStart(5, '0')}` : `${s.toFixed(3)} s`;

const TICK_STEPS = [
  0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1, 2, 5, 10, 30, 60, 120, 300, 600, 1800,
];

/** Time-axis ticks for [t0, t1] on a plot `w` wide: the smallest step leaving >= 70 px per tick. */
export function timeTicks(
  t0: number,
  t1: number,
  w: number,
): { step: number; ticks: { t: number; x: number; text: string }[] } {
  const span = t1 - t0;
  const step = TICK_STEPS.find((s) => span / s <= (w - AXIS_L) / 70) ?? 3600;
  const ticks = [];
  for (let t = Math.ceil(t0 / step) * step; t <= t1; t += step) {
    const x = AXIS_L + ((t - t0) / span) * (w - AXIS_L);
    ticks.push({ t, x, text: step < 1 ? `${+t.toFixed(3)}s` : fmtTime(t).replace('.000 s', ' s') });
  }
  return { step, ticks };
}

/** For each of `plotW` columns showing [a, b], the frame whose time is nearest the column's centre. */
export function framesForColumns(
  times: Float32Array,
  frames: number,
  plotW: number,
  range: [number, number],
) {
  const [a, b] = range;
  const out = new Int32Array(plotW);
  let f = 0;
  for (let x = 0; x < plotW; x++) {
    const t = a + ((x + 0.5) / plotW) * (b - a);
    while (f + 1 < frames && Math.abs(times[f + 1] - t) <= Math.abs(times[f] - t)) f++;
    out[x] = f;
  }
  return out;
}

/** The frame whose time is nearest `t` (first one on ties). */
export function nearestFrame(times: Float32Array, frames: number, t: number): number {
  let f = 0;
  for (let i = 1; i < frames; i++) if (Math.abs(times[i] - t) < Math.abs(times[f] - t)) f = i;
  return f;
}

/**
 * For each of `plotH` rows, the lower of the two bins it interpolates between and the weight of the
 * upper one (nearest-bin rows stripe when the plot has more rows than bins, or a non-integer ratio).
 */
export function rowsToBins(plotH: number, maxHz: number, bins: number, mel: boolean) {
  const lo = new Int32Array(plotH);
  const t = new Float32Array(plotH);
  for (let y = 0; y < plotH; y++) {
    const pos = binPosAtY(y + 0.5, plotH, maxHz, bins, mel);
    lo[y] = Math.min(bins - 2, Math.floor(pos));
    t[y] = pos - lo[y];
  }
  return { lo, t };
}

/** The colour range of a spectrogram: its maximum, and the floor `dbFloor` below it (>= 1 dB span). */
export function dbRange(db: Float32Array, dbFloor: number): { maxDb: number; floorDb: number } {
  let maxDb = -Infinity;
  for (const d of db) if (d > maxDb) maxDb = d;
  return { maxDb, floorDb: Math.min(maxDb - 1, maxDb + dbFloor) };
}

/** Colormap index 0..255 of `v` on [lo, hi], clamped. */
export function colourIndex(v: number, lo: number, hi: number): number {
  const k = Math.round(((v - lo) / (hi - lo)) * 255);
  return k < 0 ? 0 : k > 255 ? 255 : k;
}
