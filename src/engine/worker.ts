/** A pool worker: loads the model once, then classifies batches of files sent by the host. */
import { parentPort } from 'node:worker_threads';
import { indexFiles } from '../dataset/indexFile';
import { statSync } from 'node:fs';
import { Classifier, type FileClassification } from '../model/classifier';
import { classifyLongFile, STREAM_CLASSIFY_BYTES } from '../model/streamClassify';
import { initTfBackend } from '../model/tfBackend';
import type { FromWorker, ToWorker } from './messages';

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
        classifier = await Classifier.create(m.modelDir);
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
        const o = { topK: m.topK, windowStrideMs: m.windowStrideMs };
        // Large files stream through bounded blocks; the rest are read whole and batched together.
        const large = new Set(m.files.filter((f) => sizeOf(f) > STREAM_CLASSIFY_BYTES));
        const small = await classifier.classifyFiles(
          m.files.filter((f) => !large.has(f)),
          o,
        );
        const rows: FileClassification[] = [];
        for (const f of m.files)
          rows.push(large.has(f) ? await classifyLongFile(classifier, f, o) : small.shift()!);
        send({ type: 'result', taskId: m.taskId, rows });
      } catch (e) {
        send({ type: 'taskError', taskId: m.taskId, message: (e as Error).message });
      }
      break;
    }
  }
}

/** A file's size, 0 when it cannot be read (classifyFiles then reports why). */
function sizeOf(path: string): number {
  try {
    return statSync(path).size;
  } catch {
    return 0;
  }
}
