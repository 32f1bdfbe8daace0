import * as tf from '@tensorflow/tfjs';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** The TF.js backend in use, and why if it is not WASM. */
export interface BackendInfo {
  backend: string;
  simd: boolean;
  warning?: string;
}

let ready: Promise<BackendInfo> | undefined;

/** Where the tfjs-backend-wasm .wasm files are: dist/ next to the bundle, or node_modules from sources. */
function wasmDir(): string {
  if (typeof __dirname === 'string' && existsSync(join(__dirname, 'tfjs-backend-wasm-simd.wasm')))
    return __dirname;
  // From sources (tests, tsx): the package's own dist folder. Computed so the bundler leaves it alone.
  const pkg = '@tensorflow/tfjs-backend-wasm';
  return dirname(require.resolve(`${pkg}/dist/tfjs-backend-wasm-simd.wasm`));
}

/**
 * Starts TF.js on its WASM backend (single-threaded SIMD: the pool gives parallelism), once per
 * thread. Falls back to the pure-JS CPU backend with a warning if WASM cannot start.
 */
export function initTfBackend(): Promise<BackendInfo> {
  if (!ready) {
    ready = (async () => {
      // Node's wasm backend would pick the threaded build, which needs browser workers: one thread each.
      tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
      let warning: string | undefined;
      try {
        setWasmPaths(wasmDir() + '/');
        if (!(await tf.setBackend('wasm'))) throw new Error('the wasm backend did not initialise');
      } catch (e) {
        warning = `TensorFlow.js WASM backend unavailable (${(e as Error).message}); using the slower CPU backend`;
        await tf.setBackend('cpu');
      }
      await tf.ready();
      const backend = tf.getBackend();
      return { backend, simd: backend === 'wasm' && tf.env().getBool('WASM_HAS_SIMD_SUPPORT'), warning };
    })();
  }
  return ready;
}
