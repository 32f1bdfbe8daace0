import type { StreamHeader } from './codecHeaders';
import { CompressedStream, joinPieces, type ByteReader } from './compressedStream';
import { sniffAudio, SNIFF_BYTES, id3v2Size, type AudioKind } from './sniff';
import { decodeWav, WavError, type DecodedWav, type WavFacts } from './wavDecode';

/**
 * Any audio file Wavebench reads, decoded to the WAV path's representation (DecodedWav: facts, one
 * Float32Array per channel in [-1, 1], warnings). WAV goes through wavDecode.ts unchanged; FLAC,
 * MP3, Ogg Vorbis and Opus through compressedStream.ts. The kind comes from the bytes, never the name.
 */

/**
 * Decoded samples (frames x channels) a whole-file decode may hold: 2^25 float32 (128 MB). Longer
 * compressed files are streamed (classify, index, info) or refused where a whole decode is needed.
 */
export const MAX_WHOLE_DECODE_SAMPLES = 2 ** 25;

/** The kind of a file from its first bytes (an ID3v2 tag is looked past: MP3 or FLAC may follow it). */
export async function sniffReader(reader: ByteReader): Promise<AudioKind> {
  const head = await reader.read(0, Math.min(reader.size, SNIFF_BYTES));
  const skip = id3v2Size(head);
  if (skip && skip < reader.size) {
    const after = await reader.read(skip, Math.min(reader.size - skip, SNIFF_BYTES));
    // FLAC after the tag: read from after it (CompressedStream, CompressedSource).
    return sniffAudio(after, reader.size - skip);
  }
  if (skip >= reader.size) throw new WavError('MP3 file with an ID3 tag and no audio frames (0 frames)');
  return sniffAudio(head, reader.size);
}

/** A reader over bytes in memory. */
export function memoryReader(bytes: Uint8Array): ByteReader {
  return { size: bytes.length, read: (o, n) => bytes.subarray(o, Math.min(bytes.length, o + n)) };
}

/** WavFacts of a compressed stream once `frames` are known. */
export function compressedFacts(h: StreamHeader, frames: number): WavFacts {
  const container = h.ogg ? 'Ogg' : h.codec === 'FLAC' ? 'FLAC' : h.codec === 'MP3' ? 'MPEG' : 'Ogg';
  const bits = h.bitsPerSample ?? 32;
  return {
    container,
    format: h.codec.toLowerCase() as WavFacts['format'],
    formatTag: 0,
    extensible: false,
    // Lossy codecs decode to float: 32 is the depth of what Wavebench holds, not of the source.
    bitsPerSample: bits,
    validBitsPerSample: bits,
    sampleRate: h.sampleRate,
    channels: h.channels,
    frames,
    durationSec: frames / h.sampleRate,
    blockAlign: h.channels * 4,
    chunks: [],
    codec: {
      bitrateKbps: h.bitrateKbps,
      vbr: h.vbr,
      encoderDelay: h.encoderDelay,
      padding: h.padding,
      preSkip: h.preSkip,
      inputRate: h.inputRate,
      declaredFrames: h.declaredFrames,
    },
  };
}

/**
 * Decodes a compressed file whole from `reader` (at most `maxSamples` decoded samples: longer files
 * are refused with one line saying so, before their memory is taken).
 */
export async function decodeCompressed(
  kind: Exclude<AudioKind, 'wav'>,
  reader: ByteReader,
  maxSamples = MAX_WHOLE_DECODE_SAMPLES,
  readBytes?: number,
): Promise<DecodedWav> {
  const s = await CompressedStream.open(kind, reader, readBytes);
  try {
    const { header } = s;
    const limitFrames = Math.floor(maxSamples / header.channels);
    if (header.declaredFrames && header.declaredFrames > limitFrames)
      throw tooLong(header, header.declaredFrames, maxSamples);
    const pieces: Float32Array[][] = [];
    for (let p = await s.next(); p; p = await s.next()) {
      pieces.push(p);
      if (s.decodedFrames > limitFrames) throw tooLong(header, s.decodedFrames, maxSamples);
    }
    const channels = joinPieces(pieces, header.channels);
    return { facts: compressedFacts(header, s.decodedFrames), channels, warnings: s.allWarnings };
  } finally {
    s.free();
  }
}

function tooLong(h: StreamHeader, frames: number, limit: number): WavError {
  const sec = frames / h.sampleRate;
  const length = sec < 120 ? `${sec.toFixed(1)} s` : `${(sec / 60).toFixed(0)} min`;
  return new WavError(
    `too long to decode whole (${length} of ${h.channels}-channel ${h.codec}, more than ${limit} samples)`,
  );
}

/** Decodes any supported file held in memory: WAV synchronously underneath, compressed formats through their decoders. */
export async function decodeAudio(bytes: Uint8Array): Promise<DecodedWav> {
  const reader = memoryReader(bytes);
  const kind = await sniffReader(reader);
  if (kind === 'wav') return decodeWav(bytes);
  return decodeCompressed(kind, reader);
}
