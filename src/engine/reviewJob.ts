import { relative, resolve, sep } from 'node:path';
import { EmbeddingReducer } from '../dataset/embeddingReducer';
import { readSplitLists } from '../dataset/inspect';
import { reviewClips, reviewNeighbours, type ReviewClip, type ReviewResult } from '../dataset/review';
import { candidatePairs } from '../dataset/shiftMatch';
import { labelFor, scanInputs } from '../dataset/scan';
import { speakerOf, splitFromLists, whichSet, type SplitName } from '../dataset/splits';
import type { KnnOptions } from '../dataset/knn';
import type { BundledModel } from '../model/bundled';
import type { FileClassification } from '../model/classifier';
import { DEFAULT_TOP_K, DEFAULT_WINDOW_STRIDE_MS } from '../model/defaults';
import { runBatches, throttledProgress } from './batches';
import { clipProgress, type FolderJobOptions } from './classifyJob';
import { WorkerPool, type ModelSpec } from './pool';
import { measureShiftPairs } from './shiftCheck';

/** Options of a review job. */
export interface ReviewJobOptions extends FolderJobOptions {
  /** The bundled model `modelDir` is, if it is one: says which clips it was trained on. */
  bundled?: BundledModel;
  /** Absolute cosine-distance threshold for near-duplicates (default: 0.13 x the median NN distance). */
  nearThreshold?: number;
  /** Embedding length kept a clip (default 128): the memory bound. */
  reducedDim?: number;
  knn?: KnnOptions;
  /**
   * The 2-D map: 'pca' (default: seconds for 20,000 clips), 'umap' (minutes at that size: the dataset
   * view asks for it) or 'none'.
   */
  map?: ReviewMapMethod;
  /**
   * The second near-copy check (default true): the kNN candidate pairs' feature matrices compared at
   * the best of -3..3 frame offsets (dataset/shiftMatch.ts), re-read in the workers.
   */
  shiftCheck?: boolean;
  /** Results already known (a cache); used only when they carry an embedding. */
  cached?: (path: string) => FileClassification | undefined;
}

/** Which 2-D map a review computes. */
export type ReviewMapMethod = 'pca' | 'umap' | 'none';

/** The review with what it was computed from. */
export interface ReviewReport extends ReviewResult {
  folder: string;
  model: { name: string; dir: string; hash: string; labels: string[] };
  embedding: { source: string; length: number; keptLength: number; energyKept: number };
  /** The shift check's cost: seconds, and feature matrices the workers computed. */
  shiftCheck?: { timeSec: number; computed: number };
  timeSec: number;
  cancelled: boolean;
}

/** Was `path` (of split `split`) in the bundled model's training data? */
export function inTrainingData(model: BundledModel | undefined, path: string, split: SplitName): boolean {
  if (!model) return false;
  const t = model.trainedOn;
  if (t.speechCommandsTrainingSplit && /_nohash_/.test(path) && split === 'training') return true;
  const speaker = speakerOf(path);
  return !!speaker && !/_nohash_/.test(path) && t.fsddSpeakers.includes(speaker);
}

/**
 * Classifies every clip of `folder` (one sub-folder a label) on the worker pool with embeddings,
 * keeps each clip's probabilities, hash and reduced embedding (bounded: N x (labels + 128) floats),
 * and runs the review. Reads files only; never writes, moves or deletes one.
 */
export async function runReviewJob(folder: string, o: ReviewJobOptions): Promise<ReviewReport> {
  const t0 = performance.now();
  const root = resolve(folder);
  const scan = await scanInputs([root]);
  const model: ModelSpec = { dir: resolve(o.modelDir) };
  const pool = o.pool ?? new WorkerPool({ size: o.workers, env: o.env, workerScript: o.workerScript });
  try {
    const info = await pool.model(model);
    const labels = info.labels;
    const lists = await readSplitLists(root);
    const sets = lists && { validation: new Set(lists.validation), testing: new Set(lists.testing) };
    const files = scan.files;
    await o.prepare?.(files.map((f) => f.path));
    const row = new Map(files.map((f, i) => [f.path, i]));
    const clips: ReviewClip[] = files.map((f) => {
      const rel = relative(root, f.path).split(sep).join('/');
      const split = sets ? splitFromLists(rel, sets) : whichSet(rel);
      return {
        path: f.path,
        folder: f.named ? undefined : f.parent,
        label: labelFor(f.parent, labels, f.named),
        split,
        inSample: inTrainingData(o.bundled, f.path, split) || undefined,
      };
    });
    const reducer = new EmbeddingReducer(files.length, o.reducedDim);
    const hasEmbedding = new Uint8Array(files.length);
    const accept = (r: FileClassification) => {
      const i = row.get(r.path);
      if (i === undefined) return;
      const c = clips[i];
      c.contentHash = r.contentHash;
      c.error = r.error;
      // The review scores each clip once: its first window, as classify's clip probabilities.
      if (r.probabilities) c.probabilities = Float32Array.from(r.probabilities);
      if (r.embedding && !r.error) {
        reducer.add(i, r.embedding);
        hasEmbedding[i] = 1;
      }
    };
    const todo: string[] = [];
    for (const f of files) {
      const c = o.cached?.(f.path);
      if (c?.embedding) accept(c);
      else todo.push(f.path);
    }
    const embedInput = { topK: DEFAULT_TOP_K, windowStrideMs: DEFAULT_WINDOW_STRIDE_MS };
    let cancelled = await runBatches(
      pool,
      (p, b, t) => p.run('embed', { ...embedInput, files: b }, { ...t, model }),
      todo,
      {
        batchFiles: 16,
        alreadyDone: files.length - todo.length,
        total: files.length,
        accept: (rows) => {
          for (const r of rows) accept(r);
          o.onFresh?.(rows);
        },
        onProgress: clipProgress(o.onProgress),
        intervalMs: o.progressIntervalMs,
        signal: o.signal,
      },
    );
    for (const p of scan.problems) clips.push({ path: p.path, error: p.error });
    const embeddings = reducer.finish();
    const input = {
      modelLabels: labels,
      clips,
      embeddings,
      dim: reducer.dim,
      hasEmbedding,
      nearThreshold: o.nearThreshold,
      knn: o.knn,
      map:
        o.map === 'none'
          ? (false as const)
          : { method: o.map === 'umap' ? ('auto' as const) : ('pca' as const) },
    };
    const neighbours = reviewNeighbours(input);
    let shift;
    let shiftCost;
    if (neighbours && o.shiftCheck !== false && !cancelled) {
      const t1 = performance.now();
      const { rows, nn } = neighbours;
      const same = (a: number, b: number) => {
        const h = clips[rows[a]].contentHash;
        return !!h && h === clips[rows[b]].contentHash;
      };
      const pairs = candidatePairs(nn, same);
      const paths = Array.from(rows, (r) => clips[r].path);
      const report = throttledProgress(
        pairs.length / 2,
        clipProgress(o.onProgress, 'near-copy check'),
        o.progressIntervalMs,
      );
      const m = await measureShiftPairs(pool, model, paths, pairs, o.signal, (done, total) =>
        report(done, done === total),
      );
      if (m.cancelled) cancelled = true;
      else shift = { pairs, distance: m.distance };
      shiftCost = { timeSec: (performance.now() - t1) / 1000, computed: m.computed };
    }
    const result = reviewClips({ ...input, neighbours, shift });
    if (o.bundled && !clips.some((c) => c.inSample))
      result.notes.push(
        `no clip is from ${o.bundled.name}'s training data (${o.bundled.trainedOn.what}): its probabilities are out-of-sample`,
      );
    return {
      folder: root,
      model: { name: info.name, dir: model.dir, hash: info.hash, labels },
      embedding: {
        source: info.embeddingSource,
        length: reducer.inputDim,
        keptLength: reducer.usedDim,
        energyKept: reducer.kept,
      },
      ...result,
      ...(shiftCost ? { shiftCheck: shiftCost } : {}),
      timeSec: (performance.now() - t0) / 1000,
      cancelled,
    };
  } finally {
    if (!o.pool) await pool.dispose();
  }
}
