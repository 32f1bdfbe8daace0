import type { ModelDescription } from '../model/describe';
import { availableParallelism } from 'node:os';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { IndexRecord } from '../dataset/indexFile';
import type { FileClassification } from '../model/classifier';
import type { ScoreSegment, SegmentScores } from '../model/streaming/scoreSegment';
import { DEFAULT_TOP_K, DEFAULT_WINDOW_STRIDE_MS } from '../model/defaults';
import type { FromWorker, ToWorker } from './messages';

/** The model as the workers loaded it. */
export interface PoolModelInfo {
  name: string;
  labels: string[];
  hash: string;
  format: string;
  backend: string;
  /** The feature engine: 'wasm' (the WebAssembly MFCC kernel) or 'js'; 'none' without a model. */
  featureEngine: string;
  warning?: string;
  /** What the worker read from the model (format, front end, input shape, labels, ops). */
  description?: ModelDescription;
}

/**
 * How to start a worker: `script` if given (tests supply their own), else the bundle next to this
 * file, else the TypeScript source through tsx.
 */
function workerEntry(script?: string): { code: string; eval: boolean } {
  const bundled = join(__dirname, 'worker.js');
  const path = script ?? (existsSync(bundled) ? bundled : join(__dirname, 'worker.ts'));
  if (!path.endsWith('.ts')) return { code: path, eval: false };
  // From sources (tests): Worker refuses a .ts path, so a one-line bootstrap registers tsx first.
  return { code: `require('tsx/cjs/api').register(); require(${JSON.stringify(path)});`, eval: true };
}

/**
 * Who waits for a task: `interactive` (the editor's one file, someone is looking at it) goes ahead of
 * every queued `batch` task (a folder run); within a priority, first come first served.
 */
export type TaskPriority = 'interactive' | 'batch';

/** Options of one pool task. */
export interface TaskOptions {
  /** Aborting drops this caller's queued tasks and rejects its pending ones; no other task is touched. */
  signal?: AbortSignal;
  priority?: TaskPriority;
}

/** The rejection of a task whose signal was aborted. */
export class TaskCancelledError extends Error {
  constructor() {
    super('cancelled');
    this.name = 'AbortError';
  }
}

interface TaskBase {
  taskId: number;
  files: string[];
  priority: TaskPriority;
  signal?: AbortSignal;
  reject: (e: Error) => void;
  /** Set once the caller has its answer (result, error rows or cancellation): later answers are dropped. */
  settled: boolean;
  /** Detaches the abort listener once settled. */
  detach?: () => void;
}

/**
 * A batch of files for one worker: classified with the model, indexed (facts, stats, hash), or
 * segments of long recordings scored for evaluation (`files`: each segment's recording).
 */
type Task =
  | (TaskBase & { kind: 'classify'; resolve: (rows: FileClassification[]) => void })
  | (TaskBase & { kind: 'index'; resolve: (rows: IndexRecord[]) => void })
  | (TaskBase & { kind: 'score'; segments: ScoreSegment[]; resolve: (rows: SegmentScores[]) => void });

type Rows = FileClassification[] | IndexRecord[] | SegmentScores[];

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

/**
 * Workers that may die in a row (no task answered in between) before the pool stops replacing them:
 * a model that crashes every worker it is loaded into would otherwise respawn forever.
 */
export const MAX_CONSECUTIVE_CRASHES = 3;

/** Hands a task its rows once. */
function settle(task: Task, rows: Rows): void {
  if (task.settled) return;
  task.settled = true;
  task.detach?.();
  if (task.kind === 'classify') task.resolve(rows as FileClassification[]);
  else if (task.kind === 'score') task.resolve(rows as SegmentScores[]);
  else task.resolve(rows as IndexRecord[]);
}

/** The result rows of a task that failed as a whole: one error per file. */
function failed(task: Task, error: string): void {
  if (task.kind === 'classify')
    settle(
      task,
      task.files.map((path) => ({ path, error })),
    );
  else if (task.kind === 'score')
    settle(
      task,
      task.segments.map((s) => ({ path: s.path, first: s.first, error })),
    );
  else
    settle(
      task,
      task.files.map((path) => ({ path, size: 0, mtimeMs: 0, hash: '', error })),
    );
}

/** Options of a pool. */
export interface PoolOptions {
  topK?: number;
  windowStrideMs?: number;
  env?: NodeJS.ProcessEnv;
  /** The worker's script (tests supply their own); default: the engine's worker. */
  workerScript?: string;
  /** A labels file replacing the model's own (classify --labels). */
  labelsFile?: string;
}

/**
 * A pool of worker_threads, each with its own TF.js WASM backend and loaded model. Tasks are batches
 * of files; a worker that dies mid-task is replaced and its files come back as error rows, up to
 * MAX_CONSECUTIVE_CRASHES deaths in a row, after which every task fails with one clear error.
 */
export class WorkerPool {
  private readonly slots: Slot[] = [];
  private readonly queue: Task[] = [];
  private nextTask = 1;
  private disposed = false;
  private crashesInARow = 0;
  /** Set when workers kept crashing: the reason every task now fails with. */
  private broken: string | undefined;
  /** The abort listener of each job signal with tasks still waiting for an answer (see watch). */
  private readonly watched = new Map<AbortSignal, { tasks: Set<Task>; onAbort: () => void }>();
  readonly size: number;

  /** `modelDir` undefined: an indexing-only pool (no model, no TF.js in the workers). */
  constructor(
    private readonly modelDir: string | undefined,
    size = Math.max(1, availableParallelism() - 1),
    private readonly options: PoolOptions = {},
  ) {
    this.size = Math.max(1, size);
    for (let i = 0; i < this.size; i++) this.slots.push(this.spawn());
  }

  private spawn(): Slot {
    const entry = workerEntry(this.options.workerScript);
    const worker = new Worker(entry.code, { eval: entry.eval, env: this.options.env ?? process.env });
    const slot: Slot = { worker, ready: undefined as unknown as Promise<PoolModelInfo>, inflight: [] };
    slot.ready = new Promise<PoolModelInfo>((resolve, reject) => {
      const onMessage = (m: FromWorker) => {
        if (m.type === 'ready') {
          resolve({
            ...(m.model ?? { name: '', labels: [], hash: '', format: '' }),
            backend: m.backend ?? 'none',
            featureEngine: m.featureEngine ?? 'none',
            warning: m.warning,
            description: m.description,
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
    if (this.broken) throw new Error(this.broken);
    const infos = await Promise.all(this.slots.map((s) => s.ready));
    return infos[0];
  }

  private onResult(slot: Slot, m: FromWorker): void {
    if (m.type !== 'result' && m.type !== 'indexed' && m.type !== 'scored' && m.type !== 'taskError') return;
    const at = slot.inflight.findIndex((t) => t.taskId === m.taskId);
    if (at < 0) return;
    const busy = slot.inflight.splice(at, 1)[0];
    this.crashesInARow = 0;
    if (m.type === 'taskError') failed(busy, m.message);
    else if (m.type === 'result' && busy.kind === 'classify') settle(busy, m.rows);
    else if (m.type === 'indexed' && busy.kind === 'index') settle(busy, m.records);
    else if (m.type === 'scored' && busy.kind === 'score') settle(busy, m.segments);
    this.pump();
  }

  private onDeath(slot: Slot, reason: string): void {
    const i = this.slots.indexOf(slot);
    if (i < 0) return;
    const lost = slot.inflight.splice(0);
    if (this.disposed) return;
    // The task it was working on gets the reason; any task queued behind it is retried elsewhere.
    if (lost.length) failed(lost[0], reason);
    this.queue.unshift(...lost.slice(1).filter((t) => !t.settled));
    if (++this.crashesInARow >= MAX_CONSECUTIVE_CRASHES) {
      this.slots.splice(i, 1);
      void slot.worker.terminate();
      if (!this.broken) {
        const what = this.modelDir ? `model ${this.modelDir}` : 'indexing';
        this.broken = `${what}: workers crashed ${this.crashesInARow} times in a row (last: ${reason}); not restarted`;
      }
      for (const t of this.queue.splice(0)) failed(t, this.broken);
      for (const s of this.slots) for (const t of s.inflight.splice(0)) failed(t, this.broken);
      for (const s of this.slots.splice(0)) void s.worker.terminate();
      return;
    }
    this.slots[i] = this.spawn();
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

  /** Queues a task: after every queued task of its priority or higher, then starts what can start. */
  private enqueue(task: Task): void {
    if (this.broken) return failed(task, this.broken);
    const { signal } = task;
    if (signal?.aborted) return this.cancel(task);
    if (signal) this.watch(signal, task);
    let at = this.queue.length;
    if (task.priority === 'interactive') {
      at = this.queue.findIndex((t) => t.priority !== 'interactive');
      if (at < 0) at = this.queue.length;
    }
    this.queue.splice(at, 0, task);
    this.pump();
  }

  /**
   * One abort listener per signal, however many of its job's tasks are waiting (a folder of 20,000
   * clips is hundreds of tasks on one signal: a listener each made Node warn of a leak), removed
   * with the signal's last unsettled task.
   */
  private watch(signal: AbortSignal, task: Task): void {
    let w = this.watched.get(signal);
    if (!w) {
      const tasks = new Set<Task>();
      const onAbort = () => {
        this.watched.delete(signal);
        for (const t of [...tasks]) this.cancel(t);
      };
      signal.addEventListener('abort', onAbort, { once: true });
      w = { tasks, onAbort };
      this.watched.set(signal, w);
    }
    const entry = w;
    entry.tasks.add(task);
    task.detach = () => {
      entry.tasks.delete(task);
      if (entry.tasks.size || this.watched.get(signal) !== entry) return;
      signal.removeEventListener('abort', entry.onAbort);
      this.watched.delete(signal);
    };
  }

  /**
   * A task's own signal fired: dropped from the queue if not started (it never runs); if a worker
   * has it, the caller is answered now and the worker's late answer dropped.
   */
  private cancel(task: Task): void {
    const at = this.queue.indexOf(task);
    if (at >= 0) this.queue.splice(at, 1);
    task.detach?.();
    if (task.settled) return;
    task.settled = true;
    task.reject(new TaskCancelledError());
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
                topK: this.options.topK ?? DEFAULT_TOP_K,
                windowStrideMs: this.options.windowStrideMs ?? DEFAULT_WINDOW_STRIDE_MS,
              }
            : task.kind === 'score'
              ? { type: 'score', taskId: task.taskId, segments: task.segments }
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

  /**
   * Classifies a batch of files on the next free worker. Rejects with TaskCancelledError when
   * `o.signal` aborts first; a file that fails is an error row, not a rejection.
   */
  classify(files: string[], o: TaskOptions = {}): Promise<FileClassification[]> {
    if (this.disposed) return Promise.reject(new Error('pool disposed'));
    return new Promise((resolve, reject) => {
      const base = { taskId: this.nextTask++, files, priority: o.priority ?? 'batch', signal: o.signal };
      this.enqueue({ ...base, kind: 'classify', resolve, reject, settled: false });
    });
  }

  /** Indexes a batch of files (header, levels, content hash) on the next free worker; cancelled as classify. */
  index(files: string[], o: TaskOptions = {}): Promise<IndexRecord[]> {
    if (this.disposed) return Promise.reject(new Error('pool disposed'));
    return new Promise((resolve, reject) => {
      const base = { taskId: this.nextTask++, files, priority: o.priority ?? 'batch', signal: o.signal };
      this.enqueue({ ...base, kind: 'index', resolve, reject, settled: false });
    });
  }

  /** Scores segments of long recordings (evaluate) on the next free worker; cancelled as classify. */
  score(segments: ScoreSegment[], o: TaskOptions = {}): Promise<SegmentScores[]> {
    if (this.disposed) return Promise.reject(new Error('pool disposed'));
    return new Promise((resolve, reject) => {
      const files = segments.map((s) => s.path);
      const base = { taskId: this.nextTask++, files, priority: o.priority ?? 'batch', signal: o.signal };
      this.enqueue({ ...base, kind: 'score', segments, resolve, reject, settled: false });
    });
  }

  /** Stops every worker; tasks not answered yet are rejected. */
  async dispose(): Promise<void> {
    this.disposed = true;
    const pending = [...this.queue.splice(0), ...this.slots.flatMap((s) => s.inflight.splice(0))];
    for (const t of pending) {
      t.detach?.();
      if (t.settled) continue;
      t.settled = true;
      t.reject(new Error('pool disposed'));
    }
    await Promise.all(this.slots.map((s) => s.worker.terminate()));
  }
}
