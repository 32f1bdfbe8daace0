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
  /** The format in a few words ("RIFF pcm 16-bit", "MP3 128 kbit/s VBR", "FLAC 24-bit"). */
  formatLabel?: string;
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
