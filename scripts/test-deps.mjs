// First step of `npm test`: the system packages the test suite needs, beyond Node and npm.
// Missing ones are installed with apt-get when this runs as root (CI, containers); otherwise it prints the
// exact `sudo apt-get install ...` line and exits 1. Usage: node scripts/test-deps.mjs [--check]
// (--check: report only, never install).
//
// What needs what (nothing else in the suite uses a system package; sox/espeak-ng are only for the
// fixture generators and benchmarks):
// - chromium: the webview tests (test/webview/preview.mjs) and the VS Code tests (code-server driven by
//   headless Chromium through playwright-core, which brings no browser);
// - clang + lld: test/unit/audio/mfccWasmFresh.test.ts rebuilds src/audio/native/mfcc.wasm from mfcc.c;
// - ripgrep: code-server's search (test/vscode/setup.mjs links the system rg);
// - build-essential, python3, libkrb5-dev: node-gyp builds code-server's native modules once
//   (test/vscode/setup.mjs; kerberos links libkrb5/libgssapi_krb5); not needed once .vscode-test/ holds
//   a built code-server.
import { spawnSync } from 'node:child_process';
import { existsSync, realpathSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { chromiumOrUndefined, onPath } from '../test/chromium.mjs';
import { isSetUp } from '../test/vscode/setup.mjs';
import { findClang } from './build-wasm.mjs';

/** wasm-ld where clang looks for it: on the PATH (lld's /usr/bin/wasm-ld) or beside the real clang. */
function wasmLd() {
  if (onPath('wasm-ld')) return true;
  const c = findClang();
  const clangPath = c && (c.clang.includes('/') ? c.clang : onPath(c.clang));
  return !!clangPath && existsSync(join(dirname(realpathSync(clangPath)), 'wasm-ld'));
}

const codeServerBuilt = isSetUp();
const requirements = [
  { pkg: 'chromium', why: 'webview and VS Code tests', ok: () => !!chromiumOrUndefined() },
  { pkg: 'clang', why: 'mfcc.wasm rebuild check', ok: () => !!findClang() },
  { pkg: 'lld', why: 'mfcc.wasm rebuild check: wasm-ld', ok: wasmLd },
  { pkg: 'ripgrep', why: "code-server's search", ok: () => !!onPath('rg') },
  ...(codeServerBuilt
    ? []
    : [
        {
          pkg: 'build-essential',
          why: "code-server's native modules: g++, make",
          ok: () => !!onPath('g++') && !!onPath('make'),
        },
        { pkg: 'python3', why: 'node-gyp', ok: () => !!onPath('python3') },
        {
          pkg: 'libkrb5-dev',
          why: "code-server's kerberos module",
          ok: () => existsSync('/usr/include/gssapi/gssapi_krb5.h') || !!onPath('krb5-config'),
        },
      ]),
];

const missing = () => requirements.filter((r) => !r.ok());
const list = (rs) => rs.map((r) => `${r.pkg} (${r.why})`).join(', ');
const names = (rs) => rs.map((r) => r.pkg).join(' ');

let todo = missing();
if (!todo.length) {
  console.log(
    `test-deps: ok: ${requirements.map((r) => r.pkg).join(', ')}` +
      (codeServerBuilt ? ' (code-server already built: its build dependencies not needed)' : ''),
  );
  process.exit(0);
}

const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
const hasApt = !!onPath('apt-get');
if (isRoot && hasApt && !process.argv.includes('--check')) {
  console.log(`test-deps: installing ${list(todo)}`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const run = (args) => spawnSync('apt-get', args, { stdio: 'inherit', env }).status === 0;
  if (
    !run(['update', '-qq']) ||
    !run(['install', '-y', '-qq', '--no-install-recommends', ...todo.map((r) => r.pkg)])
  ) {
    console.error(`test-deps: apt-get failed; the suite needs: ${names(todo)}`);
    process.exit(1);
  }
  todo = missing();
  if (!todo.length) {
    console.log('test-deps: ok');
    process.exit(0);
  }
  console.error(`test-deps: still missing after apt-get install: ${list(todo)}`);
  process.exit(1);
}

console.error(`test-deps: the test suite needs system packages that are missing: ${list(todo)}.`);
console.error(
  hasApt
    ? `Install them with:\n  sudo apt-get install -y --no-install-recommends ${names(todo)}\nthen run npm test again.`
    : `Install the equivalents of these Debian packages with your system's package manager: ${names(todo)}` +
        ' (or set WAVEBENCH_CHROMIUM to a Chrome/Chromium executable).',
);
process.exit(1);
