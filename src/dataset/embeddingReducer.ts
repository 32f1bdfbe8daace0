import { gaussian, orthonormalizeColumns, rng, symmetricEigen } from './linalg';

/**
 * Embedding length kept a clip. On 504 Speech Commands test clips (bench/review/run.mjs --dims N) the
 * planted near copies found were 1/12 at the full 1,536 values, 1/12 at 64, 6/12 at 128, 3/12 at 256
 * (on the bench's earlier dataset, which lost 14 clips: 1, 7, 8, 8): the leading directions carry the
 * word and speaker, the rest is noise that hides copies. Shorter ones are kept whole.
 */
export const DEFAULT_REDUCED_DIM = 128;
/** How many embeddings the basis is fitted on (the first ones that arrive). */
const FIT_ROWS = 1024;

/**
 * Streams a model's embeddings into a bounded store: the first FIT_ROWS are held at full length,
 * then an orthonormal basis of their top `dim` uncentred principal directions (randomised subspace
 * iteration + Rayleigh-Ritz, seeded) is fitted and every embedding is kept only as its `dim`
 * coordinates. Uncentred so dot products, and so cosine distances, are those of the originals minus
 * the energy outside the basis (`kept` says how much is kept). 100,000 clips x 128 values: 51 MB.
 */
export class EmbeddingReducer {
  private readonly store: Float32Array;
  private pending: Float32Array[] = [];
  private pendingRows: number[] = [];
  private basis: Float32Array | undefined; // row-major D x used (float32: half the memory traffic)
  private acc = new Float64Array(0);
  private keptEnergy = 1;
  private used = 0;
  readonly dim: number;
  private D = 0;

  constructor(
    readonly capacity: number,
    dim = DEFAULT_REDUCED_DIM,
    private readonly seed = 1,
  ) {
    this.dim = dim;
    this.store = new Float32Array(capacity * dim);
  }

  /** Length of the embeddings seen (0 before the first). */
  get inputDim(): number {
    return this.D;
  }

  /**
   * Coordinates actually used: at most half the fitting rows (the rest of `dim` stays zero). With as
   * many directions as clips the reduction keeps everything, and the small directions, where a
   * re-recorded copy differs most, hide copies again (digits test set: 3 of 4 found at 16-96 values
   * of 108 clips, none at 128).
   */
  get usedDim(): number {
    return this.used || Math.min(this.D, this.dim);
  }

  /** Share of the fitting rows' energy (sum of squares) inside the basis: 1 when nothing was cut. */
  get kept(): number {
    return this.keptEnergy;
  }

  /** Adds row `row`'s embedding. */
  add(row: number, v: Float32Array): void {
    if (!this.D) this.D = v.length;
    if (v.length !== this.D) throw new Error(`embedding of ${v.length} values, earlier ones had ${this.D}`);
    if (this.basis) return this.project(row, v);
    this.pending.push(Float32Array.from(v));
    this.pendingRows.push(row);
    if (this.pending.length >= FIT_ROWS) this.fit();
  }

  /** All rows' reduced embeddings (rows never added are zeros), N x dim. */
  finish(): Float32Array {
    if (!this.basis && this.pending.length) this.fit();
    return this.store;
  }

  private project(row: number, v: Float32Array): void {
    const { D, dim } = this;
    const out = this.store.subarray(row * dim, (row + 1) * dim);
    if (D <= dim) {
      out.set(v);
      return;
    }
    // Row-major by input value: embeddings after a ReLU are mostly zeros, skipped whole here.
    const B = this.basis!;
    const used = this.used;
    const acc = this.acc;
    acc.fill(0);
    for (let i = 0; i < D; i++) {
      const x = v[i];
      if (x === 0) continue;
      const o = i * used;
      for (let c = 0; c < used; c++) acc[c] += x * B[o + c];
    }
    out.set(acc.subarray(0, used));
  }

  private fit(): void {
    const { D, dim } = this;
    const X = this.pending;
    if (D <= dim) {
      this.basis = new Float32Array(0);
    } else {
      const r = Math.min(D, dim + 8);
      const normal = gaussian(rng(this.seed));
      let Z = Float64Array.from({ length: D * r }, normal);
      orthonormalizeColumns(Z, D, r);
      const Y = new Float64Array(X.length * r);
      // (X^T X)^3 applied to a random subspace: the top directions dominate, then Rayleigh-Ritz.
      for (let it = 0; it < 3; it++) {
        multiply(X, Z, D, r, Y);
        Z = new Float64Array(D * r);
        for (let n = 0; n < X.length; n++) {
          const x = X[n];
          for (let c = 0; c < r; c++) {
            const y = Y[n * r + c];
            const o = c * D;
            for (let i = 0; i < D; i++) Z[o + i] += y * x[i];
          }
        }
        orthonormalizeColumns(Z, D, r);
      }
      multiply(X, Z, D, r, Y);
      const G = new Float64Array(r * r);
      for (let n = 0; n < X.length; n++)
        for (let a = 0; a < r; a++) for (let b = 0; b < r; b++) G[a * r + b] += Y[n * r + a] * Y[n * r + b];
      const { values, vectors } = symmetricEigen(G, r);
      const basis = new Float64Array(D * dim);
      this.used = Math.min(dim, Math.max(2, Math.floor(X.length / 2)));
      for (let c = 0; c < this.used; c++)
        for (let a = 0; a < r; a++) {
          const w = vectors[c * r + a];
          for (let i = 0; i < D; i++) basis[c * D + i] += w * Z[a * D + i];
        }
      let total = 0;
      for (const x of X) for (let i = 0; i < D; i++) total += x[i] * x[i];
      this.keptEnergy = total ? values.slice(0, this.used).reduce((s, v) => s + v, 0) / total : 1;
      // Column-major D x dim to row-major D x used for project().
      const rowMajor = new Float32Array(D * this.used);
      for (let c = 0; c < this.used; c++)
        for (let i = 0; i < D; i++) rowMajor[i * this.used + c] = basis[c * D + i];
      this.basis = rowMajor;
      this.acc = new Float64Array(this.used);
    }
    this.basis ??= new Float32Array(0);
    X.forEach((v, k) => this.project(this.pendingRows[k], v));
    this.pending = [];
    this.pendingRows = [];
  }
}

/** Y = X Z for rows X (n x D) and column-major Z (D x r); Y row-major n x r. */
function multiply(X: Float32Array[], Z: Float64Array, D: number, r: number, Y: Float64Array): void {
  for (let n = 0; n < X.length; n++) {
    const x = X[n];
    for (let c = 0; c < r; c++) {
      let s = 0;
      const o = c * D;
      for (let i = 0; i < D; i++) s += x[i] * Z[o + i];
      Y[n * r + c] = s;
    }
  }
}
