import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { IndexRecord } from '../dataset/indexFile';
import type { FileClassification } from '../model/classifier';
import { DEFAULT_TOP_K, DEFAULT_WINDOW_STRIDE_MS } from '../model/defaults';
import { JOBS, type JobInput, type JobKind, type JobOutput, type PoolModelInfo } from './jobs';
import { modelKey, type FromWorker, type ModelSpec, type ToWorker } from './messages';
import { NativeHost } from './nativeHost';
import type { NativeAnswer, NativeRequest } from './nativeMessages';
import { workerEntry } from './workerEntry';

export type { PoolModelInfo } from './jobs';
export type { ModelSpec } from './messages';

/**
 * Who waits for a task: `interactive` (the editor's one file, someone is looking at it) goes ahead of
 * every queued `batch` task (a folder run, a dataset scan), whatever their kinds; within a priority,
 * first come first served.
 */
export type TaskPriority = 'interactive' | 'batch';

/** Options of one pool task. */
export interface TaskOptions {
  /** Aborting drops this caller's queued tasks and rejects its pending ones; no other task is touched. */
  signal?: AbortSignal;
  priority?: TaskPriority;
  /** The model, for the kinds that need one (classify, clip, model). */
  model?: ModelSpec;
  /** Buffers handed to the worker instead of copied (the editor's clip bytes). */
  transfer?: ArrayBuffer[];
}

/** Options of a classify task: the model, and how many labels and how far apart windows are reported. */
export interface ClassifyTaskOptions extends TaskOptions {
  model: ModelSpec;
  topK?: number;
  windowStrideMs?: number;
}

/** The rejection of a task whose signal was aborted. */
export class TaskCancelledError extends Error {
  constructor() {
    super('cancelled');
    this.name = 'AbortError';
  }
}

interface Task {
  taskId: number;
  kind: JobKind;
  input: unknown;
  model?: ModelSpec;
  transfer?: ArrayBuffer[];
  /** What a crash or a broken model is counted against: the model's key, or the kind without one. */
  key: string;
  priority: TaskPriority;
  signal?: AbortSignal;
  resolve: (output: unknown) => void;
  reject: (e: Error) => void;
  /** Set once the caller has its answer (result, error rows or cancellation): later answers are dropped. */
  settled: boolean;
  /** Detaches the abort listener once settled. */
  detach?: () => void;
}

interface Slot {
  worker: Worker;
  /** Resolves when the worker's script has loaded; rejects if it died first. */
  ready: Promise<void>;
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
 * Workers that may die in a row on the tasks of one model (or of one model-less kind), no task of
 * it answered in between, before its tasks stop being tried: a model that crashes every worker it
 * is loaded into would otherwise respawn workers forever. Other models and kinds go on.
 */
export const MAX_CONSECUTIVE_CRASHES = 3;

/** The key workers that die before they are ready are counted under: past the limit, the pool stops. */
const STARTUP = '(worker start)';

/** Hands a task its answer once. */
function settle(task: Task, output: unknown): void {
  if (task.settled) return;
  task.settled = true;
  task.detach?.();
  task.resolve(output);
}

/** A task that failed as a whole: per-file error rows if its kind has them, else a rejection. */
function failed(task: Task, reason: string): void {
  const rows = (JOBS[task.kind] as { failed?: (i: unknown, r: string) => unknown }).failed;
  if (rows) return settle(task, rows(task.input, reason));
  if (task.settled) return;
  task.settled = true;
  task.detach?.();
  task.reject(new Error(reason));
}

/** Options of a pool. */
export interface PoolOptions {
  /** Workers (default: one per core, minus one). */
  size?: number;
  env?: NodeJS.ProcessEnv;
  /** The worker's script (tests supply their own); default: the engine's worker. */
  workerScript?: string;
}

/**
 * A pool of worker_threads that runs every kind of job of the table in jobs.ts, for one or several
 * callers at once (the extension has one pool: the editor, folder runs and dataset scans share it,
 * so the editor's interactive task goes ahead of both). Workers load a model when a task needs it.
 * A worker that dies mid-task is replaced and its task fails (per-file kinds: as error rows), up to
 * MAX_CONSECUTIVE_CRASHES deaths in a row on one model or kind, after which that model's (or kind's)
 * tasks fail with one clear error.
 */
export class WorkerPool {
  private readonly slots: Slot[] = [];
  private readonly queue: Task[] = [];
  private nextTask = 1;
  private disposed = false;
  /** Deaths in a row per key, reset by the next task of that key answered. */
  private readonly crashes = new Map<string, number>();
  /** Keys whose workers kept crashing: the reason their tasks now fail with. */
  private readonly broken = new Map<string, string>();
  /** The abort listener of each job signal with tasks still waiting for an answer (see watch). */
  private readonly watched = new Map<AbortSignal, { tasks: Set<Task>; onAbort: () => void }>();
  readonly size: number;

  constructor(private readonly options: PoolOptions = {}) {
    this.size = Math.max(1, options.size ?? availableParallelism() - 1);
    for (let i = 0; i < this.size; i++) this.slots.push(this.spawn());
  }

  private spawn(): Slot {
    const entry = workerEntry(this.options.workerScript);
    const worker = new Worker(entry.code, { eval: entry.eval, env: this.options.env ?? process.env });
    const slot: Slot = { worker, ready: Promise.resolve(), inflight: [] };
    slot.ready = new Promise<void>((resolve, reject) => {
      worker.on('message', (m: FromWorker) => {
        if (m.type === 'ready') resolve();
        else if (m.type === 'native') this.onNative(worker, m);
        else this.onAnswer(slot, m);
      });
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
    return slot;
  }

  /** Resolves when every worker has started (rejects when workers keep dying at start). */
  async ready(): Promise<void> {
    const why = this.broken.get(STARTUP);
    if (why) throw new Error(why);
    await Promise.all(this.slots.map((s) => s.ready));
  }

  /**
   * The pool's onnxruntime process (ONNX models), started on a worker's first call: one process for
   * the pool, its intra-op threads the cores the workers leave (at least one).
   */
  get native(): NativeHost {
    return (this._native ??= new NativeHost({
      // WAVEBENCH_ORT_THREADS overrides (bench/: the split between workers and onnxruntime's threads).
      threads:
        Number((this.options.env ?? process.env).WAVEBENCH_ORT_THREADS) ||
        Math.max(1, availableParallelism() - this.size),
      env: this.options.env,
    }));
  }
  private _native?: NativeHost;

  /** A worker's call for the onnxruntime process: answered to that worker, errors as one line. */
  private onNative(worker: Worker, m: NativeRequest): void {
    const reply = (a: Omit<NativeAnswer, 'type' | 'reqId'>) =>
      worker.postMessage({ type: 'native', reqId: m.reqId, ...a } satisfies NativeAnswer);
    const h = this.native;
    const done =
      m.op === 'load'
        ? h.load(m.key, m.bytes).then((backend) => ({ backend }))
        : m.op === 'run'
          ? h.run(m.key, m.input, m.dims)
          : Promise.resolve(h.release(m.key)).then(() => ({}));
    done.then(reply, (e: Error) => reply({ error: e.message }));
  }

  private onAnswer(slot: Slot, m: FromWorker): void {
    if (m.type === 'ready' || m.type === 'native') return;
    const at = slot.inflight.findIndex((t) => t.taskId === m.taskId);
    if (at < 0) return;
    const task = slot.inflight.splice(at, 1)[0];
    this.crashes.delete(task.key);
    this.crashes.delete(STARTUP);
    if (m.type === 'taskError') failed(task, m.message);
    else settle(task, m.output);
    this.pump();
  }

  private onDeath(slot: Slot, reason: string): void {
    const i = this.slots.indexOf(slot);
    if (i < 0) return;
    const lost = slot.inflight.splice(0);
    if (this.disposed) return;
    // The task it was working on gets the reason; any task queued behind it is retried elsewhere.
    const key = lost[0]?.key ?? STARTUP;
    if (lost.length) failed(lost[0], reason);
    this.queue.unshift(...lost.slice(1).filter((t) => !t.settled));
    const n = (this.crashes.get(key) ?? 0) + 1;
    this.crashes.set(key, n);
    if (n >= MAX_CONSECUTIVE_CRASHES)
      this.breakKey(key, `workers crashed ${n} times in a row (last: ${reason}); not restarted`);
    if (key === STARTUP && n >= MAX_CONSECUTIVE_CRASHES) {
      for (const s of this.slots.splice(0)) void s.worker.terminate();
      return;
    }
    this.slots[i] = this.spawn();
    this.pump();
  }

  /** Fails every task of `key`, queued or running, and any later one, with `why`. */
  private breakKey(key: string, why: string): void {
    const what = key === STARTUP ? 'pool' : key.startsWith('[') ? `model ${JSON.parse(key)[0]}` : key;
    const reason = `${what}: ${why}`;
    this.broken.set(key, reason);
    const hit = (t: Task) => key === STARTUP || t.key === key;
    for (const t of this.queue.filter(hit)) failed(t, reason);
    this.queue.splice(0, this.queue.length, ...this.queue.filter((t) => !hit(t)));
    for (const s of this.slots) {
      for (const t of s.inflight.filter(hit)) failed(t, reason);
    }
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
    const why = this.broken.get(task.key) ?? this.broken.get(STARTUP);
    if (why) return failed(task, why);
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
      () => {
        if (task.settled) {
          // Cancelled or failed while waiting for the worker to start: it never runs.
          const at = slot.inflight.indexOf(task);
          if (at >= 0) slot.inflight.splice(at, 1);
          return this.pump();
        }
        const m: ToWorker = {
          type: 'task',
          taskId: task.taskId,
          kind: task.kind,
          model: task.model,
          input: task.input,
        };
        slot.worker.postMessage(m, task.transfer);
      },
      () => undefined, // a worker that died before it was ready: onDeath failed or re-queued its tasks
    );
  }

  /**
   * Runs one task of `kind` on the next free worker. Rejects with TaskCancelledError when `o.signal`
   * aborts first; a per-file kind answers a failed task with error rows, not a rejection.
   */
  run<K extends JobKind>(kind: K, input: JobInput<K>, o: TaskOptions = {}): Promise<JobOutput<K>> {
    if (this.disposed) return Promise.reject(new Error('pool disposed'));
    if (JOBS[kind].model && !o.model) return Promise.reject(new Error(`a ${kind} task needs a model`));
    return new Promise((resolve, reject) => {
      this.enqueue({
        taskId: this.nextTask++,
        kind,
        input,
        model: JOBS[kind].model ? o.model : undefined,
        transfer: o.transfer,
        key: JOBS[kind].model && o.model ? modelKey(o.model) : kind,
        priority: o.priority ?? 'batch',
        signal: o.signal,
        resolve: resolve as (output: unknown) => void,
        reject,
        settled: false,
      });
    });
  }

  /** Loads `model` in a worker (if it is not loaded) and resolves to its facts; rejects with its load error. */
  model(model: ModelSpec, o: Omit<TaskOptions, 'model'> = {}): Promise<PoolModelInfo> {
    return this.run('model', {}, { priority: 'interactive', ...o, model });
  }

  /** Classifies a batch of files with `o.model` on the next free worker; a file that fails is an error row. */
  classify(files: string[], o: ClassifyTaskOptions): Promise<FileClassification[]> {
    const input = {
      files,
      topK: o.topK ?? DEFAULT_TOP_K,
      windowStrideMs: o.windowStrideMs ?? DEFAULT_WINDOW_STRIDE_MS,
    };
    return this.run('classify', input, o);
  }

  /** Indexes a batch of files (header, levels, content hash) on the next free worker; cancelled as classify. */
  index(files: string[], o: TaskOptions = {}): Promise<IndexRecord[]> {
    return this.run('index', { files }, o);
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
    await Promise.all([this._native?.dispose(), ...this.slots.map((s) => s.worker.terminate())]);
  }
}
