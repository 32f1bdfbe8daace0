import type { Spectrogram } from './spectrogram';

/** Reads `length` mono samples starting at `start` (zero-filled past the end). */
export type SampleReader = (start: number, length: number) => Float32Array;

/** A reader over audio held in memory. */
export function arrayReader(samples: Float32Array): SampleReader {
  return (start, length) => {
    if (start >= 0 && start + length <= samples.length) return samples.subarray(start, start + length);
    const out = new Float32Array(length);
    for (let i = 0; i < length; i++) {
      const j = start + i;
      if (j >= 0 && j < samples.length) out[i] = samples[j];
    }
    return out;
  };
}

/** The start sample of each frame `spectrogramRange` reads for these arguments (for readers that fetch ahead). */
export function spectrogramFrameStarts(
  spec: Spectrogram,
  totalSamples: number,
  sampleRate: number,
  startSec: number,
  endSec: number,
  maxFrames: number,
): number[] {
  const win = spec.windowSize;
  const first = Math.max(0, Math.floor(startSec * sampleRate - win / 2));
  const last = Math.min(totalSamples - win, Math.ceil(endSec * sampleRate - win / 2));
  if (last < first || totalSamples < win) return [];
  const possible = Math.floor((last - first) / spec.stride) + 1;
  const frames = Math.max(1, Math.min(maxFrames, possible));
  const step = frames > 1 ? (last - first) / (frames - 1) : 0;
  return Array.from({ length: frames }, (_, f) => Math.round(first + f * step));
}

/**
 * Spectrogram frames (power in dB, 10 log10 with a -200 dB floor) for the time range
 * [startSec, endSec) of `totalSamples` samples read through `read`, at most `maxFrames` of them: every
 * hop when the range is short, evenly spread real frames when it is long (a coarse overview of an
 * hour-long file reads and transforms maxFrames windows, not the whole file). Frame i is centred at
 * times[i].
 */
export function spectrogramRange(
  spec: Spectrogram,
  read: SampleReader,
  totalSamples: number,
  sampleRate: number,
  startSec: number,
  endSec: number,
  maxFrames: number,
): { frames: number; bins: number; db: Float32Array; times: Float32Array } {
  const win = spec.windowSize;
  const starts = spectrogramFrameStarts(spec, totalSamples, sampleRate, startSec, endSec, maxFrames);
  const frames = starts.length;
  const db = new Float32Array(frames * spec.bins);
  const times = new Float32Array(frames);
  const row = new Float32Array(spec.bins);
  for (let f = 0; f < frames; f++) {
    const s = starts[f];
    spec.powerFrameExact(read(s, win), 0, row, 0);
    for (let b = 0; b < spec.bins; b++) {
      const p = row[b];
      db[f * spec.bins + b] = p > 1e-20 ? 10 * Math.log10(p) : -200;
    }
    times[f] = (s + win / 2) / sampleRate;
  }
  return { frames, bins: spec.bins, db, times };
}
