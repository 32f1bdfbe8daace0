import type { PackedCounts, RecordingCurve } from './curve';

/** One point of a threshold curve (JSON field names of issue 24). */
export interface CurvePoint {
  threshold: number;
  hits: number;
  falseAccepts: number;
  repeats: number;
  /** Words not hit / words; null without words. */
  frr: number | null;
  faPerHour: number;
}

/** The FRR at a false-accept rate, interpolated along the curve, with its Wilson 95 % interval. */
export interface OperatingPoint {
  faPerHour: number;
  frr: number | null;
  frrLow: number | null;
  frrHigh: number | null;
  /**
   * The threshold of the least-FRR point with FA/h at most `faPerHour` (the lowest of equal ones):
   * a setting that meets it; null when only "never fire" (above every score) does better.
   */
  threshold: number | null;
}

/** The false-accept rates the operating points are read at. */
export const OPERATING_FA_PER_HOUR = [0.1, 0.5, 1, 5];

/** z of a two-sided 95 % interval: the normal distribution's 0.975 quantile. */
const Z95 = 1.959963984540054;

/**
 * Wilson's score interval for a proportion p observed over n trials (E. B. Wilson, 1927):
 * (p + z²/2n ± z·sqrt(p(1-p)/n + z²/4n²)) / (1 + z²/n). p may be interpolated (not k/n exactly).
 */
export function wilson(p: number, n: number, z = Z95): [number, number] {
  const z2 = z * z;
  const d = 1 + z2 / n;
  const centre = (p + z2 / (2 * n)) / d;
  const half = (z * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n))) / d;
  return [Math.max(0, centre - half), Math.min(1, centre + half)];
}

/** A curve over all recordings: overall, or one keyword's (`keyword` its index in the packed counts). */
export function curvePoints(
  recordings: RecordingCurve[],
  words: number,
  hours: number,
  keyword?: number,
): CurvePoint[] {
  const pick = (c: PackedCounts): [number, number, number] => {
    let h = 0;
    let f = 0;
    let r = 0;
    for (let k = 0; k < c.length; k += 3) {
      if (keyword !== undefined && k !== 3 * keyword) continue;
      h += c[k];
      f += c[k + 1];
      r += c[k + 2];
    }
    return [h, f, r];
  };
  const totals = [0, 0, 0];
  for (const rc of recordings) pick(rc.initial).forEach((v, k) => (totals[k] += v));
  const events = recordings.flatMap((rc) => rc.changes).sort((a, b) => a.threshold - b.threshold);
  const points: CurvePoint[] = [];
  for (let e = 0; e < events.length;) {
    const threshold = events[e].threshold;
    const delta = [0, 0, 0];
    for (; e < events.length && events[e].threshold === threshold; e++)
      pick(events[e].delta).forEach((v, k) => (delta[k] += v));
    if (delta.every((v) => v === 0)) continue;
    points.push(point(threshold, totals, words, hours));
    delta.forEach((v, k) => (totals[k] += v));
  }
  return points;
}

function point(threshold: number, [hits, fa, repeats]: number[], words: number, hours: number): CurvePoint {
  return {
    threshold,
    hits,
    falseAccepts: fa,
    repeats,
    frr: words ? (words - hits) / words : null,
    faPerHour: fa / hours,
  };
}

/**
 * The counts at given thresholds: those of the first curve point at or above each threshold (a
 * point's counts hold from the previous point's threshold, exclusive, to its own, inclusive); above
 * the last point nothing is detected.
 */
export function pointsAt(
  curve: CurvePoint[],
  thresholds: number[],
  words: number,
  hours: number,
): CurvePoint[] {
  return thresholds.map((t) => {
    const p = curve.find((q) => q.threshold >= t);
    return p ? { ...p, threshold: t } : point(t, [0, 0, 0], words, hours);
  });
}

/**
 * FRR at each target FA/h x, read off the curve's lower envelope E(f) = the least FRR of any point
 * whose FA/h is at most f (a curve with suppression need not be monotone: raising the threshold can
 * add a detection that a removed one suppressed). The curve ends at "never fire" (FA/h 0, FRR 1).
 * E(x) comes from point b; when a point a with FA/h above x has a lower FRR (the envelope's next
 * corner: the least such FA/h), the FRR is interpolated linearly in FA/h between b and a. The
 * threshold is b's (the lowest of equal ones). Wilson 95 % interval over the words.
 */
export function operatingPoints(
  curve: CurvePoint[],
  words: number,
  targets: number[] = OPERATING_FA_PER_HOUR,
): OperatingPoint[] {
  if (!words)
    return targets.map((x) => ({ faPerHour: x, frr: null, frrLow: null, frrHigh: null, threshold: null }));
  const ends = [...curve.map((p) => ({ ...p, frr: p.frr! })), { threshold: null, faPerHour: 0, frr: 1 }];
  return targets.map((x) => {
    let b = ends[ends.length - 1];
    for (const p of ends) if (p.faPerHour <= x && p.frr < b.frr) b = p;
    let a: (typeof ends)[number] | undefined;
    for (const p of ends) {
      if (p.faPerHour <= x || p.frr >= b.frr) continue;
      if (!a || p.faPerHour < a.faPerHour || (p.faPerHour === a.faPerHour && p.frr < a.frr)) a = p;
    }
    const frr = a ? b.frr + ((a.frr - b.frr) * (x - b.faPerHour)) / (a.faPerHour - b.faPerHour) : b.frr;
    const [lo, hi] = wilson(frr, words);
    return { faPerHour: x, frr, frrLow: lo, frrHigh: hi, threshold: b.threshold };
  });
}
