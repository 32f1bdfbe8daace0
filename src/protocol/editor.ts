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
  /** The model's window in ms (its clip length): the features cover the file's first one. */
  windowMs: number;
  /** The front end in words (src/model/describe.ts frontEndSummary). */
  summary: string;
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
