import { PNG } from 'pngjs';
import { colormapTable, powerToIndices, type ColormapName, type DbScale } from './colormap';

/**
 * A time-frequency picture as PNG bytes (through pngjs): one column per frame, one row per bin,
 * low frequencies at the bottom. `values` is row-major [frames][bins].
 * - colormaps other than `tf`: `values` are powers, drawn on a dB scale (colormap.ts);
 * - `tf`: values are powers, drawn as TensorFlow's wav_to_spectrogram does: min(255, sqrt(p) * brightness);
 * - `linear: true`: values drawn min..max linearly (for MFCCs, which are not powers).
 */
export function encodeFeaturePng(
  values: Float32Array,
  frames: number,
  bins: number,
  options: { colormap?: ColormapName; scale?: DbScale; brightness?: number; linear?: boolean } = {},
): Buffer {
  const cmap = options.colormap ?? 'viridis';
  let idx: Uint8Array;
  if (options.linear) {
    let lo = Infinity;
    let hi = -Infinity;
    for (const v of values) {
      if (v < lo) lo = v;
      if (v > hi) hi = v;
    }
    const k = hi > lo ? 255 / (hi - lo) : 0;
    idx = new Uint8Array(values.length);
    for (let i = 0; i < values.length; i++) idx[i] = Math.round((values[i] - lo) * k);
  } else if (cmap === 'tf') {
    const b = options.brightness ?? 200;
    idx = new Uint8Array(values.length);
    for (let i = 0; i < values.length; i++) idx[i] = Math.min(255, Math.round(Math.sqrt(values[i]) * b));
  } else {
    idx = powerToIndices(values, options.scale);
  }
  const table = colormapTable(cmap);
  const png = new PNG({ width: Math.max(1, frames), height: Math.max(1, bins) });
  for (let f = 0; f < frames; f++) {
    for (let b = 0; b < bins; b++) {
      const y = bins - 1 - b;
      const o = (y * frames + f) * 4;
      const c = idx[f * bins + b] * 3;
      png.data[o] = table[c];
      png.data[o + 1] = table[c + 1];
      png.data[o + 2] = table[c + 2];
      png.data[o + 3] = 255;
    }
  }
  return PNG.sync.write(png);
}
