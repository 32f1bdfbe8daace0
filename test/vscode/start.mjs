// npm start: open Wavebench for a person.
//  - the desktop `code` with --extensionDevelopmentPath=<repo> when `code` is on PATH
//    (or WAVEBENCH_VSCODE_EXECUTABLE points at one);
//  - else the offline browser VS Code (code-server) with the extension loaded and samples/ open,
//    printing the URL to open; runs until Ctrl-C. Env PORT picks the port (default: a free one).
// Run `npm run build` first (or `npm run watch` alongside) so dist/ is current.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { setup } from './setup.mjs';
import {
  repo,
  testCacheDir,
  writeUserSettings,
  startCodeServer,
  workbenchUrl,
  defaultWorkspace,
} from './codeServer.mjs';

if (!existsSync(join(repo, 'dist', 'extension.js')))
  console.warn('[start] dist/extension.js missing: run npm run build first');
const workspace = defaultWorkspace();
const desktop =
  process.env.WAVEBENCH_VSCODE_EXECUTABLE ??
  spawnSync('sh', ['-c', 'command -v code'], { encoding: 'utf8' }).stdout.trim();

if (desktop) {
  console.log(`[start] ${desktop} --extensionDevelopmentPath=${repo} ${workspace}`);
  const p = spawn(desktop, [`--extensionDevelopmentPath=${repo}`, workspace], { stdio: 'inherit' });
  p.on('exit', (c) => process.exit(c ?? 0));
} else {
  setup();
  const userDataDir = join(testCacheDir, 'user-data-start'); // kept between runs, like a real profile
  const extensionsDir = join(testCacheDir, 'extensions-start');
  if (!existsSync(join(userDataDir, 'User', 'settings.json'))) writeUserSettings(userDataDir);
  const server = await startCodeServer({
    port: process.env.PORT ? Number(process.env.PORT) : undefined,
    userDataDir,
    extensionsDir,
    log: (l) => (process.env.WAVEBENCH_START_VERBOSE ? console.log(l) : undefined),
  });
  const url = workbenchUrl({
    url: server.url,
    port: server.port,
    folder: workspace,
    extensionDevelopmentPath: repo,
  });
  console.log(`\n[start] Wavebench in VS Code (code-server, offline), workspace ${workspace}`);
  console.log(`[start] open this URL in a browser (Ctrl-C to stop):\n\n  ${url}\n`);
  const stop = async () => {
    console.log('\n[start] stopping code-server');
    await server.stop();
    process.exit(0);
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  server.proc.on('exit', (c) => process.exit(c ?? 1));
}
