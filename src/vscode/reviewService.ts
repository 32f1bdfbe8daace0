import { resolve } from 'node:path';
import * as vscode from 'vscode';
import { folderFingerprint, ReviewCache } from '../engine/reviewCache';
import { runReviewJob, type ReviewReport } from '../engine/reviewJob';
import type { FileClassification, Scored } from '../model/classifier';
import { DEFAULT_TOP_K, DEFAULT_WINDOW_STRIDE_MS } from '../model/defaults';
import { UMAP_MIN } from '../dataset/mapProjection';
import { bundledModel } from '../model/bundled';
import { reportClipProgress } from './clipProgress';
import { Disposable } from './dispose';
import type { ModelService } from './modelService';

/** Reviews kept in memory (folder x model). */
const IN_MEMORY = 4;

type Progress = vscode.Progress<{ message?: string; increment?: number }>;

/**
 * Label reviews of dataset folders on the shared worker pool: the newest review per folder + model
 * kept in memory and on disk (ReviewCache in the extension's global storage: each clip's row and
 * embedding, so a changed folder is reviewed again without a second model pass for its unchanged
 * clips, and whole reviews, returned as they are while the folder's fingerprint is unchanged).
 */
export class ReviewService extends Disposable {
  private readonly memory = new Map<string, { fingerprint: string; report: ReviewReport }>();
  private readonly cache: ReviewCache;
  private readonly running = new Map<string, Promise<ReviewReport | undefined>>();
  private readonly changed = this._register(new vscode.EventEmitter<ReviewReport>());
  /** Fires with each new review. */
  readonly onDidReview = this.changed.event;

  constructor(
    storage: vscode.Uri,
    private readonly models: ModelService,
  ) {
    super();
    this.cache = new ReviewCache(vscode.Uri.joinPath(storage, 'review').fsPath);
  }

  /**
   * The review of `folder` with the model in use: the cached one while the folder is unchanged,
   * else a run with a cancellable progress notification. Undefined when cancelled or failed (the
   * error is shown). `fresh` ignores the cached whole review (clip rows are still reused).
   */
  async results(
    folder: string,
    fresh = false,
    map: 'pca' | 'umap' = 'pca',
  ): Promise<ReviewReport | undefined> {
    const root = resolve(folder);
    let key: string;
    try {
      key = `${root}\0${(await this.models.getPool()).info.hash}`;
    } catch (e) {
      void vscode.window.showErrorMessage(`Wavebench: review: ${(e as Error).message}`);
      return undefined;
    }
    if (map === 'umap') key += '\0umap';
    const inFlight = this.running.get(key);
    if (inFlight) return inFlight;
    const run = Promise.resolve(
      vscode.window.withProgress(
        {
          location: vscode.ProgressLocation.Notification,
          title: 'Wavebench: reviewing labels',
          cancellable: true,
        },
        async (progress, token) => {
          try {
            return await this.review(root, key, fresh, map, progress, token);
          } catch (e) {
            void vscode.window.showErrorMessage(`Wavebench: review: ${(e as Error).message}`);
            return undefined;
          }
        },
      ),
    );
    this.running.set(key, run);
    try {
      return await run;
    } finally {
      this.running.delete(key);
    }
  }

  /**
   * The model's top labels for a clip of `report`: from the cache, else the clip classified now on the
   * shared pool ahead of batch work (a moved clip is not under its old path in the cache).
   */
  async topLabels(path: string, report: ReviewReport, signal?: AbortSignal): Promise<Scored[]> {
    const hit = (await this.cache.lookup([path], report.model.hash)).get(path);
    if (hit?.top) return hit.top;
    const { pool } = await this.models.getPool();
    const input = { path, topK: DEFAULT_TOP_K, windowStrideMs: DEFAULT_WINDOW_STRIDE_MS };
    const { row } = await pool.run('clip', input, {
      model: { dir: report.model.dir },
      priority: 'interactive',
      signal,
    });
    if (row.error) throw new Error(row.error);
    return row.top ?? [];
  }

  /** The newest review of `folder` this session (any model), without running one. */
  latest(folder: string): ReviewReport | undefined {
    const root = resolve(folder);
    return [...this.memory.values()].reverse().find((m) => m.report.folder === root)?.report;
  }

  private async review(
    root: string,
    key: string,
    fresh: boolean,
    map: 'pca' | 'umap',
    progress: Progress,
    token: vscode.CancellationToken,
  ): Promise<ReviewReport | undefined> {
    progress.report({ message: 'checking the cache…' });
    const fingerprint = await folderFingerprint(root);
    if (!fresh) {
      const known =
        this.memory.get(key)?.fingerprint === fingerprint
          ? this.memory.get(key)!.report
          : await this.cache.report(root, key.split('\0')[1], fingerprint);
      // A PCA map (the default, seconds for 20,000 clips) does not serve a request for UMAP's.
      const hasMap = (r: ReviewReport) =>
        map === 'pca' || r.map?.method === 'umap' || (r.map?.points.length ?? 0) < UMAP_MIN;
      if (known && hasMap(known)) return this.remember(key, fingerprint, known, false);
    }
    if (token.isCancellationRequested || this.isDisposed) return undefined;
    const controller = new AbortController();
    const sub = token.onCancellationRequested(() => controller.abort());
    try {
      const { pool, info, model } = await this.models.getPool();
      const modelKey = `${root}\0${info.hash}`;
      const bundled = this.models.bundled.find((m) => resolve(m.dir) === resolve(model.dir));
      const known = new Map<string, FileClassification>();
      const newRows: FileClassification[] = [];
      const report = await runReviewJob(root, {
        modelDir: model.dir,
        bundled: bundled && bundledModel(bundled.name),
        pool,
        map,
        signal: controller.signal,
        progressIntervalMs: 300,
        prepare: async (paths) => {
          for (const [k, v] of await this.cache.lookup(paths, info.hash)) known.set(k, v);
        },
        cached: (p) => known.get(p),
        onFresh: (rows) => newRows.push(...rows),
        onProgress: reportClipProgress(progress, 'clips'),
      });
      await this.cache.store(newRows, info.hash);
      if (report.cancelled) {
        await this.cache.save();
        return undefined;
      }
      await this.cache.putReport(report, fingerprint);
      await this.cache.save();
      return this.remember(modelKey, fingerprint, report, true);
    } finally {
      sub.dispose();
    }
  }

  private remember(key: string, fingerprint: string, report: ReviewReport, isNew: boolean): ReviewReport {
    this.memory.delete(key);
    this.memory.set(key, { fingerprint, report });
    while (this.memory.size > IN_MEMORY) this.memory.delete(this.memory.keys().next().value!);
    if (isNew && !this.isDisposed) this.changed.fire(report);
    return report;
  }
}

/** `wavebench.reviewResults(folder, {map?: 'umap'})`: the folder's review (cached, else run with progress); undefined if cancelled. */
export function registerReviewResults(reviews: ReviewService): vscode.Disposable {
  return vscode.commands.registerCommand(
    'wavebench.reviewResults',
    async (folder?: vscode.Uri, options?: { map?: unknown }): Promise<ReviewReport | undefined> => {
      if (folder?.scheme !== 'file') return undefined;
      return reviews.results(folder.fsPath, false, options?.map === 'umap' ? 'umap' : 'pca');
    },
  );
}
