// Helpers for suites: screenshots through a file protocol with the browser runner, and themes.
//
// Protocol: the test writes test-results/screenshot-requests/<name>.json and waits for the runner
// (which drives Chromium with playwright) to write test-results/screenshots/<name>.png.
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';

const resultsDir =
  process.env.WAVEBENCH_TEST_RESULTS_DIR ?? path.resolve(__dirname, '..', '..', '..', 'test-results');

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** True when a runner that can take screenshots (the browser path) is attached. */
export function screenshotsAvailable(): boolean {
  return process.env.WAVEBENCH_SCREENSHOTS === '1';
}

/**
 * Asks the runner for a full-page screenshot named `name` and waits for it (max `timeoutMs`).
 * Returns the PNG path, or undefined when screenshots are not available (test-electron path).
 */
export async function screenshot(name: string, timeoutMs = 20_000): Promise<string | undefined> {
  if (!/^[\w.-]+$/.test(name)) throw new Error(`bad screenshot name ${JSON.stringify(name)}`);
  if (!screenshotsAvailable()) {
    console.log(
      `[wavebench-tests] screenshot "${name}" skipped: screenshots need the browser (code-server) runner`,
    );
    return undefined;
  }
  const reqDir = path.join(resultsDir, 'screenshot-requests');
  const png = path.join(resultsDir, 'screenshots', `${name}.png`);
  fs.mkdirSync(reqDir, { recursive: true });
  fs.rmSync(png, { force: true });
  const req = path.join(reqDir, `${name}.json`);
  fs.writeFileSync(req + '.tmp', JSON.stringify({ name, requestedAt: Date.now() }));
  fs.renameSync(req + '.tmp', req);
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (fs.existsSync(png) && !fs.existsSync(req)) return png;
    await sleep(100);
  }
  throw new Error(`screenshot "${name}" not taken within ${timeoutMs} ms (is the runner polling ${reqDir}?)`);
}

/** Switches the colour theme (Global) and gives the workbench a moment to repaint. */
export async function setTheme(kind: 'light' | 'dark', settleMs = 1500): Promise<void> {
  const theme = kind === 'light' ? 'Default Light Modern' : 'Default Dark Modern';
  await vscode.workspace
    .getConfiguration('workbench')
    .update('colorTheme', theme, vscode.ConfigurationTarget.Global);
  await sleep(settleMs);
}
