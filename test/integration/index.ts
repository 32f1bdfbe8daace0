// Extension-host test entry, shared by both runners (code-server in Chromium, and @vscode/test-electron).
// It runs every compiled `*.test.js` next to it with mocha and writes the results to a JSON file,
// because in the browser path the window never exits, so the runner cannot read an exit code.
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';

interface Failure {
  title: string;
  error: string;
  stack?: string;
}

/** Where results go: env WAVEBENCH_TEST_RESULTS, else <repo>/test-results/integration-result.json. */
export function resultFile(): string {
  return (
    process.env.WAVEBENCH_TEST_RESULTS ??
    path.resolve(__dirname, '..', '..', '..', 'test-results', 'integration-result.json')
  );
}

function writeResult(result: object): void {
  const file = resultFile();
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file + '.tmp', JSON.stringify(result, null, 2));
  fs.renameSync(file + '.tmp', file); // atomic: the runner never reads half a file
}

/**
 * Suite files: every *.test.js in this folder, or the comma-separated basenames in WAVEBENCH_TEST_FILES.
 * vsix.test.js needs the packed extension installed (test/vscode/vsix.mjs names it explicitly).
 */
function suiteFiles(): string[] {
  const only = process.env.WAVEBENCH_TEST_FILES?.split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  return fs
    .readdirSync(__dirname)
    .filter((f) => (only ? only.includes(f) : f.endsWith('.test.js') && f !== 'vsix.test.js'))
    .sort()
    .map((f) => path.join(__dirname, f));
}

export async function run(): Promise<void> {
  const started = Date.now();
  // mocha 12's main entry is ESM; require its CJS build, which also loads in Electron builds whose
  // Node cannot require() ESM (desktop VS Code through test-electron).
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const mod = require('mocha/lib/mocha.cjs');
  const MochaCtor: typeof import('mocha') = mod.default ?? mod;
  const mocha = new MochaCtor({ ui: 'tdd', timeout: 60_000, color: false, reporter: 'spec' });
  const files = suiteFiles();
  for (const f of files) mocha.addFile(f);
  console.log(
    `[wavebench-tests] running ${files.length} suite file(s): ${files.map((f) => path.basename(f)).join(', ')}`,
  );

  const passes: string[] = [];
  const failures: Failure[] = [];
  const pending: string[] = [];
  try {
    await new Promise<void>((resolve) => {
      const runner = mocha.run(() => resolve());
      runner.on('pass', (t) => passes.push(t.fullTitle()));
      runner.on('pending', (t) => pending.push(t.fullTitle()));
      runner.on('fail', (t, err: Error) =>
        failures.push({ title: t.fullTitle(), error: String(err?.message ?? err), stack: err?.stack }),
      );
    });
  } catch (err) {
    const e = err as Error;
    failures.push({ title: 'loading the suite', error: String(e?.message ?? e), stack: e?.stack });
  }
  writeResult({
    passed: passes.length,
    failed: failures.length,
    pending: pending.length,
    passes,
    pending_tests: pending,
    failures,
    durationMs: Date.now() - started,
    vscodeVersion: vscode.version,
  });
  if (failures.length) throw new Error(`${failures.length} test(s) failed`);
}
