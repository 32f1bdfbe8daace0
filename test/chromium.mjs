// The Chromium the browser tests drive (playwright-core brings no browser): $WAVEBENCH_CHROMIUM, else
// the first of chromium, chromium-browser, google-chrome, google-chrome-stable found on the PATH.
import { accessSync, constants, statSync } from 'node:fs';
import { delimiter, join } from 'node:path';

const NAMES = ['chromium', 'chromium-browser', 'google-chrome', 'google-chrome-stable'];

/** An executable file named `name` on the PATH, or undefined. */
export function onPath(name) {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    if (!dir) continue;
    const p = join(dir, name);
    try {
      if (!statSync(p).isFile()) continue;
      accessSync(p, constants.X_OK);
      return p;
    } catch {
      // not here
    }
  }
  return undefined;
}

/** The browser's path, or undefined when there is none. */
export function chromiumOrUndefined() {
  const env = process.env.WAVEBENCH_CHROMIUM;
  if (env) return env;
  for (const n of NAMES) {
    const p = onPath(n);
    if (p) return p;
  }
  return undefined;
}

/** The browser's path; throws one clear line when there is none. */
export function findChromium() {
  const p = chromiumOrUndefined();
  if (!p) {
    throw new Error(
      `Chromium not found (looked for ${NAMES.join(', ')} on the PATH, and $WAVEBENCH_CHROMIUM): ` +
        'apt-get install chromium, or set WAVEBENCH_CHROMIUM=/path/to/chrome',
    );
  }
  return p;
}
