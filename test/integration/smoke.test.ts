import * as assert from 'node:assert';
import * as vscode from 'vscode';
import { screenshot, screenshotsAvailable, setTheme, sleep } from './screenshot';

suite('smoke', () => {
  test('VS Code reports a real version', () => {
    assert.match(vscode.version, /^\d+\.\d+\.\d+/);
    console.log(`[wavebench-tests] VS Code ${vscode.version}, ${vscode.env.appName}, ${vscode.env.appHost}`);
  });

  test('the Wavebench extension is present and activates', async () => {
    const ext = vscode.extensions.getExtension('wavebench.wavebench');
    assert.ok(ext, 'extension wavebench.wavebench not found');
    await ext.activate();
    assert.strictEqual(ext.isActive, true);
  });

  test('a workspace folder is open', () => {
    const folders = vscode.workspace.workspaceFolders ?? [];
    assert.ok(folders.length > 0, 'no workspace folder open');
  });

  test('screenshots of the workbench in light and dark', async function () {
    if (!screenshotsAvailable()) this.skip();
    await vscode.commands.executeCommand('workbench.view.explorer');
    for (const kind of ['light', 'dark'] as const) {
      await setTheme(kind);
      await sleep(500);
      const png = await screenshot(`workbench-${kind}`);
      assert.ok(png, 'no screenshot');
    }
  });
});
