/** A pool worker: loads the model once, then classifies batches of files sent by the host. */
import { parentPort } from 'node:worker_threads';
import { indexFiles } from '../dataset/indexFile';
import { Classifier } from '../model/classifier';
import { describeModel } from '../model/describe';
import { initTfBackend } from '../model/tfBackend';
import type { FromWorker, ToWorker } from './messages';
import { quietStderr } from './quietStderr';

// Before any WASM library starts: their stderr lines must not surround the CLI's one-line errors.
quietStderr();

let classifier: Classifier | undefined;
const port = parentPort;
const send = (m: FromWorker) => port?.postMessage(m);

// The pool may send the next task before this one is answered: handle messages one at a time, in order.
let chain: Promise<void> = Promise.resolve();
port?.on('message', (m: ToWorker) => {
  chain = chain.then(() => handle(m));
});

async function handle(m: ToWorker): Promise<void> {
  switch (m.type) {
    case 'init':
      try {
        if (!m.modelDir) {
          // An indexing-only worker: no model, no TF.js.
          send({ type: 'ready' });
          break;
        }
        const info = await initTfBackend();
        classifier = await Classifier.create(m.modelDir, { labelsFile: m.labelsFile });
        const md = classifier.model.metadata;
        send({
          type: 'ready',
          model: {
            name: md.name,
            labels: md.labels,
            hash: classifier.model.hash,
            format: classifier.model.format,
          },
          backend: info.backend,
          featureEngine: classifier.featureEngine,
          description: describeModel(m.modelDir, classifier.model),
          warning: info.warning,
        });
      } catch (e) {
        send({ type: 'initError', message: (e as Error).message });
      }
      break;
    case 'index':
      try {
        send({ type: 'indexed', taskId: m.taskId, records: await indexFiles(m.files) });
      } catch (e) {
        send({ type: 'taskError', taskId: m.taskId, message: (e as Error).message });
      }
      break;
    case 'classify': {
      try {
        if (!classifier) throw new Error('worker not initialised');
        // Files over 32 MB are streamed by window groups inside classifyFiles; the rest are read whole.
        const rows = await classifier.classifyFiles(m.files, {
          topK: m.topK,
          windowStrideMs: m.windowStrideMs,
        });
        send({ type: 'result', taskId: m.taskId, rows });
      } catch (e) {
        send({ type: 'taskError', taskId: m.taskId, message: (e as Error).message });
      }
      break;
    }
  }
}
