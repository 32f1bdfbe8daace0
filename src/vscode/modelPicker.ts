import * as vscode from 'vscode';
import type { ModelService } from './modelService';

/** The editor's model picker: the bundled model or a folder, for this session. */
export async function pickModel(models: ModelService): Promise<void> {
  const items: (vscode.QuickPickItem & { dir?: string })[] = [
    { label: 'Bundled default model', description: models.defaultDir, dir: undefined },
    ...models.bundled.map((m) => ({ label: `Bundled: ${m.name}`, description: m.description, dir: m.dir })),
    {
      label: 'Choose a model folder…',
      description: 'model.json + shards + metadata.json or labels.txt',
      dir: '?',
    },
  ];
  const pick = await vscode.window.showQuickPick(items, { title: 'Wavebench: model for this session' });
  if (!pick) return;
  if (pick.dir !== '?') return models.useModel(pick.dir);
  const folder = await vscode.window.showOpenDialog({
    canSelectFolders: true,
    canSelectFiles: false,
    openLabel: 'Use this model',
  });
  if (folder?.[0]) models.useModel(folder[0].fsPath);
}
