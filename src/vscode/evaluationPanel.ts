import * as vscode from 'vscode';
import type { EvaluateReport } from '../engine/evaluateJob';
import type { WorkerPool } from '../engine/pool';
import { exportFalseAccepts } from '../engine/snippetJob';
import { eventsAtThreshold, type ScoredRecording } from '../model/streaming/evaluation';
import { parseEvaluationToHost, type EvaluationToHost, type HostToEvaluation } from '../protocol/evaluation';
import { Disposable } from './dispose';
import { PanelSet } from './panelSet';
import { eventsView, evaluationView } from './evaluationView';
import type { TestRecorder } from './testRecorder';
import { WebviewHost } from './webviewHost';
import { webviewHtml, webviewOptions } from './webviewHtml';

/**
 * The evaluation of recordings (DET curve, operating points, false accepts, misses at a threshold the
 * page picks, recomputed from the kept per-window scores) in a webview panel.
 */
export class EvaluationPanel extends Disposable {
  private readonly host: WebviewHost<EvaluationToHost, HostToEvaluation>;

  constructor(
    extensionUri: vscode.Uri,
    readonly report: EvaluateReport,
    private readonly root: string,
    /** The scored recordings (per-window best smoothed keyword) the events are recomputed from. */
    private readonly scored: ScoredRecording[],
    private readonly pool: () => WorkerPool,
    recorder: TestRecorder,
  ) {
    super();
    const title = `Wavebench: ${report.model.name} evaluated on ${vscode.workspace.asRelativePath(root)}`;
    const panel = this._register(
      vscode.window.createWebviewPanel(
        'wavebench.evaluation',
        title,
        vscode.ViewColumn.Active,
        webviewOptions(extensionUri),
      ),
    );
    panel.webview.html = webviewHtml(panel.webview, extensionUri, 'evaluation', title);
    const view = evaluationView(report, root, title);
    // Only recordings of this evaluation can be opened: the webview cannot name other files.
    const known = new Set(report.recordings.map((r) => r.path));
    this.host = this._register(
      new WebviewHost<EvaluationToHost, HostToEvaluation>(
        panel,
        {
          name: 'evaluation',
          key: title,
          parse: parseEvaluationToHost,
          receive: async (m) => {
            if (m.type === 'ready') this.host.post({ type: 'init', evaluation: view });
            else if (m.type === 'eventsAt')
              this.host.post({ type: 'events', events: eventsView(this.eventsAt(m.threshold), this.root) });
            else if (m.type === 'exportFalseAccepts') await this.exportSnippets(m.threshold, m.marginMs);
            else if (m.type === 'openRecording' && known.has(m.path))
              await vscode.commands.executeCommand('wavebench.openAt', vscode.Uri.file(m.path), m.timeSec);
            else if (m.type === 'openClip' && known.has(m.path))
              await vscode.commands.executeCommand(
                'vscode.openWith',
                vscode.Uri.file(m.path),
                'wavebench.wav',
              );
          },
        },
        recorder,
      ),
    );
    this._register(panel.onDidDispose(() => this.dispose()));
  }

  /** The events at `threshold`, by the rules of `evaluate` over the kept scores. */
  private eventsAt(threshold: number) {
    return eventsAtThreshold(this.scored, this.report.model.labels, this.report.rules, threshold);
  }

  /**
   * The false accepts at `threshold` as WAV snippets in a folder the user picks (cut and written by
   * the workers); refused in an untrusted workspace. Resolves to the files written.
   */
  async exportSnippets(threshold: number, marginMs: number, dir?: string): Promise<string[]> {
    if (!vscode.workspace.isTrusted) {
      void vscode.window.showErrorMessage('Wavebench: exporting snippets needs a trusted workspace.');
      return [];
    }
    const fa = this.eventsAt(threshold).falseAccepts;
    if (!fa.length) {
      void vscode.window.showInformationMessage(`Wavebench: no false accept at threshold ${threshold}.`);
      return [];
    }
    if (!dir) {
      const pick = await vscode.window.showOpenDialog({
        canSelectFolders: true,
        canSelectFiles: false,
        openLabel: `Export ${fa.length} snippets here`,
      });
      dir = pick?.[0]?.fsPath;
    }
    if (!dir) return [];
    const r = await exportFalseAccepts(this.pool(), fa, { dir, windowMs: this.report.windowMs, marginMs });
    const failed = r.problems.length
      ? `; ${r.problems.length} not: ${r.problems[0].path}: ${r.problems[0].reason}`
      : '';
    void (r.problems.length ? vscode.window.showWarningMessage : vscode.window.showInformationMessage)(
      `Wavebench: wrote ${r.written.length} false-accept snippets (threshold ${threshold}) to ${dir}${failed}`,
    );
    return r.written;
  }
}

/** Every open evaluation panel: one set for the extension, disposed with it (a closed panel leaves it). */
export class EvaluationPanels extends PanelSet<EvaluationPanel> {
  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly pool: () => WorkerPool,
    private readonly recorder: TestRecorder,
  ) {
    super();
  }

  /** Opens a panel for an evaluation of recordings under `root` (`scored`: its kept scores). */
  show(report: EvaluateReport, root: string, scored: ScoredRecording[]): EvaluationPanel {
    return this.add(new EvaluationPanel(this.extensionUri, report, root, scored, this.pool, this.recorder));
  }
}
