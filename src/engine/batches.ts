import type { WorkerPool } from './pool';

/** Throttled progress: done/total and the rate since the job started. */
export interface BatchProgress {
  done: number;
  total: number;
  perSec: number;
  etaSec: number;
}

/**
 * Sends `paths` to the pool in batches and hands each batch's rows to `accept`, reporting progress
 * at most every `intervalMs` (and once at the end). On abort, queued batches are dropped and it
 * resolves at once with `true`; rows of batches still running are ignored.
 */
export async function runBatches<R>(
  pool: WorkerPool,
  send: (pool: WorkerPool, batch: string[]) => Promise<R[]>,
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
  const tasks: Promise<void>[] = [];
  for (let i = 0; i < paths.length; i += o.batchFiles) {
    tasks.push(
      send(pool, paths.slice(i, i + o.batchFiles)).then((rows) => {
        if (o.signal?.aborted) return;
        done += rows.length;
        o.accept(rows);
        progress();
      }),
    );
  }
  const cancelled = await new Promise<boolean>((resolve) => {
    if (o.signal?.aborted) return resolve(true);
    o.signal?.addEventListener('abort', () => {
      pool.clearQueue();
      resolve(true);
    });
    Promise.all(tasks).then(() => resolve(!!o.signal?.aborted));
  });
  progress(true);
  return cancelled;
}
