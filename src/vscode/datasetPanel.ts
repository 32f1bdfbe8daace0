import * as vscode from 'vscode';
import type { DatasetToHost } from '../protocol';
import type { DatasetService } from './datasetService';
import { webviewHtml, webviewOptions } from './webviewHtml';

/** The dataset report webview; follows the service's updates. */
export class DatasetPanel {
  /** Messages received, for the integration tests. */
  static readonly log: DatasetToHost[] = [];
  private static current: DatasetPanel | undefined;

  private constructor(
    private readonly panel: vscode.WebviewPanel,
    private readonly data: DatasetService,
  ) {}

  /** Shows (or refreshes) the report of the inspected dataset. */
  static show(extensionUri: vscode.Uri, data: DatasetService): void {
    if (DatasetPanel.current) {
      DatasetPanel.current.panel.reveal();
      DatasetPanel.current.send();
      return;
    }
    const title = `Wavebench dataset: ${vscode.workspace.asRelativePath(data.root ?? '')}`;
    const panel = vscode.window.createWebviewPanel(
      'wavebench.dataset',
      title,
      vscode.ViewColumn.Active,
      webviewOptions(extensionUri),
    );
    panel.webview.html = webviewHtml(panel.webview, extensionUri, 'dataset', title);
    const dp = new DatasetPanel(panel, data);
    DatasetPanel.current = dp;
    const subs = [
      panel.webview.onDidReceiveMessage((raw: unknown) => dp.onMessage(raw)),
      data.onDidChange(() => dp.send()),
    ];
    panel.onDidDispose(() => {
      subs.forEach((s) => s.dispose());
      DatasetPanel.current = undefined;
    });
  }

  private ready = false;

  private send(): void {
    if (this.ready && this.data.view)
      void this.panel.webview.postMessage({ type: 'init', dataset: this.data.view });
  }

  private async onMessage(raw: unknown): Promise<void> {
    const m = raw as Partial<DatasetToHost> | undefined;
    if (!m || typeof m !== 'object') return;
    switch (m.type) {
      case 'ready':
        DatasetPanel.log.push({ type: 'ready' });
        this.ready = true;
        this.send();
        break;
      case 'painted':
        if (typeof m.ms === 'number') DatasetPanel.log.push({ type: 'painted', ms: m.ms });
        break;
      case 'openClip': {
        // Only files under the inspected root, named in the report, can be opened from the webview.
        const v = this.data.view;
        const p = m.path;
        if (typeof p !== 'string' || !v) return;
        const known =
          v.problems.some((x) => x.path === p) ||
          v.duplicates.some((d) => d.paths.includes(p)) ||
          v.oddFormats.some((o) => o.path === p);
        if (!known || !p.startsWith(v.root)) return;
        DatasetPanel.log.push({ type: 'openClip', path: p });
        await vscode.commands.executeCommand('vscode.openWith', vscode.Uri.file(p), 'wavebench.wav');
        break;
      }
    }
  }
}
