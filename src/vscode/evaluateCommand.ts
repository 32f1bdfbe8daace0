import * as vscode from 'vscode';
import { runEvaluateJob, type EvaluateReport } from '../engine/evaluateJob';
import type { ScoredRecording } from '../model/streaming/evaluation';
import type { EvaluationPanels } from './evaluationPanel';
import { commandTargets } from './commandTargets';
import type { ModelService } from './modelService';

/**
 * Evaluates recordings (each with its ground truth NAME.txt beside it) with the configured model on the
 * shared pool; reports progress (windows, real-time factor) and stops when `token` is cancelled.
 */
export async function evaluatePaths(
  paths: string[],
  models: ModelService,
  progress: vscode.Progress<{ message?: string; increment?: number }>,
  token: vscode.CancellationToken,
  onScored?: (recs: ScoredRecording[]) => void,
): Promise<EvaluateReport> {
  const controller = new AbortController();
  const sub = token.onCancellationRequested(() => controller.abort());
  try {
    const { pool, model } = await models.getPool();
    let last = 0;
    return await runEvaluateJob(paths, {
      modelDir: model.dir,
      labelsFile: model.labelsFile,
      pool,
      signal: controller.signal,
      onScored,
      onProgress: (p) => {
        const pct = p.total ? (100 * p.done) / p.total : 100;
        progress.report({
          increment: pct - last,
          message: `${p.done}/${p.total} windows · ${p.realTimeFactor.toFixed(0)}× real time`,
        });
        last = pct;
      },
    });
  } finally {
    sub.dispose();
  }
}

/** `wavebench.evaluateRecordings`: from the Explorer (folders or WAVs) or the palette (asks for a folder). */
export function registerEvaluateCommand(models: ModelService, panels: EvaluationPanels): vscode.Disposable {
  return vscode.commands.registerCommand(
    'wavebench.evaluateRecordings',
    async (uri?: vscode.Uri, selected?: vscode.Uri[]): Promise<EvaluateReport | undefined> => {
      const picked = await commandTargets(uri, selected, 'Evaluate');
      if (!picked) return undefined;
      const { paths, root } = picked;
      let scored: ScoredRecording[] = [];
      const report = await vscode.window.withProgress(
        {
          location: vscode.ProgressLocation.Notification,
          title: 'Wavebench: evaluating recordings',
          cancellable: true,
        },
        async (progress, token) => {
          try {
            return await evaluatePaths(paths, models, progress, token, (r) => (scored = r));
          } catch (e) {
            void vscode.window.showErrorMessage(`Wavebench: ${(e as Error).message}`);
            return undefined;
          }
        },
      );
      if (!report) return undefined;
      if (report.cancelled)
        void vscode.window.showWarningMessage(
          `Wavebench: evaluation cancelled after ${report.recordings.length} recordings; the page shows those.`,
        );
      if (!report.recordings.length && report.skipped.length)
        void vscode.window.showWarningMessage(
          `Wavebench: no recording evaluated: ${report.skipped[0].path}: ${report.skipped[0].reason}`,
        );
      panels.show(report, root, scored);
      return report;
    },
  );
}
