/** Per-channel level statistics of decoded audio (linear values; dBFS where named). */
export interface ChannelStats {
  peak: number;
  rms: number;
  dcOffset: number;
  /** Fraction of samples at or beyond full scale (|x| >= clipLevel). */
  clippedRatio: number;
  /** Fraction of 10 ms blocks whose RMS is below the silence threshold. */
  silenceRatio: number;
  peakDbfs: number;
  rmsDbfs: number;
}

/** Options of `channelStats`. */
export interface StatsOptions {
  sampleRate?: number;
  /** |x| at or above this counts as clipped (default 0.9999: the top code of 16-bit PCM and any hard clip at 1.0). */
  clipLevel?: number;
  /** Blocks quieter than this (dBFS) are silent (default -60). */
  silenceThresholdDb?: number;
}

/** 20 log10(x), -Infinity for 0. */
export function toDbfs(x: number): number {
  return x > 0 ? 20 * Math.log10(x) : -Infinity;
}

/** Peak, RMS, DC offset, clipping and silence of one channel. */
export function channelStats(x: Float32Array, options: StatsOptions = {}): ChannelStats {
  const clip = options.clipLevel ?? 0.9999;
  const block = Math.max(1, Math.round((options.sampleRate ?? 16000) / 100));
  const silentBelow = 10 ** ((options.silenceThresholdDb ?? -60) / 20);
  let peak = 0;
  let sum = 0;
  let sumSq = 0;
  let clipped = 0;
  let silentBlocks = 0;
  let blocks = 0;
  for (let start = 0; start < x.length; start += block) {
    const end = Math.min(x.length, start + block);
    let bs = 0;
    for (let i = start; i < end; i++) {
      const v = x[i];
      const a = v < 0 ? -v : v;
      if (a > peak) peak = a;
      if (a >= clip) clipped++;
      sum += v;
      bs += v * v;
    }
    sumSq += bs;
    blocks++;
    if (Math.sqrt(bs / (end - start)) < silentBelow) silentBlocks++;
  }
  const n = x.length;
  const rms = n ? Math.sqrt(sumSq / n) : 0;
  return {
    peak,
    rms,
    dcOffset: n ? sum / n : 0,
    clippedRatio: n ? clipped / n : 0,
    silenceRatio: blocks ? silentBlocks / blocks : 1,
    peakDbfs: toDbfs(peak),
    rmsDbfs: toDbfs(rms),
  };
}
