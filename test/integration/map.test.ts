// The dataset map in a real VS Code: Inspect Dataset on samples/digits, "Build map" (the page's message),
// the points the page drew equal the review's (count and coordinate checksum), a click on a point opens
// the clip in the Wavebench editor, a clip not on the map opens nothing; screenshots of the map. The
// digits model is configured for it (user settings of the test profile, restored after).
import * as assert from 'node:assert';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { datasetMap } from '../../src/dataset/datasetMap';
import { mapChecksum } from '../../src/protocol/dataset';
import type { ReviewReport } from '../../src/engine/reviewJob';
import type { WavebenchApi } from '../../src/extension';
import { sleep } from './screenshot';
import { api, shots, until } from './suiteHelpers';

function activeCustomUri(): string | undefined {
  const input = vscode.window.tabGroups.activeTabGroup.activeTab?.input;
  return input instanceof vscode.TabInputCustom && input.viewType === 'wavebench.wav'
    ? input.uri.fsPath
    : undefined;
}

suite('Dataset map', function () {
  this.timeout(300_000);

  test('Build map draws the review map; a click opens the clip; screenshots', async () => {
    const a = await api();
    const root = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
    assert.ok(root);
    const folder = join(root, 'digits');
    // The digits model knows these labels (with the default model every digit is '_unknown_').
    const settings = vscode.workspace.getConfiguration('wavebench');
    await settings.update('modelPath', 'digits', vscode.ConfigurationTarget.Global);
    try {
      await buildAndCheck(a, root, folder);
    } finally {
      await settings.update('modelPath', undefined, vscode.ConfigurationTarget.Global);
    }
  });
});

async function buildAndCheck(a: WavebenchApi, root: string, folder: string): Promise<void> {
  const rec = a.recorder();
  await vscode.commands.executeCommand('wavebench.inspectDataset', vscode.Uri.file(folder));
  await until('dataset page painted', () => rec.find({ panel: 'dataset', type: 'painted' }));

  a.datasetPage({ type: 'buildMap' });
  // The review of the folder runs first (the model over 103 clips, then UMAP).
  const painted = await until(
    'map painted',
    () => rec.find({ panel: 'dataset', type: 'mapPainted' }),
    240_000,
  );
  const report = await vscode.commands.executeCommand<ReviewReport | undefined>(
    'wavebench.reviewResults',
    vscode.Uri.file(folder),
  );
  const map = report && datasetMap(report);
  assert.ok(map, 'the review has no map');
  assert.strictEqual(map.method, 'umap', `103 clips are mapped by UMAP, not ${map.method}`);
  assert.strictEqual(painted.what, `${map.paths.length} ${mapChecksum(map.xy)}`);
  assert.strictEqual(map.paths.length, report.map!.points.length);

  // A path the map does not hold is refused; a point's path opens the clip in the editor.
  const before = activeCustomUri();
  const elsewhere = join(root, 'speech-commands', 'yes');
  const outside = join(
    elsewhere,
    readdirSync(elsewhere).find((f) => f.endsWith('.wav'))!,
  );
  a.datasetPage({ type: 'openClip', path: outside });
  await sleep(1500);
  assert.strictEqual(activeCustomUri(), before);
  const target = map.paths[map.suspects[0]?.i ?? 0];
  a.datasetPage({ type: 'openClip', path: target });
  await until(
    'the clip open in the Wavebench editor',
    () => activeCustomUri() === target || undefined,
    30_000,
  );

  await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
  await sleep(500);
  await shots('map');

  // A lasso queues its clips on the review page from the map's own review (no second review runs);
  // a path the map does not hold is dropped.
  const lasso = [map.paths[2], map.paths[0], outside];
  a.datasetPage({ type: 'reviewClips', paths: lasso });
  await until(
    'the lasso queued on the review page',
    () =>
      JSON.stringify(a.reviewPanels.of(folder)?.selected) === JSON.stringify(lasso.slice(0, 2)) || undefined,
  );
}
