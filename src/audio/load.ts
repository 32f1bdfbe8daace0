import { readFile } from 'node:fs/promises';
import { mixdown } from './mixdown';
import { resample } from './resample';
import { channelStats, type ChannelStats } from './stats';
import { decodeWav, WavError, type WavFacts } from './wavDecode';

/** Mono audio at a target rate, with the file's facts and the decoder's warnings. */
export interface LoadedAudio {
  path: string;
  facts: WavFacts;
  warnings: string[];
  /** Mono (averaged, or the chosen channel), at `sampleRate`. */
  samples: Float32Array;
  sampleRate: number;
}

/** Reads, decodes, mixes down and resamples a WAV file. Errors are WavError with a readable reason. */
export async function loadAudio(path: string, targetRate = 16000, channel?: number): Promise<LoadedAudio> {
  let bytes: Buffer;
  try {
    bytes = await readFile(path);
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    throw new WavError(
      err.code === 'ENOENT'
        ? 'no such file'
        : err.code === 'EISDIR'
          ? 'is a directory'
          : `cannot read (${err.code ?? err.message})`,
    );
  }
  return decodeToRate(path, bytes, targetRate, channel);
}

/** As loadAudio, for bytes already in memory. */
export function decodeToRate(
  path: string,
  bytes: Uint8Array,
  targetRate = 16000,
  channel?: number,
): LoadedAudio {
  const d = decodeWav(bytes);
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
