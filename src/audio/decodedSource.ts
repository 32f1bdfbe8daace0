import { mixdown } from './mixdown';
import type { WavFacts } from './wavDecode';

/**
 * A decoded file held in memory, read like a WavSource (facts, frame ranges, mono ranges, chunks):
 * how the editor's document model serves a compressed file, decoded whole on open.
 */
export class DecodedSource {
  readonly header: { facts: WavFacts; warnings: string[] };

  constructor(
    facts: WavFacts,
    warnings: string[],
    readonly channels: Float32Array[],
    /** The compressed file's bytes (small beside the decoded samples): what a worker is given to classify. */
    private readonly bytes: Uint8Array = new Uint8Array(0),
  ) {
    this.header = { facts, warnings };
  }

  /** Bytes in the compressed file. */
  get size(): number {
    return this.bytes.length;
  }

  /** The compressed file's bytes. */
  async readAll(): Promise<Uint8Array> {
    return this.bytes;
  }

  get facts(): WavFacts {
    return this.header.facts;
  }

  /** Most frames one read may cover: all of them (already in memory). */
  get maxFramesPerRead(): number {
    return Math.max(1, this.facts.frames);
  }

  /** Frames [start, start + n) clipped to the file, every channel (or only `channel`): views, not copies. */
  async frames(start: number, n: number, channel?: number): Promise<Float32Array[]> {
    const a = Math.max(0, Math.min(Math.floor(start), this.facts.frames));
    const b = Math.max(a, Math.min(this.facts.frames, a + Math.floor(n)));
    const chans = channel === undefined ? this.channels : [this.channels[channel]];
    return chans.map((c) => c.subarray(a, b));
  }

  /** `length` mono samples from `start` (zero outside the file). */
  async mono(start: number, length: number): Promise<Float32Array> {
    const out = new Float32Array(Math.max(0, length));
    const a = Math.max(0, start);
    const b = Math.min(this.facts.frames, start + length);
    if (b > a) out.set(mixdown(await this.frames(a, b - a)), a - start);
    return out;
  }

  /** The whole file in order, in pieces of `framesPerChunk`. */
  async *chunks(
    framesPerChunk = this.maxFramesPerRead,
  ): AsyncGenerator<{ start: number; channels: Float32Array[] }> {
    const step = Math.max(1, framesPerChunk);
    for (let s = 0; s < this.facts.frames; s += step)
      yield { start: s, channels: await this.frames(s, step) };
  }

  /** Nothing to release but the arrays (garbage collected). */
  async close(): Promise<void> {}
}
