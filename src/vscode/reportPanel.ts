import { writeFile } from 'node:fs/promises';
import { relative } from 'node:path';
import * as vscode from 'vscode';
import { toCsv, toJson, type ClassifyReport } from '../model/report';
import type { ReportToHost, ReportView } from '../protocol';
import type { TestRecorder } from './testRecorder';
import { webviewHtml, webviewOptions } from './webviewHtml';

/** The classification report of one run, in a webview panel. */
export class ReportPanel {
  private constructor(
    readonly panel: vscode.WebviewPanel,
    readonly report: ClassifyReport,
    private readonly root: string,
    private readonly cached: number,
    private readonly recorder: TestRecorder,
  ) {}

  /** Opens a report panel for a run over `root`. */
  static show(
    extensionUri: vscode.Uri,
    report: ClassifyReport,
    root: string,
    cached: number,
    recorder: TestRecorder,
  ): ReportPanel {
    const title = `Wavebench: ${report.model.name} on ${vscode.workspace.asRelativePath(root)}`;
    const panel = vscode.window.createWebviewPanel(
      'wavebench.report',
      title,
      vscode.ViewColumn.Active,
      webviewOptions(extensionUri),
    );
    panel.webview.html = webviewHtml(panel.webview, extensionUri, 'report', title);
    const rp = new ReportPanel(panel, report, root, cached, recorder);
    const sub = panel.webview.onDidReceiveMessage((raw: unknown) => rp.onMessage(raw));
    panel.onDidDispose(() => sub.dispose());
    return rp;
  }

  /** The report as the webview draws it. */
  view(): ReportView {
    const r = this.report;
    return {
      title: this.panel.title,
      model: { name: r.model.name, dir: r.model.dir, labels: r.model.labels },
      rows: r.rows.map((x) => ({
        path: x.path,
        rel: relative(this.root, x.path) || x.path,
        label: x.label,
        predicted: x.predicted,
        probability: x.probability,
        correct: x.correct,
        topK: x.topK,
        error: x.error,
      })),
      metrics: r.metrics,
      counts: { ...r.counts, cached: this.cached },
      background: r.background,
      problems: r.problems,
      timeSec: r.timeSec,
      cancelled: r.cancelled,
    };
  }

  private async onMessage(raw: unknown): Promise<void> {
    const m = raw as Partial<ReportToHost> | undefined;
    if (!m || typeof m !== 'object') return;
    switch (m.type) {
      case 'ready':
        this.observe('ready');
        void this.panel.webview.postMessage({ type: 'init', report: this.view() });
        break;
      case 'painted':
        if (typeof m.ms === 'number') this.observe('painted');
        break;
      case 'openClip':
        // Only clips of this report can be opened: the webview cannot name other files.
        if (typeof m.path === 'string' && this.report.rows.some((r) => r.path === m.path)) {
          this.observe('openClip');
          await vscode.commands.executeCommand('vscode.openWith', vscode.Uri.file(m.path), 'wavebench.wav');
        }
        break;
      case 'export':
        if (m.format === 'csv' || m.format === 'json') await this.export(m.format);
        break;
    }
  }

  private observe(type: ReportToHost['type']): void {
    this.recorder.record({ panel: 'report', dir: 'in', uri: this.panel.title, type });
  }

  private async export(format: 'csv' | 'json'): Promise<void> {
    const target = await vscode.window.showSaveDialog({
      filters: format === 'csv' ? { CSV: ['csv'] } : { JSON: ['json'] },
      saveLabel: `Export ${format.toUpperCase()}`,
    });
    if (!target) return;
    try {
      await writeFile(target.fsPath, format === 'csv' ? toCsv(this.report) : toJson(this.report));
    } catch (e) {
      void vscode.window.showErrorMessage(
        `Wavebench: cannot write ${target.fsPath}: ${(e as Error).message}`,
      );
      return;
    }
    void vscode.window.showInformationMessage(
      `Wavebench: exported ${this.report.rows.length} rows to ${target.fsPath}`,
    );
  }
}
