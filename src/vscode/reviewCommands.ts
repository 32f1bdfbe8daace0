import * as vscode from 'vscode';
import type { ReviewReport } from '../engine/reviewJob';
import type { ReviewPanels } from './reviewPanel';
import type { ReviewService } from './reviewService';

/** A folder from the Explorer, else one the user picks; undefined when none. */
async function folderOf(uri: vscode.Uri | undefined): Promise<string | undefined> {
  if (uri?.scheme === 'file') return uri.fsPath;
  const pick = await vscode.window.showOpenDialog({
    canSelectFolders: true,
    canSelectFiles: false,
    canSelectMany: false,
    openLabel: 'Review',
    defaultUri: vscode.workspace.workspaceFolders?.[0]?.uri,
  });
  return pick?.[0]?.fsPath;
}

/**
 * `wavebench.reviewLabels` (Explorer folder menu, palette): reviews a folder-per-label dataset (cached
 * while it is unchanged) and opens its review page; `wavebench.reviewClips(folder, paths)`: the page
 * with a queue of just those clips (absolute paths), in that order, from the folder's review.
 */
export function registerReviewCommands(reviews: ReviewService, panels: ReviewPanels): vscode.Disposable {
  return vscode.Disposable.from(
    vscode.commands.registerCommand(
      'wavebench.reviewLabels',
      async (uri?: vscode.Uri): Promise<ReviewReport | undefined> => {
        const folder = await folderOf(uri);
        const report = folder ? await reviews.results(folder) : undefined;
        if (report) panels.show(report);
        return report;
      },
    ),
    vscode.commands.registerCommand(
      'wavebench.reviewClips',
      async (folder: vscode.Uri, paths: string[]): Promise<ReviewReport | undefined> => {
        if (folder?.scheme !== 'file' || !Array.isArray(paths)) return undefined;
        const report = await reviews.results(folder.fsPath);
        if (report)
          panels.show(
            report,
            paths.filter((p) => typeof p === 'string'),
          );
        return report;
      },
    ),
  );
}
