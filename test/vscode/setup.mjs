// Idempotent, cached, offline install of code-server (= VS Code 1.100.3 in the browser) into
// .vscode-test/code-server/. Only the npm registry and locally built native modules are used.
// A marker file makes a second run instant. Usage: node test/vscode/setup.mjs [--force]
import { spawnSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  rmSync,
  symlinkSync,
  lstatSync,
  writeFileSync,
  readFileSync,
  chmodSync,
} from 'node:fs';
import { join, dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const CODE_SERVER_VERSION = '4.100.3';
const repo = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const cacheDir = join(repo, '.vscode-test', 'code-server');
export const codeServerRoot = join(cacheDir, 'node_modules', 'code-server');
export const codeServerBin = join(codeServerRoot, 'out', 'node', 'entry.js');
const marker = join(cacheDir, '.wavebench-setup-complete');
const NATIVE = [
  'kerberos',
  'node-pty',
  '@parcel/watcher',
  '@vscode/spdlog',
  'native-watchdog',
  '@vscode/deviceid',
];

function run(cmd, args, cwd, label) {
  const t0 = Date.now();
  const r = spawnSync(cmd, args, { cwd, stdio: ['ignore', 'inherit', 'inherit'], env: process.env });
  const s = ((Date.now() - t0) / 1000).toFixed(1);
  if (r.status !== 0) throw new Error(`setup: ${label} failed (exit ${r.status}) after ${s}s`);
  console.log(`[setup] ${label}: ${s}s`);
}

/** Replaces `path` with a symlink to `target` (relative or absolute). */
function link(target, path) {
  try {
    lstatSync(path);
    rmSync(path, { recursive: true, force: true });
  } catch {
    /* absent */
  }
  mkdirSync(dirname(path), { recursive: true });
  symlinkSync(target, path);
}

// Node's own headers (Debian ships them in /usr/include/node): no header download needed offline.
const nodedir = resolve(dirname(process.execPath), '..');
const nodedirArgs = existsSync(join(nodedir, 'include', 'node', 'common.gypi'))
  ? [`--nodedir=${nodedir}`]
  : [];
if (nodedirArgs.length) process.env.npm_config_nodedir = nodedir;

/** The node-gyp that ships inside npm (no download), else npx. */
function nodeGyp() {
  const candidates = [
    process.env.npm_config_node_gyp,
    join(
      dirname(process.execPath),
      '..',
      'lib',
      'node_modules',
      'npm',
      'node_modules',
      'node-gyp',
      'bin',
      'node-gyp.js',
    ),
    join(repo, 'node_modules', 'node-gyp', 'bin', 'node-gyp.js'),
  ];
  for (const c of candidates) if (c && existsSync(c)) return [process.execPath, c];
  return ['npx', '--yes', 'node-gyp'];
}

export function isSetUp() {
  return (
    existsSync(marker) &&
    readFileSync(marker, 'utf8').trim() === CODE_SERVER_VERSION &&
    existsSync(codeServerBin)
  );
}

export function setup({ force = false } = {}) {
  if (!force && isSetUp()) {
    console.log(`[setup] code-server ${CODE_SERVER_VERSION} already installed in ${cacheDir} (cached)`);
    return;
  }
  const t0 = Date.now();
  rmSync(marker, { force: true });
  mkdirSync(cacheDir, { recursive: true });
  if (!existsSync(join(cacheDir, 'package.json')))
    writeFileSync(
      join(cacheDir, 'package.json'),
      JSON.stringify({ name: 'wavebench-code-server-cache', private: true }, null, 2),
    );
  const npm = 'npm';
  const quiet = ['--no-audit', '--no-fund', '--loglevel=error'];
  run(
    npm,
    ['install', '--ignore-scripts', ...quiet, `code-server@${CODE_SERVER_VERSION}`],
    cacheDir,
    'npm install code-server',
  );
  run(npm, ['rebuild', 'argon2', ...quiet], cacheDir, 'npm rebuild argon2');
  const vsc = join(codeServerRoot, 'lib', 'vscode');
  run(npm, ['install', '--omit=dev', '--ignore-scripts', ...quiet], vsc, 'lib/vscode npm install');
  const gypCmd = nodeGyp();
  for (const m of NATIVE) {
    const dir = join(vsc, 'node_modules', m);
    if (!existsSync(dir)) {
      console.log(`[setup] native module ${m} not present, skipped`);
      continue;
    }
    run(
      gypCmd[0],
      [...gypCmd.slice(1), 'rebuild', '-j', 'max', '--loglevel=warn', ...nodedirArgs],
      dir,
      `node-gyp rebuild ${m}`,
    );
  }
  // Fix-ups the skipped install scripts would have done.
  const rgBin = join(vsc, 'node_modules', '@vscode', 'ripgrep', 'bin', 'rg');
  const sysRg = spawnSync('sh', ['-c', 'command -v rg'], { encoding: 'utf8' }).stdout.trim();
  if (!sysRg) throw new Error('setup: ripgrep (rg) not on PATH; apt-get install ripgrep');
  link(sysRg, rgBin);
  link('node_modules', join(vsc, 'node_modules.asar'));
  link('code-linux.sh', join(vsc, 'bin', 'remote-cli', 'code-server'));
  link('browser-linux.sh', join(vsc, 'bin', 'helpers', 'browser.sh'));
  for (const f of [
    join(vsc, 'bin', 'remote-cli', 'code-linux.sh'),
    join(vsc, 'bin', 'helpers', 'browser-linux.sh'),
  ])
    if (existsSync(f)) chmodSync(f, 0o755);
  writeFileSync(marker, CODE_SERVER_VERSION + '\n');
  console.log(
    `[setup] code-server ${CODE_SERVER_VERSION} installed in ${((Date.now() - t0) / 1000).toFixed(1)}s`,
  );
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  try {
    setup({ force: process.argv.includes('--force') });
  } catch (e) {
    console.error(String(e?.message ?? e));
    process.exit(1);
  }
}
