import { findLabelIssues, normalizedMargin } from './confidentLearning';

/** Classes with fewer clips than this are judged by self-confidence, not by confident learning. */
export const MIN_CLASS_FOR_CONFIDENT_LEARNING = 5;

/** A clip whose label is likely wrong. */
export interface Suspect {
  /** Row of the clip in the input. */
  row: number;
  /** The model's label it is scored under (the folder name, or `_unknown_`). */
  given: number;
  /** The model's most probable other label. */
  suggested: number;
  /**
   * Label quality, lower is more suspect: cleanlab's normalized margin (p[given] - max other + 1) / 2
   * for confident learning, p[given] for the self-confidence fallback.
   */
  score: number;
  method: 'confident-learning' | 'self-confidence';
}

/**
 * Likely mislabelled clips, most suspect first: confident learning (cleanlab's find_label_issues,
 * prune by noise rate, ranked by normalized margin) for classes with at least
 * MIN_CLASS_FOR_CONFIDENT_LEARNING clips, whose per-class thresholds are means over too few clips
 * below that; clips of smaller classes are suspects when the model prefers another label
 * (cleanlab's predicted_neq_given), scored by self-confidence. `labels[i]` indexes the model's K labels.
 */
export function findSuspects(labels: Int32Array, probs: Float64Array[], K: number): Suspect[] {
  const counts = new Array<number>(K).fill(0);
  for (const y of labels) counts[y]++;
  const tiny = (y: number) => counts[y] < MIN_CLASS_FOR_CONFIDENT_LEARNING;
  const out: Suspect[] = [];
  for (const row of findLabelIssues(labels, probs, K)) {
    const y = labels[row];
    if (tiny(y)) continue;
    const p = probs[row];
    out.push({
      row,
      given: y,
      suggested: bestOther(p, y),
      score: normalizedMargin(p, y),
      method: 'confident-learning',
    });
  }
  labels.forEach((y, row) => {
    if (!tiny(y)) return;
    const p = probs[row];
    const other = bestOther(p, y);
    if (p[other] > p[y])
      out.push({ row, given: y, suggested: other, score: p[y], method: 'self-confidence' });
  });
  // Stable: confident learning's own order is kept among equal scores.
  return out.sort((a, b) => a.score - b.score);
}

/** The most probable label other than `y` (first on ties, as numpy's argmax). */
function bestOther(p: ArrayLike<number>, y: number): number {
  let best = -1;
  for (let k = 0; k < p.length; k++) if (k !== y && (best < 0 || p[k] > p[best])) best = k;
  return best;
}
