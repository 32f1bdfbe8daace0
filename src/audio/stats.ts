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

/**
 * Accumulates the statistics of one channel over consecutive chunks, so that a file too long to
 * hold decoded can be measured in one streaming pass. Chunks need not align with the 10 ms blocks.
 */
export class StatsAccumulator {
  private readonly clip: number;
  private readonly block: number;
  private readonly silentBelowSq: number;
  private peak = 0;
  private sum = 0;
  private sumSq = 0;
  private clipped = 0;
  private n = 0;
  private blocks = 0;
  private silentBlocks = 0;
  private blockFill = 0;
  private blockSq = 0;

  constructor(options: StatsOptions = {}) {
    this.clip = options.clipLevel ?? 0.9999;
    this.block = Math.max(1, Math.round((options.sampleRate ?? 16000) / 100));
    this.silentBelowSq = (10 ** ((options.silenceThresholdDb ?? -60) / 20)) ** 2;
  }

  /** Adds the next samples of the channel. */
  add(x: Float32Array): void {
    let { peak, sum, clipped, blockFill, blockSq } = this;
    let sumSq = this.sumSq;
    const clip = this.clip;
    for (let i = 0; i < x.length; i++) {
      const v = x[i];
      const a = v < 0 ? -v : v;
      if (a > peak) peak = a;
      if (a >= clip) clipped++;
      sum += v;
      const q = v * v;
      blockSq += q;
      if (++blockFill === this.block) {
        sumSq += blockSq;
        this.blocks++;
        if (blockSq / blockFill < this.silentBelowSq) this.silentBlocks++;
        blockFill = 0;
        blockSq = 0;
      }
    }
    this.n += x.length;
    Object.assign(this, { peak, sum, clipped, blockFill, blockSq, sumSq });
  }

  /** The statistics of everything added so far (a final partial block counts as a block). */
  result(): ChannelStats {
    let { blocks, silentBlocks } = this;
    const sumSq = this.sumSq + this.blockSq;
    if (this.blockFill > 0) {
      blocks++;
      if (this.blockSq / this.blockFill < this.silentBelowSq) silentBlocks++;
    }
    const n = this.n;
    const rms = n ? Math.sqrt(sumSq / n) : 0;
    return {
      peak: this.peak,
      rms,
      dcOffset: n ? this.sum / n : 0,
      clippedRatio: n ? this.clipped / n : 0,
      silenceRatio: blocks ? silentBlocks / blocks : 1,
      peakDbfs: toDbfs(this.peak),
      rmsDbfs: toDbfs(rms),
    };
  }
}

/** Peak, RMS, DC offset, clipping and silence of one channel. */
export function channelStats(x: Float32Array, options: StatsOptions = {}): ChannelStats {
  const acc = new StatsAccumulator(options);
  acc.add(x);
  return acc.result();
}
