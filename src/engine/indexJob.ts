import { stat } from 'node:fs/promises';
import { IndexCache, type IndexRecord } from '../dataset/indexFile';
import { scanInputs } from '../dataset/scan';
import { runBatches } from './batches';
import type { WorkerPool } from './pool';

/** Progress of an indexing job. */
export interface IndexProgress {
  done: number;
  total: number;
  filesPerSec: number;
}

/** What an indexing job found. */
export interface IndexResult {
  records: IndexRecord[];
  background: string[];
  problems: { path: string; error: string }[];
  /** Files read this time (the others came from the cache). */
  indexed: number;
  cancelled: boolean;
  timeSec: number;
}

/**
 * Indexes every WAV under `root` on the pool: files whose (size, mtime) the cache knows are not
 * read again. Progress at most every `intervalMs`; cancelling returns what was indexed so far.
 */
export async function runIndexJob(
  root: string,
  pool: WorkerPool,
  cache: IndexCache,
  o: {
    onProgress?: (p: IndexProgress) => void;
    intervalMs?: number;
    signal?: AbortSignal;
    batchFiles?: number;
  } = {},
): Promise<IndexResult> {
  const t0 = performance.now();
  const scan = await scanInputs([root]);
  const todo: string[] = [];
  const records = new Map<string, IndexRecord>();
  await Promise.all(
    scan.files.map(async (f) => {
      try {
        const st = await stat(f.path);
        if (!cache.needs(f.path, st.size, st.mtimeMs)) records.set(f.path, cache.get(f.path)!);
        else todo.push(f.path);
      } catch {
        todo.push(f.path);
      }
    }),
  );
  todo.sort();
  const cancelled = await runBatches(pool, (p, b, t) => p.index(b, t), todo, {
    batchFiles: o.batchFiles ?? 64,
    alreadyDone: records.size,
    total: scan.files.length,
    accept: (rs) => {
      for (const r of rs) {
        records.set(r.path, r);
        if (!r.error || r.size) cache.set(r);
      }
    },
    onProgress:
      o.onProgress && ((p) => o.onProgress!({ done: p.done, total: p.total, filesPerSec: p.perSec })),
    intervalMs: o.intervalMs,
    signal: o.signal,
  });
  const order = scan.files.map((f) => f.path).filter((p) => records.has(p));
  return {
    records: order.map((p) => records.get(p)!),
    background: scan.background,
    problems: scan.problems,
    indexed: todo.length,
    cancelled,
    timeSec: (performance.now() - t0) / 1000,
  };
}
