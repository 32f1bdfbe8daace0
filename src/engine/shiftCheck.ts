import { localityOrder } from '../dataset/shiftMatch';
import type { ModelSpec, WorkerPool } from './pool';

/** Pairs a task measures: small enough to cancel quickly and to spread over the workers. */
const PAIRS_PER_TASK = 512;

/** What the shift check measured: each pair's distance (NaN: not measured) and clips computed. */
export interface ShiftMeasure {
  distance: Float32Array;
  /** Feature matrices the workers computed (a clip counts again when it left a worker's cache). */
  computed: number;
  cancelled: boolean;
}

/**
 * Measures the shift distance of candidate pairs (`pairs`: indices into `paths`, two a pair) on the
 * pool. The workers re-read and recompute each clip's features (nothing keeps every clip's matrix);
 * pairs go out in the candidate graph's breadth-first order, each with the later of its two clips,
 * so most partners are still in the worker's small feature cache.
 */
export async function measureShiftPairs(
  pool: WorkerPool,
  model: ModelSpec,
  paths: string[],
  pairs: Int32Array,
  signal?: AbortSignal,
  /** Pairs measured so far and in all, after each task (the caller throttles). */
  onProgress?: (done: number, total: number) => void,
): Promise<ShiftMeasure> {
  const n = paths.length;
  const count = pairs.length / 2;
  const distance = new Float32Array(count).fill(NaN);
  const order = localityOrder(pairs, n);
  const pos = new Int32Array(n);
  order.forEach((r, i) => (pos[r] = i));
  // Pairs bucketed by the position of their later clip (a counting sort).
  const start = new Int32Array(n + 1);
  const later = (p: number) => Math.max(pos[pairs[2 * p]], pos[pairs[2 * p + 1]]);
  for (let p = 0; p < count; p++) start[later(p) + 1]++;
  for (let i = 0; i < n; i++) start[i + 1] += start[i];
  const sorted = new Int32Array(count);
  const fill = start.slice(0, n);
  for (let p = 0; p < count; p++) sorted[fill[later(p)]++] = p;

  const run = `${process.pid}-${performance.now()}-${Math.random()}`;
  let computed = 0;
  let measured = 0;
  let failure: Error | undefined;
  const tasks: Promise<void>[] = [];
  for (let t = 0; t < count; t += PAIRS_PER_TASK) {
    const ids = sorted.subarray(t, Math.min(count, t + PAIRS_PER_TASK));
    const local = new Map<number, number>();
    const files: string[] = [];
    const at = (r: number) => local.get(r) ?? (local.set(r, files.push(paths[r]) - 1), files.length - 1);
    const taskPairs = new Int32Array(ids.length * 2);
    ids.forEach((p, k) => {
      taskPairs[2 * k] = at(pairs[2 * p]);
      taskPairs[2 * k + 1] = at(pairs[2 * p + 1]);
    });
    tasks.push(
      pool.run('shiftMatch', { run, files, pairs: taskPairs }, { model, signal, priority: 'batch' }).then(
        (out) => {
          computed += out.computed;
          ids.forEach((p, k) => (distance[p] = out.distance[k]));
          measured += ids.length;
          onProgress?.(measured, count);
        },
        (e: Error) => {
          if (e.name !== 'AbortError' && !signal?.aborted) failure ??= e;
        },
      ),
    );
  }
  await Promise.all(tasks);
  if (failure) throw failure;
  return { distance, computed, cancelled: !!signal?.aborted };
}
