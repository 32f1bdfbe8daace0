import { NEAR_DUPLICATE_FACTOR } from './duplicates';
import type { Neighbours } from './knn';

/**
 * The review's second near-copy check: two clips' feature matrices ([frames][bins], row-major, the
 * model's front end with its energy coefficient removed, so a gain change moves nothing) compared at
 * the best of -MAX_SHIFT_FRAMES..MAX_SHIFT_FRAMES frame offsets. bench/review/nearcopy.mjs measured
 * it on copies at gain 0.8 shifted 10 ms: 12/12 found where the embedding's cosine found 6/12.
 */
export const MAX_SHIFT_FRAMES = 3;

/** A feature matrix's values: float32, or int16 with one scale a matrix (a cosine ignores the scale). */
export type FeatureValues = Float32Array | Int16Array;

/**
 * Cosine distance (1 - cos, in float64) of matrices `a` and `b` (`bins` values a frame) over the
 * frames they share when `b` is moved by `o` frames (frame f of `a` against frame f + o of `b`),
 * at the offset o in -maxShift..maxShift that gives the smallest; 1 when no offset leaves a nonzero
 * overlap on both sides (silence against anything is not a copy).
 */
export function shiftDistance(
  a: FeatureValues,
  b: FeatureValues,
  bins: number,
  maxShift = MAX_SHIFT_FRAMES,
): number {
  const fa = Math.floor(a.length / bins);
  const fb = Math.floor(b.length / bins);
  let best = 1;
  for (let o = -maxShift; o <= maxShift; o++) {
    const f0 = Math.max(0, -o);
    const f1 = Math.min(fa, fb - o);
    if (f1 <= f0) continue;
    let ab = 0;
    let aa = 0;
    let bb = 0;
    const end = f1 * bins;
    for (let i = f0 * bins, j = (f0 + o) * bins; i < end; i++, j++) {
      const x = a[i];
      const y = b[j];
      ab += x * y;
      aa += x * x;
      bb += y * y;
    }
    if (aa > 0 && bb > 0) best = Math.min(best, Math.max(0, 1 - ab / Math.sqrt(aa * bb)));
  }
  return best;
}

/** `f` as int16 scaled to its largest magnitude (half the bytes; shiftDistance takes it as it is). */
export function quantizeFeatures(f: Float32Array): Int16Array {
  let max = 0;
  for (let i = 0; i < f.length; i++) max = Math.max(max, Math.abs(f[i]));
  const q = new Int16Array(f.length);
  if (max === 0) return q;
  const k = 32767 / max;
  for (let i = 0; i < f.length; i++) q[i] = Math.round(f[i] * k);
  return q;
}

/**
 * The kNN candidate pairs (each row's k nearest), once each as [a, b] with a < b (indices into the
 * search's rows), leaving out pairs of identical content (`same(a, b)`: exact copies, found by hash).
 */
export function candidatePairs(nn: Neighbours, same: (a: number, b: number) => boolean): Int32Array {
  const n = nn.index.length / Math.max(1, nn.k);
  const seen = new Set<number>();
  const out: number[] = [];
  for (let a = 0; a < n; a++)
    for (let j = 0; j < nn.k; j++) {
      const b = nn.index[a * nn.k + j];
      if (b < 0) continue;
      const lo = Math.min(a, b);
      const hi = Math.max(a, b);
      // n <= 2^26 rows keeps lo * n + hi exact in a double.
      const key = lo * n + hi;
      if (seen.has(key) || same(lo, hi)) continue;
      seen.add(key);
      out.push(lo, hi);
    }
  return Int32Array.from(out);
}

/**
 * cleanlab's relative rule on this distance: NEAR_DUPLICATE_FACTOR x the median, over rows in some
 * pair, of each row's smallest distance to its candidates. `pairs` as candidatePairs gives them,
 * `distance[p]` for pair p (NaN: not measured, left out), `n` rows.
 */
export function shiftThreshold(pairs: Int32Array, distance: Float32Array, n: number): number {
  const best = new Float64Array(n).fill(Infinity);
  for (let p = 0; p < distance.length; p++) {
    const d = distance[p];
    if (Number.isNaN(d)) continue;
    const a = pairs[2 * p];
    const b = pairs[2 * p + 1];
    if (d < best[a]) best[a] = d;
    if (d < best[b]) best[b] = d;
  }
  const finite = best.filter(Number.isFinite).sort();
  if (!finite.length) return 0;
  const m = finite.length >> 1;
  const median = finite.length % 2 ? finite[m] : (finite[m - 1] + finite[m]) / 2;
  return NEAR_DUPLICATE_FACTOR * median;
}

/**
 * An order of the n rows in which pairs of `pairs` mostly lie close together (breadth-first over the
 * candidate graph), so that a worker computing features for consecutive pairs finds most of them in
 * its small cache instead of keeping every clip's matrix.
 */
export function localityOrder(pairs: Int32Array, n: number): Int32Array {
  const degree = new Int32Array(n + 1);
  for (const r of pairs) degree[r + 1]++;
  for (let i = 0; i < n; i++) degree[i + 1] += degree[i];
  const adj = new Int32Array(pairs.length);
  const fill = degree.slice(0, n);
  for (let p = 0; p < pairs.length; p += 2) {
    adj[fill[pairs[p]]++] = pairs[p + 1];
    adj[fill[pairs[p + 1]]++] = pairs[p];
  }
  const order = new Int32Array(n);
  const placed = new Uint8Array(n);
  let head = 0;
  let tail = 0;
  for (let s = 0; s < n; s++) {
    if (placed[s]) continue;
    placed[s] = 1;
    order[tail++] = s;
    while (head < tail) {
      const r = order[head++];
      for (let e = degree[r]; e < degree[r + 1]; e++)
        if (!placed[adj[e]]) {
          placed[adj[e]] = 1;
          order[tail++] = adj[e];
        }
    }
  }
  return order;
}
