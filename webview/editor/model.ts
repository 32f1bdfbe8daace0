/**
 * The editor view's arithmetic, without the DOM: the visible time range, x <-> time on a plot with
 * a left axis, y <-> spectrogram bin on a linear or mel scale, and zoom. Unit-tested in Node.
 */

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
