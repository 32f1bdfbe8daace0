/**
 * Keras model files, as users have them, with no conversion and no Python:
 * - `.keras` (Keras 3): a zip of config.json + model.weights.h5 (+ metadata.json), read in memory
 *   with fflate (never extracted to disk);
 * - `.h5` / `.hdf5` (legacy HDF5): the config in the root attribute `model_config`, the weights in
 *   `model_weights/<layer>/<weight name>` listed by each group's `weight_names` attribute.
 * HDF5 is read with jsfive (pure JS: 80 KB bundled, no start-up cost; h5wasm was measured too: a
 * 5.3-MB bundle and 0.7-0.9 s to start its WebAssembly, for the same read times on these files).
 * The network is rebuilt layer by layer with TF.js ops (kerasLayers.ts), Sequential or Functional.
 */
import * as tf from '@tensorflow/tfjs';
import { unzipSync } from 'fflate';
import * as hdf5 from 'jsfive';
import { createHash } from 'node:crypto';
import { inflateSync } from 'node:zlib';
import { readdirSync } from 'node:fs';
import { extname } from 'node:path';
import { describeEmbedding, flatRows, type EmbedFn } from '../embedding';
import { ModelError, type ModelMetadata } from '../metadata';
import { MODEL_FILE_LIMITS } from '../modelFiles';
import { readModelFileOr } from '../readModel';
import {
  checkActivation,
  checkCount,
  checkFinite,
  checkInflatedSize,
  checkJsonNesting,
  checkLayerSizes,
  ModelLimitError,
  shapeSize,
} from '../limits';
import { oneAtATime, trialPredict } from '../trial';
import { featureShape, inputShapeOf, layoutOf } from '../inputLayout';
import type { ModelPackage } from '../package';
import { layerSpecs, schedule, type LayerSpec } from './kerasConfig';
import { kerasParts, type KerasParts } from '../graph/fromKeras';
import { buildLayer, KerasLayerError, type LayerFn, type Weight } from './kerasLayers';

const KERAS_EXTS = ['.keras', '.h5', '.hdf5'];

/**
 * How many more bytes HDF5 gzip chunks may inflate to in the dataset being read (set from its
 * declared size before each read). jsfive inflates chunks with pako without a bound: a 375-KB file
 * whose one chunk inflated to 1.5 GB ended Node with "heap out of memory". Its gzip filter is
 * replaced by zlib's, given at most this much room.
 */
let inflateBudget = 0;
hdf5.Filters.set(1, (buf) => {
  let out: Buffer;
  try {
    out = inflateSync(new Uint8Array(buf), { maxOutputLength: Math.max(1, inflateBudget) });
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE')
      throw new ModelLimitError("a gzip-compressed chunk inflates beyond its dataset's declared size");
    throw e;
  }
  inflateBudget -= out.length;
  return out.buffer.slice(out.byteOffset, out.byteOffset + out.byteLength) as ArrayBuffer;
});

/** The Keras model file of a folder: one `.keras`, `.h5` or `.hdf5`; undefined when there is none. */
export function findKerasFile(dir: string): string | undefined {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return undefined;
  }
  const found = names.filter((n) => KERAS_EXTS.includes(extname(n).toLowerCase())).sort();
  if (found.length === 0) return undefined;
  const others = names.filter((n) => n === 'model.json');
  if (found.length + others.length > 1)
    throw new ModelError(
      dir,
      `several candidate model files: ${[...found, ...others].join(', ')} (keep one)`,
    );
  return found[0];
}

type Cfg = Record<string, unknown>;

/**
 * The end-of-file address an HDF5 superblock declares (versions 0-3), or undefined. jsfive reads only
 * the objects asked for, so a file cut after the model's weights (e.g. in its optimizer state) would
 * load silently; the superblock's EOF address tells a truncated file from a whole one.
 */
export function hdf5DeclaredSize(bytes: Uint8Array): number | undefined {
  const sig = [0x89, 0x48, 0x44, 0x46, 0x0d, 0x0a, 0x1a, 0x0a];
  if (bytes.length < 16 || !sig.every((v, i) => bytes[i] === v)) return undefined;
  const version = bytes[8];
  const offsetSize = version <= 1 ? bytes[13] : bytes[9];
  const at = version === 0 ? 24 : version === 1 ? 28 : 12;
  if (offsetSize !== 4 && offsetSize !== 8) return undefined;
  if (bytes.length < at + 3 * offsetSize) return Infinity;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const read = (o: number) =>
    offsetSize === 4 ? view.getUint32(o, true) : Number(view.getBigUint64(o, true));
  const base = read(at);
  const eof = read(at + 2 * offsetSize);
  return base + eof;
}

/** Opens an HDF5 buffer; a truncated or corrupt file is one clear error. */
function openHdf5(dir: string, file: string, bytes: Uint8Array): hdf5.File {
  const declared = hdf5DeclaredSize(bytes);
  if (declared !== undefined && declared > bytes.length)
    throw new ModelError(
      dir,
      `${file} is not a readable HDF5 file, truncated or corrupt (${bytes.length} bytes, its superblock declares ${declared === Infinity ? 'more' : declared})`,
    );
  try {
    const f = new hdf5.File(
      bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer,
      file,
    );
    void f.keys;
    return f;
  } catch (e) {
    throw new ModelError(
      dir,
      `${file} is not a readable HDF5 file, truncated or corrupt (${(e as Error).message})`,
    );
  }
}

/** keras.src.utils.naming.to_snake_case: the .keras weight file's group names. */
function snake(name: string): string {
  return name
    .replace(/\W+/g, '')
    .replace(/(.)([A-Z][a-z]+)/g, '$1_$2')
    .replace(/([a-z])([A-Z])/g, '$1_$2')
    .toLowerCase();
}

/**
 * One weight read from its dataset: shape bounded before anything is read or inflated; each dataset
 * read once (`read` holds their file addresses: hard links or repeated weight_names made one dataset
 * be inflated 200 times); finite values of exactly the declared count.
 */
function datasetWeight(
  dir: string,
  file: string,
  d: hdf5.Group | hdf5.Dataset,
  name: string,
  read: Set<unknown>,
): Weight {
  if (!(d instanceof hdf5.Dataset)) throw new ModelError(dir, `${file}: weight ${name} is not a dataset`);
  const dtype = String(d.dtype);
  // Floats; integers too (Normalization's `count` is int64: read, unused).
  if (!/^[<>]([fiu][248]|f8)$/.test(dtype))
    throw new ModelError(
      dir,
      `${file}: weight ${name} has dtype ${dtype} (float32, float64 or integer expected)`,
    );
  let shape: number[];
  let address: unknown;
  try {
    shape = d.shape ?? [];
    address = (d as unknown as { _dataobjects?: { offset?: unknown } })._dataobjects?.offset ?? name;
  } catch (e) {
    throw new ModelError(
      dir,
      `${file}: weight ${name} cannot be read, truncated or corrupt (${(e as Error).message})`,
    );
  }
  const size = shapeSize(shape, `${file}: weight ${name}`);
  if (read.has(address))
    throw new ModelLimitError(
      `${file}: weight ${name} is a dataset already read (a link or a repeated weight name)`,
    );
  read.add(address);
  let value: ArrayLike<number>;
  inflateBudget = Math.max(2 * size * Number(dtype.slice(2)), 1 << 20);
  try {
    value = d.value;
  } catch (e) {
    if (e instanceof ModelLimitError) throw new ModelLimitError(`${file}: weight ${name}: ${e.message}`);
    throw new ModelError(
      dir,
      `${file}: weight ${name} cannot be read, truncated or corrupt (${(e as Error).message})`,
    );
  }
  if (value.length !== size)
    throw new ModelError(
      dir,
      `${file}: weight ${name} holds ${value.length} values for shape [${shape.join(', ')}]`,
    );
  const data = Float32Array.from(value as ArrayLike<number | bigint>, Number);
  checkFinite(data, `${file}: weight ${name}`);
  return { name, shape, data };
}

/** Weights of each layer of a `.keras` weights file: layers/<snake class name>[_n]/vars/<i>. */
function kerasWeights(
  dir: string,
  file: string,
  h5: hdf5.File,
  specs: LayerSpec[],
  sequential: boolean,
): Map<string, Weight[]> {
  const out = new Map<string, Weight[]>();
  const used = new Map<string, number>();
  const read = new Set<unknown>();
  for (const s of specs) {
    if (sequential && s.className === 'InputLayer') continue; // Sequential.layers leaves it out
    let key = snake(s.className);
    const n = used.get(key);
    used.set(key, n === undefined ? 0 : n + 1);
    if (n !== undefined) key = `${key}_${n + 1}`;
    const path = `layers/${key}/vars`;
    let g: hdf5.Group | hdf5.Dataset | undefined;
    try {
      g = h5.get(path);
    } catch {
      g = undefined;
    }
    if (!g) {
      out.set(s.name, []);
      continue;
    }
    if (!(g instanceof hdf5.Group)) throw new ModelError(dir, `${file}: ${path} is not a group`);
    const idx = g.keys.map(Number).sort((a, b) => a - b);
    out.set(
      s.name,
      idx.map((i) => datasetWeight(dir, file, g.get(String(i)), `${s.name}/${i}`, read)),
    );
  }
  return out;
}

/** Weights of each layer of a legacy .h5: model_weights/<layer>/<weight name> by weight_names. */
function legacyWeights(dir: string, file: string, h5: hdf5.File, specs: LayerSpec[]): Map<string, Weight[]> {
  const out = new Map<string, Weight[]>();
  const read = new Set<unknown>();
  let root: hdf5.Group | hdf5.Dataset;
  try {
    root = h5.keys.includes('model_weights') ? h5.get('model_weights') : h5;
  } catch (e) {
    throw new ModelError(dir, `${file}: model_weights cannot be read (${(e as Error).message})`);
  }
  if (!(root instanceof hdf5.Group)) throw new ModelError(dir, `${file}: model_weights is not a group`);
  for (const s of specs) {
    if (!root.keys.includes(s.name)) {
      out.set(s.name, []);
      continue;
    }
    const g = root.get(s.name);
    const names = (g.attrs.weight_names ?? []) as unknown;
    const list = Array.isArray(names) ? names.map(String) : [];
    checkCount(list.length, `weight names of layer '${s.name.slice(0, 80)}'`);
    out.set(
      s.name,
      list.map((wn) => {
        let d: hdf5.Group | hdf5.Dataset;
        try {
          d = (g as hdf5.Group).get(wn);
        } catch (e) {
          throw new ModelError(
            dir,
            `${file}: weight ${s.name}/${wn} cannot be read, truncated or corrupt (${(e as Error).message})`,
          );
        }
        if (!d) throw new ModelError(dir, `${file}: weight ${s.name}/${wn} is missing`);
        return datasetWeight(dir, file, d, `${s.name}/${wn}`, read);
      }),
    );
  }
  return out;
}

/**
 * The layer's output size bounded from its inputs' shapes and its settings, checked before it runs
 * (limits.ts): a Resizing to 4,096 x 4,096 followed by a Conv2D of 1,000 filters passes every
 * setting's own bound but would ask the WASM heap for gigabytes.
 */
function bounded(s: LayerSpec, fn: LayerFn): LayerFn {
  const c = s.config;
  const n = (k: string, d: number) => (typeof c[k] === 'number' ? (c[k] as number) : d);
  const sum = (v: unknown): number =>
    Array.isArray(v) ? v.reduce((a: number, x) => a + sum(x), 0) : typeof v === 'number' ? v : 0;
  return (inputs) => {
    const [x] = inputs;
    const [batch = 1, h = 1, w = 1, ch = 1] = x.shape;
    let out = Math.max(...inputs.map((t) => t.size));
    switch (s.className) {
      case 'Resizing':
        out = batch * n('height', 1) * n('width', 1) * ch;
        break;
      case 'ZeroPadding2D':
        out = batch * (h + 2 * sum(c.padding)) * (w + 2 * sum(c.padding)) * ch;
        break;
      case 'Conv2D':
      case 'SeparableConv2D':
        out = batch * h * w * n('filters', 1);
        break;
      case 'DepthwiseConv2D':
        out = batch * h * w * ch * n('depth_multiplier', 1);
        break;
      case 'Dense':
        out = (x.size / x.shape[x.rank - 1]) * n('units', 1);
        break;
      case 'Concatenate':
        out = inputs.reduce((a, t) => a + t.size, 0);
        break;
    }
    checkActivation(out, batch, `layer '${s.name.slice(0, 80)}' (${s.className})`);
    return fn(inputs);
  };
}

/** The network: config.json's model, its layers built, a forward function. */
interface Network {
  inputShape: (number | null)[];
  run(x: tf.Tensor): tf.Tensor;
  /** The output and the last Dense layer's input, when the model has a Dense layer. */
  both?: (x: tf.Tensor) => [tf.Tensor, tf.Tensor];
  dense?: string;
  ops: string[];
  owned: tf.Tensor[];
  /** What the graph importer reads (graph/fromKeras.ts). */
  parts?: KerasParts;
}

function buildNetwork(
  dir: string,
  file: string,
  model: Cfg,
  weights: (specs: LayerSpec[], sequential: boolean) => Map<string, Weight[]>,
): Network {
  const cls = String(model.class_name);
  const config = (model.config ?? {}) as Cfg;
  const sequential = cls === 'Sequential';
  if (!sequential && cls !== 'Functional' && cls !== 'Model')
    throw new ModelError(dir, `${file}: the model is a ${cls} (Sequential or Functional models only)`);
  if (Array.isArray(config.layers)) checkCount(config.layers.length, 'layers');
  const specs = layerSpecs(config);
  if (specs.length === 0) throw new ModelError(dir, `${file}: the model has no layers`);
  for (const s of specs) {
    checkLayerSizes(
      s.className,
      s.config,
      `${file}: layer '${s.name.slice(0, 80)}' (${s.className.slice(0, 40)})`,
    );
    if (s.className === 'Sequential' || s.className === 'Functional' || s.className === 'Model')
      throw new ModelError(
        dir,
        `${file}: layer '${s.name}' (${s.className}) is not supported (nested models)`,
      );
  }
  const ws = weights(specs, sequential);
  const parts = kerasParts(model, specs, ws);
  const owned: tf.Tensor[] = [];
  const fns = new Map<string, LayerFn>();
  try {
    for (const s of specs)
      fns.set(s.name, bounded(s, buildLayer(s.className, s.name, s.config, ws.get(s.name) ?? [], owned)));
  } catch (e) {
    tf.dispose(owned);
    if (e instanceof KerasLayerError) throw new ModelError(dir, `${file}: ${e.message}`);
    throw e;
  }
  const shapeOf = (s: LayerSpec): (number | null)[] | undefined => {
    const c = s.config;
    const b = (c.batch_shape ?? c.batch_input_shape) as (number | null)[] | undefined;
    if (b) return b;
    const build = (c.build_config as Cfg | undefined)?.input_shape as (number | null)[] | undefined;
    return build;
  };
  const ops = [...new Set(specs.map((s) => s.className))];
  if (sequential) {
    const shape = shapeOf(specs[0]);
    if (!shape) {
      tf.dispose(owned);
      throw new ModelError(dir, `${file}: the model's input shape is not in its config`);
    }
    const chain = specs.map((s) => fns.get(s.name)!);
    const at = specs.map((s) => s.className).lastIndexOf('Dense');
    const both =
      at < 0
        ? undefined
        : (x: tf.Tensor): [tf.Tensor, tf.Tensor] => {
            const e = chain.slice(0, at).reduce((t, f) => f([t]), x);
            return [chain.slice(at).reduce((t, f) => f([t]), e), e];
          };
    const dense = at < 0 ? undefined : specs[at].name;
    return {
      inputShape: shape,
      ops,
      owned,
      run: (x) => chain.reduce((t, f) => f([t]), x),
      both,
      dense,
      parts,
    };
  }
  const refs = (v: unknown): [string, number, number][] => {
    const a = v as unknown[];
    return Array.isArray(a[0]) ? (a as [string, number, number][]) : [a as [string, number, number]];
  };
  const inputs = refs(config.input_layers);
  const outputs = refs(config.output_layers);
  if (inputs.length !== 1 || outputs.length !== 1) {
    tf.dispose(owned);
    throw new ModelError(
      dir,
      `${file}: the model has ${inputs.length} inputs and ${outputs.length} outputs (one of each expected)`,
    );
  }
  const inputSpec = specs.find((s) => s.name === inputs[0][0]);
  const inputShape = inputSpec && shapeOf(inputSpec);
  if (!inputShape) {
    tf.dispose(owned);
    throw new ModelError(dir, `${file}: the model's input shape is not in its config`);
  }
  const denseSpec = [...specs].reverse().find((s) => s.className === 'Dense' && s.inbound.length === 1);
  const order = schedule(specs, inputs[0][0]);
  const evaluate = (x: tf.Tensor): Map<string, tf.Tensor> => {
    const done = new Map<string, tf.Tensor>(); // `${layer}/${node}` -> output
    done.set(`${inputs[0][0]}/0`, x);
    for (const s of order)
      s.inbound.forEach((c, node) =>
        done.set(`${s.name}/${node}`, fns.get(s.name)!(c.map(([l, n]) => done.get(`${l}/${n}`)!))),
      );
    return done;
  };
  const output = (done: Map<string, tf.Tensor>) => {
    const y = done.get(`${outputs[0][0]}/${outputs[0][1]}`);
    if (!y) throw new Error(`the graph does not reach its output ${outputs[0][0]}`);
    return y;
  };
  const run = (x: tf.Tensor) => output(evaluate(x));
  const both =
    denseSpec &&
    ((x: tf.Tensor): [tf.Tensor, tf.Tensor] => {
      const done = evaluate(x);
      const [l, n] = denseSpec.inbound[0][0];
      return [output(done), done.get(`${l}/${n}`)!];
    });
  return { inputShape, ops, owned, run, both, dense: denseSpec?.name, parts };
}

/** Loads a Keras model folder: `file` (.keras or .h5) and the metadata already read. */
export async function loadKerasPackage(
  dir: string,
  file: string,
  metadata: ModelMetadata,
  native: (pkg: ModelPackage, parts: KerasParts | undefined) => Promise<ModelPackage>,
): Promise<ModelPackage> {
  try {
    return await loadKeras(dir, file, metadata, native);
  } catch (e) {
    if (e instanceof ModelLimitError)
      throw new ModelError(dir, e.message.startsWith(file) ? e.message : `${file}: ${e.message}`);
    throw e;
  }
}

async function loadKeras(
  dir: string,
  file: string,
  metadata: ModelMetadata,
  native: (pkg: ModelPackage, parts: KerasParts | undefined) => Promise<ModelPackage>,
): Promise<ModelPackage> {
  const bytes = await readModelFileOr(dir, file, 'model file', MODEL_FILE_LIMITS.weights);
  const hash = createHash('sha256').update(bytes);
  hash.update(JSON.stringify(metadata));
  let net: Network;
  if (extname(file).toLowerCase() === '.keras') {
    let entries: Record<string, Uint8Array>;
    try {
      entries = unzipSync(bytes, {
        // Declared sizes checked before inflating (fflate then inflates into exactly that room).
        filter: (f) => {
          if (f.name !== 'config.json' && f.name !== 'model.weights.h5') return false;
          const limit = f.name === 'config.json' ? MODEL_FILE_LIMITS.json : MODEL_FILE_LIMITS.weights;
          checkInflatedSize(f.originalSize, f.size, limit, `${file}: ${f.name}`);
          return true;
        },
      });
    } catch (e) {
      if (e instanceof ModelLimitError) throw e;
      throw new ModelError(
        dir,
        `${file} is not a readable .keras zip, truncated or corrupt (${(e as Error).message})`,
      );
    }
    for (const n of ['config.json', 'model.weights.h5'])
      if (!entries[n]) throw new ModelError(dir, `${file} has no ${n} (not a Keras 3 .keras file)`);
    let model: Cfg;
    try {
      const text = Buffer.from(entries['config.json']).toString('utf8');
      checkJsonNesting(text, `${file}: config.json`);
      model = JSON.parse(text) as Cfg;
    } catch (e) {
      if (e instanceof ModelLimitError) throw e;
      throw new ModelError(dir, `${file}: config.json is not valid JSON (${(e as Error).message})`);
    }
    const h5 = openHdf5(dir, `${file}/model.weights.h5`, entries['model.weights.h5']);
    net = buildNetwork(dir, file, model, (specs, seq) =>
      kerasWeights(dir, `${file}/model.weights.h5`, h5, specs, seq),
    );
  } else {
    const h5 = openHdf5(dir, file, bytes);
    let cfgText: unknown;
    try {
      cfgText = h5.attrs.model_config;
    } catch (e) {
      throw new ModelError(
        dir,
        `${file} is not a readable HDF5 file, truncated or corrupt (${(e as Error).message})`,
      );
    }
    if (typeof cfgText !== 'string')
      throw new ModelError(
        dir,
        `${file} has no model_config attribute (weights only? save the whole model with model.save)`,
      );
    let model: Cfg;
    try {
      checkJsonNesting(cfgText, `${file}: model_config`);
      model = JSON.parse(cfgText) as Cfg;
    } catch (e) {
      if (e instanceof ModelLimitError) throw e;
      throw new ModelError(dir, `${file}: model_config is not valid JSON (${(e as Error).message})`);
    }
    net = buildNetwork(dir, file, model, (specs) => legacyWeights(dir, file, h5, specs));
  }
  const dispose = () => tf.dispose(net.owned);
  try {
    const pkg = await checkPackage(dir, file, metadata, net, hash.digest('hex'), dispose);
    return await native(pkg, net.parts);
  } catch (e) {
    dispose();
    throw e;
  }
}

/** Input shape against the features, output size against the labels, a finite trial prediction. */
async function checkPackage(
  dir: string,
  file: string,
  metadata: ModelMetadata,
  net: Network,
  hash: string,
  dispose: () => void,
): Promise<ModelPackage> {
  const { frames, bins } = await featureShape(metadata);
  const inputLayout = layoutOf(net.inputShape, frames, bins);
  if (!inputLayout)
    throw new ModelError(
      dir,
      `${file}: input shape [${net.inputShape.map((d) => d ?? 'batch').join(', ')}] does not match the features ` +
        `(${metadata.features.type}: ${frames} frames x ${bins} bins, expected [batch, ${frames}, ${bins}, 1])`,
    );
  const shapeOf = (n: number) => inputShapeOf(inputLayout, n, frames, bins);
  // A trial prediction on two windows: one row of finite probabilities per window.
  let problem: string | undefined;
  let run = net.run;
  let oneByOne = false;
  try {
    const trial = await trialPredict(run, shapeOf, metadata.labels.length);
    problem = trial.problem;
    if (trial.oneAtATime) {
      run = oneAtATime(run);
      oneByOne = true;
    }
  } catch (e) {
    if (e instanceof ModelError || e instanceof ModelLimitError) throw e;
    throw new ModelError(dir, `${file}: TensorFlow.js cannot run it (${(e as Error).message})`);
  }
  if (problem) throw new ModelError(dir, `${file}: ${problem}`);
  // Embeddings (review): the last Dense layer's input in the same run, for models that take a batch.
  const both = oneByOne ? undefined : net.both;
  const embed: EmbedFn | undefined =
    both &&
    ((x) =>
      tf.tidy(() => {
        const [output, e] = both(x.reshape(shapeOf(x.shape[0])));
        return { output, embedding: flatRows(e) };
      }));
  return {
    dir,
    metadata,
    format: 'keras',
    ops: net.ops,
    inputLayout,
    frames,
    bins,
    hash,
    predict: (x) => tf.tidy(() => run(x.reshape(shapeOf(x.shape[0])))),
    ...(embed && { embed, embeddingSource: describeEmbedding(`layer ${net.dense}`, embed, shapeOf(1)) }),
    dispose,
  };
}
