/**
 * The evaluation rules of `wavebench evaluate` over one long recording (issue 24, README
 * "Evaluating on long recordings"), written exactly as documented:
 * - window i covers [i*stride, i*stride + clip); its time t_i is its end, in whole ms; only windows
 *   that fit whole in the recording;
 * - the smoothed score of a label at t_i is the mean of its probability over the windows whose end
 *   lies in (t_i - average, t_i];
 * - a detection at t_i: the best smoothed keyword label (every label but _silence_ and _unknown_)
 *   if its score >= threshold and t_i - t_last >= suppression (t_last: the previous detection);
 * - a detection (L, t) hits the first not-yet-hit word of label L whose [start, end + tolerance]
 *   contains t; if only already-hit words of L contain t it is a repeat; otherwise a false accept.
 */

/** Labels that are never detections. */
export const NON_KEYWORDS: readonly string[] = ['_silence_', '_unknown_'];

/** The settings of an evaluation, in ms. */
export interface StreamRules {
  windowStrideMs: number;
  averageMs: number;
  suppressionMs: number;
  toleranceMs: number;
}

/** The defaults of `wavebench evaluate`. */
export const DEFAULT_STREAM_RULES: StreamRules = {
  windowStrideMs: 100,
  averageMs: 1000,
  suppressionMs: 1500,
  toleranceMs: 1000,
};

/** The window grid of a recording of `n` samples at `rate` for a model window of `window` samples. */
export interface WindowGrid {
  /** Windows that fit whole: 0 when the recording is shorter than one window. */
  count: number;
  /** Hop in samples (the stride in ms rounded to whole samples, as classify does). */
  strideSamples: number;
  window: number;
  rate: number;
}

/** The grid of whole windows over `n` samples. */
export function windowGrid(n: number, window: number, rate: number, strideMs: number): WindowGrid {
  const strideSamples = Math.max(1, Math.round((strideMs * rate) / 1000));
  const count = n < window ? 0 : Math.floor((n - window) / strideSamples) + 1;
  return { count, strideSamples, window, rate };
}

/** t_i: the end of window i in whole milliseconds. */
export function windowEndMs(g: WindowGrid, i: number): number {
  return Math.round(((i * g.strideSamples + g.window) * 1000) / g.rate);
}

/** The first window whose end lies after `t - averageMs`: the oldest one averaged at t_i. */
export function firstAveraged(g: WindowGrid, i: number, averageMs: number): number {
  const from = windowEndMs(g, i) - averageMs;
  let j = i;
  while (j > 0 && windowEndMs(g, j - 1) > from) j--;
  return j;
}

/**
 * Per-window best smoothed keyword of a recording: `label[i]` an index into the model's labels,
 * `score[i]` its smoothed score, `endMs[i]` = t_i.
 */
export interface KeywordTrack {
  endMs: Float64Array;
  label: Uint16Array;
  score: Float64Array;
}

/**
 * Smooths window probabilities as they arrive, keeping only the windows still inside the average:
 * memory is bounded by (average / stride) windows whatever the recording's length.
 */
export class Smoother {
  private readonly recent: { endMs: number; p: ArrayLike<number> }[] = [];
  private readonly keywords: number[];
  private readonly sums: Float64Array;

  constructor(
    labels: readonly string[],
    private readonly averageMs: number,
  ) {
    this.keywords = labels.map((_, k) => k).filter((k) => !NON_KEYWORDS.includes(labels[k]));
    if (!this.keywords.length) throw new Error('the model has no keyword labels (only _silence_/_unknown_)');
    this.sums = new Float64Array(labels.length);
  }

  /** The next window (in time order): its best smoothed keyword label and score. */
  push(endMs: number, p: ArrayLike<number>): { label: number; score: number } {
    this.recent.push({ endMs, p });
    while (this.recent[0].endMs <= endMs - this.averageMs) this.recent.shift();
    // The mean summed oldest first in float64 each time, not a running sum: the documented mean,
    // with no drift over hours of windows.
    let best = -1;
    let bestScore = -Infinity;
    for (const k of this.keywords) {
      let s = 0;
      for (const w of this.recent) s += w.p[k];
      this.sums[k] = s / this.recent.length;
      if (this.sums[k] > bestScore) {
        bestScore = this.sums[k];
        best = k;
      }
    }
    return { label: best, score: bestScore };
  }
}

/** Window indices detected at `threshold`: score >= threshold and >= suppression after the last one. */
export function detect(track: KeywordTrack, threshold: number, suppressionMs: number): number[] {
  const out: number[] = [];
  let last = -Infinity;
  for (let i = 0; i < track.score.length; i++) {
    if (track.score[i] >= threshold && track.endMs[i] - last >= suppressionMs) {
      out.push(i);
      last = track.endMs[i];
    }
  }
  return out;
}

/** A ground-truth word, times in whole ms; `line` is where it was read. */
export interface Word {
  label: string;
  startMs: number;
  endMs: number;
  line?: number;
}

/** What one detection was. */
export type Outcome = 'hit' | 'repeat' | 'falseAccept';

/**
 * The words of one recording grouped for matching. Words of a label whose extended intervals
 * [start, end + tolerance] overlap (transitively) form a cluster; a detection can only touch the
 * words of the one cluster its time falls in, so matching is decided cluster by cluster (the
 * threshold curve re-matches only the clusters a change touches).
 */
export class TruthIndex {
  /** Words sorted by start, then end, then line: "the first not-yet-hit word" is the first in this order. */
  readonly words: Word[];
  /** Per cluster: its label, span and word indices (into `words`, in order). */
  readonly clusters: { label: string; fromMs: number; toMs: number; words: number[] }[] = [];
  /** Per label: its clusters' indices, by start. */
  private readonly byLabel = new Map<string, number[]>();

  constructor(
    words: Word[],
    readonly toleranceMs: number,
  ) {
    this.words = [...words].sort(
      (a, b) => a.startMs - b.startMs || a.endMs - b.endMs || (a.line ?? 0) - (b.line ?? 0),
    );
    this.words.forEach((w, i) => {
      const list = this.byLabel.get(w.label) ?? [];
      this.byLabel.set(w.label, list);
      const last = list.length ? this.clusters[list[list.length - 1]] : undefined;
      if (last && w.startMs <= last.toMs) {
        last.words.push(i);
        last.toMs = Math.max(last.toMs, w.endMs + toleranceMs);
      } else {
        list.push(this.clusters.length);
        this.clusters.push({ label: w.label, fromMs: w.startMs, toMs: w.endMs + toleranceMs, words: [i] });
      }
    });
  }

  /** The cluster of `label` whose span holds `timeMs`, or -1 (a false accept whatever else happens). */
  clusterOf(label: string, timeMs: number): number {
    const list = this.byLabel.get(label);
    if (!list) return -1;
    let lo = 0;
    let hi = list.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const c = this.clusters[list[mid]];
      if (timeMs < c.fromMs) hi = mid - 1;
      else if (timeMs > c.toMs) lo = mid + 1;
      else return list[mid];
    }
    return -1;
  }

  /**
   * Matches a cluster's detections (times, ascending): per detection, the index (into `words`) of
   * the first not-yet-hit word whose [start, end + tolerance] holds it, or -1 when only hit words
   * hold it (a repeat). A span is a union of overlapping intervals, so some word always holds a
   * time inside it; -2 (a false accept) is there for completeness.
   */
  matchCluster(c: number, timesMs: number[]): number[] {
    const ws = this.clusters[c].words;
    const hit = new Set<number>();
    return timesMs.map((t) => {
      let repeat = false;
      for (const w of ws) {
        const x = this.words[w];
        if (t < x.startMs || t > x.endMs + this.toleranceMs) continue;
        if (!hit.has(w)) {
          hit.add(w);
          return w;
        }
        repeat = true;
      }
      return repeat ? -1 : -2;
    });
  }
}

/** The outcome of each detection (time order) of one recording, and which words were hit. */
export function matchDetections(
  detections: { label: string; timeMs: number }[],
  truth: TruthIndex,
): { outcomes: Outcome[]; wordHit: boolean[] } {
  const outcomes: Outcome[] = detections.map(() => 'falseAccept');
  const wordHit = truth.words.map(() => false);
  const perCluster = new Map<number, number[]>();
  detections.forEach((d, i) => {
    const c = truth.clusterOf(d.label, d.timeMs);
    if (c >= 0) perCluster.set(c, [...(perCluster.get(c) ?? []), i]);
  });
  for (const [c, dets] of perCluster) {
    truth
      .matchCluster(
        c,
        dets.map((i) => detections[i].timeMs),
      )
      .forEach((w, j) => {
        if (w >= 0) wordHit[w] = true;
        outcomes[dets[j]] = w >= 0 ? 'hit' : w === -1 ? 'repeat' : 'falseAccept';
      });
  }
  return { outcomes, wordHit };
}

/** A detection of a recording at one threshold and what it was. */
export interface ScoredDetection {
  label: string;
  timeMs: number;
  score: number;
  outcome: Outcome;
}

/**
 * One recording at one threshold, by the rules above: its detections with their outcomes, and
 * which words (in `truth.words` order) were hit. What `evaluate` lists and what the editor colours.
 */
export function detectionsAt(
  track: KeywordTrack,
  labels: readonly string[],
  truth: TruthIndex,
  suppressionMs: number,
  threshold: number,
): { detections: ScoredDetection[]; wordHit: boolean[] } {
  const dets = detect(track, threshold, suppressionMs).map((i) => ({
    label: labels[track.label[i]],
    timeMs: track.endMs[i],
    score: track.score[i],
  }));
  const { outcomes, wordHit } = matchDetections(dets, truth);
  return { detections: dets.map((d, i) => ({ ...d, outcome: outcomes[i] })), wordHit };
}
