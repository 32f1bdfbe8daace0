// Model A against model B in a real VS Code: Classify Folder, then Compare Models with a second bundled
// model; the Compare page gets `wavebench compare`'s numbers (the CLI in its own process); screenshots.
import * as assert from 'node:assert';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import type { ModelComparison } from '../../src/model/compare';
import type { ClassifyReport } from '../../src/model/report';
import type { CompareView } from '../../src/protocol/compare';
import { api, cliJson, shots, until } from './suiteHelpers';

function wavCount(dir: string): number {
  return readdirSync(dir, { withFileTypes: true }).reduce(
    (n, e) => n + (e.isDirectory() ? wavCount(join(dir, e.name)) : /\.wav$/i.test(e.name) ? 1 : 0),
    0,
  );
}

suite('Compare models', function () {
  this.timeout(180_000);

  test('Compare Models on samples/speech-commands gives the CLI comparison, A from the cache', async () => {
    const a = await api();
    const root = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
    assert.ok(root, 'no workspace folder');
    const folder = join(root, 'speech-commands');
    assert.ok(statSync(folder).isDirectory(), `${folder} missing`);
    const ext = vscode.extensions.getExtension('wavebench.wavebench')!;
    const digits = join(ext.extensionPath, 'models', 'digits');
    const expected = wavCount(folder);
    // Model A (the default model) classifies the folder first: the comparison then takes A from the cache.
    const report = (await vscode.commands.executeCommand(
      'wavebench.classifyFolder',
      vscode.Uri.file(folder),
    )) as ClassifyReport;
    assert.strictEqual(report.rows.length, expected);
    const view = (await vscode.commands.executeCommand(
      'wavebench.compareModels',
      vscode.Uri.file(folder),
      undefined,
      {
        modelB: digits,
      },
    )) as CompareView;
    assert.ok(view, 'no comparison');
    assert.deepStrictEqual(view.cached, [expected, view.cached[1]]);
    // The same comparison through the CLI (dist/cli.js, its own process, the same bundled models).
    const byCli = cliJson<ModelComparison>('compare', folder, [
      '--model',
      'speech-commands',
      '--model',
      'digits',
    ]);
    const { title, root: shownRoot, cached, pText, ...comparison } = view;
    assert.deepStrictEqual(comparison, byCli);
    assert.strictEqual(shownRoot, folder);
    assert.ok(title.includes('speech-commands vs digits'), title);
    assert.ok(view.verdict.includes(pText) || view.paired === 0, `${view.verdict} / ${pText}`);
    console.log(
      `[wavebench-tests] compare: A ${byCli.models[0].accuracy}, B ${byCli.models[1].accuracy}, ` +
        `${byCli.flips.onlyA.length}/${byCli.flips.onlyB.length} flips, p ${byCli.mcnemarP}, cached ${cached}`,
    );
    // The page asked for its data, got it, and painted.
    await until('compare page painted', () =>
      a.recorder().find({ panel: 'compare', dir: 'in', uri: title, type: 'painted' }),
    );
    assert.ok(a.recorder().find({ panel: 'compare', dir: 'out', uri: title, type: 'init' }));
    await shots('compare');
  });
});
