import { basename } from 'node:path';
import type { PoolModelInfo } from '../engine/jobs';
import type { FileClassification } from '../model/classifier';
import { keywordsOf, problemLine } from '../model/streaming/evaluation';
import { DEFAULT_STREAM_RULES } from '../model/streaming/rules';
import { recordingGrid } from '../model/streaming/scoreSegment';
import { trackOfWindows } from '../model/streaming/track';
import { checkWords, type TruthProblem, type TruthWord } from '../model/streaming/truth';
import type { TruthView } from '../protocol/editor';

/** A recording's label file as read: where it is (a path or URI), its words, and the lines not used (named by base name). */
export interface LabelFile {
  path: string;
  words: TruthWord[];
  problems: TruthProblem[];
}

/**
 * The page's view of a label file against the editor's classification (windows at the
 * evaluation's stride): the words `evaluate` keeps and the track it scores by. Lines not kept are
 * returned as one warning line each.
 */
export function truthView(
  truth: LabelFile,
  row: FileClassification,
  info: PoolModelInfo,
  facts: { frames: number; sampleRate: number; durationSec: number },
): { view?: TruthView; problems: string[] } {
  const rules = DEFAULT_STREAM_RULES;
  const shown = basename(truth.path);
  const problems = truth.problems.map(problemLine);
  const checked = checkWords(shown, truth.words, keywordsOf(info.labels).keywords, facts.durationSec * 1000);
  problems.push(...checked.problems.map(problemLine));
  const f = info.description?.features as { sampleRate?: number; clipSamples?: number } | undefined;
  if (!f?.sampleRate || !f.clipSamples)
    return { problems: [...problems, `${shown}: the model's clip length is unknown`] };
  const grid = recordingGrid(
    facts.frames,
    facts.sampleRate,
    f.sampleRate,
    f.clipSamples,
    rules.windowStrideMs,
  );
  if (!grid.count)
    return { problems: [...problems, `${shown}: the recording is shorter than one window: not scored`] };
  const probabilities =
    row.windows?.map((w) => w.probabilities) ?? (row.probabilities ? [row.probabilities] : []);
  let track;
  try {
    track = trackOfWindows(grid, probabilities, info.labels, rules.averageMs);
  } catch (e) {
    return { problems: [...problems, `${shown}: ${(e as Error).message}`] };
  }
  const words = [...checked.words]
    .sort((a, b) => a.line - b.line)
    .map((w) => ({ label: w.label, startMs: w.startMs, endMs: w.endMs, line: w.line }));
  return {
    view: {
      path: truth.path,
      words,
      rules: { ...rules },
      endMs: track.endMs.buffer as ArrayBuffer,
      label: track.label.buffer as ArrayBuffer,
      score: track.score.buffer as ArrayBuffer,
    },
    problems,
  };
}
