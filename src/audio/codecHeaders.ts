import { id3v2Size, isMpegHeader } from './sniff';
import { MAX_CHANNELS, WavError, type CodecFacts } from './wavDecode';

/**
 * What the headers of a compressed stream say, read before decoding: the facts `info` shows and the
 * checks that keep a lying header from sizing anything. The decoders (wasm-audio-decoders) report
 * only rate, channels and bit depth after decoding; the gapless and bitrate facts are read here.
 */
export interface StreamHeader extends CodecFacts {
  codec: 'FLAC' | 'MP3' | 'Vorbis' | 'Opus';
  sampleRate: number;
  channels: number;
  /** True when the stream comes in Ogg pages (Vorbis, Opus, Ogg FLAC). */
  ogg?: boolean;
  /** FLAC: bits per sample; lossy codecs: undefined. */
  bitsPerSample?: number;
  /** Byte offset of the first audio frame (after ID3 / metadata blocks). */
  audioOffset: number;
  warnings: string[];
}

/** Bit depths @wasm-audio-decoders/flac 0.2.11 decodes exactly (measured: 8, 16, 24 bit equal the source WAV; 20 bit gives infinities, 32 bit no frames). */
const FLAC_DEPTHS = [8, 16, 24];

/** STREAMINFO of a FLAC file (the first metadata block, required) and where the frames start. */
export function readFlacHeader(b: Uint8Array, fileSize: number): StreamHeader {
  if (b.length < 42) throw new WavError(`FLAC file too short for its STREAMINFO (${fileSize} bytes)`);
  if ((b[4] & 0x7f) !== 0) throw new WavError('FLAC file without STREAMINFO as its first metadata block');
  const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const s = 8;
  const minBlock = dv.getUint16(s);
  const maxBlock = dv.getUint16(s + 2);
  const rate = (b[s + 10] << 12) | (b[s + 11] << 4) | (b[s + 12] >> 4);
  const channels = ((b[s + 12] >> 1) & 7) + 1;
  const bits = (((b[s + 12] & 1) << 4) | (b[s + 13] >> 4)) + 1;
  const total = (b[s + 13] & 0x0f) * 2 ** 32 + dv.getUint32(s + 14);
  if (rate === 0) throw new WavError('FLAC STREAMINFO says a sample rate of 0 Hz');
  if (maxBlock < 16 || minBlock > maxBlock)
    throw new WavError(`FLAC STREAMINFO has an impossible block size (${minBlock}..${maxBlock})`);
  if (!FLAC_DEPTHS.includes(bits))
    throw new WavError(
      `unsupported FLAC sample size: ${bits} bits (the decoder gives 8, 16 and 24 bits exactly; it turns 20-bit into infinities and decodes no 32-bit frames)`,
    );
  // Walk the metadata blocks to the first frame (bounded: each block header gives its size).
  let o = 4;
  for (;;) {
    if (o + 4 > fileSize) throw new WavError('FLAC file ends inside its metadata blocks');
    if (o + 4 > b.length) break; // metadata longer than the prefix: frames found by the decoder
    const last = b[o] & 0x80;
    o += 4 + ((b[o + 1] << 16) | (b[o + 2] << 8) | b[o + 3]);
    if (last) break;
  }
  return {
    codec: 'FLAC',
    sampleRate: rate,
    channels,
    bitsPerSample: bits,
    declaredFrames: total || undefined,
    audioOffset: o,
    warnings: [],
  };
}

const MPEG_BITRATES = [
  // MPEG-1 layer III, MPEG-2/2.5 layer III (kbit/s by index 1..14)
  [32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320],
  [8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160],
];
const MPEG_RATES = [
  [11025, 12000, 8000], // 2.5
  [0, 0, 0],
  [22050, 24000, 16000], // 2
  [44100, 48000, 32000], // 1
];

/** An MPEG layer III frame header's fields (size 0 for free format). */
export function mpegFrame(b: Uint8Array, o: number) {
  const version = (b[o + 1] >> 3) & 3;
  const v1 = version === 3;
  const bitrate = MPEG_BITRATES[v1 ? 0 : 1][(b[o + 2] >> 4) - 1] ?? 0;
  const rate = MPEG_RATES[version][(b[o + 2] >> 2) & 3];
  const padding = (b[o + 2] >> 1) & 1;
  const mono = b[o + 3] >> 6 === 3;
  const spf = v1 ? 1152 : 576;
  const size = bitrate ? Math.floor(((spf / 8) * bitrate * 1000) / rate) + padding : 0;
  const sideInfo = v1 ? (mono ? 17 : 32) : mono ? 9 : 17;
  return { v1, bitrate, rate, mono, spf, size, sideInfo };
}

/**
 * The first MPEG layer III frame (after an ID3v2 tag) and its Xing/Info + LAME or VBRI header: rate,
 * channels, frame count, encoder delay and padding. mpg123 reads the same LAME tag and removes
 * delay and padding itself (gapless decoding); the values are kept for `info`.
 */
export function readMp3Header(b: Uint8Array, fileSize: number): StreamHeader {
  const start = id3v2Size(b);
  if (start >= fileSize) throw new WavError('MP3 file with an ID3 tag and no audio frames (0 frames)');
  if (!isMpegHeader(b, start) || ((b[start + 1] >> 1) & 3) !== 1)
    throw new WavError(`no MPEG layer III frame at byte ${start} (after the ID3 tag)`);
  const f = mpegFrame(b, start);
  if (!f.bitrate) throw new WavError('free-format MP3 (bitrate index 0) is not supported');
  const h: StreamHeader = {
    codec: 'MP3',
    sampleRate: f.rate,
    channels: f.mono ? 1 : 2,
    bitrateKbps: f.bitrate,
    vbr: false,
    audioOffset: start,
    warnings: [],
  };
  const x = start + 4 + f.sideInfo;
  const tag = String.fromCharCode(...b.subarray(x, x + 4));
  const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
  if ((tag === 'Xing' || tag === 'Info') && x + 8 <= b.length) {
    const flags = dv.getUint32(x + 4);
    let p = x + 8;
    let frames: number | undefined;
    let bytes: number | undefined;
    if (flags & 1 && p + 4 <= b.length) frames = dv.getUint32((p += 4) - 4);
    if (flags & 2 && p + 4 <= b.length) bytes = dv.getUint32((p += 4) - 4);
    if (flags & 4) p += 100;
    if (flags & 8) p += 4;
    h.vbr = tag === 'Xing';
    // LAME extension: 9-byte version string, ..., delay/padding as two 12-bit fields at +21.
    if (p + 24 <= b.length && /^(LAME|Lavf|Lavc|GOGO)/.test(String.fromCharCode(...b.subarray(p, p + 4)))) {
      h.encoderDelay = (b[p + 21] << 4) | (b[p + 22] >> 4);
      h.padding = ((b[p + 22] & 0x0f) << 8) | b[p + 23];
    }
    if (frames) {
      h.declaredFrames = Math.max(0, frames * f.spf - (h.encoderDelay ?? 0) - (h.padding ?? 0));
      if (h.vbr) {
        const audioBytes = bytes ?? fileSize - start;
        h.bitrateKbps = Math.round((audioBytes * 8 * f.rate) / (frames * f.spf) / 1000);
      }
    }
    h.audioOffset = start + f.size; // the tag frame holds no audio
  } else if (String.fromCharCode(...b.subarray(start + 36, start + 40)) === 'VBRI') {
    const frames = dv.getUint32(start + 36 + 14);
    h.vbr = true;
    h.declaredFrames = frames * f.spf;
  } else {
    h.warnings.push('no LAME/Xing gapless header: the encoder delay cannot be removed');
  }
  if (h.declaredFrames === 0) throw new WavError('MP3 whose header declares 0 frames');
  return h;
}

/** A Vorbis identification header (the first packet of its Ogg stream). */
export function readVorbisId(p: Uint8Array): Omit<StreamHeader, 'audioOffset'> {
  if (p.length < 30) throw new WavError('Vorbis identification header truncated');
  const dv = new DataView(p.buffer, p.byteOffset, p.byteLength);
  const channels = p[11];
  const rate = dv.getUint32(12, true);
  const nominal = dv.getInt32(20, true);
  return checkChannelsRate('Vorbis', channels, rate, {
    bitrateKbps: nominal > 0 ? Math.round(nominal / 1000) : undefined,
    vbr: true,
  });
}

/** An OpusHead packet: channels, pre-skip, the encoder's input rate (decoding is always at 48 kHz). */
export function readOpusHead(p: Uint8Array): Omit<StreamHeader, 'audioOffset'> {
  if (p.length < 19) throw new WavError('OpusHead header truncated');
  const dv = new DataView(p.buffer, p.byteOffset, p.byteLength);
  return checkChannelsRate('Opus', p[9], 48000, {
    preSkip: dv.getUint16(10, true),
    inputRate: dv.getUint32(12, true) || undefined,
    vbr: true,
  });
}

function checkChannelsRate(
  codec: 'Vorbis' | 'Opus',
  channels: number,
  rate: number,
  rest: Partial<StreamHeader>,
): Omit<StreamHeader, 'audioOffset'> {
  if (channels < 1 || channels > MAX_CHANNELS)
    throw new WavError(`${codec} header says ${channels} channels`);
  if (!(rate > 0) || rate > 768000) throw new WavError(`${codec} header says a sample rate of ${rate} Hz`);
  return { codec, sampleRate: rate, channels, warnings: [], ...rest };
}
