import { existsSync } from 'node:fs';
import { join } from 'node:path';

/**
 * How to start a pool worker: `script` if given (tests supply their own), else the bundle next to
 * this file (dist/worker.js beside dist/extension.js or dist/cli.js), else the TypeScript source
 * through tsx (tests and benches run from sources).
 */
export function workerEntry(script?: string): { code: string; eval: boolean } {
  const bundled = join(__dirname, 'worker.js');
  const path = script ?? (existsSync(bundled) ? bundled : join(__dirname, 'worker.ts'));
  if (!path.endsWith('.ts')) return { code: path, eval: false };
  // From sources: Worker refuses a .ts path, so a one-line bootstrap registers tsx first.
  return { code: `require('tsx/cjs/api').register(); require(${JSON.stringify(path)});`, eval: true };
}
