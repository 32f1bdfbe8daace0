/**
 * The evaluation page's pure part: the DET plot's log FA/h axis, each curve's points in pixels, the
 * point nearest the pointer, and the event lists' order. No DOM here (unit-tested in Node).
 */
import type { CurveView, DetPointView, EventView } from '../../src/protocol/evaluation';

/** A log10 axis over whole decades: its ends and a tick at each decade. */
export interface LogAxis {
  lo: number;
  hi: number;
  ticks: number[];
}

/**
 * The FA/h axis covering every positive rate in `values`, widened to whole decades (at least one).
 * Zero rates have no place on a log axis: they are drawn at its left end (`lo`). Without any positive
 * value the axis is 0.01–1 FA/h.
 */
export function logAxis(values: number[]): LogAxis {
  const pos = values.filter((v) => v > 0 && Number.isFinite(v));
  let a = pos.length ? Math.floor(Math.log10(Math.min(...pos))) : -2;
  let b = pos.length ? Math.ceil(Math.log10(Math.max(...pos))) : 0;
  if (b <= a) b = a + 1;
  // A zero rate needs room left of the smallest positive one.
  if (values.some((v) => v === 0) && pos.length && Math.log10(Math.min(...pos)) - a < 0.25) a -= 1;
  const ticks: number[] = [];
  for (let e = a; e <= b; e++) ticks.push(10 ** e);
  return { lo: 10 ** a, hi: 10 ** b, ticks };
}

/** Where `v` lies across the axis, 0 (lo) to 1 (hi); values at or below lo (zero too) give 0. */
export function logFraction(axis: LogAxis, v: number): number {
  if (!(v > axis.lo)) return 0;
  const f = (Math.log10(v) - Math.log10(axis.lo)) / (Math.log10(axis.hi) - Math.log10(axis.lo));
  return Math.min(1, f);
}

/** The plot's rectangle in CSS pixels. */
export interface PlotBox {
  left: number;
  top: number;
  width: number;
  height: number;
}

/** One curve point placed in the plot. */
export interface PlacedPoint {
  x: number;
  y: number;
  point: DetPointView;
}

/**
 * A curve's points as a DET curve is drawn: its lower envelope, the best FRR reached at each false-
 * accept rate or below. The curve is parametric in the threshold, and with suppression a lower
 * threshold can fire earlier and so miss a word it hit at a higher one, so the raw points need not be
 * monotonic; a system can always run at the better threshold, so the drawn line keeps, by rising
 * FA/h, only the points whose FRR is below every point's at a lower or equal FA/h (ties: the higher
 * threshold). The operating-point table keeps the exact points. FRR on a linear axis from 0 (bottom)
 * to 1 (top). Points without an FRR (no words) are left out.
 */
export function placeCurve(points: DetPointView[], axis: LogAxis, box: PlotBox): PlacedPoint[] {
  const sorted = points
    .filter((p): p is DetPointView & { frr: number } => p.frr !== null)
    .sort((a, b) => a.faPerHour - b.faPerHour || a.frr - b.frr || b.threshold - a.threshold);
  const envelope: (DetPointView & { frr: number })[] = [];
  for (const p of sorted) if (!envelope.length || p.frr < envelope[envelope.length - 1].frr) envelope.push(p);
  return envelope.map((p) => ({
    x: box.left + logFraction(axis, p.faPerHour) * box.width,
    y: box.top + (1 - p.frr) * box.height,
    point: p,
  }));
}

/**
 * The envelope drawn as the step function it is: from each point right at its FRR until the next
 * point's FA/h, down to that point's FRR, and on to `endX` (the curve's highest FA/h), the best FRR
 * staying that of the last point.
 */
export function envelopePath(placed: PlacedPoint[], endX: number): { x: number; y: number }[] {
  const out: { x: number; y: number }[] = [];
  placed.forEach((p, k) => {
    if (k > 0) out.push({ x: p.x, y: placed[k - 1].y });
    out.push({ x: p.x, y: p.y });
  });
  if (placed.length)
    out.push({ x: Math.max(endX, placed[placed.length - 1].x), y: placed[placed.length - 1].y });
  return out;
}

/** The point nearest (x, y) over all curves, within `maxDist` pixels: its curve's index and the point. */
export function nearestPoint(
  curves: PlacedPoint[][],
  x: number,
  y: number,
  maxDist: number,
): { curve: number; at: PlacedPoint } | undefined {
  let best: { curve: number; at: PlacedPoint } | undefined;
  let bestD = maxDist * maxDist;
  curves.forEach((pts, curve) => {
    for (const at of pts) {
      const d = (at.x - x) ** 2 + (at.y - y) ** 2;
      if (d <= bestD) {
        bestD = d;
        best = { curve, at };
      }
    }
  });
  return best;
}

/** Every FA/h value of the curves (for the axis). */
export function ratesOf(curves: CurveView[]): number[] {
  return curves.flatMap((c) => c.points.map((p) => p.faPerHour));
}

/** An FA/h figure as a tick label: 0.01, 0.1, 1, 10, 100, 1k. */
export function rateLabel(v: number): string {
  if (v >= 1000) return `${v / 1000}k`;
  return v >= 1 ? String(Math.round(v)) : String(Number(v.toPrecision(1)));
}

/** Events by recording, then time. */
export function sortEvents(events: EventView[]): EventView[] {
  return [...events].sort((a, b) => a.rel.localeCompare(b.rel) || a.timeSec - b.timeSec);
}

/** A time in a recording as m:ss.s. */
export function fmtTime(sec: number): string {
  const m = Math.floor(sec / 60);
  const s = sec - 60 * m;
  return `${m}:${s.toFixed(1).padStart(4, '0')}`;
}
