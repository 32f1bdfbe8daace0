import * as tf from '@tensorflow/tfjs';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join, normalize } from 'node:path';
import { loadMetadata, metadataFromLabels, ModelError } from './metadata';

import { MODEL_FILE_LIMITS } from './modelFiles';
import {
  checkActivation,
  checkCount,
  checkFinite,
  checkJsonNesting,
  checkLayerSizes,
  ModelLimitError,
  shapeSize,
} from './limits';
import { oneAtATime, trialPredict } from './trial';
import { readModelFileOr, readNamedFile } from './readModel';

export { ModelError };
import { foldBatchNorm } from './foldBatchNorm';
import { describeEmbedding, flatRows, penultimateNode, type GraphNodeLike } from './embedding';
import { findKerasFile, loadKerasPackage } from './formats/keras';
import { loadGraphDefPackage, resolveModelTarget } from './formats/graphdef';
import { featureShape, inputShapeOf, layoutOf } from './inputLayout';
import type { ModelPackage } from './package';
import { initTfBackend } from './tfBackend';
import { loadTflitePackage, tfliteFiles } from './formats/tflite';
import { loadOnnxPackage, onnxFiles, type OnnxRunner } from './formats/onnx';
import { tfjsKerasParts } from './graph/fromTfjs';
import type { KerasParts } from './graph/fromKeras';
import { backendChoice, preferNative, type BackendChoice } from './graph/native';

export type { ModelPackage } from './package';

/** Options of a model load. */
export interface ModelLoadOptions {
  /** A labels file (one label a line) overriding the model's own labels (GraphDef models). */
  labelsFile?: string;
  /** Where ONNX models run (the pool worker's link to the onnxruntime process). */
  onnxRunner?: OnnxRunner;
  /** Forces TF.js WASM or native for Keras-config models (default: WAVEBENCH_BACKEND, else native where it loads). */
  backend?: BackendChoice;
}

/** A labels file given with --labels: one label a line. */
async function readLabelsFile(file: string): Promise<string[]> {
  // Regular files only, size-capped (a FIFO or /dev/zero named as labels must not hang or fill memory).
  const text = (await readNamedFile(file, MODEL_FILE_LIMITS.metadata, 'no such labels file')).toString(
    'utf8',
  );
  try {
    return metadataFromLabels(file, text).labels;
  } catch (e) {
    throw new ModelError(file, (e as Error).message);
  }
}

/** One line, at most 300 characters: TF.js and emscripten errors can span many lines. */
export function oneLine(message: string): string {
  const s = message.replace(/\s*[\r\n]+\s*/g, ' ').trim();
  return s.length > 300 ? s.slice(0, 297) + '...' : s;
}

type ManifestGroup = { paths: string[]; weights: tf.io.WeightsManifestEntry[] };

const DTYPE_BYTES: Record<string, number> = { float32: 4, int32: 4, bool: 1, uint8: 1, int16: 2 };
/** Bytes a value of a TF.js quantised weight takes in the shard. */
const QUANT_BYTES: Record<string, number> = { uint8: 1, uint16: 2, float16: 2 };

/** A manifest entry's bytes in the shards: its shape's values at its (quantised) dtype's width. */
function entryBytes(w: tf.io.WeightsManifestEntry): number {
  const q = w.quantization;
  const per = q ? QUANT_BYTES[q.dtype] : DTYPE_BYTES[w.dtype ?? 'float32'];
  return shapeSize(w.shape, `weight ${JSON.stringify(w.name).slice(0, 80)}`) * per;
}

/**
 * Checks weightsManifest's structure (TF.js would fail on it with messages naming nothing): shapes
 * bounded, dtypes and quantisation known with finite parameters, each shard named once.
 */
function checkManifest(dir: string, m: unknown): ManifestGroup[] {
  const bad = (why: string) => new ModelError(dir, `model.json: weightsManifest${why}`);
  if (!Array.isArray(m)) throw bad(' is not an array');
  checkCount(m.length, 'weightsManifest groups');
  const shards = new Set<string>();
  let weights = 0;
  for (const [i, g] of m.entries()) {
    if (!g || typeof g !== 'object') throw bad(`[${i}] is not an object`);
    const { paths, weights: ws } = g as Record<string, unknown>;
    if (!Array.isArray(paths) || !paths.every((p) => typeof p === 'string' && p))
      throw bad(`[${i}].paths is not an array of file names`);
    if (!Array.isArray(ws)) throw bad(`[${i}].weights is not an array`);
    for (const p of paths) {
      // One shard listed 1,023 times would be read (and held) 1,023 times.
      const key = normalize(p);
      if (shards.has(key)) throw bad(` names the shard ${JSON.stringify(p).slice(0, 80)} twice`);
      shards.add(key);
    }
    checkCount((weights += ws.length), 'weights in weightsManifest');
    checkCount(shards.size, 'weight shards');
    for (const w of ws) {
      const o = w as Record<string, unknown>;
      if (!o || typeof o.name !== 'string') throw bad(`[${i}].weights has an entry without a name`);
      const name = JSON.stringify(o.name).slice(0, 80);
      if (!Array.isArray(o.shape)) throw bad(`: weight ${name} has an invalid shape`);
      if (o.dtype !== undefined && !(typeof o.dtype === 'string' && o.dtype in DTYPE_BYTES))
        throw bad(`: weight ${name} has an unknown dtype`);
      const q = o.quantization as Record<string, unknown> | undefined;
      if (q !== undefined) {
        if (!q || typeof q !== 'object' || !(String(q.dtype) in QUANT_BYTES))
          throw bad(`: weight ${name} has an unknown quantization (uint8, uint16 or float16 expected)`);
        if (q.dtype !== 'float16')
          for (const k of ['scale', 'min'])
            if (!(typeof q[k] === 'number' && Number.isFinite(q[k]) && (k === 'min' || (q[k] as number) > 0)))
              throw bad(`: weight ${name} has quantization ${k} ${String(q[k])} (a finite number expected)`);
      }
      entryBytes(o as unknown as tf.io.WeightsManifestEntry);
    }
  }
  return m as ManifestGroup[];
}

/** Float32 weights (not quantised) in the shards hold finite numbers only. */
function checkFiniteWeights(specs: tf.io.WeightsManifestEntry[], data: Buffer): void {
  let at = 0;
  for (const w of specs) {
    const n = entryBytes(w);
    if (!w.quantization && (w.dtype ?? 'float32') === 'float32') {
      const copy = new Float32Array(n / 4);
      new Uint8Array(copy.buffer).set(data.subarray(at, at + n));
      checkFinite(copy, `weight ${JSON.stringify(w.name).slice(0, 80)}`);
    }
    at += n;
  }
}

type LayerCfg = { class_name?: unknown; config?: Record<string, unknown> };

/**
 * A TF.js layers model's layers: bounded in number and in the sizes their settings give, and every
 * layer with `units` or `filters` backed by a weight of the manifest of that size (TF.js builds and
 * initialises each layer's weights from its config before it reads the shards: a Conv2D declaring
 * 1e6 filters took gigabytes before any weight was checked).
 */
function checkLayersTopology(topology: unknown, specs: tf.io.WeightsManifestEntry[]): void {
  const t = topology as { model_config?: { config?: unknown }; config?: unknown };
  const cfg = (t.model_config ?? t).config as { layers?: unknown } | unknown[] | undefined;
  const layers = (Array.isArray(cfg) ? cfg : (cfg as { layers?: unknown })?.layers) as LayerCfg[] | undefined;
  if (!Array.isArray(layers)) return;
  checkCount(layers.length, 'layers');
  const dims = new Map<string, number[][]>();
  for (const w of specs) {
    const layer = w.name.split('/').slice(0, -1).join('/');
    dims.set(layer, [...(dims.get(layer) ?? []), w.shape]);
  }
  for (const l of layers) {
    const c = (l?.config ?? {}) as Record<string, unknown>;
    const name = String(c.name);
    const what = `layer '${name.slice(0, 80)}' (${String(l?.class_name).slice(0, 40)})`;
    checkLayerSizes(String(l?.class_name), c, what);
    for (const k of ['units', 'filters'] as const) {
      if (typeof c[k] !== 'number') continue;
      const shapes = [...dims.entries()]
        .filter(([p]) => p === name || p.endsWith('/' + name))
        .flatMap(([, s]) => s);
      if (
        !shapes.some(
          (s) => s.length && s[s.length - 1] % (c[k] as number) === 0 && s[s.length - 1] >= (c[k] as number),
        )
      )
        throw new ModelLimitError(
          `${what} declares ${k}=${c[k]} but the manifest has no weight of that size for it`,
        );
    }
  }
}

/**
 * Loads a model folder: model.json (TF.js layers or graph model) + its weight shards, read from the
 * file system (no fetch, no network), and metadata.json or labels.txt. Validates the input shape
 * against the features, the output size against the labels, and that a prediction is finite.
 */
export async function loadModelPackage(dir: string, options: ModelLoadOptions = {}): Promise<ModelPackage> {
  try {
    return await load(dir, options);
  } catch (e) {
    // Every load error is one line naming the folder (or the model file a format names), whatever threw it.
    if (e instanceof ModelError) throw new ModelError(e.dir, oneLine(e.problem));
    if (e instanceof ModelLimitError) throw new ModelError(dir, oneLine(e.message));
    throw new ModelError(dir, oneLine(`cannot be loaded (${(e as Error)?.message ?? String(e)})`));
  }
}

async function load(dir: string, options: ModelLoadOptions): Promise<ModelPackage> {
  const native = (pkg: ModelPackage, parts: KerasParts | undefined) =>
    preferNative(pkg, parts, options.onnxRunner, options.backend ?? backendChoice());
  await initTfBackend();
  const target = await resolveModelTarget(dir);
  if (target.kind === 'graphdef') return loadGraphDefPackage(target.file, options);
  dir = target.dir;
  const tflite = tfliteFiles(dir);
  const onnx = onnxFiles(dir);
  const json = existsSync(join(dir, 'model.json')) ? ['model.json'] : [];
  if (onnx.length && (json.length || tflite.length))
    throw new ModelError(
      dir,
      `both ${[...json, ...tflite].join(', ')} and ${onnx.join(', ')}: keep one model per folder`,
    );
  if (tflite.length) {
    if (json.length) {
      throw new ModelError(dir, `both model.json and ${tflite.join(', ')}: keep one model per folder`);
    }
    return loadTflitePackage(dir);
  }
  if (onnx.length) {
    if (onnx.length > 1)
      throw new ModelError(dir, `${onnx.length} .onnx files (${onnx.join(', ')}): keep one model per folder`);
    const metadata = await loadMetadata(dir);
    if (options.labelsFile) metadata.labels = await readLabelsFile(options.labelsFile);
    return loadOnnxPackage(dir, onnx[0], metadata, options.onnxRunner);
  }
  const metadata = await loadMetadata(dir);
  if (options.labelsFile) metadata.labels = await readLabelsFile(options.labelsFile);
  const keras = findKerasFile(dir);
  if (keras) return loadKerasPackage(dir, keras, metadata, (pkg, parts) => native(pkg, parts));
  const modelJsonBytes = await readModelFileOr(dir, 'model.json', 'model file', MODEL_FILE_LIMITS.json);
  let modelJson: {
    format?: string;
    modelTopology?: unknown;
    weightsManifest?: unknown;
    [k: string]: unknown;
  };
  try {
    const text = modelJsonBytes.toString('utf8');
    checkJsonNesting(text, 'model.json');
    modelJson = JSON.parse(text);
  } catch (e) {
    if (e instanceof ModelLimitError) throw e;
    throw new ModelError(dir, `model.json is not valid JSON (${(e as Error).message})`);
  }
  if (
    !modelJson ||
    typeof modelJson !== 'object' ||
    !modelJson.modelTopology ||
    !Array.isArray(modelJson.weightsManifest)
  ) {
    throw new ModelError(
      dir,
      'model.json is not a TensorFlow.js model (no modelTopology or weightsManifest)',
    );
  }
  const hash = createHash('sha256').update(modelJsonBytes);
  const weightSpecs: tf.io.WeightsManifestEntry[] = [];
  const shards: Buffer[] = [];
  let budget = MODEL_FILE_LIMITS.weights;
  for (const group of checkManifest(dir, modelJson.weightsManifest)) {
    for (const p of group.paths) {
      const b = await readModelFileOr(dir, p, 'weight shard', budget);
      budget -= b.length;
      hash.update(b);
      shards.push(b);
    }
    weightSpecs.push(...group.weights);
  }
  hash.update(JSON.stringify(metadata));
  const all = Buffer.concat(shards);
  const expectedBytes = weightSpecs.reduce((n, w) => n + entryBytes(w), 0);
  // Quantised entries count at their stored width: the check is never skipped (it once was, for any
  // manifest with one "quantization" entry, and shards of the wrong size loaded silently).
  if (all.length !== expectedBytes) {
    throw new ModelError(dir, `weight shards hold ${all.length} bytes, the manifest needs ${expectedBytes}`);
  }
  checkFiniteWeights(weightSpecs, all);
  const isGraph =
    modelJson.format === 'graph-model' || !!(modelJson.modelTopology as { node?: unknown }).node;
  let topology: unknown = modelJson.modelTopology;
  let specs = weightSpecs;
  let weightData = all.buffer.slice(all.byteOffset, all.byteOffset + all.byteLength) as ArrayBuffer;
  const rawWeights = weightData;
  if (isGraph) {
    const nodes = (modelJson.modelTopology as { node?: unknown }).node;
    if (Array.isArray(nodes)) checkCount(nodes.length, 'graph nodes');
  } else checkLayersTopology(topology, weightSpecs);
  if (!isGraph) {
    const f = foldBatchNorm(topology, specs, weightData);
    topology = f.topology;
    specs = f.specs as tf.io.WeightsManifestEntry[];
    weightData = f.data;
  }
  const artifacts: tf.io.ModelArtifacts = {
    modelTopology: topology as tf.io.ModelArtifacts['modelTopology'],
    format: modelJson.format,
    generatedBy: modelJson.generatedBy as string | undefined,
    convertedBy: modelJson.convertedBy as string | null | undefined,
    weightSpecs: specs,
    weightData,
    signature: modelJson.signature as object | undefined,
    userDefinedMetadata: modelJson.userDefinedMetadata as tf.io.ModelArtifacts['userDefinedMetadata'],
    modelInitializer: modelJson.modelInitializer as object | undefined,
  };
  let predict: (x: tf.Tensor) => tf.Tensor;
  let both: ((x: tf.Tensor) => [tf.Tensor, tf.Tensor]) | undefined;
  let embeddingFrom = '';
  let inputShape: (number | null)[];
  let outputUnits: number | null | undefined;
  let dispose: () => void;
  try {
    if (isGraph) {
      const g = await tf.loadGraphModel(tf.io.fromMemory(artifacts));
      inputShape = (g.inputs[0].shape ?? []).map((d) => (d === -1 ? null : d));
      const os = g.outputs[0].shape;
      outputUnits = os ? os[os.length - 1] : undefined;
      predict = (x) => g.predict(x) as tf.Tensor;
      const out = g.outputNodes[0];
      const emb = penultimateNode((topology as { node?: GraphNodeLike[] }).node ?? [], out);
      if (emb) {
        both = (x) => g.execute(x, [out, emb]) as [tf.Tensor, tf.Tensor];
        embeddingFrom = `node ${emb}`;
      }
      dispose = () => g.dispose();
    } else {
      const m = await tf.loadLayersModel(tf.io.fromMemory(artifacts));
      // Each layer's output (TF.js infers the shapes at build) bounded before anything runs.
      try {
        for (const l of m.layers)
          for (const shape of (Array.isArray(l.outputShape[0]) ? l.outputShape : [l.outputShape]) as (
            number | null
          )[][])
            checkActivation(
              shape.reduce((a: number, d) => a * (d ?? 1), 1),
              1,
              `layer '${l.name.slice(0, 80)}' (${l.getClassName()})`,
            );
      } catch (e) {
        m.dispose();
        throw e;
      }
      inputShape = m.inputs[0].shape;
      const os = m.outputs[0].shape;
      outputUnits = os[os.length - 1];
      predict = (x) => m.predict(x) as tf.Tensor;
      // The last Dense layer's input, and the output, from one model sharing the layers' weights.
      const dense = [...m.layers].reverse().find((l) => l.getClassName() === 'Dense');
      const head =
        dense && tf.model({ inputs: m.inputs, outputs: [m.outputs[0], dense.input as tf.SymbolicTensor] });
      if (head) {
        both = (x) => head.predict(x) as [tf.Tensor, tf.Tensor];
        embeddingFrom = `layer ${dense.name}`;
      }
      dispose = () => m.dispose();
    }
  } catch (e) {
    if (e instanceof ModelLimitError) throw e;
    throw new ModelError(dir, `TensorFlow.js cannot load it (${(e as Error).message})`);
  }
  const { frames, bins } = await featureShape(metadata);
  const inputLayout = layoutOf(inputShape, frames, bins);
  if (!inputLayout) {
    dispose();
    throw new ModelError(
      dir,
      `input shape [${inputShape.map((d) => d ?? 'batch').join(', ')}] does not match the features ` +
        `(${metadata.features.type}: ${frames} frames x ${bins} bins, expected [batch, ${frames}, ${bins}, 1] or [batch, ${frames * bins}])`,
    );
  }
  if (metadata.features.normalize === 'dataset' && metadata.features.mean!.length !== bins) {
    dispose();
    throw new ModelError(
      dir,
      `metadata.json: features.mean has ${metadata.features.mean!.length} values for ${bins} bins`,
    );
  }
  const shapeOf = (n: number) => inputShapeOf(inputLayout, n, frames, bins);
  // A trial prediction on two windows: one row per window, one finite probability per label.
  let problem: string | undefined;
  let oneByOne = false;
  if (outputUnits != null && outputUnits !== metadata.labels.length)
    problem = `the model outputs ${outputUnits} values but there are ${metadata.labels.length} labels`;
  else {
    let trial;
    try {
      trial = await trialPredict(predict, shapeOf, metadata.labels.length);
    } catch (e) {
      dispose();
      throw e;
    }
    problem = trial.problem;
    if (trial.oneAtATime) {
      predict = oneAtATime(predict);
      oneByOne = true;
    }
  }
  if (problem) {
    dispose();
    throw new ModelError(dir, problem);
  }
  const shaped = (x: tf.Tensor) => x.reshape(shapeOf(x.shape[0]));
  // Embeddings (review) in the same run, for models that take a batch.
  const embed =
    !oneByOne &&
    both &&
    ((x: tf.Tensor) =>
      tf.tidy(() => {
        const [output, e] = both!(shaped(x));
        return { output, embedding: flatRows(e) };
      }));
  type LayersTopology = { config?: { layers?: { class_name: string }[] } };
  const topo = modelJson.modelTopology as {
    node?: { op: string }[];
    model_config?: LayersTopology;
  } & LayersTopology;
  const ops = isGraph
    ? (topo.node ?? []).map((n) => n.op)
    : ((topo.model_config ?? topo).config?.layers ?? []).map((l) => l.class_name);
  const pkg: ModelPackage = {
    dir,
    metadata,
    format: isGraph ? 'graph-model' : 'layers-model',
    ops: [...new Set(ops)].sort(),
    inputLayout,
    frames,
    bins,
    hash: hash.digest('hex'),
    // In a tidy: the reshaped input is a tensor of its own, and left undisposed it kept every batch's
    // input alive in the WASM heap (7.8 KB a clip: 1.1 GB over a 10-hour file's 144,000 windows).
    predict: (x) => tf.tidy(() => predict(shaped(x))),
    ...(embed && { embed, embeddingSource: describeEmbedding(embeddingFrom, embed, shapeOf(1)) }),
    dispose,
  };
  if (isGraph) return pkg;
  // The same weights the TF.js model was built from (before its batch-norm fold).
  return native(pkg, tfjsKerasParts(modelJson.modelTopology, weightSpecs, rawWeights));
}
