import { nearestNeighbours, type KnnOptions, type Neighbours } from './knn';

/** Neighbours within a label whose mean distance scores a clip. */
export const OUTLIER_K = 5;
/** Labels with fewer clips with embeddings are not judged for outliers. */
export const MIN_CLIPS_FOR_OUTLIERS = OUTLIER_K + 2;

/** A clip far from the other clips of its label. */
export interface Outlier {
  row: number;
  /** Mean cosine distance to its OUTLIER_K nearest clips of the same label. */
  distance: number;
  /** The median of that distance over the label's clips. */
  labelMedian: number;
  /** The label most of its nearest clips (any label) have, when that is not its own. */
  nearestLabel?: string;
  reason: string;
}

const quantile = (sorted: number[], q: number) => {
  const p = (sorted.length - 1) * q;
  const lo = Math.floor(p);
  return sorted[lo] + (sorted[Math.min(lo + 1, sorted.length - 1)] - sorted[lo]) * (p - lo);
};

/**
 * Per label, each clip's mean cosine distance to its OUTLIER_K nearest clips of that label; a clip
 * is an outlier when that distance is beyond Tukey's far fence of its label (Q3 + 3 IQR). `rows` are
 * the input rows that have embeddings (row i of `data`), `global` their neighbours over all labels
 * (for the reason). Returns the outliers, farthest (relative to their label's median) first, and
 * the labels too small to judge.
 */
export function findOutliers(
  data: Float32Array,
  d: number,
  rows: Int32Array,
  labels: (string | undefined)[],
  global: Neighbours | undefined,
  knn: KnnOptions = {},
): { outliers: Outlier[]; tooSmall: string[] } {
  const byLabel = new Map<string, number[]>();
  rows.forEach((r, i) => {
    const l = labels[r];
    if (l === undefined) return;
    const g = byLabel.get(l);
    if (g) g.push(i);
    else byLabel.set(l, [i]);
  });
  const outliers: Outlier[] = [];
  const tooSmall: string[] = [];
  for (const [label, members] of byLabel) {
    if (members.length < MIN_CLIPS_FOR_OUTLIERS) {
      tooSmall.push(label);
      continue;
    }
    // Exact within a label up to 2,000 clips (4 labels of 5,000 exactly were 6e9 multiply-adds).
    const nn = nearestNeighbours(data, d, Int32Array.from(members), OUTLIER_K, {
      ...knn,
      exactMax: Math.min(knn.exactMax ?? 2_000, 2_000),
    });
    const score = members.map((_, a) => {
      let s = 0;
      let n = 0;
      for (let j = 0; j < nn.k; j++) {
        const dist = nn.distance[a * nn.k + j];
        if (Number.isFinite(dist)) {
          s += dist;
          n++;
        }
      }
      return n ? s / n : 0;
    });
    const sorted = [...score].sort((x, y) => x - y);
    const median = quantile(sorted, 0.5);
    const q1 = quantile(sorted, 0.25);
    const q3 = quantile(sorted, 0.75);
    const fence = q3 + 3 * (q3 - q1);
    members.forEach((i, a) => {
      if (!(score[a] > fence) || score[a] <= 0) return;
      const near = global ? majorityLabel(global, i, rows, labels) : undefined;
      const times = median > 0 ? `${(score[a] / median).toFixed(1)}x` : 'far above';
      let reason =
        `mean distance to its ${nn.k} nearest '${label}' clips is ${score[a].toFixed(3)}, ` +
        `${times} the label's median (${median.toFixed(3)})`;
      if (near && near !== label) reason += `; most of its nearest clips are '${near}'`;
      outliers.push({
        row: rows[i],
        distance: score[a],
        labelMedian: median,
        nearestLabel: near !== label ? near : undefined,
        reason,
      });
    });
  }
  const ratio = (o: Outlier) => (o.labelMedian > 0 ? o.distance / o.labelMedian : Infinity);
  outliers.sort((a, b) => ratio(b) - ratio(a) || b.distance - a.distance);
  return { outliers, tooSmall };
}

/** The most common label among row i's global neighbours. */
function majorityLabel(
  nn: Neighbours,
  i: number,
  rows: Int32Array,
  labels: (string | undefined)[],
): string | undefined {
  const count = new Map<string, number>();
  for (let j = 0; j < nn.k; j++) {
    const b = nn.index[i * nn.k + j];
    const l = b >= 0 ? labels[rows[b]] : undefined;
    if (l !== undefined) count.set(l, (count.get(l) ?? 0) + 1);
  }
  let best: string | undefined;
  for (const [l, c] of count) if (best === undefined || c > count.get(best)!) best = l;
  return best;
}
