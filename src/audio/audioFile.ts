import { compressedFacts, sniffReader } from './audioDecode';
import { CompressedStream, type ByteReader } from './compressedStream';
import { mixdown } from './mixdown';
import type { AudioKind } from './sniff';
import { StatsAccumulator, type ChannelStats } from './stats';
import type { WavFacts } from './wavDecode';
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
  if (f.format === 'flac') return `${name} ${f.bitsPerSample}-bit`;
  const c = f.codec;
  const rate = c.bitrateKbps ? ` ${c.bitrateKbps} kbit/s` : '';
  return `${name}${rate}${c.vbr ? ' VBR' : rate ? ' CBR' : ''}`;
}
