import { OggVorbisDecoder } from '@wasm-audio-decoders/ogg-vorbis';
import { OggOpusDecoder } from 'ogg-opus-decoder';
import { readBytes, type ByteSource } from './byteSource';
import { readOpusHead, readVorbisId, type StreamHeader } from './codecHeaders';
import { quietly } from './compressedStream';
import type { RangeDecoder } from './mp3Ranges';
import { MAX_PAGE, PacketAssembler, pageAt, PageReader, writePages, type OggPage } from './oggPages';
import { codecOf } from './oggStreams';
import { WavError } from './wavDecode';

/** Bytes read at a time by the searches and the decode walk (an Ogg page is usually 4-8 kB). */
const PIECE = 16 * 1024;
/**
 * Opus samples (48 kHz) decoded before a range and dropped (decoding starts at the packet that
 * holds the range's start minus this). RFC 7845 sec. 4.6 asks for at least 80 ms for the decoder
 * to converge, but not to the whole decode's samples: measured on the range fixtures
 * (compressedRanges.test.ts), ranges are up to 4.6e-4 (stereo CELT) and 9.8e-4 (mono SILK) off
 * after 80 ms; the mono file 1.1e-3 after 400 ms, 6.1e-5 after 500 ms, and both exact from 600 ms
 * (CELT predicts band energies and SILK its filters from the frames before).
 */
export const OPUS_PREROLL = 48000 * 0.6;
/** Search bounds kept (pages found by the searches), at most. */
const MAX_POINTS = 1 << 16;

interface Point {
  granule: number;
  offset: number;
  /** Page sequence number. */
  seq: number;
}
/** Pages probed on open, evenly over the file, to tell a chained file (see `open`). */
const OPEN_PROBES = 8;

/** Decoded samples of every channel, `at` samples after the walk's first. */
interface Piece {
  at: number;
  ch: Float32Array[];
}

/** A page's granule position and the samples decoded up to its end. */
interface Anchor {
  granule: number;
  decoded: number;
}

interface Decoded {
  channelData: Float32Array[];
  samplesDecoded: number;
  errors: { message: string }[];
}
interface OggDecoder {
  ready: Promise<void>;
  decode(b: Uint8Array): Decoded | Promise<Decoded>;
  reset(): Promise<void>;
  flush(): Promise<Decoded>;
  free(): void;
}

/** An Ogg file's first audio stream, as found on open. */
interface Stream {
  header: StreamHeader;
  serial: number;
  codec: 'vorbis' | 'opus';
  /** The header packets (an OpusHead's pre-skip set to 0: ranges trim it themselves). */
  headers: Uint8Array[];
  /** Offset of the first page after the header pages. */
  audioOffset: number;
  /**
   * Samples decoded before a range: Opus OPUS_PREROLL; Vorbis half its long block (the most the
   * first packet decoded, whose output is its overlap only, can run past its page's granule).
   */
  preroll: number;
}

/**
 * An Ogg Vorbis or Opus file read by ranges. Nothing is scanned on open: the headers are read from
 * the start, the length from the last page's granule position (read from the file's tail), and a
 * range is found by bisection over the pages' granule positions (pages checked by their CRC; a
 * page without a packet end has granule -1 and is passed over). The decoder (the same as the whole
 * decode's, fed pages written from the packets) is given the header packets once, then the packets
 * from far enough before the range: Vorbis from the page whose last packet ends half a long block
 * before it (the first packet decoded gives only its overlap), Opus from the packet OPUS_PREROLL
 * before it. The output's place is fixed by the granule of a page decoded whole (its last sample),
 * and what precedes the range is dropped. The decoder goes on from range to range (the pre-roll
 * replaces its state): re-instantiating it and setting up Vorbis's codebooks per range cost 7x more.
 *
 * Positions: the whole decode (compressedStream.ts) starts at the first decoded sample whatever the
 * first granule, and ends at the last page's granule (its end trimming). So a stream starting at a
 * non-zero granule (cut from a live stream) counts from its first sample here too: the offset
 * `g0` (first audio page's granule minus the samples decoded up to it) is measured on open by
 * decoding that page, and taken off every granule. Opus: pre-skip dropped at the stream's start only.
 */
export class OggRanges implements RangeDecoder {
  private readonly points: Point[] = [];
  private readonly reader: PageReader;
  /** The decoder has had the header packets and no error since (walk). */
  private primed = false;
  /** Number of the next page written for the decoder (its parser takes Opus pages 0 and 1 for the headers). */
  private seq = 0;

  private constructor(
    src: ByteSource,
    private readonly s: Stream,
    /** Granule of the whole decode's first sample (before Opus's pre-skip). */
    private readonly g0: number,
    readonly frames: number,
    private readonly decoder: OggDecoder,
    /** Bytes read at a time (tests lower it to bisect over small files). */
    private readonly piece: number,
    /** The file's last page (the stream's end). */
    private readonly last: Point,
  ) {
    this.reader = new PageReader(src, piece);
  }

  get header(): StreamHeader {
    return this.s.header;
  }

  /**
   * Opens an Ogg Vorbis or Opus file for range reads; undefined for files that are decoded whole
   * instead (several logical streams, chained streams, no end-of-stream page at the end of the
   * file, headers beyond `head`, a first page that does not decode): the whole walk
   * (oggStreams.ts) then warns or fails with one line. Throws WavError for broken headers.
   */
  static async open(src: ByteSource, head: Uint8Array, piece = PIECE): Promise<OggRanges | undefined> {
    const s = readHeaders(head);
    if (!s) return undefined;
    const last = await lastPage(src);
    if (!last || last.serial !== s.serial || !last.eos || last.granule < 0) return undefined;
    const decoder: OggDecoder = s.codec === 'opus' ? new OggOpusDecoder() : new OggVorbisDecoder();
    await decoder.ready;
    const end = { granule: last.granule, offset: last.offset, seq: last.seq };
    const r = new OggRanges(src, s, 0, 0, decoder, piece, end);
    try {
      // Decode the first page where a packet ends: g0 = its granule - the samples decoded to it.
      const first = await r.walk(undefined, () => true);
      const g0 = first.anchor ? first.anchor.granule - first.anchor.decoded : 0;
      const frames = last.granule - g0 - (s.header.preSkip ?? 0);
      if (frames <= 0) throw chained(last.offset);
      // A second stream chained after the first (two files joined with `cat` keep one serial
      // number) shows as pages out of order: probed evenly over the file (a link shorter than
      // the gaps between probes is found when a range read meets it).
      const ranges = new OggRanges(src, s, g0, frames, decoder, piece, end);
      for (let k = 1; k < OPEN_PROBES; k++) {
        const from = s.audioOffset + Math.floor((k * (src.size - s.audioOffset)) / OPEN_PROBES);
        const p = await ranges.granulePage(from, src.size);
        if (p) ranges.learn(p);
      }
      return ranges;
    } catch (e) {
      decoder.free();
      // Decoded whole instead, which reports the chained streams (or the broken page) itself.
      if (e instanceof WavError) return undefined;
      throw e;
    }
  }

  /** The last page with a granule position <= g (undefined: none, the range starts with the stream). */
  private async find(g: number): Promise<Point | undefined> {
    // Bounds from the pages found so far (the end: the last page).
    let lo: Point | undefined;
    let hi = this.last;
    for (const p of this.points) {
      if (p.granule <= g) lo = p;
      else {
        hi = p;
        break;
      }
    }
    let loOffset = lo?.offset ?? this.s.audioOffset;
    let hiOffset = hi.offset;
    for (let step = 0; hiOffset - loOffset > 2 * this.piece; step++) {
      // Bisection, every other step aimed by the granules at the bounds (pages are of similar
      // durations); a little early, as landing after the target only lowers the upper bound.
      const gLo = lo?.granule ?? this.g0;
      const frac = step % 2 ? 0.5 : Math.min(1, Math.max(0, (g - gLo) / Math.max(1, hi.granule - gLo)));
      const mid = Math.min(
        hiOffset - this.piece,
        Math.max(loOffset, Math.floor(loOffset + frac * (hiOffset - loOffset) - this.piece)),
      );
      const p = await this.granulePage(mid, hiOffset);
      if (!p) {
        hiOffset = mid;
        continue;
      }
      this.learn(p);
      if (p.granule <= g) {
        lo = p;
        loOffset = p.offset + 1;
      } else {
        hi = p;
        hiOffset = mid;
      }
    }
    // The rest page by page.
    for (let p = await this.granulePage(loOffset, hiOffset + MAX_PAGE); p && p.granule <= g;) {
      lo = p;
      this.learn(p);
      p = await this.granulePage(p.offset + 1, hiOffset + MAX_PAGE);
    }
    return lo;
  }

  /** The first checked page of the stream with a granule position at or after byte `from`, before `limit`. */
  private async granulePage(from: number, limit: number): Promise<Point | undefined> {
    for (let o = from; o < limit;) {
      const p = await this.reader.next(o, limit);
      if (!p) return undefined;
      if (p.serial === this.s.serial && p.bos) throw chained(p.offset);
      if (p.serial === this.s.serial && p.granule >= 0)
        return { granule: p.granule, offset: p.offset, seq: p.seq };
      o = p.offset + p.length;
    }
    return undefined;
  }

  /**
   * Keeps a page found by a search as a bound. Along one stream, granules and page numbers grow
   * with the offset: a page out of that order is a second stream chained after the first (whose
   * granules and page numbers start again).
   */
  private learn(p: Point): void {
    let i = this.points.length;
    while (i > 0 && this.points[i - 1].offset > p.offset) i--;
    const before = this.points[i - 1];
    const after = this.points[i] ?? this.last;
    if (before?.offset === p.offset || p.offset >= this.last.offset) return;
    if (
      (before && (before.granule > p.granule || before.seq >= p.seq)) ||
      after.granule < p.granule ||
      after.seq <= p.seq
    )
      throw chained(p.offset);
    if (this.points.length < MAX_POINTS) this.points.splice(i, 0, p);
  }

  /**
   * Decodes from the packet that ends page `from` unfinished (from the first audio packet when
   * undefined) until `enough(anchor, decoded)` says stop, once a page with a granule position was
   * decoded. Returns the decoded pieces and the anchor: the first such page's granule and the
   * samples decoded up to its end. Opus: the packets that end at or before granule `skipBefore`
   * are not decoded (their durations from their TOC bytes, counted as decoded).
   */
  private async walk(
    from: Point | undefined,
    enough: (anchor: Anchor, decoded: number) => boolean,
    skipBefore = -Infinity,
  ): Promise<{ pieces: Piece[]; anchor?: Anchor }> {
    const { serial, headers } = this.s;
    // A fresh decoder for the stream's start (its output counted from the first packet) and after
    // a flush or an error; else the decoder goes on from the last range: the pre-roll (Vorbis: the
    // first packet, which overlaps what came before) replaces its state, and its output is dropped.
    const fresh = !from || !this.primed;
    this.primed = false;
    if (fresh) await this.decoder.reset();
    const pieces: Piece[] = [];
    let decoded = 0;
    if (fresh) this.seq = 0;
    const take = (d: Decoded, at: number): void => {
      if (d.errors.length)
        throw new WavError(
          `corrupt ${this.s.header.codec} data in the Ogg page at byte ${at} (${d.errors[0].message})`,
        );
      if (d.samplesDecoded)
        pieces.push({ at: decoded, ch: d.channelData.map((c) => c.subarray(0, d.samplesDecoded)) });
      decoded += d.samplesDecoded;
    };
    // The decoders' parser hands on a page once the bytes after it arrived: the samples a feed
    // returns are those of the page fed before it (`held`; the first feed's are the last range's
    // page left held, dropped); the end page's come with flush(), which resets the decoder.
    let held: { granule: number; offset: number; eos: boolean } | undefined;
    let anchor: Anchor | undefined;
    const feed = async (packets: Uint8Array[], page: typeof held, bos = false): Promise<boolean> => {
      const bytes = writePages(serial, this.seq, packets, page?.granule ?? 0, bos);
      this.seq += 1 + Math.floor(bytes.length / (255 * 255));
      const d = await quietly(() => this.decoder.decode(bytes));
      const prev = held;
      held = page;
      if (!prev) return false;
      take(d, prev.offset);
      return this.settle(prev, decoded, anchor, (a) => (anchor = a), enough);
    };
    if (fresh) {
      await feed([headers[0]], undefined, true);
      await feed(headers.slice(1), undefined);
    }
    const asm = new PacketAssembler();
    let offset = from ? from.offset : this.s.audioOffset;
    let expectSeq = -1;
    let first = !!from;
    /** Granule at the start of the next packet while packets are skipped. */
    let pos = from?.granule ?? 0;
    let done = false;
    let ended = false;
    while (!done) {
      const p = await this.reader.pageAt(offset);
      if (p === 'end') {
        ended = true;
        if (anchor) break;
        throw new WavError(`truncated Ogg stream: it ends at byte ${offset} before the end-of-stream page`);
      }
      if (p === 'crc') throw new WavError(`corrupt Ogg page at byte ${offset} (wrong CRC)`);
      if (!p) throw new WavError(`corrupt Ogg stream: no page at byte ${offset}`);
      offset += p.length;
      if (p.serial !== serial) continue;
      if (p.bos) throw chained(p.offset);
      if (expectSeq >= 0 && p.seq !== expectSeq)
        throw new WavError(`corrupt Ogg stream: page ${expectSeq} is missing before byte ${p.offset}`);
      expectSeq = p.seq + 1;
      const packets = asm.push(p);
      if (!packets) throw new WavError(`corrupt Ogg stream: a packet is cut short at byte ${p.offset}`);
      // The page the decode starts from: only its unfinished last packet is decoded.
      if (first) first = false;
      else {
        let k = 0;
        const opus = from && this.s.codec === 'opus';
        while (opus && k < packets.length && pos + opusSamples(packets[k]) <= skipBefore) {
          const n = opusSamples(packets[k++]);
          pos += n;
          decoded += n;
        }
        if (k < packets.length) {
          skipBefore = -Infinity; // only the first packets are skipped
          const page = { granule: p.granule, offset: p.offset, eos: p.eos };
          done = await feed(k ? packets.slice(k) : packets, page);
        }
      }
      ended ||= p.eos;
      done ||= p.eos;
    }
    if (held && ended) {
      const last = held;
      take(await quietly(() => this.decoder.flush()), last.offset);
      this.settle(last, decoded, anchor, (a) => (anchor = a), enough);
    } else this.primed = true;
    return { pieces, anchor };
  }

  /** After a page's samples: sets the anchor at the first page with a granule (not the end page, whose granule trims); true when `enough`. */
  private settle(
    page: { granule: number; eos: boolean },
    decoded: number,
    anchor: Anchor | undefined,
    set: (a: Anchor) => void,
    enough: (anchor: Anchor, decoded: number) => boolean,
  ): boolean {
    if (!anchor && page.granule >= 0 && !page.eos) set((anchor = { granule: page.granule, decoded }));
    return !!anchor && enough(anchor, decoded);
  }

  async decode(a: number, b: number): Promise<Float32Array[]> {
    const chans = this.s.header.channels;
    const out = Array.from({ length: chans }, () => new Float32Array(Math.max(0, b - a)));
    if (b <= a) return out;
    const skip = this.s.header.preSkip ?? 0;
    // Granule (absolute) of the whole decode's sample i: g0 + skip + i. Decoding starts with the
    // packet that ends page `from` unfinished, at least `preroll` before the range.
    let from = await this.find(this.g0 + skip + a - this.s.preroll);
    for (;;) {
      // Whole-decode index of decoder output 0: from the stream start, -skip; else from the anchor.
      let base = -skip;
      const start = this.g0 + skip + a - this.s.preroll;
      const r = await this.walk(
        from,
        (anchor, decoded) => {
          if (from) base = anchor.granule - this.g0 - skip - anchor.decoded;
          return base + decoded >= b;
        },
        start,
      );
      if (from && !r.anchor) {
        // Only the end-of-stream page followed (its granule trims, it places nothing): a page earlier.
        from = await this.find(from.granule - 1);
        continue;
      }
      if (base > a)
        throw new WavError(`Ogg range ${a}-${b} could not be found (its decode starts at ${base})`);
      copyPieces(r.pieces, base, a, b, out);
      return out;
    }
  }

  free(): void {
    this.decoder.free();
  }
}

/** Samples [a, b) of `out` from decoded pieces (placed from sample `base`). */
function copyPieces(pieces: Piece[], base: number, a: number, b: number, out: Float32Array[]): void {
  for (const piece of pieces) {
    const at = base + piece.at;
    const n = piece.ch[0]?.length ?? 0;
    const s = Math.max(a, at);
    const e = Math.min(b, at + n);
    if (e > s)
      for (let ch = 0; ch < out.length; ch++) out[ch].set(piece.ch[ch].subarray(s - at, e - at), s - a);
  }
}

/** Samples (48 kHz) of an Opus packet, from its TOC byte (RFC 6716 sec. 3.1). */
export function opusSamples(p: Uint8Array): number {
  if (!p.length) return 0;
  const config = p[0] >> 3;
  const size =
    config < 12
      ? [480, 960, 1920, 2880][config & 3]
      : config < 16
        ? [480, 960][config & 1]
        : [120, 240, 480, 960][config & 3];
  const c = p[0] & 3;
  const frames = c === 0 ? 1 : c < 3 ? 2 : p.length > 1 ? p[1] & 0x3f : 0;
  return size * frames;
}

/** The first audio stream's header packets from the file's first bytes; undefined if the file is not one for ranges. */
function chained(offset: number): WavError {
  return new WavError(
    `the Ogg file chains several streams (another begins before byte ${offset}): it is decoded whole only`,
  );
}

function readHeaders(head: Uint8Array): Stream | undefined {
  let offset = 0;
  const asm = new PacketAssembler();
  const packets: Uint8Array[] = [];
  let serial = -1;
  let codec: 'vorbis' | 'opus' | undefined;
  while (offset < head.length) {
    const p = pageAt(head, offset, 0);
    if (typeof p !== 'object') return undefined;
    offset += p.length;
    if (serial < 0) {
      const c = p.bos ? codecOf(p.body) : undefined;
      if (c !== 'vorbis' && c !== 'opus') return undefined;
      serial = p.serial;
      codec = c;
    } else if (p.serial !== serial || p.bos) return undefined; // several logical streams
    const got = asm.push(p);
    if (!got) return undefined;
    packets.push(...got);
    const need = codec === 'vorbis' ? 3 : 2;
    if (packets.length >= need) {
      // The header packets end their page (Vorbis I sec. 4.2.1, RFC 7845 sec. 3).
      if (packets.length > need || p.lacing[p.lacing.length - 1] === 255) return undefined;
      const id = packets[0];
      const header: StreamHeader = {
        ...(codec === 'opus' ? readOpusHead(id) : readVorbisId(id)),
        audioOffset: 0,
      };
      const headers = packets.map((x) => x.slice());
      if (codec === 'opus') {
        headers[0].fill(0, 10, 12); // pre-skip 0: dropped here at the stream's start
        // An empty OpusTags (the decoder does not read it): one page, whatever the file's tags.
        headers[1] = new Uint8Array(
          [...'OpusTags'].map((c) => c.charCodeAt(0)).concat([0, 0, 0, 0, 0, 0, 0, 0]),
        );
      }
      const preroll = codec === 'opus' ? OPUS_PREROLL : 2 ** (id[28] >> 4) / 2;
      return { header, serial, codec: codec!, headers, audioOffset: offset, preroll };
    }
  }
  return undefined;
}

/** The last checked page of the file: the one that ends it (read from the tail). */
async function lastPage(src: ByteSource): Promise<OggPage | undefined> {
  const from = Math.max(0, src.size - MAX_PAGE - 27);
  const tail = await readBytes(src, from, src.size - from);
  let last: OggPage | undefined;
  for (let o = 0; o + 27 <= tail.length;) {
    const p = pageAt(tail, o, from);
    if (typeof p === 'object') {
      last = p;
      o += p.length;
    } else o++;
  }
  return last && last.offset + last.length === src.size ? last : undefined;
}
