// Runs the extension-host suite (dist/test/integration/index.js) in a real VS Code.
//  - WAVEBENCH_VSCODE_EXECUTABLE=/path/to/code: @vscode/test-electron's runTests with that desktop build.
//  - otherwise: offline code-server (test/vscode/setup.mjs) driven by headless Debian Chromium (playwright-core).
// Results come back through test-results/integration-result.json written by the test entry.
// Ends with "N passed, N failed" alone on a line; exits non-zero on a failure, a timeout or no result.
//
// Options (also usable from other scripts through runSuite()):
//   --files a.test.js,b.test.js   only these suite files (env WAVEBENCH_TEST_FILES)
//   --extension DIR               load the extension from DIR instead of the repository
//   --timeout SECONDS              overall bound (default 600)
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, renameSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { setup } from './vscode/setup.mjs';
import { findChromium } from './chromium.mjs';
import {
  repo,
  testCacheDir,
  chromiumArgs,
  freshDir,
  writeUserSettings,
  startCodeServer,
  workbenchUrl,
  defaultWorkspace,
  childEnv,
} from './vscode/codeServer.mjs';

export const defaultResultsDir = process.env.WAVEBENCH_RESULTS_DIR
  ? resolve(process.env.WAVEBENCH_RESULTS_DIR)
  : join(repo, 'test-results');
const testsEntry = join(repo, 'dist', 'test', 'integration', 'index.js');

const log = (...a) => console.log(...a);

/** Prints mocha-like output for a result object and returns the summary line. */
export function printResult(r) {
  log('');
  for (const t of r.passes ?? []) log(`  ✓ ${t}`);
  for (const t of r.pending_tests ?? []) log(`  - ${t} (skipped)`);
  (r.failures ?? []).forEach((f, i) => log(`  ${i + 1}) ${f.title}`));
  if (r.failures?.length) {
    log('');
    r.failures.forEach((f, i) => {
      log(`  ${i + 1}) ${f.title}:`);
      log(`     ${(f.stack ?? f.error).split('\n').join('\n     ')}`);
      log('');
    });
  }
  if (r.vscodeVersion) log(`  (VS Code ${r.vscodeVersion}, ${r.durationMs} ms in the extension host)`);
  log('');
  return `${r.passed ?? 0} passed, ${r.failed ?? 0} failed`;
}

function readResult(resultFile) {
  try {
    return JSON.parse(readFileSync(resultFile, 'utf8'));
  } catch {
    return undefined;
  }
}

/**
 * Runs the suite. Returns { ok, result, reason }.
 * opts: { files, timeoutSec, env (extra env for VS Code), extensionDevelopmentPath (null = none),
 *         extensionsDir (kept as is when given, else fresh), workspace, label, resultsDir }
 */
export async function runSuite(opts = {}) {
  const files = opts.files ?? process.env.WAVEBENCH_TEST_FILES;
  const timeoutMs = (opts.timeoutSec ?? 600) * 1000;
  if (!existsSync(testsEntry)) throw new Error(`${testsEntry} missing: run npm run build first`);
  const resultsDir = opts.resultsDir ?? defaultResultsDir;
  const resultFile = join(resultsDir, 'integration-result.json');
  mkdirSync(resultsDir, { recursive: true });
  rmSync(resultFile, { force: true });
  rmSync(join(resultsDir, 'screenshot-requests'), { recursive: true, force: true });
  rmSync(join(resultsDir, 'screenshots'), { recursive: true, force: true }); // no stale images
  const env = {
    WAVEBENCH_TEST_RESULTS: resultFile,
    WAVEBENCH_TEST_RESULTS_DIR: resultsDir,
    ...(files ? { WAVEBENCH_TEST_FILES: files } : {}),
    ...(opts.env ?? {}),
  };
  const devPath = opts.extensionDevelopmentPath === undefined ? repo : opts.extensionDevelopmentPath;
  const workspace = opts.workspace ?? defaultWorkspace();
  const ctx = { env, devPath, workspace, timeoutMs, resultsDir, resultFile };
  if (process.env.WAVEBENCH_VSCODE_EXECUTABLE) return runElectron(ctx);
  return runBrowser({
    ...ctx,
    extensionsDir: opts.extensionsDir,
    label: opts.label ?? process.env.WAVEBENCH_RUN_LABEL ?? 'suite',
  });
}

async function runElectron({ env, devPath, workspace, resultFile }) {
  const { runTests } = await import('@vscode/test-electron');
  const vscodeExecutablePath = process.env.WAVEBENCH_VSCODE_EXECUTABLE;
  log(`[runner] @vscode/test-electron with ${vscodeExecutablePath}`);
  let reason;
  try {
    await runTests({
      vscodeExecutablePath,
      extensionDevelopmentPath: devPath ?? join(testCacheDir, 'no-dev-extension'),
      extensionTestsPath: testsEntry,
      extensionTestsEnv: { ...childEnv(), ...env },
      launchArgs: [workspace, '--disable-workspace-trust', '--skip-welcome', '--skip-release-notes'],
    });
  } catch (e) {
    reason = `VS Code exited with failure: ${e?.message ?? e}`;
  }
  const result = readResult(resultFile);
  if (!result) return { ok: false, reason: reason ?? 'no result file was written' };
  if (!reason && !result.passed) reason = 'no test passed (no suite file found?)';
  return { ok: !reason && result.failed === 0, result, reason };
}

async function runBrowser({
  env,
  devPath,
  workspace,
  timeoutMs,
  extensionsDir,
  label,
  resultsDir,
  resultFile,
}) {
  const t0 = Date.now();
  setup();
  const userDataDir = freshDir(join(testCacheDir, `user-data-${label}`));
  extensionsDir ??= freshDir(join(testCacheDir, `extensions-${label}`));
  writeUserSettings(userDataDir);
  const shotsDir = join(resultsDir, 'screenshots');
  const reqDir = join(resultsDir, 'screenshot-requests');
  mkdirSync(shotsDir, { recursive: true });
  mkdirSync(reqDir, { recursive: true });

  const quiet = process.env.WAVEBENCH_RUNNER_QUIET === '1';
  const serverLog = (l) => {
    if (!quiet || /error|fail|exception/i.test(l)) log(l);
  };
  const server = await startCodeServer({
    userDataDir,
    extensionsDir,
    env: { ...env, WAVEBENCH_SCREENSHOTS: '1' },
    log: serverLog,
  });
  log(`[runner] code-server up on ${server.url} in ${((Date.now() - t0) / 1000).toFixed(1)}s`);
  let browser;
  const stopAll = async () => {
    try {
      await browser?.close();
    } catch {
      /* closed */
    }
    await server.stop();
  };
  const onSignal = async (sig) => {
    log(`[runner] ${sig}: stopping`);
    await stopAll();
    process.exit(130);
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    const { chromium } = await import('playwright-core');
    browser = await chromium.launch({ executablePath: findChromium(), headless: true, args: chromiumArgs });
    const page = await browser.newPage({ viewport: { width: 1600, height: 1000 } });
    page.on('console', (m) => {
      // VS Code's logger styles lines with %c + CSS; drop that so the log stays readable.
      const text = m
        .text()
        .replace(/%c\s*/g, '')
        .replace(/^(\s*\w+\s+)?color: #[0-9a-f]{3,6}\s*/i, '$1');
      // The extension host's console is mirrored into the page console; keep it, drop workbench noise.
      if (quiet && m.type() !== 'error' && !/wavebench|Extension Host/i.test(text)) return;
      log(`[page:${m.type()}] ${text}`);
    });
    page.on('pageerror', (e) => log(`[page:exception] ${e.message}`));
    const url = workbenchUrl({
      url: server.url,
      port: server.port,
      folder: workspace,
      extensionDevelopmentPath: devPath,
      extensionTestsPath: testsEntry,
    });
    log(`[runner] opening ${url}`);
    await page.goto(url, { waitUntil: 'domcontentloaded', timeout: 60_000 });

    const deadline = Date.now() + timeoutMs;
    let result;
    while (Date.now() < deadline) {
      for (const f of readdirSync(reqDir).filter((x) => x.endsWith('.json'))) {
        const name = f.slice(0, -5);
        const png = join(shotsDir, `${name}.png`);
        try {
          await page.screenshot({ path: png + '.tmp.png', fullPage: true });
          renameSync(png + '.tmp.png', png);
          log(`[runner] screenshot ${png}`);
        } catch (e) {
          log(`[runner] screenshot ${name} failed: ${e.message}`);
        }
        rmSync(join(reqDir, f), { force: true });
      }
      if (existsSync(resultFile)) {
        result = readResult(resultFile);
        if (result) break;
      }
      if (server.proc.exitCode !== null) break;
      await new Promise((r) => setTimeout(r, 200));
    }
    if (!result) {
      const reason =
        server.proc.exitCode !== null
          ? 'code-server exited before the suite wrote its result'
          : `timed out after ${timeoutMs / 1000}s without a result file (${resultFile})`;
      await page.screenshot({ path: join(resultsDir, `runner-timeout-${label}.png`) }).catch(() => {});
      dumpExtHostLogs(userDataDir);
      return { ok: false, reason };
    }
    if (result.failed) dumpExtHostLogs(userDataDir);
    if (!result.passed && !result.failed)
      return { ok: false, result, reason: 'no test ran (no suite file found?)' };
    return { ok: result.failed === 0, result };
  } finally {
    process.removeListener('SIGINT', onSignal);
    process.removeListener('SIGTERM', onSignal);
    await stopAll();
    log(`[runner] ${label} finished in ${((Date.now() - t0) / 1000).toFixed(1)}s`);
  }
}

/** Prints the tail of the remote extension host logs (where activation errors land). */
function dumpExtHostLogs(userDataDir) {
  const logsRoot = join(userDataDir, 'logs');
  if (!existsSync(logsRoot)) return;
  const walk = (d) =>
    readdirSync(d, { withFileTypes: true }).flatMap((e) =>
      e.isDirectory() ? walk(join(d, e.name)) : [join(d, e.name)],
    );
  for (const f of walk(logsRoot).filter((f) => /^(remote)?exthost\.log$/i.test(basename(f)))) {
    const lines = readFileSync(f, 'utf8').trim().split('\n');
    log(`[runner] ---- ${f.slice(userDataDir.length + 1)} (last ${Math.min(40, lines.length)} lines) ----`);
    for (const l of lines.slice(-40)) log(`  ${l}`);
  }
}

async function main() {
  const argv = process.argv.slice(2);
  const opt = (n) => {
    const i = argv.indexOf(n);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  const t0 = Date.now();
  let out;
  try {
    out = await runSuite({
      files: opt('--files'),
      timeoutSec: opt('--timeout') ? Number(opt('--timeout')) : undefined,
      // Another copy of the extension to load instead of the repository (the broken-activation self-test).
      extensionDevelopmentPath: opt('--extension'),
    });
  } catch (e) {
    out = { ok: false, reason: e?.stack ?? String(e) };
  }
  // No result at all counts as one failure (the run itself).
  const summary = out.result ? printResult(out.result) : '0 passed, 1 failed';
  if (out.reason) log(`[runner] FAILED: ${out.reason}`);
  log(`[runner] total ${((Date.now() - t0) / 1000).toFixed(1)}s`);
  log(summary);
  process.exit(out.ok ? 0 : 1);
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) main();
