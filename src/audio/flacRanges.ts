import { FLACDecoder } from '@wasm-audio-decoders/flac';
import { readBytes, type ByteSource } from './byteSource';
import type { StreamHeader } from './codecHeaders';
import { quietly } from './compressedStream';
import { flacFrameHeader, flacSeekTable, nextFlacFrame, renumberFlacFrame } from './flacFrames';
import type { RangeDecoder } from './mp3Ranges';
import { WavError } from './wavDecode';

/** How far a search goes (tests lower both to search small files). */
export interface FlacSearch {
  /** Bytes read at a time while looking for a frame or walking frames. */
  piece: number;
  /** A search stops once the frame found starts at most this many samples before the range. */
  closeEnough: number;
}
/** Frames found by searches are kept as seek points, up to this many. */
const MAX_POINTS = 1 << 16;
const SEARCH: FlacSearch = { piece: 64 * 1024, closeEnough: 1 << 14 };

interface Point {
  sample: number;
  offset: number;
}

/**
 * A FLAC file read by ranges. Every FLAC frame decodes on its own and its header says which sample
 * it starts at, so a range is decoded from the frame that holds its first sample: found from the
 * SEEKTABLE's points (when the file has one) narrowed by an interpolation search over frame headers
 * (a sync code whose header CRC-8 checks and whose next frame follows it), then frames walked and
 * handed to the decoder one by one (its frame-level API: no codec-parser). Bit-exact: each frame's
 * samples are the whole decode's.
 */
export class FlacRanges implements RangeDecoder {
  /** The sample after the last frame decoded (-1: none, or an error). */
  private nextSample = -1;
  /**
   * A piece-sized buffer that searches and frame walks read into, refilled in place (a fresh one per
   * read made the first view of an hour spend more time allocating than decoding); undefined while in use.
   */
  private spare: Uint8Array | undefined;

  private constructor(
    private readonly src: ByteSource,
    private readonly header: StreamHeader,
    private readonly points: Point[],
    private readonly fixedBlock: number,
    readonly frames: number,
    private readonly decoder: FLACDecoder,
    private readonly search: FlacSearch,
  ) {}

  /** `meta`: the file's first bytes (STREAMINFO and the other metadata blocks, as far as they were read). */
  static async open(
    src: ByteSource,
    header: StreamHeader,
    meta: Uint8Array,
    search = SEARCH,
  ): Promise<FlacRanges> {
    const frames = header.declaredFrames;
    if (!frames) throw new WavError('FLAC STREAMINFO without a total sample count');
    const dv = new DataView(meta.buffer, meta.byteOffset, meta.byteLength);
    const minBlock = dv.getUint16(8);
    const maxBlock = dv.getUint16(10);
    const fixedBlock = minBlock === maxBlock ? maxBlock : 0;
    const points = [{ sample: 0, offset: header.audioOffset }];
    for (const p of flacSeekTable(meta))
      if (p.sample > points[points.length - 1].sample && p.sample < frames)
        points.push({ sample: p.sample, offset: header.audioOffset + p.offset });
    const decoder = new FLACDecoder();
    await decoder.ready;
    return new FlacRanges(src, header, points, fixedBlock, frames, decoder, search);
  }

  /** The first checked frame at or after byte `from` (its next frame follows it), or undefined before `limit`. */
  private async frameAt(from: number, limit: number): Promise<Point | undefined> {
    const scan = (b: Uint8Array): Point | undefined => {
      for (
        let o = nextFlacFrame(b, 0, this.fixedBlock);
        o >= 0;
        o = nextFlacFrame(b, o + 1, this.fixedBlock)
      ) {
        const h = flacFrameHeader(b, o, this.fixedBlock)!;
        const n = nextFlacFrame(b, o + 1, this.fixedBlock);
        const next = n >= 0 ? flacFrameHeader(b, n, this.fixedBlock) : undefined;
        if (next && next.sample === h.sample + h.blockSize) return { sample: h.sample, offset: from + o };
      }
      return undefined;
    };
    const piece = this.borrow();
    try {
      return scan(await this.readInto(from, piece.subarray(0, Math.max(0, limit - from))));
    } finally {
      this.spare = piece;
    }
  }

  /** The spare piece buffer (a new one when it is in use). */
  private borrow(): Uint8Array {
    const b = this.spare ?? new Uint8Array(this.search.piece);
    this.spare = undefined;
    return b;
  }

  /** Fills `buffer` from byte `offset`: the part read (shorter at the end of the file). */
  private async readInto(offset: number, buffer: Uint8Array): Promise<Uint8Array> {
    return buffer.subarray(0, await this.src.read(offset, buffer));
  }

  /** A frame starting at or before sample `a`, close to it: seek points, then interpolation over frame headers. */
  private async locate(a: number): Promise<Point> {
    let i = this.points.length - 1;
    while (i > 0 && this.points[i].sample > a) i--;
    let lo = this.points[i];
    let hi = this.points[i + 1] ?? { sample: this.frames, offset: this.src.size };
    for (
      let step = 0;
      step < 12 && a - lo.sample > this.search.closeEnough && hi.offset - lo.offset > this.search.piece;
      step++
    ) {
      const frac = (a - lo.sample) / Math.max(1, hi.sample - lo.sample);
      // Aim a little early: landing after `a` only narrows the upper bound.
      const guess = Math.floor(lo.offset + frac * (hi.offset - lo.offset) - this.search.piece / 4);
      const at = Math.max(lo.offset + 1, guess);
      const f = await this.frameAt(at, hi.offset);
      if (!f || f.sample <= lo.sample || f.sample >= hi.sample) break;
      this.learn(f);
      if (f.sample <= a) lo = f;
      else hi = f;
    }
    return lo;
  }

  /** Keeps a frame found by a search as a seek point (points stay sorted; at most MAX_POINTS). */
  private learn(f: Point): void {
    if (this.points.length >= MAX_POINTS) return;
    let i = this.points.length;
    while (i > 0 && this.points[i - 1].sample > f.sample) i--;
    if (this.points[i - 1]?.sample !== f.sample) this.points.splice(i, 0, f);
  }

  async decode(a: number, b: number): Promise<Float32Array[]> {
    if (b <= a) return Array.from({ length: this.header.channels }, () => new Float32Array(0));
    const start = await this.locate(a);
    const piece = this.borrow();
    try {
      return await this.walk(a, b, start, piece);
    } finally {
      this.spare = piece;
    }
  }

  /** decode() from the frame at `start`, its first piece read into `piece`. */
  private async walk(a: number, b: number, start: Point, piece: Uint8Array): Promise<Float32Array[]> {
    const chans = this.header.channels;
    const out = Array.from({ length: chans }, () => new Float32Array(Math.max(0, b - a)));
    const fb = this.fixedBlock;
    // Walk frames from `start`, keeping those that overlap [a, b).
    const keep: { sample: number; bytes: Uint8Array }[] = [];
    let offset = start.offset;
    let expect = start.sample;
    let buf = await this.readInto(offset, piece);
    // The bytes in hand and the next piece after them.
    const grow = async (have: Uint8Array): Promise<Uint8Array> => {
      const more = await readBytes(this.src, offset + have.length, this.search.piece);
      const joined = new Uint8Array(have.length + more.length);
      joined.set(have);
      joined.set(more, have.length);
      return joined;
    };
    while (expect < b) {
      const h = flacFrameHeader(buf, 0, fb);
      if (!h || h.sample !== expect)
        throw new WavError(`corrupt FLAC data at byte ${offset} (no frame for sample ${expect})`);
      // The frame ends where the header of the frame after it starts.
      let end = -1;
      for (;;) {
        for (let o = nextFlacFrame(buf, 1, fb); o >= 0; o = nextFlacFrame(buf, o + 1, fb))
          if (flacFrameHeader(buf, o, fb)!.sample === h.sample + h.blockSize) {
            end = o;
            break;
          }
        if (end >= 0 || offset + buf.length >= this.src.size) break;
        buf = await grow(buf);
      }
      if (end < 0) end = buf.length; // the last frame runs to the end of the file
      if (h.sample + h.blockSize > a) keep.push({ sample: h.sample, bytes: buf.slice(0, end) });
      expect = h.sample + h.blockSize;
      offset += end;
      buf = buf.subarray(end);
      if (buf.length < this.search.piece / 2 && offset + buf.length < this.src.size && expect < b)
        buf = await grow(buf);
      if (!buf.length) break;
    }
    if (!keep.length) return out;
    // libFLAC expects each frame to follow the one it decoded last: a range elsewhere starts a fresh
    // decoder (a long run of such jumps on one decoder ends in a WebAssembly out-of-bounds access).
    const heads = keep.map((k) => flacFrameHeader(k.bytes, 0, fb)!);
    const want = heads.reduce((n, h) => n + h.blockSize, 0);
    let frames = keep.map((k) => k.bytes);
    if (this.nextSample >= 0 && keep[0].sample !== this.nextSample) {
      // Renumbered to follow the frames decoded before (renumberFlacFrame says why).
      let at = this.nextSample;
      frames = frames.map((f, i) => {
        const h = heads[i];
        const g = renumberFlacFrame(f, h, h.variable ? at : at / fb);
        at += h.blockSize;
        return g;
      });
    }
    const d = await quietly(() => this.decoder.decodeFrames(frames));
    this.nextSample = (this.nextSample >= 0 ? this.nextSample : keep[0].sample) + want;
    // A short last frame: what follows it is no whole number of blocks; start afresh after it.
    if (fb && heads[heads.length - 1].blockSize !== fb) {
      await this.decoder.reset();
      this.nextSample = -1;
    }
    if (d.errors.length || d.samplesDecoded !== want) {
      await this.decoder.reset();
      this.nextSample = -1;
      throw new WavError(
        `corrupt FLAC data near byte ${start.offset} (${d.errors[0]?.message ?? `${d.samplesDecoded} of ${want} samples decoded`})`,
      );
    }
    // Undo the decoder's 1 / (2^(n-1) - 1) scale, as the whole decode does (compressedStream.ts).
    const scale = 2 ** ((this.header.bitsPerSample ?? 16) - 1);
    const m = scale - 1;
    const first = keep[0].sample;
    const from = a - first;
    const n = Math.min(b - a, d.samplesDecoded - from);
    for (let ch = 0; ch < chans; ch++) {
      const c = d.channelData[ch];
      const o = out[ch];
      for (let i = 0; i < n; i++) o[i] = Math.round(c[from + i] * m) / scale;
    }
    return out;
  }

  free(): void {
    this.decoder.free();
  }
}
