import * as vscode from 'vscode';
import { IndexCache } from '../dataset/indexFile';
import { buildDatasetView, readSplitLists } from '../dataset/inspect';
import { DEFAULT_TESTING_PERCENT, DEFAULT_VALIDATION_PERCENT, splitPercentError } from '../dataset/splits';
import { runIndexJob } from '../engine/indexJob';
import type { DatasetView, ProblemKind } from '../dataset/datasetView';
import { Disposable } from './dispose';
import type { PoolService } from './poolService';
import { readSettings } from './settings';

/**
 * The inspected dataset: its index (built on the extension's shared worker pool, cached in the
 * extension's storage by path/size/mtime, kept current by a file-system watcher), the report built
 * from it, and its problems published as diagnostics.
 */
export class DatasetService extends Disposable {
  root: string | undefined;
  view: DatasetView | undefined;
  private cache = new IndexCache();
  private cacheLoaded = false;
  private watcher: vscode.FileSystemWatcher | undefined;
  private pending = new Set<string>();
  private timer: ReturnType<typeof setTimeout> | undefined;
  readonly diagnostics = this._register(vscode.languages.createDiagnosticCollection('wavebench'));
  private readonly changed = this._register(new vscode.EventEmitter<void>());
  /** Fires when the report changes (new inspection or a watched change). */
  readonly onDidChange = this.changed.event;

  constructor(
    private readonly storage: vscode.Uri,
    private readonly pools: PoolService,
  ) {
    super();
    this._register({
      dispose: () => {
        this.watcher?.dispose();
        clearTimeout(this.timer);
      },
    });
  }

  private async loadCache(): Promise<void> {
    if (this.cacheLoaded) return;
    this.cacheLoaded = true;
    try {
      const raw = await vscode.workspace.fs.readFile(vscode.Uri.joinPath(this.storage, 'index-cache.json'));
      this.cache = IndexCache.fromJSON(JSON.parse(Buffer.from(raw).toString('utf8')));
    } catch {
      // first run
    }
  }

  private async saveCache(): Promise<void> {
    await vscode.workspace.fs.createDirectory(this.storage);
    await vscode.workspace.fs.writeFile(
      vscode.Uri.joinPath(this.storage, 'index-cache.json'),
      Buffer.from(JSON.stringify(this.cache.toJSON())),
    );
  }

  /** Indexes `root` with progress (cancellable) and builds its report. */
  async inspect(
    root: string,
    progress?: vscode.Progress<{ message?: string; increment?: number }>,
    token?: vscode.CancellationToken,
  ): Promise<DatasetView | undefined> {
    await this.loadCache();
    const controller = new AbortController();
    token?.onCancellationRequested(() => controller.abort());
    let last = 0;
    const r = await runIndexJob(root, this.pools.pool, this.cache, {
      signal: controller.signal,
      intervalMs: 300,
      onProgress: (p) => {
        const pct = p.total ? (100 * p.done) / p.total : 100;
        progress?.report({
          increment: pct - last,
          message: `${p.done}/${p.total} files · ${p.filesPerSec.toFixed(0)} files/s`,
        });
        last = pct;
      },
    });
    await this.saveCache();
    if (r.cancelled) return undefined;
    this.root = root;
    await this.rebuild(r.records, r.background, r.timeSec);
    this.watch(root);
    return this.view;
  }

  private async rebuild(
    records = this.currentRecords(),
    background = this.view?.background ?? [],
    timeSec = 0,
  ) {
    if (!this.root) return;
    const s = readSettings();
    let { validationPercent, testingPercent } = s;
    const bad = splitPercentError(validationPercent, testingPercent);
    if (bad) {
      void vscode.window.showWarningMessage(`Wavebench: ${bad}; the default split is used.`);
      validationPercent = DEFAULT_VALIDATION_PERCENT;
      testingPercent = DEFAULT_TESTING_PERCENT;
    }
    const lists = await readSplitLists(this.root);
    this.view = buildDatasetView(
      this.root,
      records,
      background,
      {
        validationPercent,
        testingPercent,
        silenceThresholdDb: s.silenceThresholdDb,
        lists,
      },
      timeSec,
    );
    this.publishDiagnostics();
    this.changed.fire();
  }

  private currentRecords() {
    const root = this.root;
    if (!root) return [];
    return this.cache
      .toJSON()
      .records.filter((r) => r.path.startsWith(root + '/') || r.path.startsWith(root + '\\'))
      .sort((a, b) => (a.path < b.path ? -1 : 1));
  }

  /** Incremental updates: changed/created files are re-indexed, deleted ones dropped, then the report rebuilt. */
  private watch(root: string): void {
    this.watcher?.dispose();
    const w = vscode.workspace.createFileSystemWatcher(
      new vscode.RelativePattern(vscode.Uri.file(root), '**/*.{wav,WAV,wave}'),
    );
    const touch = (u: vscode.Uri) => {
      this.pending.add(u.fsPath);
      clearTimeout(this.timer);
      this.timer = setTimeout(
        () =>
          void this.flush().catch((e: Error) =>
            vscode.window.showWarningMessage(
              `Wavebench: the dataset report could not be updated: ${e.message}`,
            ),
          ),
        500,
      );
    };
    w.onDidCreate(touch);
    w.onDidChange(touch);
    w.onDidDelete((u) => {
      this.cache.delete(u.fsPath);
      touch(u);
    });
    this.watcher = w;
  }

  private async flush(): Promise<void> {
    const paths = [...this.pending];
    this.pending.clear();
    const existing: string[] = [];
    for (const p of paths) {
      try {
        await vscode.workspace.fs.stat(vscode.Uri.file(p));
        existing.push(p);
      } catch {
        this.cache.delete(p);
      }
    }
    if (existing.length) for (const r of await this.pools.pool.index(existing)) this.cache.set(r);
    await this.rebuild();
    await this.saveCache();
  }

  private publishDiagnostics(): void {
    this.diagnostics.clear();
    if (!this.view) return;
    const byFile = new Map<string, vscode.Diagnostic[]>();
    const severity = (k: ProblemKind) =>
      k === 'unreadable' || k === 'empty'
        ? vscode.DiagnosticSeverity.Error
        : vscode.DiagnosticSeverity.Warning;
    for (const p of this.view.problems) {
      const d = new vscode.Diagnostic(
        new vscode.Range(0, 0, 0, 0),
        `${p.kind}: ${p.message}`,
        severity(p.kind),
      );
      d.source = 'Wavebench';
      d.code = p.kind;
      const list = byFile.get(p.path) ?? [];
      list.push(d);
      byFile.set(p.path, list);
    }
    for (const [path, list] of byFile) this.diagnostics.set(vscode.Uri.file(path), list);
  }

  /** Clears the Problems panel entries (the `wavebench.clearDiagnostics` command). */
  clearDiagnostics(): void {
    this.diagnostics.clear();
  }
}
