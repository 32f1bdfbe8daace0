import * as vscode from 'vscode';
import type { DatasetToHost } from '../protocol';
import type { DatasetService } from './datasetService';
import type { TestRecorder } from './testRecorder';
import { webviewHtml, webviewOptions } from './webviewHtml';

/** The dataset report webview; follows the service's updates. */
export class DatasetPanel {
  private static current: DatasetPanel | undefined;

  private constructor(
    private readonly panel: vscode.WebviewPanel,
    private readonly data: DatasetService,
    private readonly recorder: TestRecorder,
  ) {}

  /** Shows (or refreshes) the report of the inspected dataset. */
  static show(extensionUri: vscode.Uri, data: DatasetService, recorder: TestRecorder): void {
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
    const dp = new DatasetPanel(panel, data, recorder);
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

  private observe(type: DatasetToHost['type']): void {
    this.recorder.record({ panel: 'dataset', dir: 'in', uri: this.panel.title, type });
  }

  private async onMessage(raw: unknown): Promise<void> {
    const m = raw as Partial<DatasetToHost> | undefined;
    if (!m || typeof m !== 'object') return;
    switch (m.type) {
      case 'ready':
        this.observe('ready');
        this.ready = true;
        this.send();
        break;
      case 'painted':
        if (typeof m.ms === 'number') this.observe('painted');
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
        this.observe('openClip');
        await vscode.commands.executeCommand('vscode.openWith', vscode.Uri.file(p), 'wavebench.wav');
        break;
      }
    }
  }
}
