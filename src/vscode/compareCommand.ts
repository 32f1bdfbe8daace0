import * as vscode from 'vscode';
import { compareReports } from '../model/compare';
import type { CompareView } from '../protocol/compare';
import { classifyPaths, type ClassifyRun } from './classifyCommand';
import { commandTargets } from './commandTargets';
import type { ComparePanels } from './comparePanel';
import { chooseModel } from './modelPicker';
import type { ModelService } from './modelService';
import type { ResultCache } from './resultCache';

/** The models of a comparison when the caller names them (the report page, the tests). */
export interface CompareModels {
  /** Model A's folder (default: the model in use). */
  modelA?: string;
  /** Model B's folder (default: asked with the model picker). */
  modelB?: string;
}

const asModels = (v: unknown): CompareModels => {
  const o = (v && typeof v === 'object' ? v : {}) as Record<string, unknown>;
  const str = (x: unknown) => (typeof x === 'string' && x ? x : undefined);
  return { modelA: str(o.modelA), modelB: str(o.modelB) };
};

/**
 * `wavebench.compareModels`: classifies a labelled folder (or the selected clips) with model A and
 * model B through the classify job and the result cache (a model that already classified a clip
 * answers from the cache), pairs them clip by clip with `compareReports` (as `wavebench compare`),
 * and shows the Compare page. Resolves to the page's view (undefined when cancelled).
 */
export function registerCompareCommand(
  models: ModelService,
  cache: ResultCache,
  panels: ComparePanels,
): vscode.Disposable {
  return vscode.commands.registerCommand(
    'wavebench.compareModels',
    async (uri?: vscode.Uri, selected?: vscode.Uri[], given?: unknown): Promise<CompareView | undefined> => {
      const picked = await commandTargets(uri, selected, 'Compare models on this folder');
      if (!picked) return undefined;
      const o = asModels(given);
      const dirA = o.modelA ?? models.modelDir;
      let dirB = o.modelB;
      if (!dirB) {
        const pick = await chooseModel(models, 'Wavebench: compare with which model (B)?');
        if (!pick) return undefined;
        dirB = pick.dir ?? models.defaultDir;
      }
      const dirs = [dirA, dirB];
      const runs = await vscode.window.withProgress(
        { location: vscode.ProgressLocation.Notification, title: 'Wavebench: comparing', cancellable: true },
        async (progress, token) => {
          const out: ClassifyRun[] = [];
          try {
            // One model after the other, as the CLI: each run has the pool to itself.
            for (const [i, dir] of dirs.entries()) {
              const half = {
                report: (p: { message?: string; increment?: number }) =>
                  progress.report({
                    message: `model ${'AB'[i]}: ${p.message ?? ''}`,
                    increment: (p.increment ?? 0) / 2,
                  }),
              };
              out.push(await classifyPaths(picked.paths, models, cache, half, token, dir));
              if (out[i].report.cancelled) return undefined;
            }
          } catch (e) {
            void vscode.window.showErrorMessage(`Wavebench: ${(e as Error).message}`);
            return undefined;
          }
          return out;
        },
      );
      if (!runs) return undefined;
      const [a, b] = runs.map((r) => r.report);
      const names = (a.model.name === b.model.name ? dirs : [a.model.name, b.model.name]) as [string, string];
      const c = compareReports(a, b, names);
      if (!c.paired)
        void vscode.window.showWarningMessage(
          'Wavebench: no clip was scored by both models (labels come from folder names).',
        );
      const cached = runs.map((r) => r.cached);
      return panels.show(c, picked.root, cached).view;
    },
  );
}
