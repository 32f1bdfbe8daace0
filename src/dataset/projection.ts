import { gaussian, orthonormalizeColumns, rng, symmetricEigen } from './linalg';

/** Up to this length the covariance is decomposed exactly; above, by subspace iteration. */
const EXACT_EIGEN_MAX = 128;

/**
 * A 2-D map of embeddings by PCA: the rows (`rows[i]` of the N x d `data`) centred and projected
 * on the two directions of largest variance. Deterministic: the d x d covariance is decomposed
 * exactly up to d = 128 (Jacobi is O(d^3) a sweep), above by subspace iteration from a seeded start
 * (100 steps on 4 vectors, Rayleigh-Ritz); signs fixed by symmetricEigen. O(N d^2) time, O(d^2) memory.
 * `explained` is each axis' share of the total variance.
 */
export function pca2d(
  data: Float32Array,
  d: number,
  rows: Int32Array,
): { x: Float32Array; y: Float32Array; explained: [number, number] } {
  const n = rows.length;
  const mean = new Float64Array(d);
  for (const r of rows) for (let i = 0; i < d; i++) mean[i] += data[r * d + i];
  for (let i = 0; i < d; i++) mean[i] /= Math.max(n, 1);
  const cov = new Float64Array(d * d);
  const c = new Float64Array(d);
  for (const r of rows) {
    for (let i = 0; i < d; i++) c[i] = data[r * d + i] - mean[i];
    for (let i = 0; i < d; i++) {
      const ci = c[i];
      if (ci === 0) continue;
      for (let j = i; j < d; j++) cov[i * d + j] += ci * c[j];
    }
  }
  for (let i = 0; i < d; i++) for (let j = 0; j < i; j++) cov[i * d + j] = cov[j * d + i];
  const { values, vectors } = d <= EXACT_EIGEN_MAX ? symmetricEigen(cov, d) : topEigen(cov, d, 4);
  let trace = 0;
  for (let i = 0; i < d; i++) trace += cov[i * d + i];
  const total = trace || 1;
  const x = new Float32Array(n);
  const y = new Float32Array(n);
  rows.forEach((r, k) => {
    let a = 0;
    let b = 0;
    for (let i = 0; i < d; i++) {
      const v = data[r * d + i] - mean[i];
      a += v * vectors[i];
      b += v * (d > 1 ? vectors[d + i] : 0);
    }
    x[k] = a;
    y[k] = b;
  });
  return { x, y, explained: [Math.max(values[0] ?? 0, 0) / total, Math.max(values[1] ?? 0, 0) / total] };
}

/** The r leading eigenpairs of a symmetric d x d matrix by subspace iteration (vectors as rows). */
function topEigen(a: Float64Array, d: number, r: number): { values: number[]; vectors: Float64Array } {
  let Q = Float64Array.from({ length: d * r }, gaussian(rng(3)));
  orthonormalizeColumns(Q, d, r);
  const multiply = (m: Float64Array) => {
    const out = new Float64Array(d * r);
    for (let c = 0; c < r; c++)
      for (let i = 0; i < d; i++) {
        let s = 0;
        for (let j = 0; j < d; j++) s += a[i * d + j] * m[c * d + j];
        out[c * d + i] = s;
      }
    return out;
  };
  for (let it = 0; it < 100; it++) {
    Q = multiply(Q);
    orthonormalizeColumns(Q, d, r);
  }
  const AQ = multiply(Q);
  const small = new Float64Array(r * r);
  for (let p = 0; p < r; p++)
    for (let q = 0; q < r; q++) {
      let s = 0;
      for (let i = 0; i < d; i++) s += Q[p * d + i] * AQ[q * d + i];
      small[p * r + q] = s;
    }
  const e = symmetricEigen(small, r);
  const vectors = new Float64Array(r * d);
  for (let k = 0; k < r; k++) {
    let big = 0;
    for (let i = 0; i < d; i++) {
      let s = 0;
      for (let p = 0; p < r; p++) s += e.vectors[k * r + p] * Q[p * d + i];
      vectors[k * d + i] = s;
      if (Math.abs(s) > Math.abs(big)) big = s;
    }
    if (big < 0) for (let i = 0; i < d; i++) vectors[k * d + i] *= -1;
  }
  return { values: e.values, vectors };
}
