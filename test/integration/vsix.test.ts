// Run only by test/vscode/vsix.mjs (WAVEBENCH_TEST_FILES=vsix.test.js): the packed VSIX is installed
// into a fresh extensions dir, and no extensionDevelopmentPath points at the repo.
import * as assert from 'node:assert';
import * as path from 'node:path';
import * as vscode from 'vscode';

suite('installed VSIX', () => {
  test('wavebench.wavebench is the installed copy, not the dev tree, and opens a WAV', async function () {
    this.timeout(120_000);
    const extDir = process.env.WAVEBENCH_VSIX_EXTENSIONS_DIR;
    assert.ok(extDir, 'WAVEBENCH_VSIX_EXTENSIONS_DIR is not set: run through test/vscode/vsix.mjs');
    const ext = vscode.extensions.getExtension('wavebench.wavebench');
    assert.ok(ext, 'extension wavebench.wavebench not installed');
    const rel = path.relative(path.resolve(extDir!), path.resolve(ext.extensionPath));
    assert.ok(
      rel && !rel.startsWith('..') && !path.isAbsolute(rel),
      `${ext.extensionPath} is not under ${extDir}`,
    );
    console.log(`[wavebench-tests] installed extension at ${ext.extensionPath}`);
    const api = (await ext.activate()) as {
      recorder: () => { find: (m: Record<string, string>) => unknown };
    };
    // An installed extension runs in production mode: the test turns the recorder on before opening.
    const rec = api.recorder();
    assert.strictEqual(ext.isActive, true);
    // The packed product opens a sample clip: its editor paints, with the bundled model's predictions.
    const clips = await vscode.workspace.findFiles('**/*.wav', undefined, 1);
    assert.ok(clips.length, 'no WAV in the workspace');
    const key = clips[0].toString();
    await vscode.commands.executeCommand('vscode.openWith', clips[0], 'wavebench.wav');
    const end = Date.now() + 90_000;
    while (!rec.find({ panel: 'editor', dir: 'in', uri: key, type: 'painted', what: 'predictions' })) {
      assert.ok(Date.now() < end, 'the installed editor never painted its predictions');
      await new Promise((r) => setTimeout(r, 200));
    }
  });
});
