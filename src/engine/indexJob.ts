import { stat } from 'node:fs/promises';
import { IndexCache, type IndexRecord } from '../dataset/indexFile';
import { scanInputs } from '../dataset/scan';
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
  const total = scan.files.length;
  let last = 0;
  const report = (force = false) => {
    const now = performance.now();
    if (!o.onProgress || (!force && now - last < (o.intervalMs ?? 250))) return;
    last = now;
    const el = (now - t0) / 1000;
    o.onProgress({ done: records.size, total, filesPerSec: el > 0 ? records.size / el : 0 });
  };
  const batch = o.batchFiles ?? 64;
  const tasks: Promise<void>[] = [];
  for (let i = 0; i < todo.length; i += batch) {
    tasks.push(
      pool.index(todo.slice(i, i + batch)).then((rs) => {
        if (o.signal?.aborted) return;
        for (const r of rs) {
          records.set(r.path, r);
          if (!r.error || r.size) cache.set(r);
        }
        report();
      }),
    );
  }
  const cancelled = await new Promise<boolean>((done) => {
    if (o.signal?.aborted) return done(true);
    o.signal?.addEventListener('abort', () => {
      pool.clearQueue();
      done(true);
    });
    Promise.all(tasks).then(() => done(!!o.signal?.aborted));
  });
  report(true);
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
