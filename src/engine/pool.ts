import { availableParallelism } from 'node:os';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { IndexRecord } from '../dataset/indexFile';
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

/** A batch of files for one worker: classified with the model, or indexed (facts, stats, hash). */
type Task =
  | { kind: 'classify'; taskId: number; files: string[]; resolve: (rows: FileClassification[]) => void }
  | { kind: 'index'; taskId: number; files: string[]; resolve: (rows: IndexRecord[]) => void };

interface Slot {
  worker: Worker;
  ready: Promise<PoolModelInfo>;
  /** Tasks sent to this worker and not answered yet, oldest first (at most PIPELINE). */
  inflight: Task[];
}

/**
 * Tasks a worker holds at once: while it works on one, the next is already in its message queue, so
 * it never waits for the host to answer (the host shares the cores with the workers). Its effect
 * alone was within bench:classify's run-to-run noise on 2 cores; it removes an idle gap per batch.
 */
const PIPELINE = 2;

/** The result rows of a task that failed as a whole: one error per file. */
function failed(task: Task, error: string): void {
  if (task.kind === 'classify') task.resolve(task.files.map((path) => ({ path, error })));
  else task.resolve(task.files.map((path) => ({ path, size: 0, mtimeMs: 0, hash: '', error })));
}

/**
 * A pool of worker_threads, each with its own TF.js WASM backend and loaded model. Tasks are batches
 * of files; a worker that dies mid-task is replaced and its files come back as error rows.
 */
export class WorkerPool {
  private readonly slots: Slot[] = [];
  private readonly queue: Task[] = [];
  private nextTask = 1;
  private disposed = false;
  readonly size: number;

  /** `modelDir` undefined: an indexing-only pool (no model, no TF.js in the workers). */
  constructor(
    private readonly modelDir: string | undefined,
    size = Math.max(1, availableParallelism() - 1),
    private readonly options: {
      topK?: number;
      windowStrideMs?: number;
      env?: NodeJS.ProcessEnv;
      labelsFile?: string;
    } = {},
  ) {
    this.size = Math.max(1, size);
    for (let i = 0; i < this.size; i++) this.slots.push(this.spawn());
  }

  private spawn(): Slot {
    const entry = workerEntry();
    const worker = new Worker(entry.code, { eval: entry.eval, env: this.options.env ?? process.env });
    const slot: Slot = { worker, ready: undefined as unknown as Promise<PoolModelInfo>, inflight: [] };
    slot.ready = new Promise<PoolModelInfo>((resolve, reject) => {
      const onMessage = (m: FromWorker) => {
        if (m.type === 'ready') {
          resolve({
            ...(m.model ?? { name: '', labels: [], hash: '', format: '' }),
            backend: m.backend ?? 'none',
            warning: m.warning,
          });
        } else if (m.type === 'initError') reject(new Error(m.message));
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
    worker.postMessage({
      type: 'init',
      modelDir: this.modelDir,
      labelsFile: this.options.labelsFile,
    } satisfies ToWorker);
    return slot;
  }

  /** Resolves when every worker has loaded the model (rejects with the first load error). */
  async ready(): Promise<PoolModelInfo> {
    const infos = await Promise.all(this.slots.map((s) => s.ready));
    return infos[0];
  }

  private onResult(slot: Slot, m: FromWorker): void {
    if (m.type !== 'result' && m.type !== 'indexed' && m.type !== 'taskError') return;
    const at = slot.inflight.findIndex((t) => t.taskId === m.taskId);
    if (at < 0) return;
    const busy = slot.inflight.splice(at, 1)[0];
    if (m.type === 'taskError') failed(busy, m.message);
    else if (m.type === 'result' && busy.kind === 'classify') busy.resolve(m.rows);
    else if (m.type === 'indexed' && busy.kind === 'index') busy.resolve(m.records);
    this.pump();
  }

  private onDeath(slot: Slot, reason: string): void {
    const i = this.slots.indexOf(slot);
    if (i < 0) return;
    const lost = slot.inflight.splice(0);
    if (this.disposed) return;
    this.slots[i] = this.spawn();
    // The task it was working on gets the reason; any task queued behind it is retried elsewhere.
    if (lost.length) failed(lost[0], reason);
    this.queue.unshift(...lost.slice(1));
    this.pump();
  }

  private pump(): void {
    // Fill every worker to one task first, then to PIPELINE, so a short job still spreads out.
    for (let depth = 1; depth <= PIPELINE; depth++) {
      for (const slot of this.slots) {
        if (slot.inflight.length >= depth || !this.queue.length) continue;
        this.send(slot, this.queue.shift()!);
      }
    }
  }

  private send(slot: Slot, task: Task): void {
    slot.inflight.push(task);
    slot.ready.then(
      () =>
        slot.worker.postMessage(
          (task.kind === 'classify'
            ? {
                type: 'classify',
                taskId: task.taskId,
                files: task.files,
                topK: this.options.topK ?? 3,
                windowStrideMs: this.options.windowStrideMs ?? 250,
              }
            : { type: 'index', taskId: task.taskId, files: task.files }) satisfies ToWorker,
        ),
      (e: Error) => {
        // A worker that died was already handled by onDeath (its tasks failed or queued again).
        const at = slot.inflight.indexOf(task);
        if (at < 0) return;
        slot.inflight.splice(at, 1);
        failed(task, `model not loaded: ${e.message}`);
      },
    );
  }

  /** Classifies a batch of files on the next free worker. */
  classify(files: string[]): Promise<FileClassification[]> {
    if (this.disposed) return Promise.reject(new Error('pool disposed'));
    return new Promise((resolve) => {
      this.queue.push({ kind: 'classify', taskId: this.nextTask++, files, resolve });
      this.pump();
    });
  }

  /** Indexes a batch of files (header, levels, content hash) on the next free worker. */
  index(files: string[]): Promise<IndexRecord[]> {
    if (this.disposed) return Promise.reject(new Error('pool disposed'));
    return new Promise((resolve) => {
      this.queue.push({ kind: 'index', taskId: this.nextTask++, files, resolve });
      this.pump();
    });
  }

  /** Drops queued (not started) tasks; running ones finish. */
  clearQueue(): number {
    const n = this.queue.length;
    for (const t of this.queue.splice(0)) t.resolve([] as never[]);
    return n;
  }

  /** Stops every worker. */
  async dispose(): Promise<void> {
    this.disposed = true;
    this.clearQueue();
    await Promise.all(this.slots.map((s) => s.worker.terminate()));
  }
}
