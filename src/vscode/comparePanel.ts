import * as vscode from 'vscode';
import type { ModelComparison } from '../model/compare';
import { formatP } from '../model/mcnemar';
import {
  parseCompareToHost,
  type CompareToHost,
  type CompareView,
  type HostToCompare,
} from '../protocol/compare';
import { Disposable } from './dispose';
import { PanelSet } from './panelSet';
import type { TestRecorder } from './testRecorder';
import { WebviewHost } from './webviewHost';
import { webviewHtml, webviewOptions } from './webviewHtml';

/** Model A against model B on one folder, in a webview panel; disposed with its panel or its owner. */
export class ComparePanel extends Disposable {
  private readonly host: WebviewHost<CompareToHost, HostToCompare>;
  /** The clips the page may open: those only one model gets right. */
  private readonly clips: Set<string>;

  constructor(
    extensionUri: vscode.Uri,
    readonly view: CompareView,
    recorder: TestRecorder,
  ) {
    super();
    this.clips = new Set([...view.flips.onlyA, ...view.flips.onlyB]);
    const panel = this._register(
      vscode.window.createWebviewPanel(
        'wavebench.compare',
        view.title,
        vscode.ViewColumn.Active,
        webviewOptions(extensionUri),
      ),
    );
    panel.webview.html = webviewHtml(panel.webview, extensionUri, 'compare', view.title);
    this.host = this._register(
      new WebviewHost<CompareToHost, HostToCompare>(
        panel,
        { name: 'compare', key: view.title, parse: parseCompareToHost, receive: (m) => this.onMessage(m) },
        recorder,
      ),
    );
    this._register(panel.onDidDispose(() => this.dispose()));
  }

  private async onMessage(m: CompareToHost): Promise<void> {
    switch (m.type) {
      case 'ready':
        this.host.post({ type: 'init', compare: this.view });
        break;
      case 'painted':
        break;
      case 'openClip':
        // Only clips of the two lists can be opened: the webview cannot name other files.
        if (this.clips.has(m.path))
          await vscode.commands.executeCommand('vscode.openWith', vscode.Uri.file(m.path), 'wavebench.wav');
        break;
    }
  }
}

/** Every open Compare panel: one set for the extension, disposed with it (a closed panel leaves it). */
export class ComparePanels extends PanelSet<ComparePanel> {
  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly recorder: TestRecorder,
  ) {
    super();
  }

  /** Opens a Compare panel for a comparison of the clips under `root`. */
  show(c: ModelComparison, root: string, cached: number[]): ComparePanel {
    const [a, b] = c.models;
    const title = `Wavebench: ${a.name} vs ${b.name} on ${vscode.workspace.asRelativePath(root)}`;
    return this.add(
      new ComparePanel(
        this.extensionUri,
        { title, root, ...c, pText: formatP(c.mcnemarP), cached },
        this.recorder,
      ),
    );
  }
}
