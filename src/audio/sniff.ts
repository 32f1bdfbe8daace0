import { WavError } from './wavDecode';

/** The containers Wavebench decodes, told apart by their first bytes (never by the file's extension). */
export type AudioKind = 'wav' | 'flac' | 'mp3' | 'ogg';

/** Bytes of a file's start that sniffing needs (an ID3v2 tag before MP3/FLAC data is skipped by its size). */
export const SNIFF_BYTES = 64;

function ascii(b: Uint8Array, o: number, n: number): string {
  return String.fromCharCode(...b.subarray(o, o + n));
}

/** Size of an ID3v2 tag starting at byte 0 (header, body and footer), 0 when there is none. */
export function id3v2Size(b: Uint8Array): number {
  if (b.length < 10 || ascii(b, 0, 3) !== 'ID3') return 0;
  // Four 7-bit "syncsafe" bytes; a set top bit is not a valid tag.
  if ((b[6] | b[7] | b[8] | b[9]) & 0x80) return 0;
  const size = (b[6] << 21) | (b[7] << 14) | (b[8] << 7) | b[9];
  return 10 + size + (b[5] & 0x10 ? 10 : 0);
}

/** True when `b[o..]` starts a plausible MPEG audio frame header (sync, version, layer, bitrate, rate). */
export function isMpegHeader(b: Uint8Array, o: number): boolean {
  if (o + 4 > b.length || b[o] !== 0xff || (b[o + 1] & 0xe0) !== 0xe0) return false;
  const version = (b[o + 1] >> 3) & 3;
  const layer = (b[o + 1] >> 1) & 3;
  const bitrate = b[o + 2] >> 4;
  const rate = (b[o + 2] >> 2) & 3;
  return version !== 1 && layer !== 0 && bitrate !== 15 && rate !== 3;
}

/**
 * Formats refused by name: their magic bytes and what to call them. A file that is none of these and
 * none of ours is "not an audio file Wavebench reads".
 */
const REFUSED: { test: (b: Uint8Array) => boolean; name: string }[] = [
  { test: (b) => ascii(b, 4, 4) === 'ftyp', name: 'MP4/M4A (AAC or ALAC)' },
  { test: (b) => b[0] === 0xff && (b[1] & 0xf6) === 0xf0, name: 'AAC (ADTS)' },
  {
    test: (b) => b[0] === 0x30 && b[1] === 0x26 && b[2] === 0xb2 && b[3] === 0x75,
    name: 'WMA (ASF)',
  },
  { test: (b) => ascii(b, 0, 4) === 'FORM' && /^AIF[FC]$/.test(ascii(b, 8, 4)), name: 'AIFF' },
  { test: (b) => ascii(b, 0, 4) === '.snd', name: 'Sun AU' },
  { test: (b) => ascii(b, 0, 4) === 'caff', name: 'CAF (Core Audio)' },
  { test: (b) => ascii(b, 0, 5) === '#!AMR', name: 'AMR' },
  { test: (b) => ascii(b, 0, 4) === 'wvpk', name: 'WavPack' },
  { test: (b) => ascii(b, 0, 4) === 'MAC ', name: "Monkey's Audio (APE)" },
  { test: (b) => ascii(b, 0, 4) === 'TTA1', name: 'TTA' },
  { test: (b) => ascii(b, 0, 4) === 'MThd', name: 'MIDI (not audio samples)' },
  {
    test: (b) => b[0] === 0x1a && b[1] === 0x45 && b[2] === 0xdf && b[3] === 0xa3,
    name: 'WebM/Matroska',
  },
  { test: (b) => ascii(b, 0, 4) === 'MPCK' || ascii(b, 0, 3) === 'MP+', name: 'Musepack' },
  { test: (b) => b[0] === 0x0b && b[1] === 0x77, name: 'AC-3' },
];

/**
 * What a file holds, from its first bytes (`head`: at least SNIFF_BYTES, or the whole file when
 * shorter; after an ID3v2 tag, the bytes that follow it). Throws WavError naming the format for a
 * known one Wavebench does not decode, and the first bytes for anything else.
 */
export function sniffAudio(head: Uint8Array, fileSize = head.length): AudioKind {
  if (fileSize === 0) throw new WavError('empty file (0 bytes)');
  const id = ascii(head, 0, 4);
  if (id === 'RIFF' || id === 'RIFX' || id === 'RF64') {
    // RIFF holding something other than WAVE (AVI, WebP, RMID...) is refused by the WAV reader's own message.
    return 'wav';
  }
  if (id === 'fLaC') return 'flac';
  if (id === 'OggS') return 'ogg';
  if (isMpegHeader(head, 0) && ((head[1] >> 1) & 3) === 1) return 'mp3';
  for (const r of REFUSED)
    if (head.length >= 4 && r.test(head)) throw new WavError(`unsupported format: ${r.name}`);
  if (isMpegHeader(head, 0))
    throw new WavError(`unsupported format: MPEG audio layer ${4 - ((head[1] >> 1) & 3)} (MP1/MP2)`);
  const id4 = ascii(head, 0, Math.min(4, head.length));
  const shown = /^[\x20-\x7e]{4}$/.test(id4) ? `'${id4}'` : `bytes ${JSON.stringify(id4)}`;
  throw new WavError(`not a WAV, FLAC, MP3, Ogg Vorbis or Opus file (starts with ${shown})`);
}
