import { compressedFacts, sniffReader } from './audioDecode';
import { afterId3v2, type ByteSource } from './byteSource';
import { CompressedSource } from './compressedSource';
import { CompressedStream, type ByteReader } from './compressedStream';
import { mixdown } from './mixdown';
import type { AudioKind } from './sniff';
import { StatsAccumulator, type ChannelStats } from './stats';
import { WavError, type WavFacts } from './wavDecode';
import { scanWavFile, type WavFile } from './wavFile';

/**
 * Any audio file on disk (WAV or compressed), streamed in bounded pieces through a WavFile (the one
 * gate every path enters by): what `info`, the index and long-file classification read through.
 */

/** A WavFile as a ByteReader (synchronous reads: pool workers and the CLI). */
export function fileReader(file: WavFile): ByteReader {
  return { size: file.size, read: (o, n) => file.readRange(o, n) };
}

/** The file's kind from its first bytes (WavError naming the format for one Wavebench refuses). */
export function sniffFile(file: WavFile): Promise<AudioKind> {
  return sniffReader(fileReader(file));
}

/** What one streaming pass over any audio file finds. */
export interface AudioScan {
  facts: WavFacts;
  warnings: string[];
  channels: ChannelStats[];
  mono: ChannelStats;
}

/**
 * Per-channel and/or mono statistics in one streaming pass (WAV: scanWavFile; compressed: decoded
 * piece by piece, STREAM_READ_BYTES of input at a time), memory bounded whatever the length.
 */
export async function scanAudioFile(
  file: WavFile,
  want: { perChannel?: boolean; mono?: boolean } = { perChannel: true, mono: true },
): Promise<AudioScan> {
  const kind = await sniffFile(file);
  if (kind === 'wav') {
    const s = scanWavFile(file, file.readHeader(), want);
    return { facts: s.header.facts, warnings: s.header.warnings, channels: s.channels, mono: s.mono };
  }
  const s = await CompressedStream.open(kind, fileReader(file));
  try {
    const rate = s.header.sampleRate;
    const chans = Array.from(
      { length: want.perChannel ? s.header.channels : 0 },
      () => new StatsAccumulator({ sampleRate: rate }),
    );
    const mono = new StatsAccumulator({ sampleRate: rate });
    for (let p = await s.next(); p; p = await s.next()) {
      if (!p[0]?.length) continue;
      for (let i = 0; i < chans.length; i++) chans[i].add(p[i]);
      if (want.mono) mono.add(mixdown(p));
    }
    file.checkUnchanged();
    return {
      facts: compressedFacts(s.header, s.decodedFrames),
      warnings: s.allWarnings,
      channels: chans.map((a) => a.result()),
      mono: mono.result(),
    };
  } finally {
    s.free();
  }
}

/** "FLAC 16-bit", "MP3 128 kbit/s VBR", "Opus 24 kbit/s": a compressed file's format in a few words; WAV's as before. */
export function formatLabel(f: WavFacts): string {
  if (!f.codec) return `${f.container} ${f.format} ${f.bitsPerSample}-bit`;
  const name =
    f.format === 'mp3' ? 'MP3' : f.format === 'flac' ? 'FLAC' : f.format === 'opus' ? 'Opus' : 'Ogg Vorbis';
  if (f.format === 'flac') return `${f.container === 'Ogg' ? 'Ogg ' : ''}${name} ${f.bitsPerSample}-bit`;
  const c = f.codec;
  const rate = c.bitrateKbps ? ` ${c.bitrateKbps} kbit/s` : '';
  return `${name}${rate}${c.vbr ? ' VBR' : rate ? ' CBR' : ''}`;
}

/** Frames of a file read from any point: what scoring a segment of a long recording reads through. */
export interface FrameReader {
  facts: WavFacts;
  /** Frames [start, start + n) of every channel (n within the file). */
  frames(start: number, n: number): Float32Array[] | Promise<Float32Array[]>;
  /** Frees a decoder (the WavFile itself is closed by its owner). */
  close(): Promise<void>;
}

/** A WavFile as a ByteSource (its synchronous reads; closing it is left to its owner). */
function fileSource(file: WavFile): ByteSource {
  return {
    size: file.size,
    read: async (offset, buffer) => {
      const b = file.readRange(offset, buffer.length);
      buffer.set(b);
      return b.length;
    },
    close: async () => undefined,
  };
}

/**
 * A WAV, FLAC, MP3, Ogg Vorbis or Opus file read from any frame (compressed ones decoded from the
 * nearest frame or page before, compressedSource.ts): what evaluate reads long recordings through.
 * An Ogg file that cannot be read by ranges (several logical streams, chained, no end page) is
 * refused: decoding it whole would hold the whole recording in memory.
 */
export async function openFrameReader(file: WavFile): Promise<FrameReader> {
  const kind = await sniffFile(file);
  if (kind === 'wav') {
    const header = file.readHeader();
    return { facts: header.facts, frames: (s, n) => file.frames(header, s, n), close: async () => undefined };
  }
  let bytes = fileSource(file);
  // A FLAC stream after an ID3v2 tag is read from after it, as the editor does.
  if (kind === 'flac') bytes = await afterId3v2(bytes);
  const src =
    kind === 'ogg' ? await CompressedSource.openOgg(bytes) : await CompressedSource.open(kind, bytes);
  if (!src)
    throw new WavError(
      'this Ogg file cannot be read by ranges (several logical streams, chained streams or no end page): convert it to FLAC, MP3 or WAV',
    );
  return { facts: src.facts, frames: (s, n) => src.frames(s, n), close: () => src.close() };
}
