// A pool worker for tests: no model; answers each classify or index task with one row per file and
// appends the files it was given (index tasks' as `index:FILE`) to $WB_TASK_LOG, so a test counts
// what really reached a worker and in which order. A file named `crash*` exits the thread instead;
// $WB_START_LOG gets a line per worker started.
import { appendFileSync } from 'node:fs';
import { parentPort } from 'node:worker_threads';
import type { FromWorker, ToWorker } from '../../../../src/engine/messages';

const send = (m: FromWorker) => parentPort?.postMessage(m);
const log = (files: string[]) => {
  if (process.env.WB_TASK_LOG) appendFileSync(process.env.WB_TASK_LOG, files.join('\n') + '\n');
};
if (process.env.WB_START_LOG) appendFileSync(process.env.WB_START_LOG, 'start\n');
parentPort?.on('message', (m: ToWorker) => {
  if (m.type !== 'task') return;
  const files = (m.input as { files?: string[] }).files ?? [];
  if (files.some((f) => f.startsWith('crash'))) process.exit(71);
  if (m.kind === 'model') {
    const output = {
      name: 'count',
      labels: ['a'],
      hash: 'h',
      format: 'test',
      backend: 'none',
      featureEngine: 'js',
    };
    send({ type: 'done', taskId: m.taskId, output });
  } else if (m.kind === 'classify') {
    log(files);
    const output = files.map((path) => ({ path, probabilities: [1], top: [{ label: 'a', probability: 1 }] }));
    send({ type: 'done', taskId: m.taskId, output });
  } else if (m.kind === 'index') {
    log(files.map((f) => `index:${f}`));
    send({
      type: 'done',
      taskId: m.taskId,
      output: files.map((path) => ({ path, size: 1, mtimeMs: 1, hash: 'x' })),
    });
  } else send({ type: 'taskError', taskId: m.taskId, message: `no ${m.kind} here` });
});
send({ type: 'ready' });
