/**
 * The "probabilities over time" panel without the DOM: which text labels fit (thinned with the
 * zoom so that none overlap), each label's line decimated to the plot's columns, the detections
 * and words coloured by `wavebench evaluate`'s own rules (src/model/streaming/rules.ts) at the
 * page's threshold, and which mark a click lands on. Unit-tested in Node.
 */
import {
  detectionsAt,
  TruthIndex,
  type Outcome,
  type ScoredDetection,
} from '../../src/model/streaming/rules';
import type { TruthView } from '../../src/protocol/editor';

/** A text label that would be drawn from `x` for `width` pixels; higher `priority` is kept first. */
export interface LabelBox {
  x: number;
  width: number;
  priority: number;
}

/**
 * The labels to draw: by priority (then left to right), each kept when it leaves at least `gap`
 * pixels to every label kept before it; so no two kept labels overlap, whatever the zoom.
 * Returns the kept indices in ascending x.
 */
export function thinLabels(boxes: readonly LabelBox[], gap = 4): number[] {
  const order = boxes
    .map((_, i) => i)
    .sort((a, b) => boxes[b].priority - boxes[a].priority || boxes[a].x - boxes[b].x);
  // Kept intervals [from, to) sorted by `from`: disjoint, so a binary search finds the neighbours.
  const kept: { from: number; to: number; i: number }[] = [];
  for (const i of order) {
    const from = boxes[i].x;
    const to = boxes[i].x + boxes[i].width + gap;
    let lo = 0;
    let hi = kept.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (kept[mid].from < from) lo = mid + 1;
      else hi = mid;
    }
    const before = kept[lo - 1];
    const after = kept[lo];
    if ((before && before.to > from) || (after && after.from < to)) continue;
    kept.splice(lo, 0, { from, to, i });
  }
  return kept.map((k) => k.i);
}

/**
 * Per plot column (x0 + 0.5 .. x0 + columns - 0.5 over [a, b]) the highest value of the points whose
 * time falls in it, NaN where none does: a line drawn through these keeps every peak (a detection is
 * a peak) at any zoom, with at most one point a column.
 */
export function columnPeaks(
  times: ArrayLike<number>,
  values: ArrayLike<number>,
  range: [number, number],
  columns: number,
): Float64Array {
  const out = new Float64Array(columns).fill(NaN);
  const [a, b] = range;
  const span = b - a || 1;
  for (let i = 0; i < times.length; i++) {
    const c = Math.floor(((times[i] - a) / span) * columns);
    if (c < 0 || c >= columns) continue;
    if (!(out[c] >= values[i])) out[c] = values[i];
  }
  return out;
}

/** What the panel shows against a label file at one threshold. */
export interface TruthOutcomes {
  threshold: number;
  /** The best keyword's smoothed score at each window's end (what the threshold applies to). */
  track: { endMs: Float64Array; score: Float64Array };
  detections: ScoredDetection[];
  /** The words (TruthIndex order: by start) and whether each was hit. */
  words: { label: string; startMs: number; endMs: number; line: number; hit: boolean }[];
  counts: { words: number; hits: number; misses: number; falseAccepts: number; repeats: number };
}

/** A label file's detections and words at `threshold`, by evaluate's rules (detect, then match). */
export function truthOutcomes(truth: TruthView, labels: readonly string[], threshold: number): TruthOutcomes {
  const index = new TruthIndex(truth.words, truth.rules.toleranceMs);
  const track = {
    endMs: new Float64Array(truth.endMs),
    label: new Uint16Array(truth.label),
    score: new Float64Array(truth.score),
  };
  const { detections, wordHit } = detectionsAt(track, labels, index, truth.rules.suppressionMs, threshold);
  const count = (o: Outcome) => detections.filter((d) => d.outcome === o).length;
  const words = index.words.map((w, i) => ({
    label: w.label,
    startMs: w.startMs,
    endMs: w.endMs,
    line: w.line ?? 0,
    hit: wordHit[i],
  }));
  const hits = wordHit.filter(Boolean).length;
  return {
    threshold,
    track,
    detections,
    words,
    counts: {
      words: words.length,
      hits,
      misses: words.length - hits,
      falseAccepts: count('falseAccept'),
      repeats: count('repeat'),
    },
  };
}

/** A clickable mark as drawn: its box in CSS pixels and the time it stands for. */
export interface Mark {
  x1: number;
  x2: number;
  y1: number;
  y2: number;
  timeSec: number;
}

/** The mark under (x, y), widened by `slop` pixels each side (the nearest in x when several are), or undefined. */
export function markAt(marks: readonly Mark[], x: number, y: number, slop = 3): Mark | undefined {
  let best: Mark | undefined;
  let bestD = Infinity;
  for (const m of marks) {
    if (y < m.y1 || y > m.y2 || x < m.x1 - slop || x > m.x2 + slop) continue;
    const d = x < m.x1 ? m.x1 - x : x > m.x2 ? x - m.x2 : 0;
    if (d < bestD) {
      bestD = d;
      best = m;
    }
  }
  return best;
}

/** Where clicking a mark plays from: one second before it (not before the start). */
export const playFrom = (timeSec: number): number => Math.max(0, timeSec - 1);

/** The view to show `t` in: the current span (10 s from the whole file) centred on it. */
export function viewAround(
  t: number,
  current: [number, number],
  whole: boolean,
  duration: number,
): [number, number] {
  const span = whole ? Math.min(duration, 10) : current[1] - current[0];
  return [t - span / 2, t + span / 2];
}
