/**
 * Min/max per pixel column of one channel over frames [start, end): what a waveform view draws.
 * Returns Float32 arrays of `columns` values each; a column with no sample repeats its neighbour.
 */
export function waveformOverview(
  x: Float32Array,
  start: number,
  end: number,
  columns: number,
  min = new Float32Array(columns),
  max = new Float32Array(columns),
): { min: Float32Array; max: Float32Array } {
  const s = Math.max(0, Math.floor(start));
  const e = Math.min(x.length, Math.ceil(end));
  const span = Math.max(0, e - s);
  for (let c = 0; c < columns; c++) {
    const a = s + Math.floor((c * span) / columns);
    const b = Math.max(a + 1, s + Math.floor(((c + 1) * span) / columns));
    let lo = Infinity;
    let hi = -Infinity;
    for (let i = a; i < b && i < e; i++) {
      const v = x[i];
      if (v < lo) lo = v;
      if (v > hi) hi = v;
    }
    if (lo === Infinity) {
      lo = c > 0 ? min[c - 1] : 0;
      hi = c > 0 ? max[c - 1] : 0;
    }
    min[c] = lo;
    max[c] = hi;
  }
  return { min, max };
}
