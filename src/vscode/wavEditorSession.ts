import { formatLabel } from '../audio/audioFile';
import { CompressedSource } from '../audio/compressedSource';
import { basename } from 'node:path';
import * as vscode from 'vscode';
import type { ChannelStats } from '../audio/stats';
import { WavSource } from '../audio/wavSource';
import type {
  Overview,
  SpectrogramRangeView,
  WaveformRange,
  WavDocumentModel,
} from '../audio/wavDocumentModel';
import { evaluationModel } from '../engine/evaluateJob';
import type { ClipInput } from '../engine/jobs';
import { DEFAULT_TOP_K, DEFAULT_WINDOW_STRIDE_MS } from '../model/defaults';
import { DEFAULT_STREAM_RULES } from '../model/streaming/rules';
import type {
  EditorToHost,
  HostToEditor,
  ModelView,
  SpectrogramView,
  WaveformView,
  WavFactsView,
} from '../protocol/editor';
import { parseEditorToHost } from '../protocol/editor';
import { Disposable } from './dispose';
import { readTruthBeside, watchTruthBeside } from './editorTruth';
import { truthView } from './truthView';
import { pickModel } from './modelPicker';
import type { ModelService } from './modelService';
import { readSettings } from './settings';
import type { TestRecorder } from './testRecorder';
import type { WavDocument } from './wavDocument';
import { WebviewHost } from './webviewHost';

/**
 * Largest document handed to a worker as bytes to classify (the classifier's own whole-read
 * limit: 17 min of 16 kHz 16-bit mono). A longer document on disk is classified by path, streamed
 * by window groups in the worker; a longer one from another file system is already in memory
 * (VS Code's fs API reads it whole), so it goes as bytes too.
 */
const CLIP_BYTES_LIMIT = 32 * 1024 * 1024;

/** Where an editor is: waiting for its webview or a model, showing a file, showing an error, or closed. */
export type SessionState = 'loading' | 'ready' | 'error' | 'disposed';

/**
 * One open Wavebench editor: its webview's messages, the views it sends, its predictions. State is
 * explicit and checked again after every await (the panel may have closed, the document may have
 * been reloaded into a new model meanwhile); every subscription is registered and disposed with
 * the panel.
 */
export class WavEditorSession extends Disposable {
  private state: SessionState = 'loading';
  private webviewReady = false;
  private predictionAbort: AbortController | undefined;
  /** A seek asked for before the page showed the file: sent right after it does. */
  private pendingSeek: number | undefined;
  private readonly host: WebviewHost<EditorToHost, HostToEditor>;

  constructor(
    readonly doc: WavDocument,
    readonly panel: vscode.WebviewPanel,
    private readonly models: ModelService,
    recorder: TestRecorder,
  ) {
    super();
    this.host = this._register(
      new WebviewHost<EditorToHost, HostToEditor>(
        panel,
        {
          name: 'editor',
          key: doc.uri.toString(),
          parse: parseEditorToHost,
          receive: (m) => this.onMessage(m),
          // A read that failed mid-way (the file vanished or shrank): the editor says so.
          onError: (e) => this.fail(e.message),
          note: (m) =>
            m.type === 'painted'
              ? { what: m.what }
              : m.type === 'drawn'
                ? { what: m.what, detail: { ...m.detail } }
                : m.type === 'decodeError'
                  ? { message: m.message }
                  : m.type === 'truthProblems'
                    ? { message: m.lines.join('\n') }
                    : {},
        },
        recorder,
      ),
    );
    this._register(doc.onDidReload(() => this.show()));
    this._register(models.onDidChange(() => void this.predict()));
    this._register(watchTruthBeside(doc.uri, () => void this.predict()));
    this._register(panel.onDidDispose(() => this.dispose()));
    this._register({ dispose: () => this.predictionAbort?.abort() });
  }

  /** The model this session shows, if it is still the document's current one and the panel is open. */
  private live(model: WavDocumentModel): boolean {
    return this.state !== 'disposed' && this.doc.state.model === model;
  }

  private post(m: HostToEditor): void {
    if (this.state !== 'disposed') this.host.post(m);
  }

  private async onMessage(m: EditorToHost): Promise<void> {
    if (this.state === 'disposed') return;
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
      case 'drawn':
        break;
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
    if (this.pendingSeek !== undefined) this.seek(this.pendingSeek);
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
    // The model's facts and input come with the prediction, from the worker that loaded the model:
    // no model-format code runs on the extension host.
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
      audio: model.mono
        ? { sampleRate: f.sampleRate, samples: Float32Array.from(model.mono).buffer }
        : undefined,
    };
  }

  /** Shows `timeSec` (view centred, cursor there): now if the page shows the file, else once it does. */
  seek(timeSec: number): void {
    if (this.state === 'disposed') return;
    if (this.state !== 'ready') {
      this.pendingSeek = timeSec;
      return;
    }
    this.pendingSeek = undefined;
    this.post({ type: 'seek', timeSec });
  }

  private modelView(name: string, labels: string[]): ModelView {
    const dir = this.models.modelDir;
    return { name, dir, labels, isDefault: dir === this.models.defaultDir };
  }

  /**
   * Classifies the document on the shared pool, ahead of any folder run or dataset scan, from the
   * document model's bytes (so a file on any file system classifies); the same worker answers with
   * what the model sees. A newer request cancels this one.
   */
  private async predict(): Promise<void> {
    if (this.state === 'disposed') return;
    this.predictionAbort?.abort();
    const abort = (this.predictionAbort = new AbortController());
    const doc = this.doc.state.model;
    const current = () => this.state !== 'disposed' && !abort.signal.aborted && (!doc || this.live(doc));
    try {
      if (!doc) return;
      const { pool, info, model } = await this.models.getPool();
      if (!current()) return;
      // With a label file beside it, the windows are the evaluation's (evaluate's stride).
      const truth = await readTruthBeside(this.doc.uri);
      if (!current()) return;
      const input = await this.clipInput(doc, !!truth);
      if (!current()) return;
      const { row, features } = await pool.run('clip', input, {
        model: truth ? evaluationModel(model) : model,
        priority: 'interactive',
        signal: abort.signal,
        transfer: 'bytes' in input ? [input.bytes.buffer as ArrayBuffer] : undefined,
      });
      if (!current()) return;
      if (row.error || !row.probabilities) {
        this.post({ type: 'predictionError', message: row.error ?? 'no prediction' });
        return;
      }
      const checked = truth && truthView(truth, row, info, doc.facts);
      this.post({ type: 'truthProblems', lines: checked?.problems ?? [] });
      this.post({
        type: 'predictions',
        model: this.modelView(info.name, info.labels),
        prediction: {
          labels: info.labels,
          clip: row.probabilities,
          windows: row.windows,
          detections: row.detections,
          truth: checked?.view,
        },
        features: features && {
          type: features.type,
          windowMs: features.windowMs,
          summary: features.summary,
          frames: features.frames,
          bins: features.bins,
          data: features.data.buffer as ArrayBuffer,
        },
      });
    } catch (e) {
      if (current()) this.post({ type: 'predictionError', message: (e as Error).message });
    }
  }

  /** What the worker classifies (the document model's bytes, or the path of a long file on disk), at the evaluation's stride when there is a label file. */
  private async clipInput(doc: WavDocumentModel, truth: boolean): Promise<ClipInput> {
    const stride = truth ? DEFAULT_STREAM_RULES.windowStrideMs : DEFAULT_WINDOW_STRIDE_MS;
    const options = { topK: DEFAULT_TOP_K, windowStrideMs: stride };
    // A long FLAC or MP3 is read by ranges here and streamed by the worker: never decoded whole.
    const long =
      (doc.source instanceof WavSource && doc.source.size > CLIP_BYTES_LIMIT) ||
      (doc.source instanceof CompressedSource && !doc.whole);
    if (long && this.doc.uri.scheme === 'file') return { path: this.doc.uri.fsPath, ...options };
    return { bytes: await doc.source.readAll(), name: basename(this.doc.uri.path), ...options };
  }

  override dispose(): void {
    this.state = 'disposed';
    super.dispose();
  }
}

/** A model's range as the protocol carries it. */
async function rangeViews(
  model: WavDocumentModel,
  startSec: number,
  endSec: number,
  columns: number,
): Promise<{ waveform: WaveformView; spectrogram: SpectrogramView }> {
  const v = await model.views(startSec, endSec, columns);
  return { waveform: waveformView(v.waveform), spectrogram: spectrogramView(v.spectrogram) };
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
