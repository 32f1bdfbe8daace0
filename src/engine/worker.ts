/**
 * A pool worker: runs tasks of the job table (jobs.ts) one at a time. A task that needs a model
 * names it; the worker loads it on first use and keeps it until a task names another (one model
 * at a time: a model change in the editor swaps it, an index task never loads one).
 */
import { parentPort } from 'node:worker_threads';
import { Classifier } from '../model/classifier';
import { backendChoice } from '../model/graph/native';
import { initTfBackend, type BackendInfo } from '../model/tfBackend';
import { JOBS, type JobContext } from './jobs';
import { modelKey, type FromWorker, type ModelSpec, type ToWorker } from './messages';
import { NativeClient } from './nativeClient';
import { quietStderr } from './quietStderr';

// Before any WASM library starts: their stderr lines must not surround the CLI's one-line errors.
quietStderr();

const port = parentPort;
const send = (m: FromWorker) => port?.postMessage(m);
/** ONNX models' link to the pool's onnxruntime process. */
const native = port && new NativeClient(port);
let loaded: { key: string; classifier: Promise<Classifier>; dir: string } | undefined;
let backend: Promise<BackendInfo> | undefined;

/** The classifier of `spec`, loaded once (a failed load is tried again by the next task). */
async function classifierFor(spec: ModelSpec): Promise<Classifier> {
  const key = modelKey(spec);
  if (loaded?.key !== key) {
    const old = loaded;
    loaded = undefined;
    if (old)
      void old.classifier.then(
        (c) => c.dispose(),
        () => undefined,
      );
    backend ??= initTfBackend();
    await backend;
    const classifier = Classifier.create(spec.dir, {
      labelsFile: spec.labelsFile,
      onnxRunner: native ?? undefined,
      backend: backendChoice() ?? spec.prefer,
    });
    loaded = { key, classifier, dir: spec.dir };
    classifier.catch(() => {
      if (loaded?.key === key) loaded = undefined;
    });
  }
  return loaded.classifier;
}

async function handle(m: ToWorker): Promise<void> {
  if (m.type !== 'task') return;
  try {
    const job = JOBS[m.kind];
    const ctx: JobContext = {};
    if (job.model) {
      if (!m.model) throw new Error(`a ${m.kind} task needs a model`);
      ctx.classifier = await classifierFor(m.model);
      ctx.modelDir = m.model.dir;
      ctx.backend = await backend;
    }
    const output = await (job.run as (i: unknown, c: JobContext) => Promise<unknown>)(m.input, ctx);
    send({ type: 'done', taskId: m.taskId, output });
  } catch (e) {
    send({ type: 'taskError', taskId: m.taskId, message: (e as Error).message });
  }
}

// The pool may send the next task before this one is answered: handle messages one at a time, in order.
let chain: Promise<void> = Promise.resolve();
port?.on('message', (m: ToWorker) => {
  if (native?.answer(m)) return;
  chain = chain.then(() => handle(m));
});
send({ type: 'ready' });
