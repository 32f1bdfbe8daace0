/**
 * FLAC frame headers found without decoding: a sync code, the header's fields and its CRC-8. What
 * range decoding needs to start at any frame (each FLAC frame decodes on its own) and to know which
 * sample it starts at (the header carries its frame or sample number). Written here because the
 * decoders' own parser (codec-parser) only walks a stream from its start.
 */

const CRC8 = (() => {
  const t = new Uint8Array(256);
  for (let i = 0; i < 256; i++) {
    let r = i;
    for (let k = 0; k < 8; k++) r = r & 0x80 ? ((r << 1) ^ 0x07) & 0xff : (r << 1) & 0xff;
    t[i] = r;
  }
  return t;
})();

/** A frame header: where the frame's samples start and how many it holds. */
export interface FlacFrameHeader {
  /** First sample of the frame (frame number x the stream's block size for fixed-size streams). */
  sample: number;
  blockSize: number;
  /** Bytes of the header before its CRC-8. */
  length: number;
  /** True for a variable-block-size stream (the header carries a sample number, not a frame number). */
  variable: boolean;
}

/**
 * The header of a frame starting at `b[o]`, or undefined when the bytes there are not one (no sync,
 * a reserved value, a wrong CRC-8, or the header runs past `b`). `fixedBlock`: STREAMINFO's block
 * size of a fixed-block-size stream (whose headers carry frame numbers).
 */
export function flacFrameHeader(b: Uint8Array, o: number, fixedBlock: number): FlacFrameHeader | undefined {
  if (o + 6 > b.length || b[o] !== 0xff || (b[o + 1] & 0xfe) !== 0xf8) return undefined;
  const variable = b[o + 1] & 1;
  const bsCode = b[o + 2] >> 4;
  const rateCode = b[o + 2] & 15;
  const chanCode = b[o + 3] >> 4;
  const sizeCode = (b[o + 3] >> 1) & 7;
  if (bsCode === 0 || rateCode === 15 || chanCode > 10 || sizeCode === 3 || b[o + 3] & 1) return undefined;
  // The UTF-8-like coded number: 1 to 7 bytes.
  let p = o + 4;
  const first = b[p++];
  let extra = 0;
  let num: number;
  if (first < 0x80) num = first;
  else if (first >= 0xc0 && first < 0xfe) {
    let mask = 0x40;
    while (first & mask) {
      extra++;
      mask >>= 1;
    }
    num = first & (mask - 1);
    if (p + extra > b.length) return undefined;
    for (let i = 0; i < extra; i++) {
      const c = b[p++];
      if ((c & 0xc0) !== 0x80) return undefined;
      num = num * 64 + (c & 0x3f);
    }
  } else return undefined;
  let blockSize: number;
  if (bsCode === 1) blockSize = 192;
  else if (bsCode <= 5) blockSize = 576 << (bsCode - 2);
  else if (bsCode === 6) blockSize = (b[p++] ?? 0) + 1;
  else if (bsCode === 7) {
    blockSize = ((b[p] ?? 0) << 8) + (b[p + 1] ?? 0) + 1;
    p += 2;
  } else blockSize = 256 << (bsCode - 8);
  if (rateCode === 12) p += 1;
  else if (rateCode === 13 || rateCode === 14) p += 2;
  if (p >= b.length) return undefined;
  let crc = 0;
  for (let i = o; i < p; i++) crc = CRC8[crc ^ b[i]];
  if (crc !== b[p]) return undefined;
  return { sample: variable ? num : num * fixedBlock, blockSize, length: p - o, variable: !!variable };
}

/** Offset of the first frame header at or after `from` in `b` (within `b`), or -1. */
export function nextFlacFrame(b: Uint8Array, from: number, fixedBlock: number): number {
  for (let o = b.indexOf(0xff, from); o >= 0 && o + 6 <= b.length; o = b.indexOf(0xff, o + 1))
    if (flacFrameHeader(b, o, fixedBlock)) return o;
  return -1;
}

/** A SEEKTABLE's points (sample, byte offset from the first frame), placeholders left out; [] when there is none. */
export function flacSeekTable(meta: Uint8Array): { sample: number; offset: number }[] {
  const out: { sample: number; offset: number }[] = [];
  const dv = new DataView(meta.buffer, meta.byteOffset, meta.byteLength);
  for (let o = 4; o + 4 <= meta.length;) {
    const type = meta[o] & 0x7f;
    const len = (meta[o + 1] << 16) | (meta[o + 2] << 8) | meta[o + 3];
    if (type === 3)
      for (let q = o + 4; q + 18 <= Math.min(meta.length, o + 4 + len); q += 18) {
        const hi = dv.getUint32(q);
        if (hi === 0xffffffff) continue; // placeholder point
        out.push({
          sample: hi * 2 ** 32 + dv.getUint32(q + 4),
          offset: dv.getUint32(q + 8) * 2 ** 32 + dv.getUint32(q + 12),
        });
      }
    if (meta[o] & 0x80) break;
    o += 4 + len;
  }
  return out;
}

const CRC16 = (() => {
  const t = new Uint16Array(256);
  for (let i = 0; i < 256; i++) {
    let r = i << 8;
    for (let k = 0; k < 8; k++) r = r & 0x8000 ? ((r << 1) ^ 0x8005) & 0xffff : (r << 1) & 0xffff;
    t[i] = r;
  }
  return t;
})();

/**
 * A whole frame (`frame`: its bytes, CRC-16 last) with its coded number replaced by `num` (a frame
 * number, or a sample number in a variable-block-size stream), both CRCs recomputed; the audio is
 * untouched. libFLAC checks that each frame follows the one it decoded before (a gap makes it write
 * silence for the gap, a crash for gaps of minutes): a range decoded after another is renumbered to
 * follow it, so one decoder serves every range without being re-instantiated.
 */
export function renumberFlacFrame(frame: Uint8Array, h: FlacFrameHeader, num: number): Uint8Array {
  const coded: number[] = [];
  if (num < 0x80) coded.push(num);
  else {
    let k = 2;
    while (num >= 2 ** (5 * k + 1)) k++;
    let n = num;
    const tail: number[] = [];
    for (let i = 1; i < k; i++) {
      tail.unshift(0x80 | (n % 64));
      n = Math.floor(n / 64);
    }
    coded.push(((0xff00 >> k) & 0xff) | n, ...tail);
  }
  const oldCoded = frame[4] < 0x80 ? 1 : Math.clz32(~(frame[4] << 24)); // leading ones = bytes
  const rest = frame.subarray(4 + oldCoded, h.length);
  const out = new Uint8Array(frame.length - oldCoded + coded.length);
  out.set(frame.subarray(0, 4));
  out.set(coded, 4);
  out.set(rest, 4 + coded.length);
  const hl = 4 + coded.length + rest.length;
  let c8 = 0;
  for (let i = 0; i < hl; i++) c8 = CRC8[c8 ^ out[i]];
  out[hl] = c8;
  out.set(frame.subarray(h.length + 1, frame.length - 2), hl + 1);
  let c16 = 0;
  for (let i = 0; i < out.length - 2; i++) c16 = ((c16 << 8) & 0xffff) ^ CRC16[(c16 >> 8) ^ out[i]];
  out[out.length - 2] = c16 >> 8;
  out[out.length - 1] = c16 & 0xff;
  return out;
}
