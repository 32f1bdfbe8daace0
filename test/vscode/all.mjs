// npm run test:vscode: the integration suite in a real VS Code, then the runner's self-test (a broken
// activation must fail), then the packed VSIX check. Exits non-zero if any of the three fails.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { repo } from './codeServer.mjs';
import { checkBrokenActivation } from './brokenActivation.mjs';
import { checkVsix } from './vsix.mjs';

const steps = [];
async function step(name, fn) {
  const t0 = Date.now();
  let ok = false;
  try {
    ok = await fn();
  } catch (e) {
    console.log(`[test:vscode] ${name} threw: ${e?.stack ?? e}`);
  }
  steps.push({ name, ok, s: (Date.now() - t0) / 1000 });
}

await step('integration suite', () => {
  const r = spawnSync(process.execPath, [join(repo, 'test', 'runVsCode.mjs')], {
    cwd: repo,
    stdio: 'inherit',
  });
  return r.status === 0;
});
await step('broken activation fails the suite', checkBrokenActivation);
await step('packed VSIX installs and activates', checkVsix);

console.log('\n[test:vscode] summary');
for (const s of steps) console.log(`  ${s.ok ? 'ok  ' : 'FAIL'} ${s.name} (${s.s.toFixed(1)}s)`);
const failed = steps.filter((s) => !s.ok).length;
console.log(`${steps.length - failed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
