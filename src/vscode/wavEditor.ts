import { basename } from 'node:path';
import * as vscode from 'vscode';
import { FeatureExtractor } from '../audio/features';
import { fitLength } from '../audio/fitLength';
import { mixdown } from '../audio/mixdown';
import { resample } from '../audio/resample';
import { Spectrogram } from '../audio/spectrogram';
import { arrayReader, spectrogramRange, type SampleReader } from '../audio/spectrogramRange';
import { StatsAccumulator, type ChannelStats } from '../audio/stats';
import { decodeFrames, readWavHeader, WavError, type WavHeader } from '../audio/wavDecode';
import { waveformOverview } from '../audio/waveformOverview';
import { clipSamples, featureConfigOf, loadMetadata } from '../model/metadata';
import { normalize } from '../model/normalize';
import type { EditorToHost, HostToEditor, ModelView, SpectrogramView, WaveformView } from '../protocol';
import type { ModelService } from './modelService';
import { readSettings } from './settings';
import { webviewHtml, webviewOptions } from './webviewHtml';

/** Files longer than this are never decoded whole in the host: views, stats and playback go by ranges. */
const LONG_FILE_SEC = 600;
const OVERVIEW_FRAMES = 1200;
/** Longest playback chunk the webview may ask for. */
const MAX_AUDIO_CHUNK_SEC = 60;

/** A WAV opened in the Wavebench editor: its bytes and header; short files also decoded whole. */
class WavDocument implements vscode.CustomDocument {
  bytes: Uint8Array = new Uint8Array(0);
  header: WavHeader | undefined;
  error: string | undefined;
  /** Decoded channels and their mono mix: short files only. */
  channels: Float32Array[] = [];
  mono: Float32Array | undefined;
  private overview: WaveformView | undefined;

  constructor(readonly uri: vscode.Uri) {}

  get long(): boolean {
    return !!this.header && this.header.facts.durationSec > LONG_FILE_SEC;
  }

  /** Reads and decodes the file; a decoding failure is kept as `error`, not thrown. */
  async load(): Promise<void> {
    this.error = undefined;
    this.header = undefined;
    this.channels = [];
    this.mono = undefined;
    this.overview = undefined;
    try {
      this.bytes = await vscode.workspace.fs.readFile(this.uri);
      this.header = readWavHeader(this.bytes);
      if (!this.long) {
        this.channels = decodeFrames(this.bytes, this.header);
        this.mono = mixdown(this.channels);
      }
    } catch (e) {
      this.error = e instanceof WavError ? e.reason : e instanceof Error ? e.message : String(e);
    }
  }

  /** `length` mono samples from `start` (zero past the end), from memory or decoded from the bytes. */
  readonly read: SampleReader = (start, length) => {
    if (this.mono) return arrayReader(this.mono)(start, length);
    const frames = this.header!.facts.frames;
    const a = Math.max(0, start);
    const b = Math.min(frames, start + length);
    const out = new Float32Array(length);
    if (b > a) out.set(mixdown(decodeFrames(this.bytes, this.header!, a, b - a)), a - start);
    return out;
  };

  /**
   * Per-channel statistics and the whole-file waveform overview (`cols` columns), for long files in
   * one streaming pass over 1M-frame chunks, yielding to the extension host between chunks.
   */
  async scan(silenceThresholdDb: number, cols: number): Promise<ChannelStats[]> {
    const f = this.header!.facts;
    const accs = Array.from(
      { length: f.channels },
      () => new StatsAccumulator({ sampleRate: f.sampleRate, silenceThresholdDb }),
    );
    if (this.channels.length) {
      this.channels.forEach((c, i) => accs[i].add(c));
      return accs.map((a) => a.result());
    }
    const min = new Float32Array(cols * f.channels).fill(Infinity);
    const max = new Float32Array(cols * f.channels).fill(-Infinity);
    const chunk = 1 << 20;
    const perCol = f.frames / cols;
    for (let s = 0; s < f.frames; s += chunk) {
      decodeFrames(this.bytes, this.header!, s, chunk).forEach((x, ch) => {
        accs[ch].add(x);
        for (let i = 0; i < x.length; i++) {
          const c = ch * cols + Math.min(cols - 1, Math.floor((s + i) / perCol));
          const v = x[i];
          if (v < min[c]) min[c] = v;
          if (v > max[c]) max[c] = v;
        }
      });
      await new Promise((r) => setImmediate(r)); // let the extension host breathe between chunks
    }
    for (let c = 0; c < min.length; c++) if (min[c] === Infinity) min[c] = max[c] = 0;
    this.overview = {
      startSec: 0,
      endSec: f.durationSec,
      columns: cols,
      channels: f.channels,
      min: min.buffer,
      max: max.buffer,
    };
    return accs.map((a) => a.result());
  }

  /** Waveform min/max per column over [s0, s1) seconds; long files decode column by column. */
  async waveform(s0: number, s1: number, cols: number): Promise<WaveformView> {
    const f = this.header!.facts;
    const whole = s0 === 0 && s1 >= f.durationSec;
    if (whole && this.overview && this.overview.columns === cols) return this.overview;
    const rate = f.sampleRate;
    const min = new Float32Array(cols * f.channels);
    const max = new Float32Array(cols * f.channels);
    if (this.channels.length) {
      this.channels.forEach((c, i) =>
        waveformOverview(
          c,
          s0 * rate,
          s1 * rate,
          cols,
          min.subarray(i * cols, (i + 1) * cols),
          max.subarray(i * cols, (i + 1) * cols),
        ),
      );
    } else {
      const a = Math.floor(s0 * rate);
      const span = Math.max(1, Math.floor(s1 * rate) - a);
      for (let c = 0; c < cols; c++) {
        const from = a + Math.floor((c * span) / cols);
        const to = Math.max(from + 1, a + Math.floor(((c + 1) * span) / cols));
        decodeFrames(this.bytes, this.header!, from, to - from).forEach((x, i) => {
          const r = waveformOverview(x, 0, x.length, 1);
          min[i * cols + c] = r.min[0];
          max[i * cols + c] = r.max[0];
        });
        if (c % 64 === 63) await new Promise((r) => setImmediate(r));
      }
    }
    const view = {
      startSec: s0,
      endSec: s1,
      columns: cols,
      channels: f.channels,
      min: min.buffer,
      max: max.buffer,
    };
    if (whole) this.overview = view;
    return view;
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
          case 'requestAudio':
            if (doc.header && !doc.error) {
              const f = doc.header.facts;
              const start = Math.max(0, Math.min(f.frames, Math.floor(m.startSec * f.sampleRate)));
              const n = Math.min(
                f.frames - start,
                Math.floor(Math.min(m.durationSec, MAX_AUDIO_CHUNK_SEC) * f.sampleRate),
              );
              const samples = doc.read(start, Math.max(0, n));
              post({
                type: 'audio',
                requestId: m.requestId,
                startSec: start / f.sampleRate,
                audio: { sampleRate: f.sampleRate, samples: Float32Array.from(samples).buffer },
              });
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
    const stats = await doc.scan(settings.silenceThresholdDb, 1600);
    const { waveform, spectrogram } = await this.rangeViews(doc, 0, f.durationSec, 1600);
    let features: { type: string; frames: number; bins: number; data: ArrayBuffer } | undefined;
    let model: ModelView | undefined;
    try {
      const md = await loadMetadata(this.models.modelDir);
      const fx = await FeatureExtractor.create(featureConfigOf(md));
      // Only the first window is needed: resample a little more than it, not the whole file.
      const need = Math.ceil((md.clipDurationMs / 1000) * f.sampleRate * 1.05 + 64);
      const head = resample(doc.read(0, Math.min(need, f.frames)), f.sampleRate, md.sampleRate);
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
      audio: doc.mono ? { sampleRate: f.sampleRate, samples: Float32Array.from(doc.mono).buffer } : undefined,
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
    const waveform = await doc.waveform(s0, s1, cols);
    if (!this.spec || this.specRate !== rate) {
      this.specRate = rate;
      this.spec = Spectrogram.create({
        windowSize: Math.max(32, Math.round(rate * 0.03)),
        stride: Math.max(1, Math.round(rate * 0.01)),
      });
    }
    const spec = await this.spec;
    const r = spectrogramRange(spec, doc.read, f.frames, rate, s0, s1, Math.min(OVERVIEW_FRAMES, cols));
    return {
      waveform,
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
    case 'stateChanged':
      if (typeof m.colormap !== 'string' || !finite(m.dbFloor)) return undefined;
      return { type: 'stateChanged', colormap: m.colormap, dbFloor: m.dbFloor };
    default:
      return undefined;
  }
}
