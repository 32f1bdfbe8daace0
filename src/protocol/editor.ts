/**
 * Every message between the extension host and the WAV editor, both directions, and the validator its
 * host receives through: imported by both sides (host: src/vscode, browser: webview/).
 * Binary data crosses as an ArrayBuffer plus its shape.
 */
import { fields, finite } from './parse';

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
  /** With a label file beside the recording: what the editor checks the model against. */
  truth?: TruthView;
}

/**
 * A label file beside the recording and the track `wavebench evaluate` would score it by (its rules,
 * src/model/streaming/rules.ts): the page applies the threshold itself, so moving it needs no model.
 */
export interface TruthView {
  path: string;
  /** The words kept (times in whole ms, `line` in the file), in the file's order. */
  words: { label: string; startMs: number; endMs: number; line: number }[];
  rules: { windowStrideMs: number; averageMs: number; suppressionMs: number; toleranceMs: number };
  /** Per window of the evaluation's grid: its end (ms, Float64), best smoothed keyword (Uint16 label index), score (Float64). */
  endMs: ArrayBuffer;
  label: ArrayBuffer;
  score: ArrayBuffer;
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
      /** The whole file for playback (absent for long files: the webview asks for chunks). */
      audio?: AudioView;
    }
  | { type: 'audio'; requestId: number; startSec: number; audio: AudioView }
  /** Long files: levels and the whole-file waveform, after the first paint (one pass over the file). */
  | { type: 'overview'; waveform: WaveformView; stats: WavFactsView['stats'] }
  | { type: 'decodeError'; path: string; message: string }
  | { type: 'range'; requestId: number; waveform: WaveformView; spectrogram: SpectrogramView }
  /** The prediction, and the model's input for the first window (absent if it could not be computed). */
  | { type: 'predictions'; model: ModelView; prediction: PredictionView; features?: FeatureView }
  | { type: 'predictionError'; message: string }
  /** Lines of the label file that were not used (and a file that could not be read): one warning each. */
  | { type: 'truthProblems'; lines: string[] }
  /** Show `timeSec`: the view centred on it, the cursor there (no playback). From `wavebench.openAt`. */
  | { type: 'seek'; timeSec: number };

/** The truth lane as drawn: the threshold and the counts of each colour. */
export interface TruthDrawn {
  threshold: number;
  words: number;
  hits: number;
  misses: number;
  falseAccepts: number;
  repeats: number;
}

/** Where a seek left the view: the cursor and the visible range. */
export interface SeekDrawn {
  cursorSec: number;
  startSec: number;
  endSec: number;
}

/** Seconds to seek to, if `raw` is a finite number >= 0 (the `wavebench.openAt` argument). */
export function seekSeconds(raw: unknown): number | undefined {
  return finite(raw) && raw >= 0 ? raw : undefined;
}

/** Editor webview -> host. */
export type EditorToHost =
  | { type: 'ready' }
  | { type: 'requestRange'; requestId: number; startSec: number; endSec: number; columns: number }
  | { type: 'requestAudio'; requestId: number; startSec: number; durationSec: number }
  | { type: 'pickModel' }
  | { type: 'painted'; what: 'init' | 'predictions'; ms: number }
  /** What the page drew against the label file at its threshold (counts), and where a seek put it. */
  | { type: 'drawn'; what: 'truth'; detail: TruthDrawn }
  | { type: 'drawn'; what: 'seek'; detail: SeekDrawn }
  /** The ways out of the error page: read the file again, or show it in VS Code's default editor. */
  | { type: 'retry' }
  | { type: 'reopenWithDefault' };

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
    case 'drawn':
      return parseDrawn(m.what, m.detail);
    default:
      return undefined;
  }
}

/** A `drawn` message's detail: every field a finite number, only the fields of its kind kept. */
function parseDrawn(what: unknown, raw: unknown): EditorToHost | undefined {
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) return undefined;
  const d = raw as Record<string, unknown>;
  const pick = <K extends string>(keys: K[]): Record<K, number> | undefined =>
    keys.every((k) => finite(d[k]))
      ? (Object.fromEntries(keys.map((k) => [k, d[k] as number])) as Record<K, number>)
      : undefined;
  if (what === 'truth') {
    const detail = pick(['threshold', 'words', 'hits', 'misses', 'falseAccepts', 'repeats']);
    return detail && { type: 'drawn', what, detail };
  }
  if (what === 'seek') {
    const detail = pick(['cursorSec', 'startSec', 'endSec']);
    return detail && { type: 'drawn', what, detail };
  }
  return undefined;
}
