/**
 * Every message between the extension host and the evaluation page (`Wavebench: Evaluate Recordings`),
 * both directions, and the validator its host receives through: imported by both sides.
 */
import { fields, finite, parsePageToHost, type PageToHost } from './parse';

/** One point of a DET curve: the counts at a threshold (JSON of `wavebench evaluate`). */
export interface DetPointView {
  threshold: number;
  hits: number;
  falseAccepts: number;
  repeats: number;
  frr: number | null;
  faPerHour: number;
}

/** The FRR read at a false-accept rate, with its Wilson 95 % interval. */
export interface OperatingPointView {
  faPerHour: number;
  frr: number | null;
  frrLow: number | null;
  frrHigh: number | null;
  threshold: number | null;
}

/** A curve with its operating points: overall, or one keyword's. */
export interface CurveView {
  label: string;
  words: number;
  points: DetPointView[];
  operatingPoints: OperatingPointView[];
}

/** A detection that hit no word, or a word nobody hit. */
export interface EventView {
  path: string;
  rel: string;
  label: string;
  timeSec: number;
  /** Misses: the word's end; false accepts: undefined. */
  endSec?: number;
  /** False accepts: the smoothed score. */
  score?: number;
}

/** False accepts and misses at one threshold. */
export interface EventsView {
  threshold: number;
  falseAccepts: EventView[];
  misses: EventView[];
}

/** An evaluation as the page draws it. */
export interface EvaluationView {
  title: string;
  model: { name: string; dir: string };
  hours: number;
  words: number;
  rules: { windowStrideMs: number; averageMs: number; suppressionMs: number; toleranceMs: number };
  /** Overall first, then one per keyword. */
  curves: CurveView[];
  /** False accepts and misses at each operating point's threshold. */
  events: EventsView[];
  /**
   * The threshold the page lists events at first: the first operating point's, else the curve point
   * nearest 1 FA/h, else 0.5. Other thresholds' events come from the host on request (eventsAt).
   */
  threshold: number;
  /** The model's window in ms (an exported snippet is the window ending at the detection). */
  windowMs: number;
  recordings: number;
  skipped: { path: string; reason: string }[];
  truthProblems: string[];
  timeSec: number;
  cancelled: boolean;
}

/** Host -> evaluation page: the evaluation, and the events at a threshold the page asked for. */
export type HostToEvaluation =
  { type: 'init'; evaluation: EvaluationView } | { type: 'events'; events: EventsView };

/**
 * Evaluation page -> host: the shared page messages, a recording to open at a time, the events at a
 * threshold, and the false accepts at a threshold exported as WAV snippets (the host asks where).
 */
export type EvaluationToHost =
  | PageToHost
  | { type: 'openRecording'; path: string; timeSec: number }
  | { type: 'eventsAt'; threshold: number }
  | { type: 'exportFalseAccepts'; threshold: number; marginMs: number };

/** A threshold as the page may send it: a finite number in [0, 1]. */
const threshold = (v: unknown): v is number => finite(v) && v >= 0 && v <= 1;

/** The evaluation page's message if `raw` is a well-formed one, else undefined. */
export function parseEvaluationToHost(raw: unknown): EvaluationToHost | undefined {
  const m = fields(raw);
  if (!m) return undefined;
  switch (m.type) {
    case 'openRecording':
      if (typeof m.path !== 'string' || !m.path || !finite(m.timeSec) || m.timeSec < 0) return undefined;
      return { type: 'openRecording', path: m.path, timeSec: m.timeSec };
    case 'eventsAt':
      return threshold(m.threshold) ? { type: 'eventsAt', threshold: m.threshold } : undefined;
    case 'exportFalseAccepts':
      if (!threshold(m.threshold) || !finite(m.marginMs) || m.marginMs < 0 || m.marginMs > 10_000)
        return undefined;
      return { type: 'exportFalseAccepts', threshold: m.threshold, marginMs: m.marginMs };
    default:
      return parsePageToHost(m);
  }
}
