/**
 * Confident learning (Northcutt et al., JAIR 2021) exactly as cleanlab 2.x computes it:
 * `cleanlab.filter.find_label_issues(labels, pred_probs, filter_by="prune_by_noise_rate",
 * return_indices_ranked_by="normalized_margin")` with its defaults (frac_noise 1,
 * min_examples_per_class 1, calibrated confident joint). Written here because there is no
 * JavaScript port; every step names the cleanlab function it follows (count.py, filter.py,
 * rank.py, internal/util.py), including numpy's rounding (half to even) and argmax (first maximum).
 * test/fixtures/review/cleanlab_reference.py runs the same steps in numpy; the test compares them.
 */

/** cleanlab.internal.constants. */
const FLOATING_POINT_COMPARISON = 1e-6;
const CONFIDENT_THRESHOLDS_LOWER_BOUND = 2 * FLOATING_POINT_COMPARISON;
const TINY_VALUE = 1e-100;
/** get_confident_thresholds' threshold for a class nobody is labelled with. */
const BIG_VALUE = 2;

/** numpy's round(): half to even. */
export function roundHalfEven(x: number): number {
  const r = Math.round(x);
  return Math.abs(x % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

/** Indices sorted by `key` ascending, ties in index order (numpy's argsort on small or tie-free input). */
function argsort(n: number, key: (i: number) => number): number[] {
  return Array.from({ length: n }, (_, i) => i).sort((a, b) => key(a) - key(b) || a - b);
}

/** First index of the maximum (numpy argmax). */
function argmax(row: ArrayLike<number>): number {
  let best = 0;
  for (let j = 1; j < row.length; j++) if (row[j] > row[best]) best = j;
  return best;
}

/** util.round_preserving_sum: rounds a row so its integers sum to the row's rounded sum. */
export function roundPreservingSum(floats: number[]): number[] {
  const ints = floats.map(roundHalfEven);
  const origSum = roundHalfEven(floats.reduce((a, b) => a + b, 0));
  let intSum = roundHalfEven(ints.reduce((a, b) => a + b, 0));
  while (Math.abs(intSum - origSum) > FLOATING_POINT_COMPARISON) {
    const diff = roundHalfEven(origSum - intSum);
    const increment = diff < 0 ? -1 : 1;
    const changes = Math.min(Math.trunc(Math.abs(diff)), floats.length);
    // np.argsort(floats - ints)[::-increment]: largest remainders first when adding, smallest when removing.
    let order = argsort(floats.length, (i) => floats[i] - ints[i]);
    if (increment === 1) order = order.reverse();
    for (const i of order.slice(0, changes)) ints[i] += increment;
    intSum = roundHalfEven(ints.reduce((a, b) => a + b, 0));
  }
  return ints;
}

/** count.get_confident_thresholds: per class, the mean probability of it over the clips labelled with it. */
export function confidentThresholds(labels: Int32Array, probs: Float64Array[], K: number): number[] {
  const sum = new Float64Array(K);
  const count = new Float64Array(K);
  labels.forEach((y, i) => {
    sum[y] += probs[i][y];
    count[y]++;
  });
  return Array.from(sum, (s, k) =>
    Math.max(count[k] ? s / count[k] : BIG_VALUE, CONFIDENT_THRESHOLDS_LOWER_BOUND),
  );
}

/** count.calibrate_confident_joint: rows sum to the label counts, the whole to N, rounded by row. */
function calibrate(cj: number[][], labelCounts: number[]): number[][] {
  const rows = cj.map((row, i) => {
    const s = Math.max(
      row.reduce((a, b) => a + b, 0),
      TINY_VALUE,
    );
    return row.map((v) => (v / s) * labelCounts[i]);
  });
  const total = Math.max(
    rows.reduce((a, r) => a + r.reduce((x, y) => x + y, 0), 0),
    TINY_VALUE,
  );
  const n = labelCounts.reduce((a, b) => a + b, 0);
  return rows.map((r) => roundPreservingSum(r.map((v) => (v / total) * n)));
}

/**
 * count.compute_confident_joint (calibrated): cj[given][true], counting each clip whose probability
 * reaches some class's threshold, under the most probable of the classes it reaches.
 */
export function confidentJoint(labels: Int32Array, probs: Float64Array[], K: number): number[][] {
  const t = confidentThresholds(labels, probs, K);
  const cj = Array.from({ length: K }, () => new Array<number>(K).fill(0));
  labels.forEach((y, i) => {
    const p = probs[i];
    let confident = 0;
    let firstConfident = -1;
    for (let k = 0; k < K; k++) {
      if (p[k] >= t[k] - 1e-6) {
        confident++;
        if (firstConfident < 0) firstConfident = k;
      }
    }
    if (confident === 0) return;
    cj[y][confident > 1 ? argmax(p) : firstConfident]++;
  });
  for (let k = 0; k < K; k++) cj[k][k] = Math.max(cj[k][k], 1);
  const counts = new Array<number>(K).fill(0);
  for (const y of labels) counts[y]++;
  return calibrate(cj, counts);
}

/** filter._keep_at_least_n_per_class (n = 1, frac_noise = 1) on cj transposed: prune[true][given]. */
function pruneCounts(cj: number[][]): number[][] {
  const K = cj.length;
  const P = Array.from({ length: K }, (_, i) => Array.from({ length: K }, (_, j) => cj[j][i]));
  const m = P.map((r) => r.slice());
  for (let j = 0; j < K; j++) {
    const diag = P[j][j];
    const newDiag = Math.max(diag, 1);
    let nonzero = 0;
    for (let i = 0; i < K; i++) if (P[i][j] !== 0) nonzero++;
    const per = (newDiag - diag) / Math.max(nonzero - 1, 1);
    for (let i = 0; i < K; i++) m[i][j] = i === j ? newDiag : Math.max(P[i][j] - per, 0);
  }
  // _reduce_prune_counts with frac_noise 1 only truncates to integers (astype(int)).
  return m.map((r) => roundPreservingSum(r.map(Math.trunc)));
}

/** rank.get_normalized_margin_for_each_label: (p[given] - max other + 1) / 2. */
export function normalizedMargin(p: ArrayLike<number>, y: number): number {
  let other = -Infinity;
  for (let k = 0; k < p.length; k++) if (k !== y && p[k] > other) other = p[k];
  return (p[y] - other + 1) / 2;
}

/**
 * filter.find_label_issues(filter_by="prune_by_noise_rate", return_indices_ranked_by=
 * "normalized_margin"): the indices of the likely label errors, most likely first.
 */
export function findLabelIssues(labels: Int32Array, probs: Float64Array[], K: number): number[] {
  const prune = pruneCounts(confidentJoint(labels, probs, K));
  const byClass: number[][] = Array.from({ length: K }, () => []);
  labels.forEach((y, i) => byClass[y].push(i));
  const issue = new Uint8Array(labels.length);
  for (let k = 0; k < K; k++) {
    const members = byClass[k];
    if (members.length <= 1) continue; // min_examples_per_class
    for (let j = 0; j < K; j++) {
      const num = prune[j][k];
      if (j === k || num <= 0) continue;
      // _prune_by_count: the `num` clips of label k with the largest margin p[j] - p[k].
      const order = argsort(members.length, (a) => -(probs[members[a]][j] - probs[members[a]][k]));
      for (const a of order.slice(0, num)) issue[members[a]] = 1;
    }
  }
  // _reduce_issues: a clip whose given label is (within 1e-6) the most probable is never an issue.
  labels.forEach((y, i) => {
    const p = Float64Array.from(probs[i]);
    p[y] += FLOATING_POINT_COMPARISON;
    if (argmax(p) === y) issue[i] = 0;
  });
  const found = [...issue.keys()].filter((i) => issue[i]);
  const score = found.map((i) => normalizedMargin(probs[i], labels[i]));
  return argsort(found.length, (a) => score[a]).map((a) => found[a]);
}
