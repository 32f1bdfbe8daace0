import { writeFile } from 'node:fs/promises';
import { readdir } from 'node:fs/promises';
import { relative, sep } from 'node:path';
import * as vscode from 'vscode';
import { relabelCsv } from '../dataset/relabelLog';
import { BACKGROUND_FOLDER } from '../dataset/scan';
import type { ReviewReport } from '../engine/reviewJob';
import {
  parseReviewToHost,
  type DecisionView,
  type HostToReview,
  type ReviewToHost,
} from '../protocol/review';
import { Disposable } from './dispose';
import type { ModelService } from './modelService';
import { PanelSet } from './panelSet';
import type { Relabeller } from './relabel';
import type { ReviewService } from './reviewService';
import { reviewView } from './reviewView';
import { readSettings } from './settings';
import type { TestRecorder } from './testRecorder';
import { WebviewHost } from './webviewHost';
import { webviewHtml, webviewOptions } from './webviewHtml';

/** Spectrogram columns of a queued clip (the page scales them to its width). */
const PREVIEW_COLUMNS = 800;

/** What a review panel works with. */
export interface ReviewPanelDeps {
  extensionUri: vscode.Uri;
  models: ModelService;
  reviews: ReviewService;
  relabeller: Relabeller;
  recorder: TestRecorder;
  /** Where "Export decisions" writes (a save dialog; integration tests replace it). */
  saveTarget: () => Thenable<vscode.Uri | undefined>;
}

/** The dataset's label folders (sub-folders of `root`, without hidden ones and the noise folder). */
async function labelFolders(root: string): Promise<string[]> {
  const entries = await readdir(root, { withFileTypes: true }).catch(() => []);
  return entries
    .filter((e) => e.isDirectory() && !e.name.startsWith('.') && e.name !== BACKGROUND_FOLDER)
    .map((e) => e.name)
    .sort();
}

/**
 * The label review page of one folder: its summary and queues, each queued clip's spectrogram, audio
 * (decoded in a pool worker) and top labels, relabels through the Relabeller (confirmed, undoable,
 * logged), and the export of the page's decisions. Only clips of this review can be asked for or moved:
 * the webview cannot name other files.
 */
export class ReviewPanel extends Disposable {
  private readonly host: WebviewHost<ReviewToHost, HostToReview>;
  private readonly known: Set<string>;
  private readonly abort = new AbortController();

  private constructor(
    private readonly deps: ReviewPanelDeps,
    readonly report: ReviewReport,
    private readonly selection: string[] | undefined,
  ) {
    super();
    const title = `Wavebench: review of ${vscode.workspace.asRelativePath(report.folder)}`;
    const panel = this._register(
      vscode.window.createWebviewPanel('wavebench.review', title, vscode.ViewColumn.Active, {
        ...webviewOptions(deps.extensionUri),
        // Playback and the queue position live in the page: keep it while another tab is in front.
        retainContextWhenHidden: true,
      }),
    );
    panel.webview.html = webviewHtml(panel.webview, deps.extensionUri, 'review', title);
    this.known = new Set([
      ...report.suspects.map((s) => s.path),
      ...report.duplicates.flatMap((g) => g.paths),
      ...report.outliers.map((o) => o.path),
      ...(selection ?? []),
    ]);
    this.host = this._register(
      new WebviewHost<ReviewToHost, HostToReview>(
        panel,
        { name: 'review', key: title, parse: parseReviewToHost, receive: (m) => this.receive(m, title) },
        deps.recorder,
      ),
    );
    this._register(
      deps.relabeller.onDidUndo((m) => {
        if (!this.known.has(m.to)) return;
        this.known.add(m.from);
        this.host.post({ type: 'relabelUndone', path: m.from, newPath: m.to });
      }),
    );
    this._register({ dispose: () => this.abort.abort() });
    this._register(panel.onDidDispose(() => this.dispose()));
  }

  /** Opens a review page; `selection`: a queue of just those clips, in that order. */
  static open(deps: ReviewPanelDeps, report: ReviewReport, selection?: string[]): ReviewPanel {
    return new ReviewPanel(deps, report, selection);
  }

  /** The clips of the `selection` queue, if the page has one. */
  get selected(): readonly string[] | undefined {
    return this.selection;
  }

  /** Presses a key in the page as the user would (for the integration tests). */
  pressKey(key: string, shiftKey = false): void {
    this.host.post({ type: 'key', key, shiftKey });
  }

  private async receive(m: ReviewToHost, title: string): Promise<void> {
    switch (m.type) {
      case 'ready': {
        const folders = await labelFolders(this.report.folder);
        const s = readSettings();
        this.host.post({
          type: 'init',
          view: reviewView(this.report, title, folders, this.selection),
          settings: { colormap: s.colormap, dbFloor: s.dbFloor },
        });
        break;
      }
      case 'requestClip':
        if (this.known.has(m.path)) await this.sendClip(m.requestId, m.path);
        break;
      case 'relabel': {
        if (!this.known.has(m.path)) break;
        const r = await this.deps.relabeller.relabel(this.report.folder, m.path, m.to, m.score);
        if ('declined' in r) this.host.post({ type: 'relabelDeclined', path: m.path, reason: r.declined });
        else {
          this.known.add(r.newPath);
          this.host.post({ type: 'relabelled', path: m.path, kind: m.kind, ...r });
        }
        break;
      }
      case 'undoRelabel':
        if (this.known.has(m.path)) await this.deps.relabeller.undo(m.path);
        break;
      case 'exportDecisions':
        await this.exportDecisions(m.decisions);
        break;
      case 'openClip':
        if (this.known.has(m.path))
          await vscode.commands.executeCommand('vscode.openWith', vscode.Uri.file(m.path), 'wavebench.wav');
        break;
      case 'painted':
        break;
    }
  }

  private async sendClip(requestId: number, path: string): Promise<void> {
    try {
      const { pool } = await this.deps.models.getPool();
      const [clip, top] = await Promise.all([
        pool.run(
          'preview',
          { path, columns: PREVIEW_COLUMNS },
          { priority: 'interactive', signal: this.abort.signal },
        ),
        this.deps.reviews.topLabels(path, this.report, this.abort.signal).catch(() => []),
      ]);
      const s = clip.spectrogram;
      this.host.post({
        type: 'clip',
        requestId,
        path,
        durationSec: clip.durationSec,
        spectrogram: { ...s, db: s.db.buffer as ArrayBuffer, times: s.times.buffer as ArrayBuffer },
        audio: { sampleRate: clip.sampleRate, samples: clip.samples.buffer as ArrayBuffer },
        top,
      });
    } catch (e) {
      this.host.post({ type: 'clipError', requestId, path, message: (e as Error).message });
    }
  }

  private async exportDecisions(decisions: DecisionView[]): Promise<void> {
    const target = await this.deps.saveTarget();
    if (!target || !this.host.live) return;
    const root = this.report.folder;
    const rel = (p: string) => relative(root, p).split(sep).join('/');
    const csv = relabelCsv(
      decisions.map((d) => ({ path: rel(d.path), from: d.from, to: d.to, score: d.score, time: d.time })),
    );
    try {
      await writeFile(target.fsPath, csv);
    } catch (e) {
      void vscode.window.showErrorMessage(
        `Wavebench: cannot write ${target.fsPath}: ${(e as Error).message}`,
      );
      return;
    }
    void vscode.window.showInformationMessage(
      `Wavebench: exported ${decisions.length} decisions to ${target.fsPath} (no file was moved)`,
    );
  }
}

/** Every open review page: one set for the extension; a new review of a folder replaces its page. */
export class ReviewPanels extends PanelSet<ReviewPanel> {
  private readonly byFolder = new Map<string, ReviewPanel>();

  constructor(private readonly deps: ReviewPanelDeps) {
    super();
  }

  /** The open review page of `folder`, if any. */
  of(folder: string): ReviewPanel | undefined {
    return this.byFolder.get(folder);
  }

  /** Opens the review page of `report` (closing the folder's previous one). */
  show(report: ReviewReport, selection?: string[]): ReviewPanel {
    this.byFolder.get(report.folder)?.dispose();
    const p = this.add(ReviewPanel.open(this.deps, report, selection));
    this.byFolder.set(report.folder, p);
    p.onDispose(() => {
      if (this.byFolder.get(report.folder) === p) this.byFolder.delete(report.folder);
    });
    return p;
  }
}
