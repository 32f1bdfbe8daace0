import { resampledLength, resampleFactors, resampleInputRange, resampleRange } from './resample';

/**
 * Sliding windows over audio that arrives in order (a compressed file decoded piece by piece), at
 * another rate: each group of at most `group` windows is handed over, resampled, as soon as the
 * decoded audio covers it, and the samples no later window needs are dropped. Memory is bounded by
 * one decoded piece plus one group's span, whatever the length. The windows and their samples are
 * exactly those of windowStarts + resample over the whole decoded signal: a regular start s
 * (a multiple of `stride`) does not depend on the total length, and resampleRange gives the samples
 * a whole-signal resample gives wherever its input is known; the last window (ending at the end),
 * which does, is made once the end is reached.
 */
export class StreamWindows {
  private buf = new Float32Array(0);
  /** Index (at the source rate) of buf[0]. */
  private bufStart = 0;
  /** Samples received so far. */
  private received = 0;
  private next = 0;
  /** Windows handed over so far: always a prefix of the final list. */
  private emitted = 0;
  private readonly up: number;
  private readonly down: number;
  private readonly half: number;

  constructor(
    private readonly fromRate: number,
    private readonly toRate: number,
    private readonly window: number,
    private readonly stride: number,
    private readonly group: number,
    /** Window starts over n samples (the model's windowStarts: the last window ends at n). */
    private readonly startsFor: (n: number) => number[],
    /** Receives windows' starts (at toRate) and the resampled samples [k0, k0 + seg.length) covering them. */
    private readonly onGroup: (starts: number[], seg: Float32Array, k0: number) => Promise<void>,
  ) {
    const f = fromRate === toRate ? { up: 1, down: 1 } : resampleFactors(fromRate, toRate);
    this.up = f.up;
    this.down = f.down;
    this.half = fromRate === toRate ? 0 : 10 * Math.max(f.up, f.down);
  }

  /** Output samples whose inputs have all been received (the filter reaches `half` taps ahead). */
  private safeOutput(): number {
    if (this.received === 0) return 0;
    if (this.fromRate === this.toRate) return this.received;
    return Math.max(0, Math.floor(((this.received - 1) * this.up - this.half) / this.down) + 1);
  }

  /** Appends the next mono samples; hands over every group they complete. */
  async push(mono: Float32Array): Promise<void> {
    const merged = new Float32Array(this.buf.length + mono.length);
    merged.set(this.buf);
    merged.set(mono, this.buf.length);
    this.buf = merged;
    this.received += mono.length;
    const safe = this.safeOutput();
    for (;;) {
      const starts: number[] = [];
      for (let s = this.next; starts.length < this.group && s + this.window <= safe; s += this.stride)
        starts.push(s);
      if (starts.length < this.group) break; // a partial group waits for more audio (or the end)
      await this.emit(starts, Number.MAX_SAFE_INTEGER);
    }
  }

  /** Ends the stream: the remaining windows (the final one ending at the end), then the totals. */
  async end(): Promise<{ n: number; starts: number[] }> {
    const n = resampledLength(this.received, this.fromRate, this.toRate);
    const all = this.startsFor(n);
    const rest = all.slice(this.emitted);
    for (let i = 0; i < rest.length; i += this.group)
      await this.emit(rest.slice(i, i + this.group), this.received, n);
    return { n, starts: all };
  }

  private async emit(starts: number[], nIn: number, nOut = Number.MAX_SAFE_INTEGER): Promise<void> {
    const k0 = starts[0];
    const k1 = Math.min(nOut, starts[starts.length - 1] + this.window);
    const need = resampleInputRange(k0, k1, nIn, this.fromRate, this.toRate);
    const seg = resampleRange(this.buf, this.bufStart, nIn, this.fromRate, this.toRate, k0, k1);
    await this.onGroup(starts, seg, k0);
    this.emitted += starts.length;
    const last = starts[starts.length - 1];
    this.next = last + this.stride;
    // Keep what any later window can read: the final window starts after the last one handed over.
    const keepFrom = Math.min(
      need.end,
      resampleInputRange(last, last + 1, nIn, this.fromRate, this.toRate).first,
    );
    const drop = Math.min(this.buf.length, keepFrom - this.bufStart);
    if (drop > 0) {
      this.buf = this.buf.slice(drop);
      this.bufStart += drop;
    }
  }
}
