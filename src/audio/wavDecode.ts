import { WaveFile } from 'wavefile';

/**
 * WAV decoding. Chunk layout is walked here (to explain broken files precisely, to read RF64's
 * 64-bit sizes, and to find the data without copying it); the format chunk is parsed by `wavefile`;
 * samples are converted from a view of the file's bytes into Float32 in [-1, 1]:
 * unsigned 8-bit (x - 128) / 128, signed n-bit container x / 2^(n-1) (so 24-in-32 keeps its scale),
 * float as is (may exceed 1), mu-law/A-law through their G.711 16-bit tables / 32768.
 */
export type WavEncoding = 'pcm' | 'float' | 'mulaw' | 'alaw';

/** Compressed formats decoded by compressedStream.ts (their facts share WavFacts' shape). */
export type CompressedEncoding = 'flac' | 'mp3' | 'vorbis' | 'opus';

/** What a compressed file's headers say beyond WavFacts (absent for WAV). */
export interface CodecFacts {
  /** Nominal (Vorbis), average (VBR MP3) or constant bitrate, kbit/s; none for FLAC. */
  bitrateKbps?: number;
  vbr?: boolean;
  /** MP3: LAME encoder delay and padding, removed by the decoder. */
  encoderDelay?: number;
  padding?: number;
  /** Opus: pre-skip (48-kHz samples, removed) and the rate the encoder was given. */
  preSkip?: number;
  inputRate?: number;
  /** Frames the header declares, when it does (FLAC STREAMINFO, MP3 Xing). */
  declaredFrames?: number;
}

/** What a WAV (or compressed) file says about itself. */
export interface WavFacts {
  container: 'RIFF' | 'RIFX' | 'RF64' | 'FLAC' | 'MPEG' | 'Ogg';
  /** Encoding of the samples; `formatTag` is the raw tag (0xFFFE: see `extensible`; 0 for compressed files). */
  format: WavEncoding | CompressedEncoding;
  /** Compressed files only: bitrate, gapless and Opus facts. */
  codec?: CodecFacts;
  formatTag: number;
  extensible: boolean;
  bitsPerSample: number;
  validBitsPerSample: number;
  sampleRate: number;
  channels: number;
  frames: number;
  durationSec: number;
  blockAlign: number;
  /** Chunk ids in file order. */
  chunks: string[];
}

/** A parsed header: facts plus where the sample bytes are. */
export interface WavHeader {
  facts: WavFacts;
  dataOffset: number;
  /** Bytes of whole frames actually present. */
  dataBytes: number;
  warnings: string[];
  littleEndian: boolean;
}

/** Decoded audio: one Float32Array per channel. */
export interface DecodedWav {
  facts: WavFacts;
  channels: Float32Array[];
  warnings: string[];
}

/**
 * Limits that follow from the format and from what real files hold, checked here, where every file
 * enters, so that no consumer sizes a buffer from a raw header field:
 * - sample rate 1 Hz .. 20 MHz: audio goes up to 768 kHz (DXD), WAV is also the container of
 *   slow sensor data (1 Hz and up) and of SDR I/Q baseband recordings (2.4 MHz RTL-SDR, up to
 *   20 MS/s on a HackRF); nothing above is a recording (a header claiming 4 GHz is hostile). The
 *   rate is a uint32 field, so an integer >= 1 once it is > 0. Consumers that resample bound their
 *   own cost (resample.ts refuses ratios whose filter or output would be too large).
 * - channels <= 1024: 7th-order ambisonics is 64, the largest microphone arrays ~1,020; a 16-bit
 *   field's 65,535 channels would make every per-channel view explode.
 * - sizes: the frame count is whole blocks of the data bytes actually present in the file (never
 *   the declared RIFF/RF64 size), so a decoded length can never exceed the file.
 */
export const MAX_SAMPLE_RATE = 20_000_000;
/** See MAX_SAMPLE_RATE. */
export const MAX_CHANNELS = 1024;

/** A file that cannot be decoded, with a reason fit for a user. */
export class WavError extends Error {
  constructor(readonly reason: string) {
    super(reason);
    this.name = 'WavError';
  }
}

const FORMAT_NAMES: Record<number, string> = {
  0x0002: 'Microsoft ADPCM',
  0x0011: 'IMA ADPCM',
  0x0031: 'GSM 6.10',
  0x0050: 'MPEG',
  0x0055: 'MP3',
  0x0092: 'Dolby AC3',
  0x00ff: 'AAC',
  0x1610: 'HE-AAC',
  0xf1ac: 'FLAC',
};

function fourCC(b: Uint8Array, o: number): string {
  return String.fromCharCode(b[o], b[o + 1], b[o + 2], b[o + 3]);
}

function printable(id: string): string {
  return /^[\x20-\x7e]{4}$/.test(id) ? `'${id}'` : `bytes ${JSON.stringify(id)}`;
}

/** Reads the header: container, chunks, format. Throws WavError for what cannot be decoded. */
export function readWavHeader(bytes: Uint8Array, fileSize = bytes.length): WavHeader {
  // `bytes` may be only the start of a file of `fileSize` bytes (long files are read by ranges):
  // sizes are checked against the file, chunk headers are read from the prefix.
  const len = fileSize;
  if (len === 0) throw new WavError('empty file (0 bytes)');
  if (len < 12) throw new WavError(`file too short for a RIFF header (${len} bytes)`);
  const id = fourCC(bytes, 0);
  if (id !== 'RIFF' && id !== 'RIFX' && id !== 'RF64') {
    throw new WavError(`not a RIFF/WAVE file (starts with ${printable(id)})`);
  }
  const form = fourCC(bytes, 8);
  if (form !== 'WAVE') throw new WavError(`not a WAVE file (RIFF form type ${printable(form)})`);
  const little = id !== 'RIFX';
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const u32 = (o: number) => dv.getUint32(o, little);
  const warnings: string[] = [];
  const riffSize = u32(4);
  if (id !== 'RF64' && riffSize + 8 > len) {
    warnings.push(`file is shorter than its RIFF header says (${len} of ${riffSize + 8} bytes)`);
  }

  const chunks: string[] = [];
  let fmt: { offset: number; size: number } | undefined;
  let data: { offset: number; size: number; declared: number } | undefined;
  let ds64DataSize: number | undefined;
  let off = 12;
  while (off + 8 <= len && off + 8 <= bytes.length) {
    const cid = fourCC(bytes, off);
    let size = u32(off + 4);
    if (!/^[\x20-\x7e]{4}$/.test(cid)) {
      if (!data)
        throw new WavError(`corrupt chunk header at byte ${off} (${printable(cid)}) before any data chunk`);
      warnings.push(
        `ignored ${len - off} bytes of unreadable chunk data after the data chunk (at byte ${off})`,
      );
      break;
    }
    chunks.push(cid.trim() || cid);
    if (cid === 'ds64' && off + 8 + 16 <= len) {
      ds64DataSize = u32(off + 16) + u32(off + 20) * 2 ** 32;
    }
    if (cid === 'data' && id === 'RF64' && size === 0xffffffff) {
      if (ds64DataSize === undefined)
        throw new WavError('RF64 file without a ds64 chunk giving the data size');
      size = ds64DataSize;
    }
    const body = off + 8;
    const available = Math.max(0, Math.min(size, len - body));
    if (cid === 'fmt ') {
      if (available < 16)
        throw new WavError(`fmt chunk truncated: ${available} of ${Math.max(size, 16)} bytes`);
      fmt = { offset: body, size: available };
    } else if (cid === 'data' && !data) {
      if (available < size) warnings.push(`data chunk truncated: ${available} of ${size} bytes`);
      data = { offset: body, size: available, declared: size };
    }
    if (body + size > len) break;
    off = body + size + (size & 1);
    if (off > len && size & 1) break; // missing final pad byte: harmless
  }
  if (!fmt)
    throw new WavError(data ? 'no fmt chunk before the end of the file' : 'no fmt chunk and no data chunk');
  if (!data) throw new WavError('no data chunk');

  // The format chunk, through wavefile (handles RIFX byte order and the extensible fields).
  const wf = new WaveFile();
  const fmtBytes = buildFmtOnly(bytes, id, fmt.offset, fmt.size);
  try {
    wf.fromBuffer(fmtBytes, false);
  } catch (e) {
    throw new WavError(`unreadable fmt chunk (${(e as Error).message})`);
  }
  const f = wf.fmt as {
    audioFormat: number;
    numChannels: number;
    sampleRate: number;
    byteRate: number;
    blockAlign: number;
    bitsPerSample: number;
    validBitsPerSample: number;
    subformat: number[];
  };
  let tag = f.audioFormat;
  const extensible = tag === 0xfffe;
  if (extensible) {
    if (fmt.size < 40)
      throw new WavError(`WAVE_FORMAT_EXTENSIBLE fmt chunk too short (${fmt.size} of 40 bytes)`);
    tag = f.subformat[0] & 0xffff;
  }
  const encoding: WavEncoding | undefined =
    tag === 1 ? 'pcm' : tag === 3 ? 'float' : tag === 7 ? 'mulaw' : tag === 6 ? 'alaw' : undefined;
  if (!encoding) {
    const name = FORMAT_NAMES[tag] ?? 'unknown encoding';
    throw new WavError(`unsupported encoding: ${name} (format tag 0x${tag.toString(16).padStart(4, '0')})`);
  }
  const channels = f.numChannels;
  const bits = f.bitsPerSample;
  if (channels < 1) throw new WavError('fmt chunk says 0 channels');
  if (channels > MAX_CHANNELS)
    throw new WavError(
      `fmt chunk says ${channels} channels (more than ${MAX_CHANNELS}: not a real recording)`,
    );
  if (!(f.sampleRate > 0)) throw new WavError('fmt chunk says a sample rate of 0 Hz');
  if (f.sampleRate > MAX_SAMPLE_RATE)
    throw new WavError(
      `fmt chunk says a sample rate of ${f.sampleRate} Hz (above ${MAX_SAMPLE_RATE} Hz: not a real recording)`,
    );
  const okBits =
    encoding === 'pcm'
      ? bits >= 1 && bits <= 64
      : encoding === 'float'
        ? bits === 32 || bits === 64
        : bits === 8;
  if (!okBits) throw new WavError(`unsupported ${encoding} sample size: ${bits} bits`);
  const bytesPerSample = Math.ceil(bits / 8);
  const frameBytes = channels * bytesPerSample;
  let blockAlign = f.blockAlign;
  if (blockAlign !== frameBytes) {
    if (blockAlign < frameBytes) {
      // A block align too small for the frame cannot be used as it is. When the byte rate agrees
      // with channels and bits (two fields against one), read frames of channels x bits, as scipy
      // does (the frame size it uses is channels x bits; its check on the byte rate is what refuses
      // this header); otherwise the sizes cannot be reconciled.
      if (f.byteRate !== f.sampleRate * frameBytes) {
        throw new WavError(
          `inconsistent fmt chunk: block align ${blockAlign} is too small for ${channels} channels of ${bits} bits` +
            ` (and the byte rate ${f.byteRate} is not ${f.sampleRate} x ${frameBytes} either)`,
        );
      }
      warnings.push(
        `block align ${blockAlign} is too small for ${channels} channels of ${bits} bits; read as ` +
          `${frameBytes}-byte frames, as channels, bits and the byte rate ${f.byteRate} agree`,
      );
      blockAlign = frameBytes;
    } else {
      warnings.push(`block align ${blockAlign} is larger than ${channels} x ${bits}-bit; padding skipped`);
    }
  }
  const frames = Math.floor(data.size / blockAlign);
  const rest = data.size - frames * blockAlign;
  if (rest && data.size === data.declared)
    warnings.push(`data size is not a whole number of frames (${rest} bytes ignored)`);
  const validBits = extensible && f.validBitsPerSample > 0 ? f.validBitsPerSample : bits;
  return {
    facts: {
      container: id,
      format: encoding,
      formatTag: f.audioFormat,
      extensible,
      bitsPerSample: bits,
      validBitsPerSample: validBits,
      sampleRate: f.sampleRate,
      channels,
      frames,
      durationSec: frames / f.sampleRate,
      blockAlign,
      chunks,
    },
    dataOffset: data.offset,
    dataBytes: frames * blockAlign,
    warnings,
    littleEndian: little,
  };
}

/** A tiny RIFF/RIFX file holding only the fmt chunk and an empty data chunk, for wavefile to parse. */
function buildFmtOnly(bytes: Uint8Array, id: string, offset: number, size: number): Uint8Array {
  const out = new Uint8Array(12 + 8 + size + (size & 1) + 8);
  const little = id !== 'RIFX';
  const dv = new DataView(out.buffer);
  const put = (o: number, s: string) => {
    for (let i = 0; i < 4; i++) out[o + i] = s.charCodeAt(i);
  };
  put(0, id === 'RIFX' ? 'RIFX' : 'RIFF');
  dv.setUint32(4, out.length - 8, little);
  put(8, 'WAVE');
  put(12, 'fmt ');
  dv.setUint32(16, size, little);
  out.set(bytes.subarray(offset, offset + size), 20);
  const d = 20 + size + (size & 1);
  put(d, 'data');
  dv.setUint32(d + 4, 0, little);
  return out;
}

/** 2^-15, exact: multiplying is cheaper than dividing in the per-sample loops. */
const INV_32768 = 1 / 32768;

let muLawTable: Float32Array | undefined;
let aLawTable: Float32Array | undefined;

/** G.711 mu-law byte -> linear, scaled to [-1, 1] (16-bit range / 32768). */
function getMuLawTable(): Float32Array {
  if (!muLawTable) {
    muLawTable = new Float32Array(256);
    for (let i = 0; i < 256; i++) {
      const u = ~i & 0xff;
      const t = (((u & 0x0f) << 3) + 0x84) << ((u & 0x70) >> 4);
      muLawTable[i] = (u & 0x80 ? 0x84 - t : t - 0x84) / 32768;
    }
  }
  return muLawTable;
}

/** G.711 A-law byte -> linear, scaled to [-1, 1] (16-bit range / 32768). */
function getALawTable(): Float32Array {
  if (!aLawTable) {
    aLawTable = new Float32Array(256);
    for (let i = 0; i < 256; i++) {
      const a = i ^ 0x55;
      let t = (a & 0x0f) << 4;
      const seg = (a & 0x70) >> 4;
      if (seg === 0) t += 8;
      else if (seg === 1) t += 0x108;
      else t = (t + 0x108) << (seg - 1);
      aLawTable[i] = (a & 0x80 ? t : -t) / 32768;
    }
  }
  return aLawTable;
}

/**
 * Decodes frames [startFrame, startFrame + frameCount) of every channel (or of `channel` only).
 * Reads straight from `bytes` (no copy of the file).
 */
export function decodeFrames(
  bytes: Uint8Array,
  header: WavHeader,
  startFrame = 0,
  frameCount = header.facts.frames - startFrame,
  channel?: number,
): Float32Array[] {
  const { facts } = header;
  const first = Math.max(0, Math.min(startFrame, facts.frames));
  const n = Math.max(0, Math.min(frameCount, facts.frames - first));
  const chans = channel === undefined ? [...Array(facts.channels).keys()] : [channel];
  if (channel !== undefined && (channel < 0 || channel >= facts.channels)) {
    throw new WavError(`channel ${channel} does not exist (the file has ${facts.channels})`);
  }
  const out = chans.map(() => new Float32Array(n));
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const le = header.littleEndian;
  const ba = facts.blockAlign;
  const bps = Math.ceil(facts.bitsPerSample / 8);
  const base = header.dataOffset + first * ba;
  for (let ci = 0; ci < chans.length; ci++) {
    const o = out[ci];
    let p = base + chans[ci] * bps;
    if (facts.format === 'float') {
      if (bps === 4) for (let i = 0; i < n; i++, p += ba) o[i] = dv.getFloat32(p, le);
      else for (let i = 0; i < n; i++, p += ba) o[i] = dv.getFloat64(p, le);
    } else if (facts.format === 'mulaw' || facts.format === 'alaw') {
      const t = facts.format === 'mulaw' ? getMuLawTable() : getALawTable();
      for (let i = 0; i < n; i++, p += ba) o[i] = t[bytes[p]];
    } else if (bps === 1) {
      for (let i = 0; i < n; i++, p += ba) o[i] = (bytes[p] - 128) / 128;
    } else if (bps === 2) {
      // The common case: a typed view when aligned, else bytes assembled by hand (a DataView call
      // per sample costs ~20 ns, 15x more; Node's pooled Buffers are often at odd offsets).
      if (le && ba === 2 && (bytes.byteOffset + p) % 2 === 0) {
        const v = new Int16Array(bytes.buffer, bytes.byteOffset + p, n);
        for (let i = 0; i < n; i++) o[i] = v[i] * INV_32768;
      } else if (le) {
        for (let i = 0; i < n; i++, p += ba)
          o[i] = (((bytes[p] | (bytes[p + 1] << 8)) << 16) >> 16) * INV_32768;
      } else {
        for (let i = 0; i < n; i++, p += ba)
          o[i] = (((bytes[p + 1] | (bytes[p] << 8)) << 16) >> 16) * INV_32768;
      }
    } else if (bps === 3) {
      for (let i = 0; i < n; i++, p += ba) {
        const v = le
          ? bytes[p] | (bytes[p + 1] << 8) | (bytes[p + 2] << 16)
          : bytes[p + 2] | (bytes[p + 1] << 8) | (bytes[p] << 16);
        o[i] = ((v << 8) >> 8) / 8388608;
      }
    } else if (bps === 4) {
      for (let i = 0; i < n; i++, p += ba) o[i] = dv.getInt32(p, le) / 2147483648;
    } else {
      // 5..8-byte containers: the top 32 bits carry all that float32 can hold.
      const top = le ? bps - 4 : 0;
      for (let i = 0; i < n; i++, p += ba) o[i] = dv.getInt32(p + top, le) / 2147483648;
    }
  }
  return out;
}

/** How many samples are NaN and how many infinite (float data can hold both), over all channels. */
export function countNonFinite(channels: Float32Array[]): { nan: number; infinite: number } {
  let nan = 0;
  let infinite = 0;
  for (const c of channels)
    for (let i = 0; i < c.length; i++) {
      const v = c[i];
      if (v - v !== 0) {
        if (v !== v) nan++;
        else infinite++;
      }
    }
  return { nan, infinite };
}

/** "3 NaN and 1 infinite samples" for non-finite float data, undefined when every sample is finite. */
export function nonFiniteSummary(channels: Float32Array[]): string | undefined {
  return describeNonFinite(countNonFinite(channels));
}

/** The words of nonFiniteSummary for counts gathered elsewhere (a streamed pass adds them up by chunk). */
export function describeNonFinite({ nan, infinite }: { nan: number; infinite: number }): string | undefined {
  if (!nan && !infinite) return undefined;
  const parts = [nan && `${nan} NaN`, infinite && `${infinite} infinite`].filter(Boolean);
  return `${parts.join(' and ')} sample${nan + infinite === 1 ? '' : 's'}`;
}

/** Decodes a whole WAV file held in memory. Throws WavError with a clear reason when it cannot. */
export function decodeWav(bytes: Uint8Array): DecodedWav {
  const header = readWavHeader(bytes);
  const channels = decodeFrames(bytes, header);
  const warnings = header.warnings;
  if (header.facts.format === 'float') {
    const bad = nonFiniteSummary(channels);
    if (bad) warnings.push(`the float data holds ${bad}`);
  }
  return { facts: header.facts, channels, warnings };
}
