/**
 * The little dense linear algebra the review needs (a seeded Gaussian, Gram-Schmidt, a symmetric
 * eigensolver for matrices of at most a few hundred rows). Hand-written: ml-matrix and ml-pca hold
 * a matrix as arrays of Float64 rows and need all N embeddings at once, which is what the review
 * must not do for 100,000 clips; here everything works on flat Float32Array/Float64Array rows.
 */

/** mulberry32: a small seeded PRNG, uniform in [0, 1). */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Standard normal draws from a uniform source (Box-Muller). */
export function gaussian(uniform: () => number): () => number {
  return () => {
    const u = 1 - uniform();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * uniform());
  };
}

/**
 * Orthonormalises the r columns of a column-major D x r matrix in place: Gram-Schmidt done twice a
 * column ("twice is enough", Giraud et al. 2005) so rank-deficient input stays orthogonal; a column
 * that vanishes (dependent on the earlier ones) is replaced by a draw of `fill` and done again.
 */
export function orthonormalizeColumns(
  m: Float64Array,
  D: number,
  r: number,
  fill: () => number = gaussian(rng(99)),
): void {
  for (let c = 0; c < r; c++) {
    const col = m.subarray(c * D, (c + 1) * D);
    for (let attempt = 0; ; attempt++) {
      let before = 0;
      for (let i = 0; i < D; i++) before += col[i] * col[i];
      for (let pass = 0; pass < 2; pass++) {
        for (let p = 0; p < c; p++) {
          const prev = m.subarray(p * D, (p + 1) * D);
          let dot = 0;
          for (let i = 0; i < D; i++) dot += col[i] * prev[i];
          for (let i = 0; i < D; i++) col[i] -= dot * prev[i];
        }
      }
      let norm = 0;
      for (let i = 0; i < D; i++) norm += col[i] * col[i];
      if (norm > 1e-20 * before && norm > 0) {
        norm = Math.sqrt(norm);
        for (let i = 0; i < D; i++) col[i] /= norm;
        break;
      }
      if (attempt >= 3) throw new Error('cannot complete an orthonormal basis');
      for (let i = 0; i < D; i++) col[i] = fill();
    }
  }
}

/**
 * Eigen-decomposition of a symmetric n x n matrix (row-major) by cyclic Jacobi rotations: values
 * sorted largest first, vectors as rows of `vectors` (row i belongs to values[i]), each with its
 * largest-magnitude entry made positive so results do not depend on rotation order.
 */
export function symmetricEigen(a: Float64Array, n: number): { values: number[]; vectors: Float64Array } {
  const A = Float64Array.from(a);
  const V = new Float64Array(n * n);
  for (let i = 0; i < n; i++) V[i * n + i] = 1;
  for (let sweep = 0; sweep < 100; sweep++) {
    let off = 0;
    for (let p = 0; p < n; p++) for (let q = p + 1; q < n; q++) off += A[p * n + q] ** 2;
    if (off < 1e-22) break;
    for (let p = 0; p < n; p++) {
      for (let q = p + 1; q < n; q++) {
        const apq = A[p * n + q];
        if (Math.abs(apq) < 1e-300) continue;
        const theta = (A[q * n + q] - A[p * n + p]) / (2 * apq);
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1);
        const s = t * c;
        for (let k = 0; k < n; k++) {
          const akp = A[k * n + p];
          const akq = A[k * n + q];
          A[k * n + p] = c * akp - s * akq;
          A[k * n + q] = s * akp + c * akq;
        }
        for (let k = 0; k < n; k++) {
          const apk = A[p * n + k];
          const aqk = A[q * n + k];
          A[p * n + k] = c * apk - s * aqk;
          A[q * n + k] = s * apk + c * aqk;
        }
        for (let k = 0; k < n; k++) {
          const vkp = V[k * n + p];
          const vkq = V[k * n + q];
          V[k * n + p] = c * vkp - s * vkq;
          V[k * n + q] = s * vkp + c * vkq;
        }
      }
    }
  }
  const order = Array.from({ length: n }, (_, i) => i).sort((x, y) => A[y * n + y] - A[x * n + x]);
  const vectors = new Float64Array(n * n);
  order.forEach((col, row) => {
    let big = 0;
    for (let k = 0; k < n; k++) if (Math.abs(V[k * n + col]) > Math.abs(big)) big = V[k * n + col];
    const sign = big < 0 ? -1 : 1;
    for (let k = 0; k < n; k++) vectors[row * n + k] = sign * V[k * n + col];
  });
  return { values: order.map((i) => A[i * n + i]), vectors };
}
