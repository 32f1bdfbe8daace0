// Shared pieces for the offline VS Code (code-server) paths: start/stop the server, build the URL.
import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { mkdirSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { join, dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { codeServerBin } from './setup.mjs';

export const repo = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const testCacheDir = join(repo, '.vscode-test');
export const chromiumArgs = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-dev-shm-usage',
];

/** A free TCP port on 127.0.0.1. */
export function freePort() {
  return new Promise((res, rej) => {
    const s = createServer();
    s.once('error', rej);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => res(port));
    });
  });
}

/** Fresh (emptied) directory. */
export function freshDir(dir) {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  return dir;
}

/** User settings that keep a test window quiet and deterministic. */
export function writeUserSettings(userDataDir, extra = {}) {
  const dir = join(userDataDir, 'User');
  mkdirSync(dir, { recursive: true });
  const settings = {
    'workbench.startupEditor': 'none',
    'workbench.tips.enabled': false,
    'workbench.enableExperiments': false,
    'workbench.colorTheme': 'Default Dark Modern',
    // Another built-in viewer also claims *.wav; choose Wavebench so no prompt covers the screenshots.
    'workbench.editorAssociations': { '*.wav': 'wavebench.wav' },
    'security.workspace.trust.enabled': false,
    'telemetry.telemetryLevel': 'off',
    'update.mode': 'none',
    'extensions.autoCheckUpdates': false,
    'extensions.autoUpdate': false,
    'extensions.ignoreRecommendations': true,
    'git.enabled': false,
    'chat.disableAIFeatures': true,
    ...extra,
  };
  writeFileSync(join(dir, 'settings.json'), JSON.stringify(settings, null, 2));
}

/** The environment for child VS Code processes: ours minus VS Code's own IPC variables, plus `extra`. */
export function childEnv(extra = {}) {
  const env = {};
  for (const [k, v] of Object.entries(process.env))
    if (!k.startsWith('VSCODE_') && v !== undefined) env[k] = v;
  return { ...env, ...extra };
}

/**
 * Starts code-server; resolves when /healthz answers. Output lines go to `log` (prefixed).
 * Returns { port, url, proc, stop() }.
 */
export async function startCodeServer({
  port,
  userDataDir,
  extensionsDir,
  env = {},
  log = console.log,
  timeoutMs = 60_000,
}) {
  if (!existsSync(codeServerBin))
    throw new Error(`code-server not installed (${codeServerBin}); run node test/vscode/setup.mjs`);
  port ??= await freePort();
  const args = [
    codeServerBin,
    '--bind-addr',
    `127.0.0.1:${port}`,
    '--auth',
    'none',
    '--user-data-dir',
    userDataDir,
    '--extensions-dir',
    extensionsDir,
    '--disable-telemetry',
    '--disable-update-check',
    '--disable-workspace-trust',
    '--disable-getting-started-override',
    '--ignore-last-opened',
  ];
  const proc = spawn(process.execPath, args, {
    env: childEnv(env),
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  const forward = (stream, tag) => {
    let buf = '';
    stream.setEncoding('utf8');
    stream.on('data', (d) => {
      buf += d;
      let i;
      while ((i = buf.indexOf('\n')) >= 0) {
        const line = buf.slice(0, i);
        buf = buf.slice(i + 1);
        if (line.trim()) log(`[code-server${tag}] ${line}`);
      }
    });
  };
  forward(proc.stdout, '');
  forward(proc.stderr, ':err');
  let exited = null;
  proc.on('exit', (code, sig) => {
    exited = { code, sig };
    log(`[code-server] exited (${sig ?? code})`);
  });
  const stop = () => stopTree(proc);
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (exited) throw new Error(`code-server exited before it was ready (${exited.sig ?? exited.code})`);
    try {
      const r = await globalThis.fetch(`${url}/healthz`);
      if (r.ok) break;
    } catch {
      /* not yet */
    }
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`code-server did not answer on ${url} within ${timeoutMs} ms`);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  return { port, url, proc, stop };
}

/** SIGTERM to the process group (server + extension host + watchers), SIGKILL after 3 s. */
export async function stopTree(proc) {
  if (!proc || proc.exitCode !== null || proc.signalCode !== null) return;
  const kill = (sig) => {
    try {
      process.kill(-proc.pid, sig);
    } catch {
      try {
        proc.kill(sig);
      } catch {
        /* gone */
      }
    }
  };
  const done = new Promise((r) => proc.once('exit', r));
  kill('SIGTERM');
  const t = setTimeout(() => kill('SIGKILL'), 3000);
  await Promise.race([done, new Promise((r) => setTimeout(r, 5000))]);
  clearTimeout(t);
  kill('SIGKILL'); // anything left in the group
}

/** The workbench URL with a folder and (optionally) a development extension and a tests module. */
export function workbenchUrl({ url, port, folder, extensionDevelopmentPath, extensionTestsPath }) {
  const remote = (p) => `vscode-remote://127.0.0.1:${port}${resolve(p)}`;
  const payload = [];
  if (extensionDevelopmentPath) payload.push(['extensionDevelopmentPath', remote(extensionDevelopmentPath)]);
  if (extensionTestsPath) payload.push(['extensionTestsPath', remote(extensionTestsPath)]);
  let u = `${url}/?folder=${encodeURIComponent(resolve(folder))}`;
  if (payload.length) u += `&payload=${encodeURIComponent(JSON.stringify(payload))}`;
  return u;
}

/** The workspace to open: samples/ when present, else a small placeholder folder. */
export function defaultWorkspace() {
  const samples = join(repo, 'samples');
  if (existsSync(samples)) return samples;
  const ws = join(testCacheDir, 'workspace');
  mkdirSync(ws, { recursive: true });
  writeFileSync(join(ws, 'README.md'), '# Wavebench test workspace\n\n(samples/ was not present)\n');
  return ws;
}
