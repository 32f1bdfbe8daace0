import type { TaskOptions, WorkerPool } from './pool';

/** Throttled progress: done/total and the rate since the job started. */
export interface BatchProgress {
  done: number;
  total: number;
  perSec: number;
  etaSec: number;
}

/**
 * A progress reporter for `total` items: call it with the count done after each step; it reports at
 * most every `intervalMs` (default 250; `force` always), with the rate since it was made.
 */
export function throttledProgress(
  total: number,
  on: ((p: BatchProgress) => void) | undefined,
  intervalMs = 250,
): (done: number, force?: boolean) => void {
  const t0 = performance.now();
  let last = 0;
  return (done, force = false) => {
    const now = performance.now();
    if (!on || (!force && now - last < intervalMs)) return;
    last = now;
    const el = (now - t0) / 1000;
    const perSec = el > 0 ? done / el : 0;
    on({ done, total, perSec, etaSec: perSec > 0 ? (total - done) / perSec : Infinity });
  };
}

/**
 * Sends `paths` to the pool in batches and hands each batch's rows to `accept`, reporting progress
 * at most every `intervalMs` (and once at the end). On abort, this job's queued batches are dropped
 * (they never reach a worker) and it resolves at once with `true`; rows of its batches still running
 * are ignored. Other callers' tasks on the same pool are not touched.
 */
export async function runBatches<R>(
  pool: WorkerPool,
  send: (pool: WorkerPool, batch: string[], o: TaskOptions) => Promise<R[]>,
  paths: string[],
  o: {
    batchFiles: number;
    /** Files already done before this job (cache hits): counted in progress. */
    alreadyDone: number;
    total: number;
    accept: (rows: R[]) => void;
    onProgress?: (p: BatchProgress) => void;
    intervalMs?: number;
    signal?: AbortSignal;
  },
): Promise<boolean> {
  let done = o.alreadyDone;
  const report = throttledProgress(o.total, o.onProgress, o.intervalMs);
  const progress = (force = false) => report(done, force);
  let failure: Error | undefined;
  const tasks: Promise<void>[] = [];
  for (let i = 0; i < paths.length; i += o.batchFiles) {
    tasks.push(
      send(pool, paths.slice(i, i + o.batchFiles), { signal: o.signal, priority: 'batch' }).then(
        (rows) => {
          if (o.signal?.aborted) return;
          done += rows.length;
          o.accept(rows);
          progress();
        },
        (e: Error) => {
          // A cancelled batch is expected; anything else (pool disposed) ends the job as cancelled too.
          if (e.name !== 'AbortError' && !o.signal?.aborted) failure ??= e;
        },
      ),
    );
  }
  await Promise.all(tasks);
  if (failure) throw failure;
  const cancelled = !!o.signal?.aborted;
  progress(true);
  return cancelled;
}
