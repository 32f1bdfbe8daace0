import { openFrameReader, type FrameReader } from '../../audio/audioFile';
import { resampledLength } from '../../audio/resample';
import { WavFile } from '../../audio/wavFile';
import { WavError } from '../../audio/wavDecode';
import type { Classifier } from '../classifier';
import { clipSamples } from '../metadata';
import { firstAveraged, Smoother, windowEndMs, windowGrid, type WindowGrid } from './rules';

/**
 * A run of windows of one recording for one pool task: a long recording is cut into segments so
 * that every worker gets a share of it, each scored in window groups with bounded memory.
 */
export interface ScoreSegment {
  path: string;
  /** First window of the segment and how many. */
  first: number;
  count: number;
  windowStrideMs: number;
  averageMs: number;
}

/** A segment's best smoothed keyword per window (label index, score); `error` if it failed. */
export interface SegmentScores {
  path: string;
  first: number;
  label?: Uint16Array;
  score?: Float64Array;
  error?: string;
}

/** The window grid of a recording as the model sees it (at the model's rate, after resampling). */
export function recordingGrid(
  frames: number,
  fileRate: number,
  modelRate: number,
  clip: number,
  strideMs: number,
): WindowGrid {
  return windowGrid(resampledLength(frames, fileRate, modelRate), clip, modelRate, strideMs);
}

/**
 * Scores one segment: its windows and, before them, the windows its first smoothed scores average
 * over (at most average / stride more), so that segments scored apart give exactly the scores of
 * one pass over the whole recording. Groups of 256 windows: inference per window was 15 % cheaper
 * than with classify's 64 (bench/evaluate/run.mjs notes), and a group is still only 26 s of audio.
 */
export async function scoreSegment(
  classifier: Classifier,
  seg: ScoreSegment,
  batch = 64,
): Promise<SegmentScores> {
  const out: SegmentScores = { path: seg.path, first: seg.first };
  let file: WavFile | undefined;
  let audio: FrameReader | undefined;
  try {
    file = WavFile.openSync(seg.path);
    audio = await openFrameReader(file);
    const md = classifier.model.metadata;
    const { facts } = audio;
    if (facts.frames === 0) throw new WavError('no audio (0 frames)');
    const g = recordingGrid(
      facts.frames,
      facts.sampleRate,
      md.sampleRate,
      clipSamples(md),
      seg.windowStrideMs,
    );
    const end = Math.min(g.count, seg.first + seg.count);
    const from = firstAveraged(g, seg.first, seg.averageMs);
    const n = resampledLength(facts.frames, facts.sampleRate, md.sampleRate);
    const smoother = new Smoother(classifier.labels, seg.averageMs);
    const label = new Uint16Array(Math.max(0, end - seg.first));
    const score = new Float64Array(label.length);
    await classifier.scoreWindowGroups(
      audio,
      n,
      (i) => i * g.strideSamples,
      from,
      end,
      batch,
      (probs, first) =>
        probs.forEach((p, j) => {
          const i = first + j;
          if (!p.every(Number.isFinite)) throw new Error('the model gave a non-finite probability');
          const best = smoother.push(windowEndMs(g, i), p);
          if (i < seg.first) return;
          label[i - seg.first] = best.label;
          score[i - seg.first] = best.score;
        }),
    );
    file.checkUnchanged();
    out.label = label;
    out.score = score;
  } catch (e) {
    out.error = e instanceof WavError ? e.reason : (e as Error).message;
  } finally {
    await audio?.close();
    file?.close();
  }
  return out;
}
