import { writeFile } from 'node:fs/promises';
import { relative } from 'node:path';
import * as vscode from 'vscode';
import { toCsv, toJson, type ClassifyReport } from '../model/report';
import { parseReportToHost, type HostToReport, type ReportToHost, type ReportView } from '../protocol/report';
import { Disposable } from './dispose';
import { PanelSet } from './panelSet';
import type { TestRecorder } from './testRecorder';
import { WebviewHost } from './webviewHost';
import { webviewHtml, webviewOptions } from './webviewHtml';

/** The classification report of one run, in a webview panel; disposed with its panel or its owner. */
export class ReportPanel extends Disposable {
  private readonly host: WebviewHost<ReportToHost, HostToReport>;

  constructor(
    extensionUri: vscode.Uri,
    readonly report: ClassifyReport,
    /** What was classified (folders or clips), compared again with another model on request. */
    private readonly paths: string[],
    private readonly root: string,
    private readonly cached: number,
    recorder: TestRecorder,
  ) {
    super();
    const title = `Wavebench: ${report.model.name} on ${vscode.workspace.asRelativePath(root)}`;
    const panel = this._register(
      vscode.window.createWebviewPanel(
        'wavebench.report',
        title,
        vscode.ViewColumn.Active,
        webviewOptions(extensionUri),
      ),
    );
    panel.webview.html = webviewHtml(panel.webview, extensionUri, 'report', title);
    this.host = this._register(
      new WebviewHost<ReportToHost, HostToReport>(
        panel,
        { name: 'report', key: title, parse: parseReportToHost, receive: (m) => this.onMessage(m, title) },
        recorder,
      ),
    );
    this._register(panel.onDidDispose(() => this.dispose()));
  }

  /** The report as the webview draws it. */
  view(title: string): ReportView {
    const r = this.report;
    return {
      title,
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

  private async onMessage(m: ReportToHost, title: string): Promise<void> {
    switch (m.type) {
      case 'ready':
        this.host.post({ type: 'init', report: this.view(title) });
        break;
      case 'painted':
        break;
      case 'openClip':
        // Only clips of this report can be opened: the webview cannot name other files.
        if (this.report.rows.some((r) => r.path === m.path))
          await vscode.commands.executeCommand('vscode.openWith', vscode.Uri.file(m.path), 'wavebench.wav');
        break;
      case 'export':
        await this.export(m.format);
        break;
      case 'compare':
        await vscode.commands.executeCommand(
          'wavebench.compareModels',
          vscode.Uri.file(this.root),
          this.paths.map((p) => vscode.Uri.file(p)),
          { modelA: this.report.model.dir },
        );
        break;
    }
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

/** Every open report panel: one set for the extension, disposed with it (a closed panel leaves it). */
export class ReportPanels extends PanelSet<ReportPanel> {
  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly recorder: TestRecorder,
  ) {
    super();
  }

  /** Opens a report panel for a run over `paths` (folders or clips; names relative to `root`). */
  show(report: ClassifyReport, paths: string[], root: string, cached: number): ReportPanel {
    return this.add(new ReportPanel(this.extensionUri, report, paths, root, cached, this.recorder));
  }
}
