import { formatLabel } from '../audio/audioFile';
import { basename } from 'node:path';
import * as vscode from 'vscode';
import type { ChannelStats } from '../audio/stats';
import type {
  Overview,
  SpectrogramRangeView,
  WaveformRange,
  WavDocumentModel,
} from '../audio/wavDocumentModel';
import { loadModelMetadata } from '../model/formats/graphdefRead';
import { ModelInput } from '../model/modelInput';
import type {
  EditorToHost,
  FeatureView,
  HostToEditor,
  ModelView,
  SpectrogramView,
  WaveformView,
  WavFactsView,
} from '../protocol';
import { pickModel } from './modelPicker';
import type { ModelService } from './modelService';
import { readSettings } from './settings';
import type { TestRecorder } from './testRecorder';
import type { WavDocument } from './wavDocument';

/** Where an editor is: waiting for its webview or a model, showing a file, showing an error, or closed. */
export type SessionState = 'loading' | 'ready' | 'error' | 'disposed';

/**
 * One open Wavebench editor: its webview's messages, the views it sends, its predictions. State is
 * explicit and checked again after every await (the panel may have closed, the document may have
 * been reloaded into a new model meanwhile); every subscription is disposed with the panel.
 */
export class WavEditorSession implements vscode.Disposable {
  private state: SessionState = 'loading';
  private webviewReady = false;
  private predictionAbort: AbortController | undefined;
  private readonly subs: vscode.Disposable[] = [];

  constructor(
    private readonly doc: WavDocument,
    private readonly panel: vscode.WebviewPanel,
    private readonly models: ModelService,
    private readonly recorder: TestRecorder,
  ) {
    this.subs.push(
      panel.webview.onDidReceiveMessage((raw: unknown) => this.onMessage(raw)),
      doc.onDidReload(() => this.show()),
      models.onDidChange(() => void this.predict()),
      panel.onDidDispose(() => this.dispose()),
    );
  }

  /** The model this session shows, if it is still the document's current one and the panel is open. */
  private live(model: WavDocumentModel): boolean {
    return this.state !== 'disposed' && this.doc.state.model === model;
  }

  private post(m: HostToEditor): void {
    if (this.state === 'disposed') return;
    this.recorder.record({
      panel: 'editor',
      dir: 'out',
      uri: this.doc.uri.toString(),
      type: m.type,
      ...(m.type === 'decodeError' && { message: m.message }),
    });
    void this.panel.webview.postMessage(m);
  }

  private async onMessage(raw: unknown): Promise<void> {
    const m = validateEditorMessage(raw);
    if (!m || this.state === 'disposed') return;
    this.recorder.record({
      panel: 'editor',
      dir: 'in',
      uri: this.doc.uri.toString(),
      type: m.type,
      what: m.type === 'painted' ? m.what : undefined,
    });
    try {
      switch (m.type) {
        case 'ready':
          this.webviewReady = true;
          this.show();
          break;
        case 'requestRange': {
          const model = this.doc.state.model;
          if (!model) break;
          const r = await rangeViews(model, m.startSec, m.endSec, m.columns);
          if (this.live(model)) this.post({ type: 'range', requestId: m.requestId, ...r });
          break;
        }
        case 'requestAudio': {
          const model = this.doc.state.model;
          if (!model) break;
          const a = await model.audio(m.startSec, m.durationSec);
          if (!this.live(model)) break;
          this.post({
            type: 'audio',
            requestId: m.requestId,
            startSec: a.startSec,
            audio: { sampleRate: model.facts.sampleRate, samples: a.samples.buffer as ArrayBuffer },
          });
          break;
        }
        case 'pickModel':
          await pickModel(this.models);
          break;
        case 'retry':
          await this.doc.reload(true);
          break;
        case 'reopenWithDefault':
          await vscode.commands.executeCommand('vscode.openWith', this.doc.uri, 'default');
          break;
        case 'painted':
          break;
      }
    } catch (e) {
      // A read that failed mid-way (the file vanished or shrank): the editor says so.
      this.fail(e instanceof Error ? e.message : String(e));
    }
  }

  private fail(message: string): void {
    if (this.state === 'disposed') return;
    this.state = 'error';
    this.post({ type: 'decodeError', path: this.doc.uri.fsPath, message });
  }

  /** Sends the current document to the webview (after it asked, and after every reload). */
  private show(): void {
    if (!this.webviewReady || this.state === 'disposed') return;
    const { model, error } = this.doc.state;
    if (!model) return this.fail(error ?? 'unreadable');
    this.state = 'loading';
    this.sendAll(model).catch((e: Error) => {
      if (this.live(model)) this.fail(e.message ?? String(e));
    });
  }

  private async sendAll(model: WavDocumentModel): Promise<void> {
    const settings = readSettings();
    // Large files: the overview (levels, whole-file waveform) is one pass over the file; the first
    // paint does not wait for it, it follows as its own message.
    const overview = model.whole ? await model.overview(settings.silenceThresholdDb) : undefined;
    if (!this.live(model)) return;
    const init = await this.initMessage(model, overview);
    if (!this.live(model)) return;
    this.post(init);
    this.state = 'ready';
    void this.predict();
    if (!overview) {
      const o = await model.overview(settings.silenceThresholdDb);
      if (this.live(model))
        this.post({ type: 'overview', waveform: waveformView(o.waveform), stats: statsView(o.stats) });
    }
  }

  private async initMessage(model: WavDocumentModel, overview: Overview | undefined): Promise<HostToEditor> {
    const f = model.facts;
    const settings = readSettings();
    const views = await rangeViews(model, 0, f.durationSec, 1600);
    let features: FeatureView | undefined;
    let modelView: ModelView | undefined;
    try {
      const md = await loadModelMetadata(this.models.modelDir);
      const input = await ModelInput.create(md);
      try {
        const m = await input.firstWindow((st, n) => model.read(st, n), f.sampleRate, f.frames);
        features = {
          type: md.features.type,
          frames: m.frames,
          bins: m.bins,
          data: m.data.buffer as ArrayBuffer,
        };
      } finally {
        input.dispose();
      }
      modelView = this.modelView(md.name, md.labels);
    } catch {
      // The model's own error reaches the webview through predictionError.
    }
    return {
      type: 'init',
      facts: {
        path: this.doc.uri.fsPath,
        name: basename(this.doc.uri.fsPath),
        container: f.container,
        format: f.format,
        formatLabel: formatLabel(f),
        bitsPerSample: f.bitsPerSample,
        sampleRate: f.sampleRate,
        channels: f.channels,
        channelsShown: model.channelsShown,
        frames: f.frames,
        durationSec: f.durationSec,
        warnings: model.warnings,
        stats: overview ? statsView(overview.stats) : [],
      },
      settings: { colormap: settings.colormap, dbFloor: settings.dbFloor },
      ...views,
      features,
      model: modelView,
      audio: model.mono
        ? { sampleRate: f.sampleRate, samples: Float32Array.from(model.mono).buffer }
        : undefined,
    };
  }

  private modelView(name: string, labels: string[]): ModelView {
    const dir = this.models.modelDir;
    return { name, dir, labels, isDefault: dir === this.models.defaultDir };
  }

  /** Classifies the file on the shared pool, ahead of any folder run; a newer request cancels this one. */
  private async predict(): Promise<void> {
    if (this.state === 'disposed') return;
    this.predictionAbort?.abort();
    const abort = (this.predictionAbort = new AbortController());
    const current = () => this.state !== 'disposed' && !abort.signal.aborted;
    try {
      const { pool, info } = await this.models.getPool();
      if (!current()) return;
      const [row] = await pool.classify([this.doc.uri.fsPath], {
        priority: 'interactive',
        signal: abort.signal,
      });
      if (!current()) return;
      if (row.error || !row.probabilities) {
        this.post({ type: 'predictionError', message: row.error ?? 'no prediction' });
        return;
      }
      this.post({
        type: 'predictions',
        model: this.modelView(info.name, info.labels),
        prediction: {
          labels: info.labels,
          clip: row.probabilities,
          windows: row.windows,
          detections: row.detections,
        },
      });
    } catch (e) {
      if (current()) this.post({ type: 'predictionError', message: (e as Error).message });
    }
  }

  dispose(): void {
    if (this.state === 'disposed') return;
    this.state = 'disposed';
    this.predictionAbort?.abort();
    for (const s of this.subs.splice(0)) s.dispose();
  }
}

/** A model's range as the protocol carries it. */
async function rangeViews(
  model: WavDocumentModel,
  startSec: number,
  endSec: number,
  columns: number,
): Promise<{ waveform: WaveformView; spectrogram: SpectrogramView }> {
  const w = await model.waveform(startSec, endSec, columns);
  const s = await model.spectrogram(startSec, endSec, columns);
  return { waveform: waveformView(w), spectrogram: spectrogramView(s) };
}

function waveformView(w: WaveformRange): WaveformView {
  return {
    startSec: w.startSec,
    endSec: w.endSec,
    columns: w.columns,
    channels: w.channels,
    min: w.min.buffer as ArrayBuffer,
    max: w.max.buffer as ArrayBuffer,
  };
}

function spectrogramView(s: SpectrogramRangeView): SpectrogramView {
  return { ...s, db: s.db.buffer as ArrayBuffer, times: s.times.buffer as ArrayBuffer };
}

/** Levels as the webview shows them. */
function statsView(stats: ChannelStats[]): WavFactsView['stats'] {
  return stats.map((s) => ({
    peakDbfs: s.peakDbfs,
    rmsDbfs: s.rmsDbfs,
    dcOffset: s.dcOffset,
    clippedRatio: s.clippedRatio,
    silenceRatio: s.silenceRatio,
  }));
}

/** Accepts only well-formed editor messages; anything else is ignored. */
export function validateEditorMessage(raw: unknown): EditorToHost | undefined {
  if (!raw || typeof raw !== 'object') return undefined;
  const m = raw as Record<string, unknown>;
  const finite = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
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
