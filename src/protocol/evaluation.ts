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
  events: { threshold: number; falseAccepts: EventView[]; misses: EventView[] }[];
  recordings: number;
  skipped: { path: string; reason: string }[];
  truthProblems: string[];
  timeSec: number;
  cancelled: boolean;
}

/** Host -> evaluation page. */
export type HostToEvaluation = { type: 'init'; evaluation: EvaluationView };

/** Evaluation page -> host: the shared page messages, and a recording to open at a time. */
export type EvaluationToHost = PageToHost | { type: 'openRecording'; path: string; timeSec: number };

/** The evaluation page's message if `raw` is a well-formed one, else undefined. */
export function parseEvaluationToHost(raw: unknown): EvaluationToHost | undefined {
  const m = fields(raw);
  if (!m) return undefined;
  if (m.type !== 'openRecording') return parsePageToHost(m);
  if (typeof m.path !== 'string' || !m.path || !finite(m.timeSec) || m.timeSec < 0) return undefined;
  return { type: 'openRecording', path: m.path, timeSec: m.timeSec };
}
