import { compressedFacts } from './audioDecode';
import { readAllBytes, readBytes, type ByteSource } from './byteSource';
import { readFlacHeader, readMp3Header, type StreamHeader } from './codecHeaders';
import { CompressedStream, type ByteReader } from './compressedStream';
import { FlacRanges } from './flacRanges';
import { Mp3Ranges, type RangeDecoder } from './mp3Ranges';
import { OggRanges } from './oggRanges';
import type { WavFacts } from './wavDecode';
import { MAX_READ_BYTES, readMono } from './wavSource';

/** Bytes read first for the headers (FLAC metadata with its SEEKTABLE, an ID3 tag before MP3). */
const HEAD_BYTES = 256 * 1024;
/** Short reads are served from decoded blocks of this many frames (nearby reads then decode once). */
export const DECODE_BLOCK = 4096;
const BLOCK = DECODE_BLOCK;
/** Decoded blocks kept (at 8 channels, 2 MB each). */
const CACHED_BLOCKS = 32;

/**
 * A FLAC, MP3, Ogg Vorbis or Opus file read by frame ranges like a WavSource (facts, frames, mono,
 * chunks): nothing is decoded on open, a range is decoded from the nearest frame or page before it
 * (flacRanges.ts, mp3Ranges.ts, oggRanges.ts) and equals the whole-file decode there. What the
 * editor reads a long compressed file through.
 */
export class CompressedSource {
  readonly header: { facts: WavFacts; warnings: string[] };
  private readonly blocks = new Map<number, Promise<Float32Array[]>>();
  /** The last decode queued: decodes run one at a time (one decoder, reset between ranges). */
  private queue: Promise<unknown> = Promise.resolve();

  private constructor(
    readonly kind: 'flac' | 'mp3' | 'ogg',
    private readonly src: ByteSource,
    readonly stream: StreamHeader,
    private readonly ranges: RangeDecoder,
  ) {
    this.header = { facts: compressedFacts(stream, ranges.frames), warnings: stream.warnings };
  }

  /** Reads the headers and finds the frames (throws WavError for a broken or unsupported stream). */
  static async open(kind: 'flac' | 'mp3', src: ByteSource): Promise<CompressedSource> {
    const head = await readBytes(src, 0, HEAD_BYTES);
    if (kind === 'flac') {
      const h = readFlacHeader(head, src.size);
      return new CompressedSource(kind, src, h, await FlacRanges.open(src, h, head));
    }
    const h = readMp3Header(head, src.size);
    return new CompressedSource(kind, src, h, await Mp3Ranges.open(src, h));
  }

  /**
   * An Ogg Vorbis or Opus file by ranges, or undefined for one that is decoded whole instead (several
   * logical streams, chained, no end-of-stream page at its end: OggRanges.open says why).
   */
  static async openOgg(src: ByteSource): Promise<CompressedSource | undefined> {
    const r = await OggRanges.open(src, await readBytes(src, 0, HEAD_BYTES));
    return r && new CompressedSource('ogg', src, r.header, r);
  }

  get facts(): WavFacts {
    return this.header.facts;
  }

  /** Most frames one read may cover (decoded floats of every channel within MAX_READ_BYTES). */
  get maxFramesPerRead(): number {
    return Math.max(1, Math.floor(MAX_READ_BYTES / this.facts.blockAlign));
  }

  private decode(a: number, b: number): Promise<Float32Array[]> {
    const run = this.queue.then(() => this.ranges.decode(a, b));
    this.queue = run.catch(() => undefined);
    return run;
  }

  private block(k: number): Promise<Float32Array[]> {
    let b = this.blocks.get(k);
    if (b) {
      this.blocks.delete(k); // most recently used last
    } else {
      const a = k * BLOCK;
      b = this.decode(a, Math.min(this.facts.frames, a + BLOCK));
      b.catch(() => this.blocks.delete(k));
      if (this.blocks.size >= CACHED_BLOCKS) this.blocks.delete(this.blocks.keys().next().value!);
    }
    this.blocks.set(k, b);
    return b;
  }

  /** Frames [start, start + n) clipped to the file, every channel (or only `channel`); n <= maxFramesPerRead. */
  async frames(start: number, n: number, channel?: number): Promise<Float32Array[]> {
    if (n > this.maxFramesPerRead)
      throw new RangeError(`read of ${n} frames exceeds ${this.maxFramesPerRead}`);
    const total = this.facts.frames;
    const a = Math.max(0, Math.min(Math.floor(start), total));
    const b = Math.max(a, Math.min(total, a + Math.floor(n)));
    let chans: Float32Array[];
    if (b - a > BLOCK) chans = await this.decode(a, b);
    else {
      // One or two cached blocks.
      const k0 = Math.floor(a / BLOCK);
      const k1 = Math.floor(Math.max(a, b - 1) / BLOCK);
      const parts = await Promise.all([this.block(k0), ...(k1 > k0 ? [this.block(k1)] : [])]);
      chans = parts[0].map((_, ch) => {
        const o = new Float32Array(b - a);
        for (let i = 0; i < parts.length; i++) {
          const from = (k0 + i) * BLOCK;
          const s = Math.max(a, from) - from;
          const e = Math.min(b, from + BLOCK) - from;
          if (e > s) o.set(parts[i][ch].subarray(s, e), Math.max(a, from) - a);
        }
        return o;
      });
    }
    return channel === undefined ? chans : [chans[channel]];
  }

  /**
   * Frames [start, start + n) clipped to the file, every channel, decoded on their own and not kept
   * (n <= maxFramesPerRead): a sparse read far from any other, where cached blocks would only be
   * decoded in full and evicted unused.
   */
  framesOnce(start: number, n: number): Promise<Float32Array[]> {
    if (n > this.maxFramesPerRead)
      throw new RangeError(`read of ${n} frames exceeds ${this.maxFramesPerRead}`);
    const total = this.facts.frames;
    const a = Math.max(0, Math.min(Math.floor(start), total));
    return this.decode(a, Math.max(a, Math.min(total, a + Math.floor(n))));
  }

  /** `length` mono samples from `start` (all channels averaged; zero outside the file). */
  mono(start: number, length: number): Promise<Float32Array> {
    return readMono(this, start, length);
  }

  /**
   * The whole file in order, decoded as one stream (no range is decoded twice): what the overview
   * pass reads. Pieces are the decoder's, of any length; `framesPerChunk` is not used.
   */
  async *chunks(_framesPerChunk?: number): AsyncGenerator<{ start: number; channels: Float32Array[] }> {
    const s = await CompressedStream.open(this.kind, readerOf(this.src));
    try {
      let start = 0;
      for (let p = await s.next(); p; p = await s.next()) {
        const n = Math.min(p[0]?.length ?? 0, this.facts.frames - start);
        if (n <= 0) continue;
        yield { start, channels: p.map((c) => c.subarray(0, n)) };
        start += n;
      }
    } finally {
      s.free();
    }
  }

  /** Bytes in the file when it was opened. */
  get size(): number {
    return this.src.size;
  }

  /** The whole file's bytes (callers check `size` first). */
  readAll(): Promise<Uint8Array> {
    return readAllBytes(this.src);
  }

  /** Frees the decoder and closes the file. */
  async close(): Promise<void> {
    await this.queue;
    this.ranges.free();
    await this.src.close();
  }
}

/** A ByteSource read as a ByteReader (what the compressed decoders stream from). */
export function readerOf(src: ByteSource): ByteReader {
  return { size: src.size, read: (offset, length) => readBytes(src, offset, length) };
}
