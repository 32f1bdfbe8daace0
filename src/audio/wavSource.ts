import { readAllBytes, type ByteSource } from './byteSource';
import { mixdown } from './mixdown';
import { decodeFrames, readWavHeader, type WavFacts, type WavHeader } from './wavDecode';

/** Bytes of the file's start read to find the header (chunks before `data` longer than this are refused by the decoder). */
export const HEADER_PREFIX_BYTES = 1 << 20;

/** Largest single read: every range, chunk and window is read in pieces of at most this many bytes. */
export const MAX_READ_BYTES = 16 << 20;

/**
 * A WAV file read by frame ranges through a ByteSource: only the header is read on open; every
 * later read is bounded by MAX_READ_BYTES, whatever the rate and channel count.
 */
export class WavSource {
  private constructor(
    private readonly source: ByteSource,
    readonly header: WavHeader,
  ) {}

  /** Reads and checks the header (throws WavError with the decoder's reason). */
  static async open(source: ByteSource): Promise<WavSource> {
    const prefix = new Uint8Array(Math.min(source.size, HEADER_PREFIX_BYTES));
    const got = await source.read(0, prefix);
    return new WavSource(source, readWavHeader(prefix.subarray(0, got), source.size));
  }

  get facts(): WavFacts {
    return this.header.facts;
  }

  /** Most frames one read may cover. */
  get maxFramesPerRead(): number {
    return Math.max(1, Math.floor(MAX_READ_BYTES / this.facts.blockAlign));
  }

  /**
   * Frames [start, start + n) clipped to the file, every channel (or only `channel`); `n` may not
   * exceed maxFramesPerRead (callers split longer ranges).
   */
  async frames(start: number, n: number, channel?: number): Promise<Float32Array[]> {
    const f = this.facts;
    if (n > this.maxFramesPerRead)
      throw new RangeError(`read of ${n} frames exceeds ${this.maxFramesPerRead}`);
    const a = Math.max(0, Math.min(Math.floor(start), f.frames));
    const count = Math.max(0, Math.min(Math.floor(n), f.frames - a));
    const buf = new Uint8Array(count * f.blockAlign);
    const got = await this.source.read(this.header.dataOffset + a * f.blockAlign, buf);
    // A file that shrank since it was opened: what is left is decoded, the rest reads as silence.
    const whole = Math.floor(got / f.blockAlign);
    const h = { ...this.header, dataOffset: 0, facts: { ...f, frames: whole } };
    const decoded = decodeFrames(buf, h, 0, whole, channel);
    if (whole === count) return decoded;
    return decoded.map((c) => {
      const out = new Float32Array(count);
      out.set(c);
      return out;
    });
  }

  /** `length` mono samples from `start` (all channels averaged; zero outside the file), read in bounded pieces. */
  mono(start: number, length: number): Promise<Float32Array> {
    return readMono(this, start, length);
  }

  /** The whole file in order, one bounded piece at a time: `{ start, channels }`. */
  async *chunks(
    framesPerChunk = this.maxFramesPerRead,
  ): AsyncGenerator<{ start: number; channels: Float32Array[] }> {
    const step = Math.max(1, Math.min(framesPerChunk, this.maxFramesPerRead));
    for (let s = 0; s < this.facts.frames; s += step)
      yield { start: s, channels: await this.frames(s, step) };
  }

  /** Bytes in the file when it was opened. */
  get size(): number {
    return this.source.size;
  }

  /** The whole file's bytes, read in pieces of at most MAX_READ_BYTES (callers check `size` first). */
  readAll(): Promise<Uint8Array> {
    return readAllBytes(this.source);
  }

  /** Closes the underlying source. */
  close(): Promise<void> {
    return this.source.close();
  }
}

/** What readMono reads through: a source of frame ranges (a WavSource, a CompressedSource). */
interface FrameRanges {
  readonly facts: WavFacts;
  readonly maxFramesPerRead: number;
  frames(start: number, n: number): Promise<Float32Array[]>;
}

/** `length` mono samples from `start` (all channels averaged; zero outside the file), read in bounded pieces. */
export async function readMono(src: FrameRanges, start: number, length: number): Promise<Float32Array> {
  const out = new Float32Array(Math.max(0, length));
  const a = Math.max(0, start);
  const b = Math.min(src.facts.frames, start + length);
  for (let s = a; s < b; s += src.maxFramesPerRead) {
    const m = mixdown(await src.frames(s, Math.min(src.maxFramesPerRead, b - s)));
    out.set(m, s - start);
  }
  return out;
}
