import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { basename, dirname, extname, join, resolve } from 'node:path';
import { openFrameReader } from '../audio/audioFile';
import { WavFile, readReason } from '../audio/wavFile';
import { scanInputs } from '../dataset/scan';
import { evaluate, keywordsOf, type Evaluation, type ScoredRecording } from '../model/streaming/evaluation';
import { DEFAULT_STREAM_RULES, windowEndMs, type StreamRules } from '../model/streaming/rules';
import { recordingGrid, type ScoreSegment } from '../model/streaming/scoreSegment';
import { checkWords, parseTruth, type TruthProblem, type TruthWord } from '../model/streaming/truth';
import { WorkerPool, type ModelSpec, type PoolModelInfo } from './pool';

/** Progress of an evaluation, in windows. */
export interface EvaluateProgress {
  done: number;
  total: number;
  /** Seconds of audio scored per second of wall time. */
  realTimeFactor: number;
}

/** Options of an evaluation job. */
export interface EvaluateJobOptions {
  modelDir: string;
  labelsFile?: string;
  rules?: Partial<StreamRules>;
  /** A ground-truth file for every recording (CSV, or one recording's Audacity/TensorFlow labels). */
  truthFile?: string;
  thresholds?: number[];
  /** Default: every core (the host only waits while the workers score). */
  workers?: number;
  /** Windows per pool task (default 3000: 5 min of audio at a 100-ms stride). */
  segmentWindows?: number;
  onProgress?: (p: EvaluateProgress) => void;
  signal?: AbortSignal;
  pool?: WorkerPool;
  /** Called with the scored recordings (per-window best smoothed keyword), to list events at other thresholds. */
  onScored?: (recs: ScoredRecording[]) => void;
  env?: NodeJS.ProcessEnv;
  workerScript?: string;
}

/** The JSON of `wavebench evaluate`: the evaluation, the model, and what was not scored. */
export interface EvaluateReport extends Evaluation {
  model: { name: string; dir: string; hash: string; labels: string[] };
  /** The model's window in ms (its clip length): a detection at t is the window ending at t. */
  windowMs: number;
  /** Recordings not scored (unreadable, too short, no ground truth), one reason each. */
  skipped: { path: string; reason: string }[];
  /** Ground-truth lines not used, one reason each. */
  truthProblems: TruthProblem[];
  timeSec: number;
  cancelled: boolean;
}

/** A recording about to be scored. */
interface Pending {
  path: string;
  durationSec: number;
  endMs: Float64Array;
  words: TruthWord[];
  truthPath: string;
  label: Uint16Array;
  score: Float64Array;
  /** Windows scored so far. */
  done: number;
  error?: string;
}

/** Ground truth for each recording: from --truth, else NAME.txt beside it. */
function truthFor(
  paths: string[],
  truthFile: string | undefined,
  problems: TruthProblem[],
): Map<string, { words: TruthWord[]; truthPath: string }> {
  const out = new Map<string, { words: TruthWord[]; truthPath: string }>();
  const read = (p: string) => {
    const parsed = parseTruth(p, readFileSync(p, 'utf8'));
    problems.push(...parsed.problems);
    return parsed;
  };
  if (!truthFile) {
    for (const path of paths) {
      const beside = join(dirname(path), basename(path, extname(path)) + '.txt');
      let parsed;
      try {
        parsed = read(beside);
      } catch (e) {
        // No label file: the recording is listed as not scored. One that cannot be read is a problem too.
        if ((e as NodeJS.ErrnoException).code !== 'ENOENT')
          problems.push({ path: beside, line: 0, reason: `cannot read (${readReason(e)})` });
        continue;
      }
      out.set(path, { words: parsed.words, truthPath: beside });
    }
    return out;
  }
  const parsed = read(truthFile);
  if (parsed.format !== 'csv') {
    if (paths.length !== 1)
      throw new Error(
        `${truthFile}: a ${parsed.format} label file is for one recording (${paths.length} given)`,
      );
    out.set(paths[0], { words: parsed.words, truthPath: truthFile });
    return out;
  }
  // A CSV covers every recording given: one it does not name has no words (only false accepts).
  for (const path of paths) out.set(path, { words: [], truthPath: truthFile });
  for (const w of parsed.words) {
    const entry = out.get(resolve(dirname(truthFile), w.file!));
    if (entry) entry.words.push(w);
    else
      problems.push({
        path: truthFile,
        line: w.line,
        reason: `'${w.file}' is not one of the recordings evaluated`,
      });
  }
  return out;
}

/**
 * The model as evaluate runs it: native where it loads (graph/native.ts), since a window's features
 * are cheap here (frames shared between windows) and inference is most of the cost; onnxruntime's
 * kernels take 2.2-2.7x less CPU than TF.js WASM's. The editor runs a recording with a label file
 * so too, so its detections are evaluate's to the last bit.
 */
export function evaluationModel(model: ModelSpec): ModelSpec {
  return { ...model, prefer: 'native' };
}

/**
 * Scores recordings on the worker pool in segments (every worker gets a share of a long one; each
 * segment streamed in window groups), then applies the rules (src/model/streaming). Cancelling
 * resolves with the recordings finished so far (`cancelled: true`).
 */
export async function runEvaluateJob(inputs: string[], o: EvaluateJobOptions): Promise<EvaluateReport> {
  const t0 = performance.now();
  const rules: StreamRules = { ...DEFAULT_STREAM_RULES, ...o.rules };
  const scan = await scanInputs(inputs);
  const paths = [...scan.files.map((f) => resolve(f.path)), ...scan.background.map((p) => resolve(p))];
  const skipped = scan.problems.map((p) => ({ path: p.path, reason: p.error }));
  const truthProblems: TruthProblem[] = [];
  const truth = truthFor(paths, o.truthFile && resolve(o.truthFile), truthProblems);
  const model = evaluationModel({
    dir: resolve(o.modelDir),
    labelsFile: o.labelsFile && resolve(o.labelsFile),
  });
  const pool =
    o.pool ??
    new WorkerPool({ size: o.workers ?? availableParallelism(), env: o.env, workerScript: o.workerScript });
  try {
    const info = await pool.model(model);
    const { keywords } = keywordsOf(info.labels);
    const pending: Pending[] = [];
    const segments: ScoreSegment[] = [];
    for (const path of paths) {
      const t = truth.get(path);
      if (!t) {
        skipped.push({
          path,
          reason: `no ground truth (${basename(path, extname(path))}.txt beside it, or --truth)`,
        });
        continue;
      }
      const p = await prepare(path, t, info, rules, keywords, truthProblems);
      if (typeof p === 'string') {
        skipped.push({ path, reason: p });
        continue;
      }
      pending.push(p);
      const per = o.segmentWindows ?? 3000;
      for (let first = 0; first < p.endMs.length; first += per) {
        segments.push({
          path,
          first,
          count: Math.min(per, p.endMs.length - first),
          windowStrideMs: rules.windowStrideMs,
          averageMs: rules.averageMs,
        });
      }
    }
    const total = segments.reduce((s, x) => s + x.count, 0);
    const byPath = new Map(pending.map((p) => [p.path, p]));
    let done = 0;
    let last = 0;
    let cancelled = false;
    await Promise.all(
      segments.map((seg) =>
        pool.run('score', { segments: [seg] }, { signal: o.signal, model }).then(
          ([r]) => {
            const p = byPath.get(r.path)!;
            if (r.error) p.error ??= r.error;
            else {
              p.label.set(r.label!, r.first);
              p.score.set(r.score!, r.first);
            }
            p.done += seg.count;
            done += seg.count;
            const now = performance.now();
            if (o.onProgress && (now - last > 250 || done === total)) {
              last = now;
              const sec = (now - t0) / 1000;
              o.onProgress({ done, total, realTimeFactor: (done * rules.windowStrideMs) / 1000 / sec });
            }
          },
          () => {
            cancelled = true;
          },
        ),
      ),
    );
    cancelled ||= !!o.signal?.aborted;
    const scored: ScoredRecording[] = [];
    for (const p of pending) {
      if (p.error) skipped.push({ path: p.path, reason: p.error });
      else if (p.done === p.score.length) scored.push(toScored(p));
    }
    const evaluation = evaluate(scored, info.labels, rules, o.thresholds);
    o.onScored?.(scored);
    return {
      model: { name: info.name, dir: resolve(o.modelDir), hash: info.hash, labels: info.labels },
      windowMs: windowMsOf(info),
      ...evaluation,
      skipped,
      truthProblems,
      timeSec: (performance.now() - t0) / 1000,
      cancelled,
    };
  } finally {
    if (!o.pool) await pool.dispose();
  }
}

/** The model's window in ms, from the features the worker described. */
function windowMsOf(info: PoolModelInfo): number {
  const f = info.description?.features as { sampleRate: number; clipSamples: number };
  return (1000 * f.clipSamples) / f.sampleRate;
}

function toScored(p: Pending): ScoredRecording {
  return {
    path: p.path,
    durationSec: p.durationSec,
    track: { endMs: p.endMs, label: p.label, score: p.score },
    words: p.words,
    truthPath: p.truthPath,
  };
}

/**
 * A recording's grid and checked words, or why it cannot be scored. Segments are read from any
 * window on: WAV, FLAC and MP3 (decoded from the nearest frame); Ogg is refused (read from its start only).
 */
async function prepare(
  path: string,
  t: { words: TruthWord[]; truthPath: string },
  info: PoolModelInfo,
  rules: StreamRules,
  keywords: string[],
  problems: TruthProblem[],
): Promise<Pending | string> {
  let file: WavFile | undefined;
  let facts;
  try {
    file = WavFile.openSync(path);
    const audio = await openFrameReader(file);
    facts = audio.facts;
    await audio.close();
  } catch (e) {
    return readReason(e);
  } finally {
    file?.close();
  }
  const f = info.description?.features as { sampleRate: number; clipSamples: number };
  const g = recordingGrid(facts.frames, facts.sampleRate, f.sampleRate, f.clipSamples, rules.windowStrideMs);
  if (!g.count) return `shorter than one window (${(f.clipSamples / f.sampleRate).toFixed(3)} s): not scored`;
  const checked = checkWords(t.truthPath, t.words, keywords, facts.durationSec * 1000);
  problems.push(...checked.problems);
  return {
    path,
    durationSec: facts.durationSec,
    endMs: Float64Array.from({ length: g.count }, (_, i) => windowEndMs(g, i)),
    words: checked.words,
    truthPath: t.truthPath,
    label: new Uint16Array(g.count),
    score: new Float64Array(g.count),
    done: 0,
  };
}
