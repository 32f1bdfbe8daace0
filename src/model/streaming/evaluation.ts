import { recordingCurve } from './curve';
import { detectionsAt, NON_KEYWORDS, TruthIndex, type KeywordTrack, type StreamRules } from './rules';
import { curvePoints, operatingPoints, pointsAt, type CurvePoint, type OperatingPoint } from './summary';
import type { TruthProblem, TruthWord } from './truth';

/** One recording scored: its track of best smoothed keywords and the words it is checked against. */
export interface ScoredRecording {
  path: string;
  durationSec: number;
  track: KeywordTrack;
  words: TruthWord[];
  /** Where the words came from. */
  truthPath: string;
}

/** What happened at one threshold, recording by recording (for lists that open the audio at a time). */
export interface ThresholdEvents {
  threshold: number;
  falseAccepts: { file: string; label: string; timeSec: number; score: number }[];
  repeats: { file: string; label: string; timeSec: number; score: number }[];
  misses: { file: string; label: string; startSec: number; endSec: number; line: number }[];
}

/** A curve with its operating points, overall or for one keyword. */
export interface CurveSummary {
  words: number;
  points: CurvePoint[];
  /** Without --thresholds only. */
  operatingPoints?: OperatingPoint[];
}

/** The evaluation of a set of recordings (JSON of `wavebench evaluate`). */
export interface Evaluation extends CurveSummary {
  hours: number;
  rules: StreamRules;
  keywords: ({ label: string } & CurveSummary)[];
  recordings: { path: string; truth: string; durationSec: number; windows: number; words: number }[];
  events: ThresholdEvents[];
}

/** The model's keyword labels and, per label index, its keyword index (-1 for _silence_/_unknown_). */
export function keywordsOf(labels: readonly string[]): { keywords: string[]; keywordOf: Int32Array } {
  const keywords = labels.filter((l) => !NON_KEYWORDS.includes(l));
  return { keywords, keywordOf: Int32Array.from(labels, (l) => keywords.indexOf(l)) };
}

/**
 * Curves, operating points and event lists of scored recordings. With `thresholds`, the points
 * are the counts at those thresholds; without, the whole curve (every threshold where a count
 * changes), the operating points, and the events at each operating point's threshold.
 */
export function evaluate(
  recs: ScoredRecording[],
  labels: readonly string[],
  rules: StreamRules,
  thresholds?: number[],
): Evaluation {
  const { keywords, keywordOf } = keywordsOf(labels);
  const indexes = recs.map((r) => new TruthIndex(r.words, rules.toleranceMs));
  const curves = recs.map((r, i) =>
    recordingCurve(r.track, labels, keywordOf, indexes[i], rules.suppressionMs),
  );
  const hours = recs.reduce((s, r) => s + r.durationSec, 0) / 3600;
  const summarise = (words: number, keyword?: number): CurveSummary => {
    const curve = curvePoints(curves, words, hours, keyword);
    if (thresholds) return { words, points: pointsAt(curve, thresholds, words, hours) };
    return { words, points: curve, operatingPoints: operatingPoints(curve, words) };
  };
  const all = summarise(recs.reduce((s, r) => s + r.words.length, 0));
  const perKeyword = keywords.map((label, k) => ({
    label,
    ...summarise(
      recs.reduce((s, r) => s + r.words.filter((w) => w.label === label).length, 0),
      k,
    ),
  }));
  const at = thresholds ?? all.operatingPoints!.flatMap((p) => (p.threshold === null ? [] : [p.threshold]));
  const events = [...new Set(at)].map((t) => eventsAt(recs, indexes, labels, rules, t));
  return {
    hours,
    ...all,
    rules,
    keywords: perKeyword,
    recordings: recs.map((r) => ({
      path: r.path,
      truth: r.truthPath,
      durationSec: r.durationSec,
      windows: r.track.score.length,
      words: r.words.length,
    })),
    events,
  };
}

/**
 * False accepts, repeats and misses at any threshold, from the scored recordings an evaluation kept
 * (the evaluation page's threshold control): the same rules as `evaluate`'s event lists.
 */
export function eventsAtThreshold(
  recs: ScoredRecording[],
  labels: readonly string[],
  rules: StreamRules,
  threshold: number,
): ThresholdEvents {
  const indexes = recs.map((r) => new TruthIndex(r.words, rules.toleranceMs));
  return eventsAt(recs, indexes, labels, rules, threshold);
}

/** False accepts, repeats and misses at one threshold, by running the rules at it. */
function eventsAt(
  recs: ScoredRecording[],
  indexes: TruthIndex[],
  labels: readonly string[],
  rules: StreamRules,
  threshold: number,
): ThresholdEvents {
  const out: ThresholdEvents = { threshold, falseAccepts: [], repeats: [], misses: [] };
  recs.forEach((r, k) => {
    const truth = indexes[k];
    const { detections, wordHit } = detectionsAt(r.track, labels, truth, rules.suppressionMs, threshold);
    for (const d of detections) {
      const e = { file: r.path, label: d.label, timeSec: d.timeMs / 1000, score: d.score };
      if (d.outcome === 'falseAccept') out.falseAccepts.push(e);
      else if (d.outcome === 'repeat') out.repeats.push(e);
    }
    truth.words.forEach((w, i) => {
      if (!wordHit[i])
        out.misses.push({
          file: r.path,
          label: w.label,
          startSec: w.startMs / 1000,
          endSec: w.endMs / 1000,
          line: w.line ?? 0,
        });
    });
  });
  return out;
}

/** A truth problem as one line: `PATH: line N: REASON` (no line when the whole file is the problem). */
export function problemLine(p: TruthProblem): string {
  return p.line ? `${p.path}: line ${p.line}: ${p.reason}` : `${p.path}: ${p.reason}`;
}
