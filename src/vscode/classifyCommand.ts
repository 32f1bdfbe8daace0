import * as vscode from 'vscode';
import { runClassifyJob } from '../engine/classifyJob';
import type { FileClassification } from '../model/classifier';
import type { ClassifyReport } from '../model/report';
import { reportClipProgress } from './clipProgress';
import { commandTargets } from './commandTargets';
import type { ModelService } from './modelService';
import type { ReportPanels } from './reportPanel';
import type { ResultCache } from './resultCache';

/** A classification run with its cache hits, as the command shows it. */
export interface ClassifyRun {
  report: ClassifyReport;
  cached: number;
}

/**
 * Classifies files and folders with the model in use (or the model folder `modelDir`) on the shared
 * worker pool, reusing cached results; reports progress (files, clips/s, ETA) and stops when `token`
 * is cancelled, keeping the partial results.
 */
export async function classifyPaths(
  paths: string[],
  models: ModelService,
  cache: ResultCache,
  progress: vscode.Progress<{ message?: string; increment?: number }>,
  token: vscode.CancellationToken,
  modelDir?: string,
): Promise<ClassifyRun> {
  const controller = new AbortController();
  token.onCancellationRequested(() => controller.abort());
  const { pool, info, model } = await models.getPool(modelDir);
  let cached = 0;
  const known = new Map<string, FileClassification>();
  const fresh: FileClassification[] = [];
  const report = await runClassifyJob(paths, {
    modelDir: model.dir,
    pool,
    signal: controller.signal,
    progressIntervalMs: 300,
    prepare: async (files) => {
      for (const [k, v] of await cache.lookup(files, info.hash)) known.set(k, v);
      cached = known.size;
    },
    cached: (p) => known.get(p),
    onFresh: (rows) => fresh.push(...rows),
    onProgress: reportClipProgress(progress, 'files'),
  });
  await cache.store(fresh, info.hash);
  await cache.save();
  return { report, cached };
}

/** `wavebench.classifyFolder`: from the Explorer (folder or selected WAVs) or the palette (asks for a folder). */
export function registerClassifyCommand(
  models: ModelService,
  cache: ResultCache,
  reports: ReportPanels,
): vscode.Disposable {
  return vscode.commands.registerCommand(
    'wavebench.classifyFolder',
    async (uri?: vscode.Uri, selected?: vscode.Uri[]): Promise<ClassifyReport | undefined> => {
      const picked = await commandTargets(uri, selected, 'Classify');
      if (!picked) return undefined;
      const { paths, root } = picked;
      const run = await vscode.window.withProgress(
        {
          location: vscode.ProgressLocation.Notification,
          title: 'Wavebench: classifying',
          cancellable: true,
        },
        async (progress, token) => {
          try {
            return await classifyPaths(paths, models, cache, progress, token);
          } catch (e) {
            void vscode.window.showErrorMessage(`Wavebench: ${(e as Error).message}`);
            return undefined;
          }
        },
      );
      if (!run) return undefined;
      if (run.report.cancelled) {
        void vscode.window.showWarningMessage(
          `Wavebench: cancelled after ${run.report.rows.length} files; the report shows those.`,
        );
      }
      reports.show(run.report, paths, root, run.cached);
      return run.report;
    },
  );
}
