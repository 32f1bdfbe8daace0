import { readBytes, type ByteSource } from './byteSource';
import { pageCrc } from './oggStreams';

/**
 * Ogg pages read at any offset of a file (for oggRanges.ts), packets put back together from their
 * lacing values, and packets written out as pages again. Hand-written: the decoders' parser
 * (codec-parser) only reads a stream from its first byte and has no page writer.
 */

/** The largest Ogg page: a 27-byte header, 255 lacing values, 255 x 255 body bytes. */
export const MAX_PAGE = 27 + 255 + 255 * 255;

export interface OggPage {
  /** Byte offset of the page in the file. */
  offset: number;
  length: number;
  serial: number;
  seq: number;
  continued: boolean;
  bos: boolean;
  eos: boolean;
  /** Granule position (-1 on a page where no packet ends). */
  granule: number;
  lacing: Uint8Array;
  body: Uint8Array;
}

/** What is at byte `o` of `b`: a checked page, 'short' (b ends inside it), 'crc' (a wrong CRC) or undefined (no page header). */
export function pageAt(b: Uint8Array, o: number, fileOffset: number): OggPage | 'short' | 'crc' | undefined {
  if (o + 27 > b.length) return 'short';
  if (b[o] !== 0x4f || b[o + 1] !== 0x67 || b[o + 2] !== 0x67 || b[o + 3] !== 0x53 || b[o + 4] !== 0)
    return undefined;
  const nseg = b[o + 26];
  if (o + 27 + nseg > b.length) return 'short';
  let len = 27 + nseg;
  for (let i = 0; i < nseg; i++) len += b[o + 27 + i];
  if (o + len > b.length) return 'short';
  const bytes = b.subarray(o, o + len);
  const dv = new DataView(b.buffer, b.byteOffset + o, len);
  if (pageCrc(bytes) !== dv.getUint32(22, true)) return 'crc';
  const flags = b[o + 5];
  return {
    offset: fileOffset + o,
    length: len,
    serial: dv.getUint32(14, true),
    seq: dv.getUint32(18, true),
    continued: !!(flags & 1),
    bos: !!(flags & 2),
    eos: !!(flags & 4),
    granule: dv.getUint32(6, true) + dv.getInt32(10, true) * 2 ** 32,
    lacing: bytes.subarray(27, 27 + nseg),
    body: bytes.subarray(27 + nseg),
  };
}

/** Pages kept by a PageReader (a search and the decode after it meet the same pages). */
const CACHED_PAGES = 64;

/** Reads a file's pages forward from an offset through a buffer of `piece` bytes (refilled as needed). */
export class PageReader {
  private buf: Uint8Array = new Uint8Array(0);
  private at = 0;
  private readonly cache = new Map<number, OggPage>();

  constructor(
    private readonly src: ByteSource,
    private readonly piece: number,
  ) {}

  /** Makes sure bytes [offset, offset + n) (clipped to the file) are in the buffer. */
  private async ensure(offset: number, n: number): Promise<void> {
    const end = Math.min(this.src.size, offset + n);
    if (offset >= this.at && end <= this.at + this.buf.length) return;
    this.buf = await readBytes(this.src, offset, Math.max(n, this.piece));
    this.at = offset;
  }

  /** The page at `offset` exactly: a page, 'crc', undefined (no page there) or 'end' (the file ends inside it or at it). */
  async pageAt(offset: number): Promise<OggPage | 'crc' | 'end' | undefined> {
    const known = this.cache.get(offset);
    if (known) return known;
    await this.ensure(offset, 27 + 255);
    let p = pageAt(this.buf, offset - this.at, this.at);
    if (p === 'short') {
      const o = offset - this.at;
      const nseg = o + 27 <= this.buf.length ? this.buf[o + 26] : 0;
      let len = 27 + nseg;
      for (let i = 0; i < nseg && o + 27 + i < this.buf.length; i++) len += this.buf[o + 27 + i];
      await this.ensure(offset, len);
      p = pageAt(this.buf, offset - this.at, this.at);
    }
    if (typeof p !== 'object') return p === 'short' ? 'end' : p;
    if (this.cache.size >= CACHED_PAGES) this.cache.delete(this.cache.keys().next().value!);
    // A copy: the buffer is replaced at the next refill.
    const bytes = this.buf.slice(offset - this.at, offset - this.at + p.length);
    const page = {
      ...p,
      lacing: bytes.subarray(27, 27 + p.lacing.length),
      body: bytes.subarray(27 + p.lacing.length),
    };
    this.cache.set(offset, page);
    return page;
  }

  /** The first checked page at or after `offset` and before `limit` (resyncing past bytes that are not one). */
  async next(offset: number, limit: number): Promise<OggPage | undefined> {
    for (let o = offset; o < limit;) {
      const p = await this.pageAt(o);
      if (p === 'end') return undefined;
      if (p && p !== 'crc') return p;
      // The next capture pattern in the buffer (which pageAt loaded from `o` or before).
      const i = indexOfOggS(this.buf, o + 1 - this.at);
      o = i >= 0 ? this.at + i : this.at + Math.max(o + 1 - this.at, this.buf.length - 3);
    }
    return undefined;
  }
}

function indexOfOggS(b: Uint8Array, from: number): number {
  for (let i = Math.max(0, from); i + 4 <= b.length; i++)
    if (b[i] === 0x4f && b[i + 1] === 0x67 && b[i + 2] === 0x67 && b[i + 3] === 0x53) return i;
  return -1;
}

/** Packets of one logical stream put together from its pages' lacing values. */
export class PacketAssembler {
  private partial: Uint8Array[] = [];

  /**
   * The packets that end on `page`. A page continuing a packet whose start was not seen (the first
   * page of a range) drops that packet's tail; one not continuing a started packet returns undefined.
   */
  push(page: OggPage): Uint8Array[] | undefined {
    if (this.partial.length && !page.continued) return undefined;
    const out: Uint8Array[] = [];
    let seg = 0;
    let o = 0;
    if (page.continued && !this.partial.length) {
      while (seg < page.lacing.length && page.lacing[seg] === 255) o += page.lacing[seg++];
      if (seg < page.lacing.length) o += page.lacing[seg++];
      else return out; // the page is all continuation
    }
    let start = o;
    for (; seg < page.lacing.length; seg++) {
      o += page.lacing[seg];
      if (page.lacing[seg] < 255) {
        this.partial.push(page.body.subarray(start, o));
        out.push(join(this.partial));
        this.partial = [];
        start = o;
      }
    }
    if (start < o) this.partial.push(page.body.slice(start, o));
    return out;
  }
}

function join(parts: Uint8Array[]): Uint8Array {
  if (parts.length === 1) return parts[0];
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

/**
 * Packets written as Ogg pages of stream `serial` from page number `seq` (at most 255 lacing values
 * a page; a packet too long for one page goes on over the next); `granule` on the pages where a
 * packet ends, -1 on the others. Returns the pages' bytes, joined.
 */
export function writePages(
  serial: number,
  seq: number,
  packets: Uint8Array[],
  granule: number,
  bos: boolean,
): Uint8Array {
  const lacing: number[] = [];
  const ends: boolean[] = [];
  for (const p of packets) {
    for (let n = p.length; ; n -= 255) {
      lacing.push(Math.min(255, n));
      ends.push(n < 255);
      if (n < 255) break;
    }
  }
  const body = join(packets);
  const pages: Uint8Array[] = [];
  let bodyAt = 0;
  let continued = false;
  for (let s = 0; s < lacing.length; s += 255) {
    const lace = lacing.slice(s, s + 255);
    const size = lace.reduce((a, b) => a + b, 0);
    const page = new Uint8Array(27 + lace.length + size);
    const dv = new DataView(page.buffer);
    page.set([0x4f, 0x67, 0x67, 0x53, 0]);
    page[5] = (continued ? 1 : 0) | (bos && s === 0 ? 2 : 0);
    const ended = ends.slice(s, s + 255).some((e) => e);
    const g = ended ? granule : -1;
    dv.setUint32(6, g >>> 0, true);
    dv.setInt32(10, Math.floor(g / 2 ** 32), true);
    dv.setUint32(14, serial, true);
    dv.setUint32(18, seq++, true);
    page[26] = lace.length;
    page.set(lace, 27);
    page.set(body.subarray(bodyAt, bodyAt + size), 27 + lace.length);
    bodyAt += size;
    dv.setUint32(22, pageCrc(page), true);
    pages.push(page);
    continued = !ends[Math.min(lacing.length, s + 255) - 1];
  }
  return join(pages);
}
