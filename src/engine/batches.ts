import type { TaskOptions, WorkerPool } from './pool';

/** Throttled progress: done/total and the rate since the job started. */
export interface BatchProgress {
  done: number;
  total: number;
  perSec: number;
  etaSec: number;
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
  const t0 = performance.now();
  let done = o.alreadyDone;
  let last = 0;
  const progress = (force = false) => {
    const now = performance.now();
    if (!o.onProgress || (!force && now - last < (o.intervalMs ?? 250))) return;
    last = now;
    const el = (now - t0) / 1000;
    const perSec = el > 0 ? done / el : 0;
    o.onProgress({ done, total: o.total, perSec, etaSec: perSec > 0 ? (o.total - done) / perSec : Infinity });
  };
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
