import * as vscode from 'vscode';
import type { EvaluateReport } from '../engine/evaluateJob';
import { parseEvaluationToHost, type EvaluationToHost, type HostToEvaluation } from '../protocol/evaluation';
import { Disposable } from './dispose';
import { PanelSet } from './panelSet';
import { evaluationView } from './evaluationView';
import type { TestRecorder } from './testRecorder';
import { WebviewHost } from './webviewHost';
import { webviewHtml, webviewOptions } from './webviewHtml';

/** The evaluation of recordings (DET curve, operating points, false accepts, misses) in a webview panel. */
export class EvaluationPanel extends Disposable {
  private readonly host: WebviewHost<EvaluationToHost, HostToEvaluation>;

  constructor(
    extensionUri: vscode.Uri,
    readonly report: EvaluateReport,
    root: string,
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
}

/** Every open evaluation panel: one set for the extension, disposed with it (a closed panel leaves it). */
export class EvaluationPanels extends PanelSet<EvaluationPanel> {
  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly recorder: TestRecorder,
  ) {
    super();
  }

  /** Opens a panel for an evaluation of recordings under `root`. */
  show(report: EvaluateReport, root: string): EvaluationPanel {
    return this.add(new EvaluationPanel(this.extensionUri, report, root, this.recorder));
  }
}
