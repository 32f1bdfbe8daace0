import { basename } from 'node:path';
import * as vscode from 'vscode';
import { FeatureExtractor } from '../audio/features';
import { fitLength } from '../audio/fitLength';
import { mixdown } from '../audio/mixdown';
import { resample } from '../audio/resample';
import { Spectrogram } from '../audio/spectrogram';
import { spectrogramRange } from '../audio/spectrogramRange';
import { channelStats } from '../audio/stats';
import { decodeFrames, readWavHeader, WavError, type WavHeader } from '../audio/wavDecode';
import { waveformOverview } from '../audio/waveformOverview';
import { clipSamples, featureConfigOf, loadMetadata } from '../model/metadata';
import { normalize } from '../model/normalize';
import type { EditorToHost, HostToEditor, ModelView, SpectrogramView, WaveformView } from '../protocol';
import type { ModelService } from './modelService';
import { readSettings } from './settings';
import { webviewHtml, webviewOptions } from './webviewHtml';

/** Longest audio sent whole to the webview for playback at its own rate; longer goes at 16 kHz. */
const FULL_RATE_PLAYBACK_SEC = 600;
const OVERVIEW_FRAMES = 1200;

/** A WAV opened in the Wavebench editor: its bytes and decoded mono audio, reloaded on change. */
class WavDocument implements vscode.CustomDocument {
  bytes: Uint8Array = new Uint8Array(0);
  header: WavHeader | undefined;
  error: string | undefined;
  channels: Float32Array[] = [];
  mono: Float32Array = new Float32Array(0);

  constructor(readonly uri: vscode.Uri) {}

  /** Reads and decodes the file; a decoding failure is kept as `error`, not thrown. */
  async load(): Promise<void> {
    this.error = undefined;
    this.header = undefined;
    this.channels = [];
    this.mono = new Float32Array(0);
    try {
      this.bytes = await vscode.workspace.fs.readFile(this.uri);
      this.header = readWavHeader(this.bytes);
      this.channels = decodeFrames(this.bytes, this.header);
      this.mono = mixdown(this.channels);
    } catch (e) {
      this.error = e instanceof WavError ? e.reason : e instanceof Error ? e.message : String(e);
    }
  }

  dispose(): void {}
}

/** The custom editor for .wav files: the host decodes and computes, the webview draws. */
export class WavEditorProvider implements vscode.CustomReadonlyEditorProvider<WavDocument> {
  static readonly viewType = 'wavebench.wav';
  /** Messages from webviews, for the integration tests (painted signals). */
  static readonly log: { uri: string; message: EditorToHost; at: number }[] = [];
  /** Types of the messages sent to webviews, for the integration tests. */
  static readonly sent: { uri: string; type: HostToEditor['type']; at: number }[] = [];

  /** Registers the provider; returns its disposable. */
  static register(context: vscode.ExtensionContext, models: ModelService): vscode.Disposable {
    return vscode.window.registerCustomEditorProvider(
      WavEditorProvider.viewType,
      new WavEditorProvider(context, models),
      {
        // Playback must go on while the tab is hidden, and decoding again on every switch is wasteful.
        webviewOptions: { retainContextWhenHidden: true },
        supportsMultipleEditorsPerDocument: true,
      },
    );
  }

  private constructor(
    private readonly context: vscode.ExtensionContext,
    private readonly models: ModelService,
  ) {}

  async openCustomDocument(uri: vscode.Uri): Promise<WavDocument> {
    const doc = new WavDocument(uri);
    await doc.load();
    return doc;
  }

  async resolveCustomEditor(doc: WavDocument, panel: vscode.WebviewPanel): Promise<void> {
    const ext = this.context.extensionUri;
    panel.webview.options = webviewOptions(ext);
    panel.webview.html = webviewHtml(panel.webview, ext, 'editor', basename(doc.uri.fsPath));
    let disposed = false;
    let ready = false;
    let predictionRun = 0;
    const post = (m: HostToEditor) => {
      if (disposed) return;
      WavEditorProvider.sent.push({ uri: doc.uri.toString(), type: m.type, at: performance.now() });
      void panel.webview.postMessage(m);
    };
    const sendAll = async () => {
      if (!ready || disposed) return;
      if (doc.error || !doc.header) {
        post({ type: 'decodeError', path: doc.uri.fsPath, message: doc.error ?? 'unreadable' });
        return;
      }
      post(await this.initMessage(doc));
      void predict();
    };
    const predict = async () => {
      const run = ++predictionRun;
      try {
        const { pool, info } = await this.models.getPool();
        const [row] = await pool.classify([doc.uri.fsPath]);
        if (disposed || run !== predictionRun) return;
        if (row.error || !row.probabilities) {
          post({ type: 'predictionError', message: row.error ?? 'no prediction' });
          return;
        }
        post({
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
        if (!disposed && run === predictionRun)
          post({ type: 'predictionError', message: (e as Error).message });
      }
    };
    const subs: vscode.Disposable[] = [];
    subs.push(
      panel.webview.onDidReceiveMessage(async (raw: unknown) => {
        const m = validateEditorMessage(raw);
        if (!m) return;
        WavEditorProvider.log.push({ uri: doc.uri.toString(), message: m, at: performance.now() });
        switch (m.type) {
          case 'ready':
            ready = true;
            await sendAll();
            break;
          case 'requestRange':
            if (doc.header && !doc.error) {
              const r = await this.rangeViews(doc, m.startSec, m.endSec, m.columns);
              post({ type: 'range', requestId: m.requestId, ...r });
            }
            break;
          case 'pickModel':
            await this.pickModel();
            break;
          case 'painted':
          case 'stateChanged':
            break;
        }
      }),
      this.models.onDidChange(() => void predict()),
    );
    // Reload when the file changes on disk.
    const dir = vscode.Uri.joinPath(doc.uri, '..');
    const watcher = vscode.workspace.createFileSystemWatcher(
      new vscode.RelativePattern(dir, basename(doc.uri.fsPath)),
    );
    const reload = async () => {
      await doc.load();
      await sendAll();
    };
    subs.push(watcher, watcher.onDidChange(reload), watcher.onDidCreate(reload));
    panel.onDidDispose(() => {
      disposed = true;
      for (const s of subs) s.dispose();
    });
  }

  private modelView(name: string, labels: string[]): ModelView {
    const dir = this.models.modelDir;
    return { name, dir, labels, isDefault: dir === this.models.defaultDir };
  }

  private async pickModel(): Promise<void> {
    const items: (vscode.QuickPickItem & { dir?: string })[] = [
      { label: 'Bundled default model', description: this.models.defaultDir, dir: undefined },
      {
        label: 'Choose a model folder…',
        description: 'model.json + shards + metadata.json or labels.txt',
        dir: '?',
      },
    ];
    const pick = await vscode.window.showQuickPick(items, { title: 'Wavebench: model for this session' });
    if (!pick) return;
    if (pick.dir === '?') {
      const folder = await vscode.window.showOpenDialog({
        canSelectFolders: true,
        canSelectFiles: false,
        openLabel: 'Use this model',
      });
      if (folder?.[0]) this.models.useModel(folder[0].fsPath);
    } else this.models.useModel(undefined);
  }

  private async initMessage(doc: WavDocument): Promise<HostToEditor> {
    const h = doc.header!;
    const f = h.facts;
    const settings = readSettings();
    const stats = doc.channels.map((c) =>
      channelStats(c, { sampleRate: f.sampleRate, silenceThresholdDb: settings.silenceThresholdDb }),
    );
    const { waveform, spectrogram } = await this.rangeViews(doc, 0, f.durationSec, 1600);
    const playRate = f.durationSec <= FULL_RATE_PLAYBACK_SEC ? f.sampleRate : 16000;
    const play = playRate === f.sampleRate ? doc.mono : resample(doc.mono, f.sampleRate, playRate);
    let features: { type: string; frames: number; bins: number; data: ArrayBuffer } | undefined;
    let model: ModelView | undefined;
    try {
      const md = await loadMetadata(this.models.modelDir);
      const fx = await FeatureExtractor.create(featureConfigOf(md));
      // Only the first window is needed: resample a little more than it, not the whole file.
      const need = Math.ceil((md.clipDurationMs / 1000) * f.sampleRate * 1.05 + 64);
      const head = resample(doc.mono.subarray(0, need), f.sampleRate, md.sampleRate);
      const win = fitLength(head.subarray(0, clipSamples(md)), clipSamples(md));
      const m = fx.compute(win);
      normalize(m.data, m.bins, md.features);
      fx.dispose();
      features = {
        type: md.features.type,
        frames: m.frames,
        bins: m.bins,
        data: m.data.buffer as ArrayBuffer,
      };
      model = this.modelView(md.name, md.labels);
    } catch {
      // The model's own error reaches the webview through predictionError.
    }
    return {
      type: 'init',
      facts: {
        path: doc.uri.fsPath,
        name: basename(doc.uri.fsPath),
        container: f.container,
        format: f.format,
        bitsPerSample: f.bitsPerSample,
        sampleRate: f.sampleRate,
        channels: f.channels,
        frames: f.frames,
        durationSec: f.durationSec,
        warnings: h.warnings,
        stats: stats.map((s) => ({
          peakDbfs: s.peakDbfs,
          rmsDbfs: s.rmsDbfs,
          dcOffset: s.dcOffset,
          clippedRatio: s.clippedRatio,
          silenceRatio: s.silenceRatio,
        })),
      },
      settings: { colormap: settings.colormap, dbFloor: settings.dbFloor },
      waveform,
      spectrogram,
      features,
      model,
      audio: { sampleRate: playRate, samples: Float32Array.from(play).buffer },
    };
  }

  private spec: Promise<Spectrogram> | undefined;
  private specRate = 0;

  private async rangeViews(
    doc: WavDocument,
    startSec: number,
    endSec: number,
    columns: number,
  ): Promise<{ waveform: WaveformView; spectrogram: SpectrogramView }> {
    const f = doc.header!.facts;
    const rate = f.sampleRate;
    const s0 = Math.max(0, Math.min(startSec, f.durationSec));
    const s1 = Math.max(s0, Math.min(endSec, f.durationSec));
    const cols = Math.max(1, Math.min(4000, Math.round(columns)));
    const min = new Float32Array(cols * f.channels);
    const max = new Float32Array(cols * f.channels);
    doc.channels.forEach((c, i) =>
      waveformOverview(
        c,
        s0 * rate,
        s1 * rate,
        cols,
        min.subarray(i * cols, (i + 1) * cols),
        max.subarray(i * cols, (i + 1) * cols),
      ),
    );
    if (!this.spec || this.specRate !== rate) {
      this.specRate = rate;
      this.spec = Spectrogram.create({
        windowSize: Math.max(32, Math.round(rate * 0.03)),
        stride: Math.max(1, Math.round(rate * 0.01)),
      });
    }
    const spec = await this.spec;
    const r = spectrogramRange(spec, doc.mono, rate, s0, s1, Math.min(OVERVIEW_FRAMES, cols));
    return {
      waveform: {
        startSec: s0,
        endSec: s1,
        columns: cols,
        channels: f.channels,
        min: min.buffer,
        max: max.buffer,
      },
      spectrogram: {
        startSec: s0,
        endSec: s1,
        frames: r.frames,
        bins: r.bins,
        maxHz: rate / 2,
        db: r.db.buffer as ArrayBuffer,
        times: r.times.buffer as ArrayBuffer,
      },
    };
  }
}

/** Accepts only well-formed editor messages; anything else is ignored. */
export function validateEditorMessage(raw: unknown): EditorToHost | undefined {
  if (!raw || typeof raw !== 'object') return undefined;
  const m = raw as Record<string, unknown>;
  const finite = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
  switch (m.type) {
    case 'ready':
    case 'pickModel':
      return { type: m.type };
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
    case 'stateChanged':
      if (typeof m.colormap !== 'string' || !finite(m.dbFloor)) return undefined;
      return { type: 'stateChanged', colormap: m.colormap, dbFloor: m.dbFloor };
    default:
      return undefined;
  }
}
