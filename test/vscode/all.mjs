// npm run test:vscode: the integration suite in a real VS Code, then the runner's self-test (a broken
// activation must fail), then the packed VSIX check. Exits non-zero if any of the three fails or is skipped.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { repo } from './codeServer.mjs';
import { checkBrokenActivation } from './brokenActivation.mjs';
import { checkVsix } from './vsix.mjs';

const steps = [];
/** Runs one step: fn resolves to true (passed), false (failed) or 'skipped' (did not run: not a pass). */
async function step(name, fn) {
  const t0 = Date.now();
  let status = 'FAIL';
  try {
    const r = await fn();
    status = r === 'skipped' ? 'SKIP' : r === true ? 'ok  ' : 'FAIL';
  } catch (e) {
    console.log(`[test:vscode] ${name} threw: ${e?.stack ?? e}`);
  }
  steps.push({ name, status, s: (Date.now() - t0) / 1000 });
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
for (const s of steps) console.log(`  ${s.status} ${s.name} (${s.s.toFixed(1)}s)`);
const count = (st) => steps.filter((s) => s.status === st).length;
const failed = count('FAIL');
const skipped = count('SKIP');
console.log(
  `${count('ok  ')} passed, ${failed} failed, ${skipped} skipped` +
    (skipped ? ' (a skipped check is not a pass: the suite exits 1)' : ''),
);
process.exit(failed || skipped ? 1 : 0);
