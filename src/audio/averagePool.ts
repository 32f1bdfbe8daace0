/**
 * The speech_commands `average` preprocessing: the power spectrogram average-pooled along frequency
 * with window = stride = floor(bins / featureBinCount) and 'SAME' padding, as
 * tf.nn.pool(..., pooling_type='AVG', padding='SAME') in input_data.py: ceil(bins / width) outputs,
 * each the mean of the bins present (TensorFlow's SAME average excludes padding). 257 bins, 40 -> 43.
 */
export function averagePool(
  spectrogram: Float32Array,
  frames: number,
  bins: number,
  featureBinCount = 40,
): { frames: number; bins: number; data: Float32Array } {
  const width = Math.max(1, Math.floor(bins / featureBinCount));
  const outBins = Math.ceil(bins / width);
  // SAME padding splits the padding with the extra element at the end: pad_before = floor(total / 2).
  const total = Math.max(0, (outBins - 1) * width + width - bins);
  const before = Math.floor(total / 2);
  const data = new Float32Array(frames * outBins);
  for (let f = 0; f < frames; f++) {
    const row = f * bins;
    for (let o = 0; o < outBins; o++) {
      const start = Math.max(0, o * width - before);
      const end = Math.min(bins, o * width - before + width);
      let s = 0;
      for (let b = start; b < end; b++) s += spectrogram[row + b];
      data[f * outBins + o] = end > start ? s / (end - start) : 0;
    }
  }
  return { frames, bins: outBins, data };
}
