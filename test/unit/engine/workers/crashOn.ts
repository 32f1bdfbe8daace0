// A pool worker for tests: the engine's own worker, except that a classify task naming a file that
// contains $WB_CRASH_ON exits the thread (as a model crashing the WASM runtime would).
import { parentPort } from 'node:worker_threads';
import type { ToWorker } from '../../../../src/engine/messages';
// The real worker queues each message on a promise chain, so this synchronous listener acts first.
import '../../../../src/engine/worker';

const crashOn = process.env.WB_CRASH_ON;
parentPort?.on('message', (m: ToWorker) => {
  const files = m.type === 'task' && m.kind === 'classify' ? (m.input as { files: string[] }).files : [];
  if (crashOn && files.some((f) => f.includes(crashOn))) process.exit(70);
});
