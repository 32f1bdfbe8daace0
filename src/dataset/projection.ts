import { symmetricEigen } from './linalg';

/**
 * A 2-D map of embeddings by PCA: the rows (`rows[i]` of the N x d `data`) centred and projected
 * on the two directions of largest variance. Deterministic (no random start: the d x d covariance
 * is decomposed exactly; signs fixed by symmetricEigen), O(N d^2) time and O(d^2) memory.
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
  const { values, vectors } = symmetricEigen(cov, d);
  const total = values.reduce((s, v) => s + Math.max(v, 0), 0) || 1;
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
