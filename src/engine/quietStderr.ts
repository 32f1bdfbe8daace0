// The fs module object itself (what the libraries' `require('fs')` returns), not an import's copy:
// the bundler's ES-module interop would give a namespace copy whose writeSync nobody else calls.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const fs = require('node:fs') as typeof import('node:fs');

/**
 * Keeps WebAssembly libraries' own stderr lines out of the user's terminal, in a pool worker.
 *
 * TF.js's WASM backend (XNNPACK status lines, emscripten's "Aborted()") prints through
 * `console.warn` (bound when the module starts) or `fs.writeSync(2, ...)` straight to the process's
 * stderr, from whichever thread runs it, so a bad model printed library lines around the one
 * `wavebench: PATH: REASON` line. A worker reports only through its messages (nothing of Wavebench's
 * own prints from a worker): a failure still arrives as the exception the library throws after
 * printing. Call before any WASM module starts. WAVEBENCH_DEBUG=1 keeps the lines, for debugging.
 */
export function quietStderr(): void {
  const original = fs.writeSync;
  const debug = process.env.WAVEBENCH_DEBUG === '1';
  if (debug) return;
  console.warn = console.error = console.log = console.info = console.debug = () => undefined;
  (fs as { writeSync: typeof fs.writeSync }).writeSync = ((fd: number, data: unknown, ...rest: unknown[]) => {
    if (fd !== 2) return (original as (...a: unknown[]) => number)(fd, data, ...rest);
    return typeof data === 'string' ? Buffer.byteLength(data) : ((data as ArrayBufferView).byteLength ?? 0);
  }) as typeof fs.writeSync;
}
