import { WavError } from './wavDecode';

/**
 * Ogg pages, walked here rather than by the decoders' parser (codec-parser) because Wavebench must
 * tell users what it decoded: the decoders mix every logical stream of a file into one decode, do
 * not check page CRCs (enableFrameCRC32 is off in them) and reset silently at a chained stream.
 * This walker checks each page's CRC, keeps only the first audio stream (its serial number) and
 * stops at its end-of-stream page, reporting the other streams and chained links as warnings.
 * Fed in pieces (push), so that long files stream in bounded memory.
 */
export type OggCodec = 'vorbis' | 'opus' | 'flac';

const CRC_TABLE = (() => {
  const t = new Uint32Array(256);
  for (let i = 0; i < 256; i++) {
    let r = i << 24;
    for (let k = 0; k < 8; k++) r = r & 0x80000000 ? (r << 1) ^ 0x04c11db7 : r << 1;
    t[i] = r >>> 0;
  }
  return t;
})();

/** Ogg's CRC-32 (polynomial 0x04c11db7, not reflected, initial 0) of a page with its CRC field zeroed. */
export function pageCrc(page: Uint8Array): number {
  let crc = 0;
  for (let i = 0; i < page.length; i++) {
    const b = i >= 22 && i < 26 ? 0 : page[i];
    crc = ((crc << 8) ^ CRC_TABLE[((crc >>> 24) ^ b) & 0xff]) >>> 0;
  }
  return crc;
}

/** The codec of a stream, from the first packet of its first page. */
export function codecOf(packet: Uint8Array): OggCodec | undefined {
  const s = String.fromCharCode(...packet.subarray(0, 8));
  if (s.startsWith('\x01vorbis')) return 'vorbis';
  if (s === 'OpusHead') return 'opus';
  if (s.startsWith('\x7fFLAC')) return 'flac';
  return undefined;
}

/** One Ogg page's fields. */
interface Page {
  bytes: Uint8Array;
  serial: number;
  bos: boolean;
  eos: boolean;
  granule: number;
  body: Uint8Array;
}

/** What the walk found so far: the chosen stream's first page body (its ID header), its codec, the last granule. */
export class OggWalker {
  private carry = new Uint8Array(0);
  private offset = 0;
  private serial: number | undefined;
  private ended = false;
  private otherSerials = new Set<number>();
  private chained = 0;
  private afterEnd = false;
  codec: OggCodec | undefined;
  /** Body of the chosen stream's first page: the identification header. */
  idHeader: Uint8Array | undefined;
  /** Granule position of the chosen stream's last complete page (samples at the codec's rate). */
  lastGranule = -1;
  /** Pages of the chosen stream seen so far. */
  pages = 0;

  /**
   * Takes the next bytes of the file; returns the bytes of the chosen stream's whole pages among
   * them (what its decoder is fed). Throws WavError at a page with a wrong CRC or a broken header.
   */
  push(bytes: Uint8Array): Uint8Array[] {
    const buf = this.carry.length ? concat(this.carry, bytes) : bytes;
    const out: Uint8Array[] = [];
    let o = 0;
    while (o + 27 <= buf.length) {
      if (buf[o] !== 0x4f || buf[o + 1] !== 0x67 || buf[o + 2] !== 0x67 || buf[o + 3] !== 0x53) {
        throw new WavError(`corrupt Ogg stream: no page at byte ${this.offset + o}${this.decodedNote()}`);
      }
      if (buf[o + 4] !== 0)
        throw new WavError(`unsupported Ogg version ${buf[o + 4]} at byte ${this.offset + o}`);
      const nseg = buf[o + 26];
      if (o + 27 + nseg > buf.length) break;
      let bodyLen = 0;
      for (let i = 0; i < nseg; i++) bodyLen += buf[o + 27 + i];
      const len = 27 + nseg + bodyLen;
      if (o + len > buf.length) break;
      const bytesOfPage = buf.subarray(o, o + len);
      const dv = new DataView(buf.buffer, buf.byteOffset + o, len);
      if (pageCrc(bytesOfPage) !== dv.getUint32(22, true))
        throw new WavError(`corrupt Ogg page at byte ${this.offset + o} (wrong CRC)${this.decodedNote()}`);
      const flags = buf[o + 5];
      const page: Page = {
        bytes: bytesOfPage,
        serial: dv.getUint32(14, true),
        bos: !!(flags & 2),
        eos: !!(flags & 4),
        granule: dv.getUint32(6, true) + dv.getInt32(10, true) * 2 ** 32,
        body: bytesOfPage.subarray(27 + nseg),
      };
      this.take(page, out);
      o += len;
    }
    // Slice (a copy) so that the caller's buffer can be reused; a page is at most 65,307 bytes.
    this.carry = buf.slice(o);
    this.offset += o;
    return out;
  }

  private take(p: Page, out: Uint8Array[]): void {
    if (this.serial === undefined) {
      if (!p.bos) throw new WavError('corrupt Ogg stream: the first page does not begin a stream');
      const codec = codecOf(p.body);
      if (!codec) {
        this.otherSerials.add(p.serial);
        return;
      }
      this.serial = p.serial;
      this.codec = codec;
      this.idHeader = p.body.slice();
    } else if (this.ended) {
      // A chained link may reuse the serial number (two files concatenated): any page that begins a stream counts.
      this.afterEnd = true;
      if (p.bos) this.chained++;
      else if (p.serial !== this.serial) this.otherSerials.add(p.serial);
      return;
    } else if (p.serial !== this.serial) {
      this.otherSerials.add(p.serial);
      return;
    }
    out.push(p.bytes);
    this.pages++;
    if (p.granule >= 0) this.lastGranule = p.granule;
    if (p.eos) this.ended = true;
  }

  private decodedNote(): string {
    return this.pages ? ' (the audio before it is not used: the file is refused whole)' : '';
  }

  /** Checks the end of the input; returns the warnings of the walk (other streams, chained links, a missing end). */
  finish(): string[] {
    const w: string[] = [];
    if (this.serial === undefined)
      throw new WavError(
        this.otherSerials.size
          ? `Ogg file without a Vorbis, Opus or FLAC stream (${this.otherSerials.size} other stream(s))`
          : 'Ogg file without any complete page',
      );
    if (this.otherSerials.size)
      w.push(
        `the file has ${this.otherSerials.size + 1} logical streams: only the first audio stream (${this.codec}) is decoded`,
      );
    if (this.chained) w.push(`the file chains ${this.chained + 1} streams: only the first is decoded`);
    if (this.carry.length)
      w.push(`truncated: the last ${this.carry.length} bytes are an incomplete Ogg page (ignored)`);
    else if (!this.ended) w.push('truncated: the stream has no end-of-stream page');
    return w;
  }

  /**
   * True once the chosen stream's last page and one page after it were seen: later bytes need not be
   * read (that page tells a chained file; a multiplexed stream showed its first page at the start).
   */
  get done(): boolean {
    return this.ended && this.afterEnd;
  }
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}
