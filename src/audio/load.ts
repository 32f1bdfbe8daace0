import { decodeAudio } from './audioDecode';
import { mixdown } from './mixdown';
import { resample } from './resample';
import { channelStats, type ChannelStats } from './stats';
import { decodeWav, nonFiniteSummary, WavError, type DecodedWav, type WavFacts } from './wavDecode';

/** Mono audio at a target rate, with the file's facts and the decoder's warnings. */
export interface LoadedAudio {
  path: string;
  facts: WavFacts;
  warnings: string[];
  /** Mono (averaged, or the chosen channel), at `sampleRate`. */
  samples: Float32Array;
  sampleRate: number;
}

/**
 * Decodes WAV bytes, mixes them down and resamples to `targetRate`. Errors are WavError with a readable
 * reason, among them float data holding NaN or infinite samples.
 */
export function decodeToRate(
  path: string,
  bytes: Uint8Array,
  targetRate = 16000,
  channel?: number,
): LoadedAudio {
  return toRate(path, decodeWav(bytes), targetRate, channel);
}

/** decodeToRate for any format Wavebench reads (WAV, FLAC, MP3, Ogg Vorbis, Opus), sniffed from the bytes. */
export async function decodeAnyToRate(
  path: string,
  bytes: Uint8Array,
  targetRate = 16000,
  channel?: number,
): Promise<LoadedAudio> {
  return toRate(path, await decodeAudio(bytes), targetRate, channel);
}

function toRate(path: string, d: DecodedWav, targetRate: number, channel?: number): LoadedAudio {
  if (d.facts.format === 'float') {
    // NaN/Inf would turn every feature into NaN or -inf dB, and the model into a confident guess.
    const bad = nonFiniteSummary(d.channels);
    if (bad) throw new WavError(`the float data holds ${bad}: cannot compute features`);
  }
  const mono = mixdown(d.channels, channel);
  return {
    path,
    facts: d.facts,
    warnings: d.warnings,
    samples: resample(mono, d.facts.sampleRate, targetRate),
    sampleRate: targetRate,
  };
}

/** Statistics of every channel of a decoded file. */
export function allChannelStats(channels: Float32Array[], sampleRate: number): ChannelStats[] {
  return channels.map((c) => channelStats(c, { sampleRate }));
}
