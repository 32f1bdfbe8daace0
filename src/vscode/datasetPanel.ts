import * as vscode from 'vscode';
import { parseDatasetToHost, type DatasetToHost, type HostToDataset } from '../protocol/dataset';
import { DatasetMapHost, type MapReviews } from './datasetMapHost';
import type { DatasetService } from './datasetService';
import { Disposable } from './dispose';
import type { TestRecorder } from './testRecorder';
import { WebviewHost } from './webviewHost';
import { webviewHtml, webviewOptions } from './webviewHtml';

/** The dataset report webview; follows the service's updates; disposed with its panel or its owner. */
export class DatasetPanel extends Disposable {
  private readonly panel: vscode.WebviewPanel;
  private readonly host: WebviewHost<DatasetToHost, HostToDataset>;
  private ready = false;
  private readonly map: DatasetMapHost;

  constructor(
    extensionUri: vscode.Uri,
    private readonly data: DatasetService,
    recorder: TestRecorder,
    reviews: MapReviews,
  ) {
    super();
    const title = `Wavebench dataset: ${vscode.workspace.asRelativePath(data.root ?? '')}`;
    this.panel = this._register(
      vscode.window.createWebviewPanel(
        'wavebench.dataset',
        title,
        vscode.ViewColumn.Active,
        webviewOptions(extensionUri),
      ),
    );
    this.panel.webview.html = webviewHtml(this.panel.webview, extensionUri, 'dataset', title);
    this.host = this._register(
      new WebviewHost<DatasetToHost, HostToDataset>(
        this.panel,
        {
          name: 'dataset',
          key: title,
          parse: parseDatasetToHost,
          receive: (m) => this.onMessage(m),
          // The map the page drew (points, checksum): the tests compare it with the review's.
          note: (m) => (m.type === 'mapPainted' ? { what: `${m.points} ${m.checksum}` } : {}),
        },
        recorder,
      ),
    );
    this.map = new DatasetMapHost(
      () => data.root,
      (m) => this.host.post(m),
      () => this.host.live,
      reviews,
    );
    this._register(data.onDidChange(() => this.send()));
    this._register(this.panel.onDidDispose(() => this.dispose()));
  }

  /** Brings the panel to the front with the current report. */
  reveal(): void {
    this.panel.reveal();
    this.send();
  }

  /** A message as if the page had posted it (tests: the page's clicks). */
  fromPage(raw: unknown): void {
    this.host.receive(raw);
  }

  private send(): void {
    if (this.ready && this.data.view) this.host.post({ type: 'init', dataset: this.data.view });
  }

  private async onMessage(m: DatasetToHost): Promise<void> {
    if (await this.map.receive(m)) return;
    switch (m.type) {
      case 'ready':
        this.ready = true;
        this.send();
        this.map.resend();
        break;
      case 'painted':
        break;
      case 'openClip': {
        // Only files under the inspected root, named in the report, can be opened from the webview.
        const v = this.data.view;
        const p = m.path;
        if (!v) return;
        const known =
          this.map.has(p) ||
          v.problems.some((x) => x.path === p) ||
          v.duplicates.some((d) => d.paths.includes(p)) ||
          v.oddFormats.some((o) => o.path === p);
        if (!known || !p.startsWith(v.root)) return;
        await vscode.commands.executeCommand('vscode.openWith', vscode.Uri.file(p), 'wavebench.wav');
        break;
      }
    }
  }
}

/** The one dataset panel of the extension (shown again, not duplicated); disposed with the extension. */
export class DatasetPanels extends Disposable {
  private current: DatasetPanel | undefined;

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly data: DatasetService,
    private readonly recorder: TestRecorder,
    private readonly reviews: MapReviews,
  ) {
    super();
    this._register({ dispose: () => this.current?.dispose() });
  }

  /** A message as if the shown page had posted it (tests). */
  fromPage(raw: unknown): void {
    this.current?.fromPage(raw);
  }

  /** Shows (or refreshes) the report of the inspected dataset. */
  show(): void {
    if (this.current) return this.current.reveal();
    const p = new DatasetPanel(this.extensionUri, this.data, this.recorder, this.reviews);
    this.current = p;
    p.onDispose(() => {
      if (this.current === p) this.current = undefined;
    });
  }
}
