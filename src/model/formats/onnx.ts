import { createHash } from 'node:crypto';
import { featureShape, inputShapeOf, layoutsFitting, packFor, type InputLayout } from '../inputLayout';
import { ModelLimitError, trialOutputProblem } from '../limits';
import { INPUT_LAYOUTS, ModelError, type ModelMetadata } from '../metadata';
import { filesEnding, MODEL_FILE_LIMITS } from '../modelFiles';
import type { ModelPackage } from '../package';
import { readModelFileOr } from '../readModel';
import { checkOnnxModel } from './onnxCheck';
import { decodeOnnxModel } from './onnxProto';

/**
 * Runs ONNX graphs outside this thread (the engine's onnxruntime child process: a crash in native
 * code must not take the extension host down). The model layer only validates and packs.
 */
export interface OnnxRunner {
  /** Loads checked model bytes under `key`; resolves to the backend's description. */
  load(key: string, bytes: Uint8Array): Promise<{ backend: string }>;
  /** Runs the model of `key` on one float32 input of `dims`; resolves to its first output. */
  run(key: string, input: Float32Array, dims: number[]): Promise<{ data: Float32Array; dims: number[] }>;
  /** The model is no longer needed. */
  release(key: string): void;
}

/** The .onnx files of a folder, sorted. */
export function onnxFiles(dir: string): string[] {
  return filesEnding(dir, '.onnx');
}

/** The layout of the graph's input: metadata "inputLayout" if given (checked), else the one shape that fits. */
function chooseLayout(
  dir: string,
  dims: (number | null)[],
  md: ModelMetadata,
  frames: number,
  bins: number,
): InputLayout {
  const fitting = layoutsFitting(dims, frames, bins);
  const shown = `[${dims.map((d) => d ?? '?').join(', ')}]`;
  const feat = `${md.features.type}: ${frames} frames x ${bins} bins`;
  if (md.inputLayout) {
    const want = INPUT_LAYOUTS[md.inputLayout];
    if (!fitting.includes(want))
      throw new ModelError(
        dir,
        `input shape ${shown} is not metadata.json's inputLayout "${md.inputLayout}" for the features (${feat}: [${inputShapeOf(want, 1, frames, bins).slice(1).join(', ')}] after the batch)`,
      );
    return want;
  }
  if (fitting.length === 1) return fitting[0];
  if (!fitting.length)
    throw new ModelError(
      dir,
      `input shape ${shown} does not match the features (${feat}; expected [batch, ${frames}, ${bins}, 1], ` +
        `[batch, 1, ${bins}, ${frames}], [batch, ${frames}, ${bins}] or [batch, ${frames * bins}])`,
    );
  const names = Object.entries(INPUT_LAYOUTS)
    .filter(([, l]) => fitting.includes(l))
    .map(([k]) => k);
  throw new ModelError(
    dir,
    `input shape ${shown} fits more than one layout of the features (${names.join(', ')}): set metadata.json "inputLayout"`,
  );
}

/** Loads an ONNX model folder (one .onnx + metadata.json) as a ModelPackage run by `runner`. */
export async function loadOnnxPackage(
  dir: string,
  file: string,
  metadata: ModelMetadata,
  runner: OnnxRunner | undefined,
): Promise<ModelPackage> {
  const bytes = await readModelFileOr(dir, file, 'model file', MODEL_FILE_LIMITS.weights);
  let facts;
  try {
    facts = checkOnnxModel(decodeOnnxModel(bytes));
  } catch (e) {
    // protobufjs's own errors (truncated, corrupt) or a bound of limits.ts, each one line naming the file.
    const why = (e as Error)?.message ?? String(e);
    throw new ModelError(
      dir,
      e instanceof ModelLimitError ? `${file} ${why}` : `${file}: not a valid ONNX model (${why})`,
    );
  }
  const { frames, bins } = await featureShape(metadata);
  const layout = chooseLayout(dir, facts.inputDims, metadata, frames, bins);
  const labels = metadata.labels.length;
  const units = facts.outputDims[facts.outputDims.length - 1];
  if (typeof units === 'number' && units !== labels)
    throw new ModelError(dir, `${file}: the model outputs ${units} values but there are ${labels} labels`);
  if (metadata.features.normalize === 'dataset' && metadata.features.mean!.length !== bins)
    throw new ModelError(
      dir,
      `metadata.json: features.mean has ${metadata.features.mean!.length} values for ${bins} bins`,
    );
  if (!runner)
    throw new ModelError(
      dir,
      `${file}: ONNX models run in the worker pool's onnxruntime process (none here)`,
    );
  const hash = createHash('sha256').update(bytes).update(JSON.stringify(metadata)).digest('hex');
  const key = `${hash}:${file}`;
  const { backend } = await runner.load(key, bytes);
  const release = () => runner.release(key);
  const call = async (x: Float32Array, n: number) => {
    const r = await runner.run(
      key,
      packFor(layout, x, n, frames, bins),
      inputShapeOf(layout, n, frames, bins),
    );
    return { data: r.data, shape: r.dims };
  };
  // A graph exported with a fixed batch of 1 takes one window at a time; else the trial runs two.
  const oneAtATime = facts.inputDims[0] === 1;
  let trial: string | undefined;
  try {
    const n = oneAtATime ? 1 : 2;
    const probe = await call(new Float32Array(n * frames * bins), n);
    trial = trialOutputProblem(probe.shape, probe.data, n, labels);
  } catch (e) {
    release();
    throw new ModelError(dir, `${file}: onnxruntime cannot run it (${(e as Error).message})`);
  }
  if (trial) {
    release();
    throw new ModelError(dir, `${file}: ${trial}`);
  }
  const f = frames * bins;
  const run = async (x: Float32Array, count: number) => {
    if (!oneAtATime || count === 1) return call(x.subarray(0, count * f), count);
    const data = new Float32Array(count * labels);
    for (let i = 0; i < count; i++)
      data.set((await call(x.subarray(i * f, (i + 1) * f), 1)).data, i * labels);
    return { data, shape: [count, labels] };
  };
  return {
    dir,
    metadata,
    format: 'onnx',
    inputLayout: layout,
    frames,
    bins,
    hash,
    ops: facts.ops,
    frontEnd: `from metadata.json; ONNX opset ${facts.opset}${facts.producer ? `, made by ${facts.producer}` : ''}`,
    backend,
    run,
    dispose: release,
  };
}
