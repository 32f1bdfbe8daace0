import { UMAP } from 'umap-js';
import { rng } from './linalg';
import { pca2d } from './projection';

/**
 * Chosen by bench/map/run.mjs (figures in its header): UMAP keeps far more of each clip's
 * neighbourhood than PCA on real embeddings, and t-SNE (exact, O(N^2)) is too slow past a few
 * thousand clips. UMAP is fitted on at most FIT_MAX clips (a seeded sample) and the rest are placed
 * by umap-js's transform in chunks, so memory stays bounded for 100,000 clips.
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
 * d1 the nearest distance and s the mean excess, as UMAP's own transform initialises a point).
 * umap-js's transform was measured first and placed clips badly on real embeddings (recall@10 0.17
 * against 0.45 for a fit on all, 4,000 clips: bench/map/run.mjs).
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
