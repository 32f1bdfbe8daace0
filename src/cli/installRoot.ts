import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';

/**
 * The install root: the folder holding package.json and models/. The CLI runs from the bundle
 * (dist/cli.js) or from sources (src/cli/...), so it is found by walking up from this file.
 */
export function installRoot(): string {
  let dir = __dirname;
  while (!existsSync(join(dir, 'package.json'))) {
    const up = dirname(dir);
    if (up === dir) return join(__dirname, '..');
    dir = up;
  }
  return dir;
}
