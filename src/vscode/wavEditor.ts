import { open, readFile, stat, type FileHandle } from 'node:fs/promises';
import { basename } from 'node:path';
import * as vscode from 'vscode';
import { FeatureExtractor } from '../audio/features';
import { fitLength } from '../audio/fitLength';
import { mixdown } from '../audio/mixdown';
import { resample } from '../audio/resample';
import { Spectrogram } from '../audio/spectrogram';
import {
  arrayReader,
  spectrogramFrameStarts,
  spectrogramRange,
  type SampleReader,
} from '../audio/spectrogramRange';
import { StatsAccumulator, type ChannelStats } from '../audio/stats';
import { decodeFrames, readWavHeader, WavError, type WavHeader } from '../audio/wavDecode';
import { waveformOverview } from '../audio/waveformOverview';
import { clipSamples, featureConfigOf, loadMetadata } from '../model/metadata';
import { normalize } from '../model/normalize';
import type {
  EditorToHost,
  HostToEditor,
  ModelView,
  SpectrogramView,
  WaveformView,
  WavFactsView,
} from '../protocol';
import type { ModelService } from './modelService';
import { readSettings } from './settings';
import { webviewHtml, webviewOptions } from './webviewHtml';

/** Files longer than this are never decoded whole in the host: views, stats and playback go by ranges. */
const LONG_FILE_SEC = 600;
const OVERVIEW_FRAMES = 1200;
/** Widest range of a long file whose waveform is read sample by sample; wider ones use the overview. */
const WAVEFORM_READ_SEC = 300;
/** Longest playback chunk the webview may ask for. */
const MAX_AUDIO_CHUNK_SEC = 60;

/** Above this size a local file is opened by ranges first: only its header is read before deciding. */
const RANGE_READ_BYTES = 64 * 1024 * 1024;

/** Statistics and whole-file waveform of a document. */
interface Overview {
  stats: ChannelStats[];
  waveform: WaveformView;
}

/**
 * A WAV opened in the Wavebench editor. Short files are read and decoded whole; long local files are
 * read by ranges through a file handle (header first, then what a view needs), so an hour of
 * 48 kHz stereo opens without holding it decoded.
 */
class WavDocument implements vscode.CustomDocument {
  header: WavHeader | undefined;
  error: string | undefined;
  /** Decoded channels and their mono mix: short files only. */
  channels: Float32Array[] = [];
  mono: Float32Array | undefined;
  private bytes: Uint8Array | undefined;
  private fh: FileHandle | undefined;
  private overviewP: Promise<Overview> | undefined;
  private overviewDone: Overview | undefined;

  constructor(readonly uri: vscode.Uri) {}

  get long(): boolean {
    return !!this.header && this.header.facts.durationSec > LONG_FILE_SEC;
  }

  /** Reads the header (and a short file's samples); a decoding failure is kept as `error`, not thrown. */
  async load(): Promise<void> {
    this.error = undefined;
    this.header = undefined;
    this.channels = [];
    this.mono = undefined;
    this.bytes = undefined;
    this.overviewP = undefined;
    this.overviewDone = undefined;
    await this.fh?.close().catch(() => undefined);
    this.fh = undefined;
    try {
      if (this.uri.scheme === 'file') {
        const size = (await stat(this.uri.fsPath)).size;
        if (size > RANGE_READ_BYTES) {
          const fh = await open(this.uri.fsPath, 'r');
          const prefix = Buffer.alloc(Math.min(size, 1 << 20));
          await fh.read(prefix, 0, prefix.length, 0);
          this.header = readWavHeader(prefix, size);
          if (this.long) this.fh = fh;
          else await fh.close();
        }
        if (!this.fh) this.bytes = await readFile(this.uri.fsPath);
      } else this.bytes = await vscode.workspace.fs.readFile(this.uri);
      if (this.bytes) this.header = readWavHeader(this.bytes);
      if (!this.long && this.bytes) {
        this.channels = decodeFrames(this.bytes, this.header!);
        this.mono = mixdown(this.channels);
      }
    } catch (e) {
      this.error = e instanceof WavError ? e.reason : e instanceof Error ? e.message : String(e);
    }
  }

  /** Frames [start, start + n) of every channel, decoded from memory or read from the file. */
  async frames(start: number, n: number): Promise<Float32Array[]> {
    const h = this.header!;
    const a = Math.max(0, Math.min(start, h.facts.frames));
    const count = Math.max(0, Math.min(n, h.facts.frames - a));
    if (this.bytes) return decodeFrames(this.bytes, h, a, count);
    const ba = h.facts.blockAlign;
    const buf = Buffer.alloc(count * ba);
    await this.fh!.read(buf, 0, buf.length, h.dataOffset + a * ba);
    return decodeFrames(buf, { ...h, dataOffset: 0, facts: { ...h.facts, frames: count } }, 0, count);
  }

  /** `length` mono samples from `start` (zero outside the file). */
  async read(start: number, length: number): Promise<Float32Array> {
    if (this.mono) return arrayReader(this.mono)(start, length);
    const out = new Float32Array(length);
    const a = Math.max(0, start);
    const mono = mixdown(await this.frames(a, start + length - a));
    out.set(mono.subarray(0, Math.max(0, length - (a - start))), a - start);
    return out;
  }

  /**
   * Per-channel statistics and the whole-file waveform (`cols` columns): for long files one streaming
   * pass over 1M-frame chunks, started once and shared.
   */
  overview(silenceThresholdDb: number, cols: number): Promise<Overview> {
    this.overviewP ??= this.scan(silenceThresholdDb, cols).then((o) => (this.overviewDone = o));
    return this.overviewP;
  }

  private async scan(silenceThresholdDb: number, cols: number): Promise<Overview> {
    const f = this.header!.facts;
    const accs = Array.from(
      { length: f.channels },
      () => new StatsAccumulator({ sampleRate: f.sampleRate, silenceThresholdDb }),
    );
    const min = new Float32Array(cols * f.channels).fill(Infinity);
    const max = new Float32Array(cols * f.channels).fill(-Infinity);
    const perCol = Math.max(1e-9, f.frames / cols);
    const chunk = 1 << 20;
    for (let s = 0; s < f.frames; s += chunk) {
      (this.channels.length
        ? this.channels.map((c) => c.subarray(s, s + chunk))
        : await this.frames(s, chunk)
      ).forEach((x, ch) => {
        accs[ch].add(x);
        // Walk the columns this chunk covers; min/max over each column's part of it.
        for (let c = Math.floor(s / perCol); c < cols && c * perCol < s + x.length; c++) {
          const a = Math.max(0, Math.ceil(c * perCol) - s);
          const b = Math.min(x.length, Math.ceil((c + 1) * perCol) - s);
          let lo = min[ch * cols + c];
          let hi = max[ch * cols + c];
          for (let i = a; i < b; i++) {
            const v = x[i];
            if (v < lo) lo = v;
            if (v > hi) hi = v;
          }
          min[ch * cols + c] = lo;
          max[ch * cols + c] = hi;
        }
      });
      if (!this.channels.length) await new Promise((r) => setImmediate(r)); // let the host breathe
    }
    for (let c = 0; c < min.length; c++) if (min[c] === Infinity) min[c] = max[c] = 0;
    return {
      stats: accs.map((a) => a.result()),
      waveform: {
        startSec: 0,
        endSec: f.durationSec,
        columns: cols,
        channels: f.channels,
        min: min.buffer,
        max: max.buffer,
      },
    };
  }

  /** Waveform min/max per column over [s0, s1) seconds. */
  async waveform(s0: number, s1: number, cols: number): Promise<WaveformView> {
    const f = this.header!.facts;
    const rate = f.sampleRate;
    const min = new Float32Array(cols * f.channels);
    const max = new Float32Array(cols * f.channels);
    const view = {
      startSec: s0,
      endSec: s1,
      columns: cols,
      channels: f.channels,
      min: min.buffer,
      max: max.buffer,
    };
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
      return view;
    }
    if (s1 - s0 > WAVEFORM_READ_SEC) {
      // A wide range of a long file: from the whole-file overview's columns, once it is ready
      // (until then no columns: the webview says the file is still being measured).
      const o = this.overviewDone;
      if (!o) return { ...view, columns: 0 };
      const om = new Float32Array(o.waveform.min);
      const oM = new Float32Array(o.waveform.max);
      const oc = o.waveform.columns;
      for (let c = 0; c < cols; c++) {
        const a = Math.floor(((s0 + ((s1 - s0) * c) / cols) / f.durationSec) * oc);
        const b = Math.max(a + 1, Math.floor(((s0 + ((s1 - s0) * (c + 1)) / cols) / f.durationSec) * oc));
        for (let ch = 0; ch < f.channels; ch++) {
          let lo = Infinity;
          let hi = -Infinity;
          for (let k = a; k < b && k < oc; k++) {
            lo = Math.min(lo, om[ch * oc + k]);
            hi = Math.max(hi, oM[ch * oc + k]);
          }
          min[ch * cols + c] = lo === Infinity ? 0 : lo;
          max[ch * cols + c] = hi === -Infinity ? 0 : hi;
        }
      }
      return view;
    }
    const start = Math.floor(s0 * rate);
    const data = await this.frames(start, Math.ceil(s1 * rate) - start);
    data.forEach((x, i) =>
      waveformOverview(
        x,
        0,
        x.length,
        cols,
        min.subarray(i * cols, (i + 1) * cols),
        max.subarray(i * cols, (i + 1) * cols),
      ),
    );
    return view;
  }

  dispose(): void {
    void this.fh?.close().catch(() => undefined);
  }
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
      const settings = readSettings();
      // Long files: the overview (stats, whole-file waveform) is one pass over the file; the first
      // paint does not wait for it (nor compete with it): it starts after, and follows as its own message.
      const init = await this.initMessage(
        doc,
        doc.long ? undefined : await doc.overview(settings.silenceThresholdDb, 1600),
      );
      post(init);
      void predict();
      if (doc.long) {
        const o = await doc.overview(settings.silenceThresholdDb, 1600);
        post({ type: 'overview', waveform: o.waveform, stats: statsView(o.stats) });
      }
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
              const samples = await doc.read(start, Math.max(0, n));
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
      ...this.models.bundled.map((m) => ({
        label: `Bundled: ${m.name}`,
        description: m.description,
        dir: m.dir,
      })),
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
    } else this.models.useModel(pick.dir);
  }

  private async initMessage(doc: WavDocument, overview: Overview | undefined): Promise<HostToEditor> {
    const h = doc.header!;
    const f = h.facts;
    const settings = readSettings();
    const { waveform, spectrogram } = await this.rangeViews(doc, 0, f.durationSec, 1600);
    let features: { type: string; frames: number; bins: number; data: ArrayBuffer } | undefined;
    let model: ModelView | undefined;
    try {
      const md = await loadMetadata(this.models.modelDir);
      const fx = await FeatureExtractor.create(featureConfigOf(md));
      // Only the first window is needed: resample a little more than it, not the whole file.
      const need = Math.ceil((md.clipDurationMs / 1000) * f.sampleRate * 1.05 + 64);
      const head = resample(await doc.read(0, Math.min(need, f.frames)), f.sampleRate, md.sampleRate);
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
        stats: overview ? statsView(overview.stats) : [],
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
    // Fetch the windows first (long files read them from disk), then transform them.
    const maxFrames = Math.min(OVERVIEW_FRAMES, cols);
    const starts = spectrogramFrameStarts(spec, f.frames, rate, s0, s1, maxFrames);
    const read = await Promise.all(starts.map((st) => doc.read(st, spec.windowSize)));
    const windows = new Map(starts.map((st, i) => [st, read[i]]));
    const reader: SampleReader = (st, len) => windows.get(st) ?? new Float32Array(len);
    const r = spectrogramRange(spec, reader, f.frames, rate, s0, s1, maxFrames);
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
