import * as tf from '@tensorflow/tfjs';
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { FeatureExtractor } from '../audio/features';
import { clipSamples, featureConfigOf, loadMetadata, ModelError, type ModelMetadata } from './metadata';

export { ModelError };
import { foldBatchNorm } from './foldBatchNorm';
import { initTfBackend } from './tfBackend';

/** A loaded model package, ready to predict. */
export interface ModelPackage {
  dir: string;
  metadata: ModelMetadata;
  format: 'layers-model' | 'graph-model';
  /** Input layout: [batch, frames, bins, 1], [batch, frames, bins] or [batch, frames * bins]. */
  inputLayout: 'image' | 'sequence' | 'flat';
  frames: number;
  bins: number;
  /** sha256 of model.json, the shards and the metadata: the cache key of results. */
  hash: string;
  predict(batch: tf.Tensor): tf.Tensor;
  dispose(): void;
}

async function readOr(dir: string, file: string, what: string): Promise<Buffer> {
  try {
    return await readFile(join(dir, file));
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new ModelError(
      dir,
      `${what} ${file} ${code === 'ENOENT' ? 'is missing' : `cannot be read (${code})`}`,
    );
  }
}

/**
 * Loads a model folder: model.json (TF.js layers or graph model) + its weight shards, read from the
 * file system (no fetch, no network), and metadata.json or labels.txt. Validates the input shape
 * against the features, the output size against the labels, and that a prediction is finite.
 */
export async function loadModelPackage(dir: string): Promise<ModelPackage> {
  await initTfBackend();
  const metadata = await loadMetadata(dir);
  const modelJsonBytes = await readOr(dir, 'model.json', 'model file');
  let modelJson: {
    format?: string;
    modelTopology?: unknown;
    weightsManifest?: { paths: string[]; weights: tf.io.WeightsManifestEntry[] }[];
    [k: string]: unknown;
  };
  try {
    modelJson = JSON.parse(modelJsonBytes.toString('utf8'));
  } catch (e) {
    throw new ModelError(dir, `model.json is not valid JSON (${(e as Error).message})`);
  }
  if (!modelJson.modelTopology || !Array.isArray(modelJson.weightsManifest)) {
    throw new ModelError(
      dir,
      'model.json is not a TensorFlow.js model (no modelTopology or weightsManifest)',
    );
  }
  const hash = createHash('sha256').update(modelJsonBytes);
  const weightSpecs: tf.io.WeightsManifestEntry[] = [];
  const shards: Buffer[] = [];
  for (const group of modelJson.weightsManifest) {
    for (const p of group.paths) {
      const b = await readOr(dir, p, 'weight shard');
      hash.update(b);
      shards.push(b);
    }
    weightSpecs.push(...group.weights);
  }
  hash.update(JSON.stringify(metadata));
  const all = Buffer.concat(shards);
  const expectedBytes = weightSpecs.reduce(
    (s, w) =>
      s +
      w.shape.reduce((a, b) => a * b, 1) * (w.dtype === 'float32' || w.dtype === 'int32' || !w.dtype ? 4 : 1),
    0,
  );
  if (!weightSpecs.some((w) => w.quantization) && all.length !== expectedBytes) {
    throw new ModelError(dir, `weight shards hold ${all.length} bytes, the manifest needs ${expectedBytes}`);
  }
  const isGraph =
    modelJson.format === 'graph-model' || !!(modelJson.modelTopology as { node?: unknown }).node;
  let topology: unknown = modelJson.modelTopology;
  let specs = weightSpecs;
  let weightData = all.buffer.slice(all.byteOffset, all.byteOffset + all.byteLength) as ArrayBuffer;
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
      dispose = () => g.dispose();
    } else {
      const m = await tf.loadLayersModel(tf.io.fromMemory(artifacts));
      inputShape = m.inputs[0].shape;
      const os = m.outputs[0].shape;
      outputUnits = os[os.length - 1];
      predict = (x) => m.predict(x) as tf.Tensor;
      dispose = () => m.dispose();
    }
  } catch (e) {
    throw new ModelError(dir, `TensorFlow.js cannot load it (${(e as Error).message})`);
  }
  const fx = await FeatureExtractor.create(featureConfigOf(metadata));
  const frames = fx.frameCount(clipSamples(metadata));
  const bins = fx.bins;
  fx.dispose();
  const dims = inputShape.slice(1);
  const fits = (a: (number | null)[], b: number[]) =>
    a.length === b.length && a.every((d, i) => d === null || d === b[i]);
  const inputLayout = fits(dims, [frames, bins, 1])
    ? 'image'
    : fits(dims, [frames, bins])
      ? 'sequence'
      : fits(dims, [frames * bins])
        ? 'flat'
        : undefined;
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
  const shapeOf = (n: number) =>
    inputLayout === 'image'
      ? [n, frames, bins, 1]
      : inputLayout === 'sequence'
        ? [n, frames, bins]
        : [n, frames * bins];
  // A trial prediction: the output must have one finite probability per label.
  const probe = tf.tidy(() => predict(tf.zeros(shapeOf(1))));
  const out = await probe.data();
  const units = probe.shape[probe.shape.length - 1];
  probe.dispose();
  if ((outputUnits ?? units) !== metadata.labels.length || units !== metadata.labels.length) {
    dispose();
    throw new ModelError(
      dir,
      `the model outputs ${units} values but there are ${metadata.labels.length} labels`,
    );
  }
  if (!Array.from(out).every(Number.isFinite)) {
    dispose();
    throw new ModelError(dir, 'the model gives non-finite output (NaN or Infinity) on silence');
  }
  return {
    dir,
    metadata,
    format: isGraph ? 'graph-model' : 'layers-model',
    inputLayout,
    frames,
    bins,
    hash: hash.digest('hex'),
    predict: (x) => predict(x.reshape(shapeOf(x.shape[0]))),
    dispose,
  };
}
