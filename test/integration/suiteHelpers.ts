// Helpers the integration suites share: the extension's API, waiting for a recorded message,
// screenshots in both themes, the CLI run as a separate process, temp folders, opening a file in
// the Wavebench editor until it painted its predictions.
import * as assert from 'node:assert';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as vscode from 'vscode';
import type { WavebenchApi } from '../../src/extension';
import { screenshot, screenshotsAvailable, setTheme, sleep } from './screenshot';

/** The activated extension's API. */
export async function api(): Promise<WavebenchApi> {
  const ext = vscode.extensions.getExtension<WavebenchApi>('wavebench.wavebench');
  assert.ok(ext, 'extension not found');
  return ext.activate();
}

/** `f()` once it is truthy (polled every 100 ms), or a timeout naming `what`. */
export async function until<T>(what: string, f: () => T | undefined, timeoutMs = 60_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    const v = f();
    if (v) return v;
    await sleep(100);
  }
  throw new Error(`timed out waiting for ${what}`);
}

/** Screenshots `NAME-light` and `NAME-dark` (with the browser runner; nothing otherwise). */
export async function shots(name: string): Promise<void> {
  if (!screenshotsAvailable()) return;
  for (const kind of ['light', 'dark'] as const) {
    await setTheme(kind);
    await sleep(800);
    assert.ok(await screenshot(`${name}-${kind}`));
  }
}

/** `wavebench COMMAND PATH --workers 1 --json - [ARGS]` run by the extension's own dist/cli.js (its own process). */
export function cliJson<T>(command: string, path: string, args: string[] = []): T {
  const ext = vscode.extensions.getExtension('wavebench.wavebench')!;
  const cli = spawnSync(
    process.execPath,
    [join(ext.extensionPath, 'dist', 'cli.js'), command, path, '--workers', '1', '--json', '-', ...args],
    { encoding: 'utf8', maxBuffer: 1 << 26, env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' } },
  );
  assert.strictEqual(cli.status, 0, cli.stderr);
  return JSON.parse(cli.stdout) as T;
}

/** Temp folders made by the tests, removed by `removeTemps` after each suite. */
const temps: string[] = [];
export function tempDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  temps.push(dir);
  return dir;
}
export function removeTemps(): void {
  for (const d of temps.splice(0)) rmSync(d, { recursive: true, force: true });
}

/** Opens `path` (double-click: vscode.open) and waits until the Wavebench editor painted its predictions. */
export async function openPainted(a: WavebenchApi, path: string): Promise<string> {
  const uri = vscode.Uri.file(path);
  await vscode.commands.executeCommand('vscode.open', uri);
  const tab = vscode.window.tabGroups.activeTabGroup.activeTab;
  assert.ok(tab?.input instanceof vscode.TabInputCustom, `active tab is ${tab?.input?.constructor.name}`);
  assert.strictEqual((tab.input as vscode.TabInputCustom).viewType, 'wavebench.wav');
  const key = uri.toString();
  await until('the editor to ask for its state', () =>
    a.recorder().find({ panel: 'editor', dir: 'in', uri: key, type: 'ready' }),
  );
  await until('init painted', () =>
    a.recorder().find({ panel: 'editor', dir: 'in', uri: key, type: 'painted', what: 'init' }),
  );
  const painted = await until(
    'predictions painted',
    () => a.recorder().find({ panel: 'editor', dir: 'in', uri: key, type: 'painted', what: 'predictions' }),
    150_000,
  );
  console.log(`[wavebench-tests] editor painted with predictions ${JSON.stringify(painted)}`);
  assert.ok(a.recorder().find({ panel: 'editor', dir: 'out', uri: key, type: 'predictions' }));
  assert.strictEqual(a.recorder().find({ panel: 'editor', uri: key, type: 'decodeError' }), undefined);
  return key;
}
