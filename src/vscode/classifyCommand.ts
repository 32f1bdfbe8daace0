import { stat } from 'node:fs/promises';
import * as vscode from 'vscode';
import { runClassifyJob } from '../engine/classifyJob';
import type { FileClassification } from '../model/classifier';
import type { ClassifyReport } from '../model/report';
import type { ModelService } from './modelService';
import { ReportPanel } from './reportPanel';
import type { ResultCache } from './resultCache';

/** `wavebench.classifyFolder`: from the Explorer (folder or selected WAVs) or the palette (asks for a folder). */
export function registerClassifyCommand(
  context: vscode.ExtensionContext,
  models: ModelService,
  cache: ResultCache,
): vscode.Disposable {
  return vscode.commands.registerCommand(
    'wavebench.classifyFolder',
    async (uri?: vscode.Uri, selected?: vscode.Uri[]): Promise<ClassifyReport | undefined> => {
      let targets = (selected?.length ? selected : uri ? [uri] : []).filter((u) => u.scheme === 'file');
      if (!targets.length) {
        const pick = await vscode.window.showOpenDialog({
          canSelectFolders: true,
          canSelectFiles: false,
          canSelectMany: false,
          openLabel: 'Classify',
          defaultUri: vscode.workspace.workspaceFolders?.[0]?.uri,
        });
        if (!pick?.length) return undefined;
        targets = pick;
      }
      const paths = targets.map((t) => t.fsPath);
      let root = paths[0];
      if ((await stat(root)).isFile()) root = vscode.Uri.joinPath(targets[0], '..').fsPath;
      return vscode.window.withProgress(
        {
          location: vscode.ProgressLocation.Notification,
          title: 'Wavebench: classifying',
          cancellable: true,
        },
        async (progress, token) => {
          const controller = new AbortController();
          token.onCancellationRequested(() => controller.abort());
          let report: ClassifyReport;
          let cachedCount = 0;
          try {
            const { pool, info } = await models.getPool();
            let last = 0;
            const known = new Map<string, FileClassification>();
            const fresh: FileClassification[] = [];
            report = await runClassifyJob(paths, {
              modelDir: models.modelDir,
              pool,
              signal: controller.signal,
              progressIntervalMs: 300,
              cached: (p) => known.get(p),
              onFresh: (rows) => fresh.push(...rows),
              onProgress: (p) => {
                const pct = p.total ? (100 * p.done) / p.total : 100;
                progress.report({
                  increment: pct - last,
                  message: `${p.done}/${p.total} files · ${p.clipsPerSec.toFixed(0)} clips/s · ETA ${Number.isFinite(p.etaSec) ? Math.ceil(p.etaSec) + ' s' : '…'}`,
                });
                last = pct;
              },
              prepare: async (files) => {
                const hits = await cache.lookup(files, info.hash);
                for (const [k, v] of hits) known.set(k, v);
                cachedCount = hits.size;
              },
            });
            await cache.store(fresh, info.hash);
            await cache.save();
          } catch (e) {
            void vscode.window.showErrorMessage(`Wavebench: ${(e as Error).message}`);
            return undefined;
          }
          if (report.cancelled) {
            void vscode.window.showWarningMessage(
              `Wavebench: cancelled after ${report.rows.length} files; the report shows those.`,
            );
          }
          ReportPanel.show(context.extensionUri, report, root, cachedCount);
          return report;
        },
      );
    },
  );
}
