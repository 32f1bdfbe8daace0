import { UMAP } from 'umap-js';
import { rng } from './linalg';
import { pca2d } from './projection';

/**
 * Chosen by bench/map/run.mjs on the review's embeddings of 19,262 Speech Commands clips (35 words):
 * at 2,000 clips, kNN recall@10 / trustworthiness@10 / label agreement@10 of the map were PCA 0.12 /
 * 0.85 / 0.29, UMAP (umap-js) 0.52 / 0.99 / 0.86, t-SNE (@keckelt/tsne, exact) 0.64 / 0.996 / 0.89
 * but 30x UMAP's time (450 s) and O(N^2), so unusable past a few thousand clips. At 10,000 clips UMAP
 * fitted on a 5,000-clip sample with the rest placed by placeRest gave 0.245 / 0.978 / 0.872 against
 * 0.269 / 0.994 / 0.891 fitted on all, in half the time and memory: the fit is bounded by
 * UMAP_FIT_MAX, the placement is O(N x UMAP_FIT_MAX x d) time and O(N) memory.
 */
export const UMAP_FIT_MAX = 5_000;
/** Below this many clips UMAP's neighbourhoods are too small to mean anything: PCA. */
export const UMAP_MIN = 30;
const N_NEIGHBORS = 15;

/** Options of the 2-D map. */
export interface MapOptions {
  /** 'auto' (default): UMAP from UMAP_MIN clips on; 'pca' always PCA. */
  method?: 'auto' | 'pca';
  seed?: number;
  /** Largest sample UMAP is fitted on (default UMAP_FIT_MAX). */
  fitMax?: number;
}

/** The 2-D map of `rows`: x[k], y[k] for rows[k]. */
export interface Map2d {
  method: 'umap' | 'pca';
  x: Float32Array;
  y: Float32Array;
  /** PCA only: each axis' share of the variance. */
  explained?: [number, number];
  /** UMAP only: how many clips it was fitted on (the rest were placed among their nearest fitted clips). */
  fitted?: number;
}

/**
 * A seeded 2-D map of the d-long rows `rows` of `data` (unit-length embeddings: Euclidean distance
 * orders neighbours as the cosine distance does). Deterministic: the same input and seed give the
 * same coordinates, since every random draw of umap-js comes from the seeded PRNG passed to it.
 */
export function projectMap(data: Float32Array, d: number, rows: Int32Array, o: MapOptions = {}): Map2d {
  const n = rows.length;
  if (o.method === 'pca' || n < UMAP_MIN) {
    const p = pca2d(data, d, rows);
    return { method: 'pca', x: p.x, y: p.y, explained: p.explained };
  }
  const random = rng(o.seed ?? 1);
  const fitMax = Math.max(UMAP_MIN, o.fitMax ?? UMAP_FIT_MAX);
  const order = sampleOrder(n, fitMax, random);
  const vec = (k: number) => Array.from(data.subarray(rows[k] * d, rows[k] * d + d));
  const fit = order.subarray(0, Math.min(n, fitMax));
  const umap = new UMAP({ nComponents: 2, nNeighbors: N_NEIGHBORS, minDist: 0.1, random });
  const fitted = umap.fit(Array.from(fit, vec));
  const x = new Float32Array(n);
  const y = new Float32Array(n);
  fit.forEach((k, i) => {
    x[k] = fitted[i][0];
    y[k] = fitted[i][1];
  });
  placeRest(data, d, rows, fit, order.subarray(fit.length), x, y);
  return { method: 'umap', x, y, fitted: fit.length };
}

/** Neighbours in the fitted sample a placed clip is put among. */
const PLACE_K = 10;

/**
 * Puts each clip UMAP was not fitted on at the weighted mean of its PLACE_K nearest fitted clips'
 * map positions (exact neighbours by dot product of the unit rows; weights exp(-(d - d1) / s) with
 * d1 the nearest distance and s the mean excess: a simple form of UMAP's membership weights).
 * umap-js's own transform was tried first: on 4,000 of the bench's clips, fitted on 2,000, it gave
 * recall@10 0.17 and label agreement 0.50 against 0.39 / 0.85 with this placement (measured once by
 * hand, not kept in the bench); a fit on all 4,000 gave 0.45 / 0.87.
 */
function placeRest(
  data: Float32Array,
  d: number,
  rows: Int32Array,
  fit: Int32Array,
  rest: Int32Array,
  x: Float32Array,
  y: Float32Array,
): void {
  const m = fit.length;
  const k = Math.min(PLACE_K, m);
  // The fitted rows side by side, so the inner loop reads one contiguous block.
  const ref = new Float32Array(m * d);
  fit.forEach((f, j) => ref.set(data.subarray(rows[f] * d, rows[f] * d + d), j * d));
  const bestDot = new Float64Array(k);
  const bestIdx = new Int32Array(k);
  for (const r of rest) {
    const o = rows[r] * d;
    bestDot.fill(-Infinity);
    for (let j = 0; j < m; j++) {
      let s0 = 0;
      let s1 = 0;
      const b = j * d;
      let t = 0;
      for (; t + 1 < d; t += 2) {
        s0 += data[o + t] * ref[b + t];
        s1 += data[o + t + 1] * ref[b + t + 1];
      }
      if (t < d) s0 += data[o + t] * ref[b + t];
      const dot = s0 + s1;
      if (dot <= bestDot[k - 1]) continue;
      let p = k - 1;
      while (p > 0 && bestDot[p - 1] < dot) {
        bestDot[p] = bestDot[p - 1];
        bestIdx[p] = bestIdx[p - 1];
        p--;
      }
      bestDot[p] = dot;
      bestIdx[p] = j;
    }
    // Unit rows: squared distance 2 - 2 dot.
    const d1 = Math.sqrt(Math.max(0, 2 - 2 * bestDot[0]));
    let excess = 0;
    for (let p = 0; p < k; p++) excess += Math.sqrt(Math.max(0, 2 - 2 * bestDot[p])) - d1;
    const scale = excess / k || 1;
    let wx = 0;
    let wy = 0;
    let ws = 0;
    for (let p = 0; p < k; p++) {
      const w = Math.exp(-(Math.sqrt(Math.max(0, 2 - 2 * bestDot[p])) - d1) / scale);
      const f = fit[bestIdx[p]];
      wx += w * x[f];
      wy += w * y[f];
      ws += w;
    }
    x[r] = wx / ws;
    y[r] = wy / ws;
  }
}

/** 0..n-1 with a seeded random `m` of them first (partial Fisher-Yates); the rest after them. */
function sampleOrder(n: number, m: number, random: () => number): Int32Array {
  const order = Int32Array.from({ length: n }, (_, i) => i);
  if (n <= m) return order;
  for (let i = 0; i < m; i++) {
    const j = i + Math.floor(random() * (n - i));
    const t = order[i];
    order[i] = order[j];
    order[j] = t;
  }
  return order;
}
