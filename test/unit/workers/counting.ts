// A pool worker for tests: no model; answers each classify task with one row per file and appends
// the files it was given to $WB_TASK_LOG, so a test counts what really reached a worker. A file
// named `crash*` exits the thread instead; $WB_START_LOG gets a line per worker started.
import { appendFileSync } from 'node:fs';
import { parentPort } from 'node:worker_threads';
import type { FromWorker, ToWorker } from '../../../src/engine/messages';

const send = (m: FromWorker) => parentPort?.postMessage(m);
if (process.env.WB_START_LOG) appendFileSync(process.env.WB_START_LOG, 'start\n');
parentPort?.on('message', (m: ToWorker) => {
  if (m.type === 'init')
    send({ type: 'ready', model: { name: 'count', labels: ['a'], hash: 'h', format: 'test' } });
  else if (m.type === 'classify') {
    if (m.files.some((f) => f.startsWith('crash'))) process.exit(71);
    if (process.env.WB_TASK_LOG) appendFileSync(process.env.WB_TASK_LOG, m.files.join('\n') + '\n');
    send({
      type: 'result',
      taskId: m.taskId,
      rows: m.files.map((path) => ({ path, probabilities: [1], top: [{ label: 'a', probability: 1 }] })),
    });
  }
});
