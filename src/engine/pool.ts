import { availableParallelism } from 'node:os';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { FileClassification } from '../model/classifier';
import type { FromWorker, ToWorker } from './messages';

/** The model as the workers loaded it. */
export interface PoolModelInfo {
  name: string;
  labels: string[];
  hash: string;
  format: string;
  backend: string;
  warning?: string;
}

/** How to start a worker: the bundle next to this file, or the TypeScript source through tsx. */
function workerEntry(): { code: string; eval: boolean } {
  const bundled = join(__dirname, 'worker.js');
  if (existsSync(bundled)) return { code: bundled, eval: false };
  // From sources (tests): Worker refuses a .ts path, so a one-line bootstrap registers tsx first.
  const source = join(__dirname, 'worker.ts');
  return { code: `require('tsx/cjs/api').register(); require(${JSON.stringify(source)});`, eval: true };
}

interface Slot {
  worker: Worker;
  ready: Promise<PoolModelInfo>;
  busy?: { taskId: number; files: string[]; resolve: (rows: FileClassification[]) => void };
}

/**
 * A pool of worker_threads, each with its own TF.js WASM backend and loaded model. Tasks are batches
 * of files; a worker that dies mid-task is replaced and its files come back as error rows.
 */
export class WorkerPool {
  private readonly slots: Slot[] = [];
  private readonly queue: {
    taskId: number;
    files: string[];
    resolve: (rows: FileClassification[]) => void;
  }[] = [];
  private nextTask = 1;
  private disposed = false;
  readonly size: number;

  constructor(
    private readonly modelDir: string,
    size = Math.max(1, availableParallelism() - 1),
    private readonly options: { topK?: number; windowStrideMs?: number; env?: NodeJS.ProcessEnv } = {},
  ) {
    this.size = Math.max(1, size);
    for (let i = 0; i < this.size; i++) this.slots.push(this.spawn());
  }

  private spawn(): Slot {
    const entry = workerEntry();
    const worker = new Worker(entry.code, { eval: entry.eval, env: this.options.env ?? process.env });
    const slot: Slot = { worker, ready: undefined as unknown as Promise<PoolModelInfo> };
    slot.ready = new Promise<PoolModelInfo>((resolve, reject) => {
      const onMessage = (m: FromWorker) => {
        if (m.type === 'ready') resolve({ ...m.model, backend: m.backend, warning: m.warning });
        else if (m.type === 'initError') reject(new Error(m.message));
        else this.onResult(slot, m);
      };
      worker.on('message', onMessage);
      worker.on('error', (e) => {
        reject(e);
        this.onDeath(slot, `worker crashed (${e.message})`);
      });
      worker.on('exit', (code) => {
        reject(new Error(`worker exited with code ${code} before it was ready`));
        this.onDeath(slot, `worker exited with code ${code} while reading this file`);
      });
    });
    slot.ready.catch(() => undefined);
    worker.postMessage({ type: 'init', modelDir: this.modelDir } satisfies ToWorker);
    return slot;
  }

  /** Resolves when every worker has loaded the model (rejects with the first load error). */
  async ready(): Promise<PoolModelInfo> {
    const infos = await Promise.all(this.slots.map((s) => s.ready));
    return infos[0];
  }

  private onResult(slot: Slot, m: FromWorker): void {
    if (m.type !== 'result' && m.type !== 'taskError') return;
    const busy = slot.busy;
    if (!busy || busy.taskId !== m.taskId) return;
    slot.busy = undefined;
    busy.resolve(m.type === 'result' ? m.rows : busy.files.map((path) => ({ path, error: m.message })));
    this.pump();
  }

  private onDeath(slot: Slot, reason: string): void {
    const i = this.slots.indexOf(slot);
    if (i < 0) return;
    const busy = slot.busy;
    slot.busy = undefined;
    if (this.disposed) return;
    this.slots[i] = this.spawn();
    busy?.resolve(busy.files.map((path) => ({ path, error: reason })));
    this.pump();
  }

  private pump(): void {
    for (const slot of this.slots) {
      if (slot.busy || !this.queue.length) continue;
      const task = this.queue.shift()!;
      slot.busy = task;
      slot.ready.then(
        () =>
          slot.worker.postMessage({
            type: 'classify',
            taskId: task.taskId,
            files: task.files,
            topK: this.options.topK ?? 3,
            windowStrideMs: this.options.windowStrideMs ?? 250,
          } satisfies ToWorker),
        (e: Error) => {
          if (slot.busy === task) slot.busy = undefined;
          task.resolve(task.files.map((path) => ({ path, error: `model not loaded: ${e.message}` })));
        },
      );
    }
  }

  /** Classifies a batch of files on the next free worker. */
  classify(files: string[]): Promise<FileClassification[]> {
    if (this.disposed) return Promise.reject(new Error('pool disposed'));
    return new Promise((resolve) => {
      this.queue.push({ taskId: this.nextTask++, files, resolve });
      this.pump();
    });
  }

  /** Drops queued (not started) tasks; running ones finish. */
  clearQueue(): number {
    const n = this.queue.length;
    for (const t of this.queue.splice(0)) t.resolve([]);
    return n;
  }

  /** Stops every worker. */
  async dispose(): Promise<void> {
    this.disposed = true;
    this.clearQueue();
    await Promise.all(this.slots.map((s) => s.worker.terminate()));
  }
}
