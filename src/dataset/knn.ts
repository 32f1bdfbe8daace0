import { gaussian, rng } from './linalg';

/**
 * k nearest neighbours by cosine distance (1 - cos) over unit-length rows of a flat Float32Array.
 * Exact (blocked over all pairs, O(n^2 d)) up to `exactMax` rows; above, random-hyperplane LSH
 * (SimHash, Charikar 2002): `tables` hash tables of `bits` signs each, rows sorted by their code in
 * each table and compared exactly with the `window` rows after them. Pairs at small angles share
 * long code prefixes, so near-duplicates are found with high probability; the k-th neighbour of a
 * row may be missed (the distance reported is then too large). Hand-written: the npm ANN packages
 * are native (hnswlib-node, faiss-node) or little used (hnsw, hnswlib-wasm).
 */
export interface KnnOptions {
  /** Largest row count searched exactly (default 5,000: 1.6e9 multiply-adds at 128 values). */
  exactMax?: number;
  tables?: number;
  bits?: number;
  window?: number;
  seed?: number;
}

/** k neighbours a row, nearest first; index -1 (distance Infinity) where a row has fewer. */
export interface Neighbours {
  k: number;
  /** Indices into the rows the search was given (not into `data`). */
  index: Int32Array;
  distance: Float32Array;
  method: 'exact' | 'lsh';
}

/** Scales each d-long row of `data` to unit length (zero rows stay zero). */
export function normalizeRows(data: Float32Array, d: number): void {
  for (let o = 0; o < data.length; o += d) {
    let s = 0;
    for (let i = 0; i < d; i++) s += data[o + i] * data[o + i];
    const inv = s > 0 ? 1 / Math.sqrt(s) : 0;
    for (let i = 0; i < d; i++) data[o + i] *= inv;
  }
}

/** Cosine distance of unit rows a and b of `data`. */
export function cosineDistance(data: Float32Array, d: number, a: number, b: number): number {
  const oa = a * d;
  const ob = b * d;
  let s0 = 0;
  let s1 = 0;
  let i = 0;
  for (; i + 1 < d; i += 2) {
    s0 += data[oa + i] * data[ob + i];
    s1 += data[oa + i + 1] * data[ob + i + 1];
  }
  if (i < d) s0 += data[oa + i] * data[ob + i];
  return Math.max(0, 1 - s0 - s1);
}

/** The k nearest of `rows` (indices of unit rows in `data`) to each of them. */
export function nearestNeighbours(
  data: Float32Array,
  d: number,
  rows: Int32Array,
  k: number,
  o: KnnOptions = {},
): Neighbours {
  const n = rows.length;
  k = Math.max(0, Math.min(k, n - 1));
  const index = new Int32Array(n * k).fill(-1);
  const distance = new Float32Array(n * k).fill(Infinity);
  const offer = (a: number, b: number, dist: number) => {
    insert(index, distance, a * k, k, b, dist);
    insert(index, distance, b * k, k, a, dist);
  };
  if (k === 0) return { k, index, distance, method: 'exact' };
  if (n <= (o.exactMax ?? 5_000)) {
    const BLOCK = 64;
    for (let a0 = 0; a0 < n; a0 += BLOCK) {
      const a1 = Math.min(n, a0 + BLOCK);
      for (let b = a0 + 1; b < n; b++) {
        for (let a = a0; a < Math.min(a1, b); a++) offer(a, b, cosineDistance(data, d, rows[a], rows[b]));
      }
    }
    return { k, index, distance, method: 'exact' };
  }
  const tables = o.tables ?? 12;
  const bits = Math.min(o.bits ?? 16, 30);
  const window = o.window ?? 24;
  const normal = gaussian(rng(o.seed ?? 7));
  const planes = Float32Array.from({ length: tables * bits * d }, normal);
  const code = new Int32Array(n);
  for (let t = 0; t < tables; t++) {
    for (let a = 0; a < n; a++) {
      let c = 0;
      const ro = rows[a] * d;
      for (let b = 0; b < bits; b++) {
        const po = (t * bits + b) * d;
        let s = 0;
        for (let i = 0; i < d; i++) s += planes[po + i] * data[ro + i];
        c = (c << 1) | (s >= 0 ? 1 : 0);
      }
      code[a] = c;
    }
    const order = Array.from({ length: n }, (_, i) => i).sort((x, y) => code[x] - code[y] || x - y);
    for (let p = 0; p < n; p++) {
      for (let q = p + 1; q < Math.min(n, p + 1 + window); q++) {
        const a = order[p];
        const b = order[q];
        // A pair met in an earlier table is offered again; insert() keeps one entry of it.
        offer(a, b, cosineDistance(data, d, rows[a], rows[b]));
      }
    }
  }
  return { k, index, distance, method: 'lsh' };
}

/** Inserts (j, dist) into the sorted k-list at `o` if it is nearer than its last entry. */
function insert(index: Int32Array, distance: Float32Array, o: number, k: number, j: number, dist: number) {
  if (!(dist < distance[o + k - 1])) return;
  for (let q = o; q < o + k; q++) if (index[q] === j) return;
  let p = o + k - 1;
  while (p > o && distance[p - 1] > dist) {
    distance[p] = distance[p - 1];
    index[p] = index[p - 1];
    p--;
  }
  distance[p] = dist;
  index[p] = j;
}
