import { stat } from 'node:fs/promises';
import * as vscode from 'vscode';

/**
 * What a folder command runs on: the Explorer's selection (or the one clicked resource), else a folder
 * the user picks; `root` is the first target's folder (for relative names and the panel's title).
 * Undefined when the user picked nothing.
 */
export async function commandTargets(
  uri: vscode.Uri | undefined,
  selected: vscode.Uri[] | undefined,
  openLabel: string,
): Promise<{ paths: string[]; root: string } | undefined> {
  let targets = (selected?.length ? selected : uri ? [uri] : []).filter((u) => u.scheme === 'file');
  if (!targets.length) {
    const pick = await vscode.window.showOpenDialog({
      canSelectFolders: true,
      canSelectFiles: false,
      canSelectMany: false,
      openLabel,
      defaultUri: vscode.workspace.workspaceFolders?.[0]?.uri,
    });
    if (!pick?.length) return undefined;
    targets = pick;
  }
  const paths = targets.map((t) => t.fsPath);
  let root = paths[0];
  if ((await stat(root)).isFile()) root = vscode.Uri.joinPath(targets[0], '..').fsPath;
  return { paths, root };
}
