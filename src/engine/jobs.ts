/**
 * The kinds of work the pool's workers do, one table entry each: what a task takes, what it gives,
 * whether it needs a model, how the worker runs it, and (for per-file jobs) the rows of a task that
 * failed as a whole. A new kind (evaluate, review, embeddings) is one more entry here; the pool, its
 * queue, priorities and crash handling do not change. `run` executes in a worker only; this module
 * imports the model's classes as types, so the extension host never loads model-format code.
 */
import { decodeAnyToRate } from '../audio/load';
import { mixdown } from '../audio/mixdown';
import { resample } from '../audio/resample';
import { WavError } from '../audio/wavDecode';
import { WavFile } from '../audio/wavFile';
import { indexFiles, type IndexRecord } from '../dataset/indexFile';
import { previewClip } from './clipPreview';
import { runShiftMatch, type ShiftMatchInput } from './shiftMatchJob';
import type { Classifier, FileClassification } from '../model/classifier';
import { describeModel, frontEndSummary, type ModelDescription } from '../model/describe';
import { scoreSegment, type ScoreSegment, type SegmentScores } from '../model/streaming/scoreSegment';
import { writeSnippets, type SnippetInput, type SnippetOutput } from './snippets';

/** What a worker hands a task: the loaded model (for kinds that need one) and the TF.js backend's facts. */
export interface JobContext {
  classifier?: Classifier;
  /** The model's folder (for its description). */
  modelDir?: string;
  backend?: { backend: string; warning?: string };
}

/** The model as a worker loaded it. */
export interface PoolModelInfo {
  name: string;
  labels: string[];
  hash: string;
  format: string;
  backend: string;
  /** The feature engine: 'wasm' (the WebAssembly MFCC kernel) or 'js'. */
  featureEngine: string;
  warning?: string;
  /** What the worker read from the model (format, front end, input shape, labels, ops). */
  description?: ModelDescription;
  /** What a clip's embedding is (Classifier.embeddingSource). */
  embeddingSource: string;
}

/** The model's input for a clip's first window, as the editor shows it: Float32 [frames][bins]. */
export interface ClipFeatures {
  type: string;
  /** The model's window (clipDurationMs) and its front end in words (frontEndSummary). */
  windowMs: number;
  summary: string;
  frames: number;
  bins: number;
  data: Float32Array;
}

/**
 * One clip for the editor: its bytes (the document model's, whatever file system it came from),
 * or, for a file too long to hand over whole, its path (then streamed by window groups).
 */
export type ClipInput = ({ bytes: Uint8Array; name: string } | { path: string }) & {
  topK: number;
  windowStrideMs: number;
};

/** The editor's answer for one clip: the prediction (or its error) and what the model sees. */
export interface ClipResult {
  row: FileClassification;
  features?: ClipFeatures;
}

interface JobSpec<I, O> {
  /** True: the task carries a ModelSpec and the worker loads that model first. */
  model: boolean;
  run: (input: I, ctx: JobContext) => Promise<O>;
  /** The answer of a task that failed as a whole (a worker crash): per-file error rows; absent: a rejection. */
  failed?: (input: I, reason: string) => O;
}

const job = <I, O>(spec: JobSpec<I, O>): JobSpec<I, O> => spec;

function needClassifier(ctx: JobContext): Classifier {
  if (!ctx.classifier) throw new Error('no model loaded');
  return ctx.classifier;
}

/** A batch of files to classify, and how many labels and how far apart windows are reported. */
export interface ClassifyInput {
  files: string[];
  topK: number;
  windowStrideMs: number;
}

/** A per-file kind's answer to a task that failed as a whole: each file an error row. */
const errorRows = (i: { files: string[] }, error: string): FileClassification[] =>
  i.files.map((path) => ({ path, error }));

/** The job table. */
export const JOBS = {
  /** A folder run's batch of files, classified by path. */
  classify: job({
    model: true,
    run: (i: ClassifyInput, ctx) =>
      needClassifier(ctx).classifyFiles(i.files, { topK: i.topK, windowStrideMs: i.windowStrideMs }),
    failed: errorRows,
  }),
  /** A review's batch of files: classified as by `classify`, each row with its first window's embedding. */
  embed: job({
    model: true,
    run: (i: ClassifyInput, ctx) =>
      needClassifier(ctx).classifyFiles(i.files, {
        topK: i.topK,
        windowStrideMs: i.windowStrideMs,
        embeddings: true,
      }),
    failed: errorRows,
  }),
  /** The review's shift-tolerant copy check: candidate pairs' feature matrices compared (shiftMatchJob.ts). */
  shiftMatch: job({
    model: true,
    run: (i: ShiftMatchInput, ctx) => runShiftMatch(i, needClassifier(ctx)),
  }),
  /** A dataset scan's batch of files: header, levels, content hash (no model). */
  index: job({
    model: false,
    run: (i: { files: string[] }) => indexFiles(i.files),
    failed: (i, error): IndexRecord[] =>
      i.files.map((path) => ({ path, size: 0, mtimeMs: 0, hash: '', error })),
  }),
  /** The review queue's clip: the editor's spectrogram of it and its audio, decoded off the host. */
  preview: job({
    model: false,
    run: (i: { path: string; columns: number }) => previewClip(i.path, i.columns),
  }),
  /** The editor's clip: its prediction and the model's input for its first window. */
  clip: job({ model: true, run: (i: ClipInput, ctx) => classifyClip(needClassifier(ctx), i) }),
  /** Segments of long recordings scored for evaluate: each window's best smoothed keyword. */
  score: job({
    model: true,
    run: async (i: { segments: ScoreSegment[] }, ctx) => {
      const out: SegmentScores[] = [];
      for (const seg of i.segments) out.push(await scoreSegment(needClassifier(ctx), seg));
      return out;
    },
    failed: (i, error): SegmentScores[] => i.segments.map((s) => ({ path: s.path, first: s.first, error })),
  }),
  /** False-accept snippets cut out of one recording and written as WAV files (evaluate's export). */
  snippets: job({
    model: false,
    run: async (i: SnippetInput) => writeSnippets(i),
    failed: (i, reason): SnippetOutput => ({ written: [], problems: [{ path: i.path, reason }] }),
  }),
  /** The model's facts (name, labels, hash, description); loading it is the worker's part. */
  model: job({ model: true, run: async (_i: Record<string, never>, ctx) => modelInfo(ctx) }),
};

/** A kind of job. */
export type JobKind = keyof typeof JOBS;
/** What a task of kind K takes. */
export type JobInput<K extends JobKind> = Parameters<(typeof JOBS)[K]['run']>[0];
/** What a task of kind K gives. */
export type JobOutput<K extends JobKind> = Awaited<ReturnType<(typeof JOBS)[K]['run']>>;

function modelInfo(ctx: JobContext): PoolModelInfo {
  const c = needClassifier(ctx);
  const md = c.model.metadata;
  return {
    name: md.name,
    labels: md.labels,
    hash: c.model.hash,
    format: c.model.format,
    backend: c.model.backend ?? ctx.backend?.backend ?? 'none',
    featureEngine: c.featureEngine,
    warning: c.model.backendWarning ?? ctx.backend?.warning,
    description: ctx.modelDir ? describeModel(ctx.modelDir, c.model) : undefined,
    embeddingSource: c.embeddingSource,
  };
}

async function classifyClip(c: Classifier, i: ClipInput): Promise<ClipResult> {
  const rate = c.model.metadata.sampleRate;
  const md = c.model.metadata;
  const about = { type: md.features.type, windowMs: md.clipDurationMs, summary: frontEndSummary(md) };
  const options = { topK: i.topK, windowStrideMs: i.windowStrideMs };
  if ('path' in i) {
    // Streamed by window groups inside classifyFiles; the features need only the first window.
    const [row] = await c.classifyFiles([i.path], options);
    let features: ClipFeatures | undefined;
    if (!row.error) features = { ...about, ...c.modelInput(firstWindowOf(i.path, c, rate)) };
    return { row, features };
  }
  const row: FileClassification = { path: i.name };
  try {
    const audio = await decodeAnyToRate(i.name, i.bytes, rate);
    if (audio.facts.frames === 0) throw new WavError('no audio (0 frames)');
    Object.assign(row, await c.classifySamples(audio.samples, options));
    return { row, features: { ...about, ...c.modelInput(audio.samples) } };
  } catch (e) {
    row.error = e instanceof WavError ? e.reason : (e as Error).message;
    return { row };
  }
}

/** A long file's first window at the model's rate, read from just the bytes it needs. */
function firstWindowOf(path: string, c: Classifier, rate: number): Float32Array {
  const file = WavFile.openSync(path);
  try {
    const header = file.readHeader();
    const { facts } = header;
    const need = Math.min(facts.frames, Math.ceil((c.window / rate) * facts.sampleRate * 1.05 + 64));
    return resample(mixdown(file.frames(header, 0, need)), facts.sampleRate, rate);
  } finally {
    file.close();
  }
}
