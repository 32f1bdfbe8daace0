/**
 * Every message between the extension host and the webviews: one discriminated union per direction
 * and per view, imported by both sides (host: src/vscode, browser: webview/). Self-contained: the
 * webview build sees only this file. Binary data crosses as an ArrayBuffer plus its shape.
 */

/** Facts of an opened WAV, with per-channel levels. */
export interface WavFactsView {
  path: string;
  name: string;
  container: string;
  format: string;
  bitsPerSample: number;
  sampleRate: number;
  channels: number;
  /** Channels drawn and measured (the first ones; a file may have more). */
  channelsShown: number;
  frames: number;
  durationSec: number;
  warnings: string[];
  stats: {
    peakDbfs: number;
    rmsDbfs: number;
    dcOffset: number;
    clippedRatio: number;
    silenceRatio: number;
  }[];
}

/** The model the editor uses. */
export interface ModelView {
  name: string;
  dir: string;
  labels: string[];
  isDefault: boolean;
}

/** Waveform min/max per column for a time range: Float32 [channels][columns] in `min` and `max`. */
export interface WaveformView {
  startSec: number;
  endSec: number;
  columns: number;
  channels: number;
  min: ArrayBuffer;
  max: ArrayBuffer;
}

/** Power spectrogram in dB for a time range: Float32 [frames][bins], frame i centred at times[i]. */
export interface SpectrogramView {
  startSec: number;
  endSec: number;
  frames: number;
  bins: number;
  /** Nyquist of the analysed audio (bins span 0..maxHz). */
  maxHz: number;
  db: ArrayBuffer;
  /** Float32 [frames]: the centre time of each frame (frames may be spread over a long range). */
  times: ArrayBuffer;
}

/** The model's input as it sees it (normalised features of the first window): Float32 [frames][bins]. */
export interface FeatureView {
  type: string;
  frames: number;
  bins: number;
  data: ArrayBuffer;
}

/** The model's probabilities for a file. */
export interface PredictionView {
  labels: string[];
  clip: number[];
  windows?: { startSec: number; endSec: number; probabilities: number[] }[];
  detections?: { label: string; timeSec: number; score: number }[];
}

/** Mono audio for playback: Float32 samples. */
export interface AudioView {
  sampleRate: number;
  samples: ArrayBuffer;
}

/** Editor settings the webview needs. */
export interface EditorSettings {
  colormap: string;
  dbFloor: number;
}

/** Host -> editor webview. */
export type HostToEditor =
  | {
      type: 'init';
      facts: WavFactsView;
      settings: EditorSettings;
      waveform: WaveformView;
      spectrogram: SpectrogramView;
      features?: FeatureView;
      /** The whole file for playback (absent for long files: the webview asks for chunks). */
      audio?: AudioView;
      model?: ModelView;
    }
  | { type: 'audio'; requestId: number; startSec: number; audio: AudioView }
  /** Long files: levels and the whole-file waveform, after the first paint (one pass over the file). */
  | { type: 'overview'; waveform: WaveformView; stats: WavFactsView['stats'] }
  | { type: 'decodeError'; path: string; message: string }
  | { type: 'range'; requestId: number; waveform: WaveformView; spectrogram: SpectrogramView }
  | { type: 'predictions'; model: ModelView; prediction: PredictionView }
  | { type: 'predictionError'; message: string };

/** Editor webview -> host. */
export type EditorToHost =
  | { type: 'ready' }
  | { type: 'requestRange'; requestId: number; startSec: number; endSec: number; columns: number }
  | { type: 'requestAudio'; requestId: number; startSec: number; durationSec: number }
  | { type: 'pickModel' }
  | { type: 'painted'; what: 'init' | 'predictions'; ms: number }
  /** The ways out of the error page: read the file again, or show it in VS Code's default editor. */
  | { type: 'retry' }
  | { type: 'reopenWithDefault' };

/** A classification report as the report view draws it. */
export interface ReportView {
  title: string;
  model: { name: string; dir: string; labels: string[] };
  rows: {
    path: string;
    rel: string;
    label: string | null;
    predicted: string | null;
    probability: number | null;
    correct: boolean | null;
    topK: { label: string; probability: number }[];
    error: string | null;
  }[];
  metrics: {
    labels: string[];
    confusion: number[][];
    accuracy: number;
    scored: number;
    correct: number;
    macroF1: number;
    perClass: { label: string; precision: number; recall: number; f1: number; support: number }[];
  };
  counts: {
    files: number;
    scored: number;
    unlabelled: number;
    errors: number;
    background: number;
    cached: number;
  };
  background: string[];
  problems: { path: string; error: string }[];
  timeSec: number;
  cancelled: boolean;
}

/** Host -> report webview. */
export type HostToReport = { type: 'init'; report: ReportView };

/** Report webview -> host. */
export type ReportToHost =
  | { type: 'ready' }
  | { type: 'openClip'; path: string }
  | { type: 'export'; format: 'csv' | 'json' }
  | { type: 'painted'; ms: number };

/** A dataset inspection as the dataset view draws it. */
export interface DatasetView {
  root: string;
  totals: { files: number; bytes: number; durationSec: number; readable: number };
  labels: { label: string; count: number; durations: number[] }[];
  formats: { key: string; count: number; examples: string[] }[];
  /** Files whose format differs from the most common one. */
  oddFormats: { path: string; format: string }[];
  splitSource: 'hash' | 'lists';
  splitPercent: { validation: number; testing: number };
  splits: { name: 'training' | 'validation' | 'testing'; total: number; perLabel: Record<string, number> }[];
  leakage: { speaker: string; splits: string[]; files: number }[];
  problems: { path: string; kind: ProblemKind; message: string }[];
  duplicates: { hash: string; paths: string[]; labels: string[]; splits: string[] }[];
  background: string[];
  timeSec: number;
}

/** Kinds of dataset problems. */
export type ProblemKind =
  'unreadable' | 'empty' | 'silent' | 'clipped' | 'dc-offset' | 'duration' | 'sample-rate' | 'duplicate';

/** Host -> dataset webview. */
export type HostToDataset = { type: 'init'; dataset: DatasetView };

/** Dataset webview -> host. */
export type DatasetToHost =
  { type: 'ready' } | { type: 'openClip'; path: string } | { type: 'painted'; ms: number };

/** A finite number. */
const finite = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

/** The fields of a message-shaped value (an object with a string `type`), or undefined. */
function fields(raw: unknown): Record<string, unknown> | undefined {
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) return undefined;
  const m = raw as Record<string, unknown>;
  return typeof m.type === 'string' ? m : undefined;
}

/** The editor's message if `raw` is a well-formed one (only its known fields kept), else undefined. */
export function parseEditorToHost(raw: unknown): EditorToHost | undefined {
  const m = fields(raw);
  if (!m) return undefined;
  switch (m.type) {
    case 'ready':
    case 'pickModel':
    case 'retry':
    case 'reopenWithDefault':
      return { type: m.type };
    case 'requestAudio':
      if (!finite(m.requestId) || !finite(m.startSec) || !finite(m.durationSec) || m.durationSec <= 0)
        return undefined;
      return {
        type: 'requestAudio',
        requestId: m.requestId,
        startSec: m.startSec,
        durationSec: m.durationSec,
      };
    case 'requestRange':
      if (!finite(m.requestId) || !finite(m.startSec) || !finite(m.endSec) || !finite(m.columns))
        return undefined;
      if (m.endSec < m.startSec || m.columns < 1 || m.columns > 10000) return undefined;
      return {
        type: 'requestRange',
        requestId: m.requestId,
        startSec: m.startSec,
        endSec: m.endSec,
        columns: m.columns,
      };
    case 'painted':
      if ((m.what !== 'init' && m.what !== 'predictions') || !finite(m.ms)) return undefined;
      return { type: 'painted', what: m.what, ms: m.ms };
    default:
      return undefined;
  }
}

/** The report page's message if `raw` is a well-formed one, else undefined. */
export function parseReportToHost(raw: unknown): ReportToHost | undefined {
  const m = fields(raw);
  if (!m) return undefined;
  switch (m.type) {
    case 'ready':
      return { type: 'ready' };
    case 'painted':
      return finite(m.ms) ? { type: 'painted', ms: m.ms } : undefined;
    case 'openClip':
      return typeof m.path === 'string' && m.path ? { type: 'openClip', path: m.path } : undefined;
    case 'export':
      return m.format === 'csv' || m.format === 'json' ? { type: 'export', format: m.format } : undefined;
    default:
      return undefined;
  }
}

/** The dataset page's message if `raw` is a well-formed one, else undefined. */
export function parseDatasetToHost(raw: unknown): DatasetToHost | undefined {
  const m = fields(raw);
  if (!m) return undefined;
  switch (m.type) {
    case 'ready':
      return { type: 'ready' };
    case 'painted':
      return finite(m.ms) ? { type: 'painted', ms: m.ms } : undefined;
    case 'openClip':
      return typeof m.path === 'string' && m.path ? { type: 'openClip', path: m.path } : undefined;
    default:
      return undefined;
  }
}
