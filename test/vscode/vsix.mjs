// Packaging check: `npm run package` (offline vsce: the linux-x64 VSIX, with onnxruntime-node's
// linux-x64 binary, and the universal one), install the linux-x64 VSIX into a fresh extensions dir of
// the offline VS Code (code-server --install-extension), then run vsix.test.js in a window whose only
// development extension is an empty stub (not the repo), so the installed copy is what VS Code loads;
// it classifies with an ONNX model through the installed copy's own onnxruntime-node.
import { spawnSync } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setup, codeServerBin } from './setup.mjs';
import { repo, testCacheDir, freshDir, childEnv } from './codeServer.mjs';
import { runSuite, printResult } from '../runVsCode.mjs';

/** Resolves to true (installed and activated), false (failed) or 'skipped' (the install check did not run). */
export async function checkVsix() {
  const t0 = Date.now();
  const vsix = join(repo, 'dist-vsix', 'wavebench-linux-x64.vsix');
  console.log('[vsix] npm run package');
  const pkg = spawnSync('npm', ['run', 'package'], {
    cwd: repo,
    stdio: ['ignore', 'pipe', 'inherit'],
    encoding: 'utf8',
  });
  const pkgOut = pkg.stdout ?? '';
  for (const l of pkgOut.split('\n')) if (/DONE|ERROR|WARNING/.test(l)) console.log(`  | ${l.trim()}`);
  if (pkg.status !== 0 || !existsSync(vsix)) {
    console.log(pkgOut);
    console.log(`[vsix] FAIL: npm run package exited ${pkg.status}`);
    return false;
  }
  if (process.env.WAVEBENCH_VSCODE_EXECUTABLE) {
    // The package was built, but nothing was installed or activated: that is a skip, not a pass.
    console.log(
      '[vsix] SKIP: the install check runs on the code-server path only (unset WAVEBENCH_VSCODE_EXECUTABLE)',
    );
    return 'skipped';
  }
  setup();
  const extensionsDir = freshDir(join(testCacheDir, 'extensions-vsix'));
  const userDataDir = freshDir(join(testCacheDir, 'user-data-vsix-install'));
  console.log(`[vsix] code-server --install-extension ${vsix}`);
  const inst = spawnSync(
    process.execPath,
    [
      codeServerBin,
      '--user-data-dir',
      userDataDir,
      '--extensions-dir',
      extensionsDir,
      '--install-extension',
      vsix,
    ],
    { cwd: repo, env: childEnv(), encoding: 'utf8', timeout: 120_000 },
  );
  const instOut = `${inst.stdout ?? ''}${inst.stderr ?? ''}`.trim();
  for (const l of instOut.split('\n')) console.log(`  | ${l}`);
  if (inst.status !== 0 || !/successfully installed/i.test(instOut)) {
    console.log(`[vsix] FAIL: install exited ${inst.status}`);
    return false;
  }
  // VS Code only runs extensionTestsPath in an extension-development window (tried: with the payload
  // holding extensionTestsPath alone, the tests never start). So the window gets a stub development
  // extension with another id and no code; the real wavebench.wavebench comes from the extensions dir.
  const harness = freshDir(join(testCacheDir, 'vsix-harness'));
  writeFileSync(
    join(harness, 'package.json'),
    JSON.stringify(
      { name: 'vsix-harness', publisher: 'wavebench-test', version: '0.0.0', engines: { vscode: '^1.90.0' } },
      null,
      2,
    ),
  );
  const out = await runSuite({
    files: 'vsix.test.js',
    extensionDevelopmentPath: harness,
    extensionsDir,
    env: {
      WAVEBENCH_VSIX_EXTENSIONS_DIR: extensionsDir,
      WAVEBENCH_VSIX_ONNX_MODEL: join(repo, 'test', 'fixtures', 'onnx', 'mfcc_nchw'),
      WAVEBENCH_VSIX_ONNX_CLIPS: join(repo, 'test', 'fixtures', 'tflite', 'clips'),
    },
    label: 'vsix',
    resultsDir: join(repo, 'test-results', 'vsix'),
    timeoutSec: 180,
  });
  const summary = out.result ? printResult(out.result) : '0 passed, 1 failed';
  const s = ((Date.now() - t0) / 1000).toFixed(1);
  if (!out.ok || !out.result || out.result.passed < 1) {
    console.log(`[vsix] FAIL (${s}s): ${out.reason ?? summary}`);
    return false;
  }
  console.log(
    `[vsix] OK (${s}s): the installed linux-x64 VSIX loaded, activated and ran an ONNX model (${summary})`,
  );
  return true;
}

if (import.meta.url === `file://${process.argv[1]}`) process.exit((await checkVsix()) === true ? 0 : 1);
