import * as vscode from 'vscode';
import type { ModelService } from './modelService';

/**
 * Asks for a model: the bundled default, a bundled model or a folder. Undefined when nothing was
 * picked; `{ dir: undefined }` for the bundled default.
 */
export async function chooseModel(
  models: ModelService,
  title: string,
): Promise<{ dir?: string } | undefined> {
  const items: (vscode.QuickPickItem & { dir?: string })[] = [
    { label: 'Bundled default model', description: models.defaultDir, dir: undefined },
    ...models.bundled.map((m) => ({ label: `Bundled: ${m.name}`, description: m.description, dir: m.dir })),
    {
      label: 'Choose a model folder…',
      description: 'model.json + shards + metadata.json or labels.txt',
      dir: '?',
    },
  ];
  const pick = await vscode.window.showQuickPick(items, { title });
  if (!pick) return undefined;
  if (pick.dir !== '?') return { dir: pick.dir };
  const folder = await vscode.window.showOpenDialog({
    canSelectFolders: true,
    canSelectFiles: false,
    openLabel: 'Use this model',
  });
  return folder?.[0] ? { dir: folder[0].fsPath } : undefined;
}

/** The editor's model picker: the bundled model or a folder, for this session. */
export async function pickModel(models: ModelService): Promise<void> {
  const pick = await chooseModel(models, 'Wavebench: model for this session');
  if (pick) models.useModel(pick.dir);
}
