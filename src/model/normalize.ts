/** Normalises features in place: per-bin dataset statistics, per-clip mean/variance, or nothing. */
export function normalize(
  data: Float32Array,
  bins: number,
  f: { normalize: string; mean?: number[]; std?: number[] },
): void {
  if (f.normalize === 'dataset') {
    const mean = f.mean!;
    const std = f.std!;
    for (let i = 0; i < data.length; i++) {
      const b = i % bins;
      data[i] = (data[i] - mean[b]) / std[b];
    }
  } else if (f.normalize === 'per-clip') {
    let s = 0;
    for (const v of data) s += v;
    const m = s / data.length;
    let q = 0;
    for (const v of data) q += (v - m) ** 2;
    const sd = Math.sqrt(q / data.length) || 1;
    for (let i = 0; i < data.length; i++) data[i] = (data[i] - m) / sd;
  }
}
