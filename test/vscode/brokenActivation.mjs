// Self-test of the runner: the smoke suite runs against a broken copy of the extension (the built
// bundle with a throw at the top of activate(), in .vscode-test/broken-extension/), so the runner must
// exit non-zero and report that failure. Nothing in the product reads a test switch for this.
// Results go to test-results/broken-activation/ so the main suite's results and screenshots stay.
import { spawn } from 'node:child_process';
import { cpSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { repo, testCacheDir } from './codeServer.mjs';

const BROKEN = 'activation broken on purpose (the broken copy made by test/vscode/brokenActivation.mjs)';

/**
 * A copy of the extension (package.json and dist/, which the bundle loads files from, e.g. codec-parser.js)
 * whose activate() throws first thing.
 */
export function makeBrokenExtension() {
  const dir = join(testCacheDir, 'broken-extension');
  rmSync(dir, { recursive: true, force: true });
  cpSync(join(repo, 'dist'), join(dir, 'dist'), { recursive: true });
  const bundle = readFileSync(join(repo, 'dist', 'extension.js'), 'utf8');
  const head = 'function activate(context) {';
  if (bundle.split(head).length !== 2) throw new Error(`dist/extension.js: expected one "${head}"`);
  writeFileSync(
    join(dir, 'dist', 'extension.js'),
    bundle.replace(head, `${head}\n  throw new Error(${JSON.stringify(BROKEN)});`),
  );
  writeFileSync(join(dir, 'package.json'), readFileSync(join(repo, 'package.json')));
  return dir;
}

export async function checkBrokenActivation() {
  const t0 = Date.now();
  console.log('[broken-activation] running the smoke suite on a broken copy of the extension (it must fail)');
  const extension = makeBrokenExtension();
  const child = spawn(
    process.execPath,
    [
      join(repo, 'test', 'runVsCode.mjs'),
      '--files',
      'smoke.test.js',
      '--timeout',
      '300',
      '--extension',
      extension,
    ],
    {
      cwd: repo,
      env: {
        ...process.env,
        WAVEBENCH_RESULTS_DIR: join(repo, 'test-results', 'broken-activation'),
        WAVEBENCH_RUNNER_QUIET: '1',
        WAVEBENCH_RUN_LABEL: 'broken-activation', // own user-data/extensions dirs under .vscode-test/
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let out = '';
  const onData = (d) => {
    out += d;
    for (const line of String(d).split('\n')) if (line.trim()) console.log(`  | ${line}`);
  };
  child.stdout.on('data', onData);
  child.stderr.on('data', onData);
  const code = await new Promise((r) => child.on('close', (c, sig) => r(c ?? sig)));
  const lines = out.trim().split('\n');
  const summary = lines[lines.length - 1].trim();
  const problems = [];
  if (code === 0) problems.push('the runner exited 0');
  if (!/activation broken on purpose/.test(out))
    problems.push('the output does not mention the activation error');
  if (!/^\d+ passed, [1-9]\d* failed$/.test(summary))
    problems.push(`the last line is not "N passed, M>0 failed": ${JSON.stringify(summary)}`);
  const s = ((Date.now() - t0) / 1000).toFixed(1);
  if (problems.length) {
    console.log(`[broken-activation] FAIL (${s}s): ${problems.join('; ')}`);
    return false;
  }
  console.log(
    `[broken-activation] OK (${s}s): the runner exited ${code} and reported "${summary}" with the activation error`,
  );
  return true;
}

if (import.meta.url === `file://${process.argv[1]}`) process.exit((await checkBrokenActivation()) ? 0 : 1);
