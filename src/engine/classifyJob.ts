import { resolve } from 'node:path';
import { labelFor, scanInputs } from '../dataset/scan';
import type { FileClassification } from '../model/classifier';
import { buildReport, toRow, type ClassifyReport, type ReportRow } from '../model/report';
import { runBatches, type BatchProgress } from './batches';
import { WorkerPool, type ModelSpec } from './pool';

/** Progress of a classification. */
export interface ClassifyProgress {
  done: number;
  total: number;
  clipsPerSec: number;
  etaSec: number;
  /** A later phase of the job, counted in its own units (the review's near-copy check: pairs). */
  phase?: string;
}

/** runBatches' progress as a ClassifyProgress callback (of a later `phase` of the job, if given). */
export function clipProgress(
  on: ((p: ClassifyProgress) => void) | undefined,
  phase?: string,
): ((p: BatchProgress) => void) | undefined {
  return (
    on &&
    ((p) =>
      on({ done: p.done, total: p.total, clipsPerSec: p.perSec, etaSec: p.etaSec, ...(phase && { phase }) }))
  );
}

/** How a job over a folder's clips runs on the pool: shared by the classify and review jobs. */
export interface FolderJobOptions {
  modelDir: string;
  workers?: number;
  /** Called at most every `progressIntervalMs` (default 250 ms) and once at the end. */
  onProgress?: (p: ClassifyProgress) => void;
  progressIntervalMs?: number;
  signal?: AbortSignal;
  /** An existing pool to reuse (the extension keeps one); otherwise one is made and disposed. */
  pool?: WorkerPool;
  /** Called once with every file found, before classification (to look results up in a cache). */
  prepare?: (paths: string[]) => Promise<void>;
  /** Results already known (cache), by path: returned as they are, not classified again. */
  cached?: (path: string) => FileClassification | undefined;
  /** Called with each batch of freshly classified files (to fill a cache). */
  onFresh?: (rows: FileClassification[]) => void;
  env?: NodeJS.ProcessEnv;
  /** The worker script (tests supply their own). */
  workerScript?: string;
}

/** Options of a classification job. */
export interface ClassifyJobOptions extends FolderJobOptions {
  /** A labels file overriding the model's (e.g. the seed's conv_labels.txt). */
  labelsFile?: string;
  topK?: number;
  windowStrideMs?: number;
  /** Files per task sent to a worker (default 16: small enough to cancel quickly). */
  batchFiles?: number;
}

/**
 * Scans inputs, classifies every clip on the worker pool, and builds the report. Cancelling (signal)
 * resolves at once with the rows finished so far (`cancelled: true`); batches under way are dropped.
 */
export async function runClassifyJob(inputs: string[], o: ClassifyJobOptions): Promise<ClassifyReport> {
  const t0 = performance.now();
  const scan = await scanInputs(inputs);
  const model: ModelSpec = { dir: resolve(o.modelDir), labelsFile: o.labelsFile && resolve(o.labelsFile) };
  const pool = o.pool ?? new WorkerPool({ size: o.workers, env: o.env, workerScript: o.workerScript });
  try {
    const info = await pool.model(model);
    const labels = info.labels;
    const byPath = new Map(scan.files.map((f) => [f.path, f]));
    const results = new Map<string, FileClassification>();
    const todo: string[] = [];
    await o.prepare?.(scan.files.map((f) => f.path));
    for (const f of scan.files) {
      const c = o.cached?.(f.path);
      if (c) results.set(f.path, c);
      else todo.push(f.path);
    }
    const cancelled = await runBatches(
      pool,
      (p, b, t) => p.classify(b, { ...t, model, topK: o.topK, windowStrideMs: o.windowStrideMs }),
      todo,
      {
        batchFiles: o.batchFiles ?? 16,
        alreadyDone: results.size,
        total: scan.files.length,
        accept: (rows) => {
          for (const r of rows) results.set(r.path, r);
          o.onFresh?.(rows);
        },
        onProgress: clipProgress(o.onProgress),
        intervalMs: o.progressIntervalMs,
        signal: o.signal,
      },
    );
    const rows: ReportRow[] = [];
    for (const f of scan.files) {
      const c = results.get(f.path);
      const found = byPath.get(f.path);
      if (c) rows.push(toRow(c, labelFor(found?.parent, labels, found?.named)));
    }
    const report = buildReport({ name: info.name, dir: resolve(o.modelDir), labels, hash: info.hash }, rows, {
      background: scan.background,
      problems: scan.problems,
      timeSec: (performance.now() - t0) / 1000,
      cancelled,
    });
    report.engine = { backend: info.backend, features: info.featureEngine, warning: info.warning };
    return report;
  } finally {
    if (!o.pool) await pool.dispose();
  }
}
