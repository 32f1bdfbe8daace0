/**
 * Every message between the extension host and the label review page (`Wavebench: Review Labels`),
 * both directions, and the validator its host receives through: imported by both sides.
 * Binary data crosses as an ArrayBuffer plus its shape (the editor's spectrogram and audio views).
 */
import type { AudioView, SpectrogramView } from './editor';
import { fields, finite, parsePageToHost, type PageToHost } from './parse';

/** The queues the page offers: the review's findings, or the clips another view chose. */
export type QueueName = 'suspects' | 'duplicates' | 'outliers' | 'selection';

/** One clip in a queue. */
export interface QueueItem {
  path: string;
  /** Its path relative to the reviewed folder. */
  rel: string;
  /** The label it has now (its folder's name). */
  label: string;
  /** The review's suggested label (suspects only). */
  suggested?: string;
  /** The suspect's score (normalized margin: lower is more doubtful). */
  score?: number;
  /** Why it is in the queue, in a few words. */
  note: string;
  /** Its duplicate group (1-based), in the duplicates queue. */
  group?: number;
}

/** A review as the page draws it. */
export interface ReviewView {
  title: string;
  folder: string;
  model: { name: string; labels: string[] };
  clips: number;
  unjudged: number;
  timeSec: number;
  notes: string[];
  /** The in-sample warning, when the model was trained on some of these clips. */
  inSample?: string;
  /** Labels a clip can be moved to (the dataset's label folders and the model's labels). */
  labels: string[];
  queues: Record<QueueName, QueueItem[]>;
  /** The queue shown first. */
  start: QueueName;
}

/** A decision taken in the queue (kept by the page; exported as CSV). */
export interface DecisionView {
  /** The clip's path when it was reviewed. */
  path: string;
  from: string;
  to: string;
  kind: 'keep' | 'accept' | 'pick';
  score?: number;
  /** Where it is now, when it was moved. */
  movedTo?: string;
  time: string;
}

/** Host -> review page. */
export type HostToReview =
  | { type: 'init'; view: ReviewView; settings: { colormap: string; dbFloor: number } }
  | {
      type: 'clip';
      requestId: number;
      path: string;
      durationSec: number;
      spectrogram: SpectrogramView;
      audio: AudioView;
      /** The model's top labels for the clip, best first. */
      top: { label: string; probability: number }[];
    }
  | { type: 'clipError'; requestId: number; path: string; message: string }
  | {
      type: 'relabelled';
      path: string;
      newPath: string;
      from: string;
      to: string;
      kind: 'accept' | 'pick';
      time: string;
    }
  | { type: 'relabelDeclined'; path: string; reason: string }
  /** A relabel undone (VS Code's Undo): the clip is back at `path`. */
  | { type: 'relabelUndone'; path: string; newPath: string }
  /** A key press the page handles as the user's (sent only by the integration tests, through ReviewPanel.pressKey). */
  | { type: 'key'; key: string; shiftKey?: boolean };

/** Review page -> host. */
export type ReviewToHost =
  | PageToHost
  | { type: 'requestClip'; requestId: number; path: string }
  | { type: 'relabel'; path: string; to: string; kind: 'accept' | 'pick'; score?: number }
  | { type: 'exportDecisions'; decisions: DecisionView[] }
  /** Undo the relabel that moved a clip to `path` (through VS Code's undo stack). */
  | { type: 'undoRelabel'; path: string };

/** Most decisions one export carries. */
const MAX_DECISIONS = 1_000_000;

const text = (v: unknown): v is string => typeof v === 'string' && v.length > 0 && v.length < 4096;

function decision(raw: unknown): DecisionView | undefined {
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) return undefined;
  const d = raw as Record<string, unknown>;
  if (!text(d.path) || !text(d.from) || !text(d.to) || !text(d.time)) return undefined;
  if (d.kind !== 'keep' && d.kind !== 'accept' && d.kind !== 'pick') return undefined;
  if (d.score !== undefined && !finite(d.score)) return undefined;
  if (d.movedTo !== undefined && !text(d.movedTo)) return undefined;
  return {
    path: d.path,
    from: d.from,
    to: d.to,
    kind: d.kind,
    time: d.time,
    ...(d.score !== undefined ? { score: d.score as number } : {}),
    ...(d.movedTo !== undefined ? { movedTo: d.movedTo as string } : {}),
  };
}

/** The review page's message if `raw` is a well-formed one, else undefined. */
export function parseReviewToHost(raw: unknown): ReviewToHost | undefined {
  const m = fields(raw);
  if (!m) return undefined;
  switch (m.type) {
    case 'requestClip':
      return finite(m.requestId) && text(m.path)
        ? { type: 'requestClip', requestId: m.requestId, path: m.path }
        : undefined;
    case 'relabel':
      if (!text(m.path) || !text(m.to) || (m.kind !== 'accept' && m.kind !== 'pick')) return undefined;
      if (m.score !== undefined && !finite(m.score)) return undefined;
      return {
        type: 'relabel',
        path: m.path,
        to: m.to,
        kind: m.kind,
        ...(m.score !== undefined ? { score: m.score as number } : {}),
      };
    case 'undoRelabel':
      return text(m.path) ? { type: 'undoRelabel', path: m.path } : undefined;
    case 'exportDecisions': {
      if (!Array.isArray(m.decisions) || m.decisions.length > MAX_DECISIONS) return undefined;
      const decisions = m.decisions.map(decision);
      return decisions.every((d) => d)
        ? { type: 'exportDecisions', decisions: decisions as DecisionView[] }
        : undefined;
    }
    default:
      return parsePageToHost(m);
  }
}
