/**
 * DCT-II as TensorFlow's MfccDct (tensorflow/core/kernels/mfcc_dct.cc):
 * out[k] = sqrt(2 / N) * sum_j in[j] * cos(pi / N * (j + 0.5) * k), for k < coefficientCount,
 * with the same sqrt(2/N) scale on every row (k = 0 included: not the orthonormal DCT).
 * Written by hand: it is a 40x40 table, and the even/odd symmetry
 * cos(pi/N (N-1-j+0.5) k) = (-1)^k cos(pi/N (j+0.5) k) halves the multiply-adds in the hot loop.
 */
export class Dct {
  readonly inputLength: number;
  readonly coefficientCount: number;
  private readonly half: number;
  /** Row k holds the table for j < ceil(N/2) (with the middle term halved for odd N). */
  private readonly table: Float64Array;
  private readonly sums: Float64Array;
  private readonly diffs: Float64Array;

  constructor(inputLength = 40, coefficientCount = 40) {
    if (!(inputLength >= 1) || !(coefficientCount >= 1)) throw new Error('DCT: bad sizes');
    this.inputLength = inputLength;
    this.coefficientCount = coefficientCount;
    this.half = Math.ceil(inputLength / 2);
    const fnorm = Math.sqrt(2.0 / inputLength);
    const arg = Math.PI / inputLength;
    this.table = new Float64Array(coefficientCount * this.half);
    for (let k = 0; k < coefficientCount; k++) {
      for (let j = 0; j < this.half; j++) {
        // For odd N the middle sample pairs with itself: s = 2x (even k) or d = 0 (odd k); halve it.
        const mid = inputLength % 2 === 1 && j === this.half - 1 ? 0.5 : 1;
        this.table[k * this.half + j] = mid * fnorm * Math.cos(k * arg * (j + 0.5));
      }
    }
    this.sums = new Float64Array(this.half);
    this.diffs = new Float64Array(this.half);
  }

  /** Transforms `input[0 .. inputLength)` into `out[outOffset .. outOffset + coefficientCount)`. */
  apply(input: Float64Array, out: Float32Array | Float64Array, outOffset = 0): void {
    const n = this.inputLength;
    const h = this.half;
    const s = this.sums;
    const d = this.diffs;
    for (let j = 0; j < h; j++) {
      const a = input[j];
      const b = input[n - 1 - j];
      s[j] = a + b;
      d[j] = a - b;
    }
    const t = this.table;
    for (let k = 0; k < this.coefficientCount; k++) {
      const v = k & 1 ? d : s;
      let acc = 0;
      const row = k * h;
      for (let j = 0; j < h; j++) acc += v[j] * t[row + j];
      out[outOffset + k] = acc;
    }
  }
}
