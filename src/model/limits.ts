/**
 * Every bound and consistency check a model file must pass, in one place (issue 22, "model files
 * that lie"): every importer (TF.js, GraphDef, Keras, TFLite float and int8) calls these before it
 * allocates or runs what a file declares, so a small hostile file is refused in one line instead of
 * taking gigabytes, hanging, or scoring silently wrong. The one model representation (issue 21) is
 * meant to take these over as they are.
 *
 * Each check throws ModelLimitError (a message without the path); the loaders turn it into the
 * one-line ModelError naming the file.
 */

import { MetadataError, parseMetadata, type ModelMetadata } from './metadata';

/** A bound or consistency check a model file fails. */
export class ModelLimitError extends Error {}

const fail = (message: string): never => {
  throw new ModelLimitError(message);
};

/**
 * The bounds, each far above what a small speech/sound classifier uses (the seed's `conv` has 0.9 M
 * weights, its largest tensor 0.6 M values; a 60-s spectrogram of 4,096 bins would be 24 M values):
 * - a tensor (weight or activation) at most 2^26 values (256 MB as float32), rank at most 8;
 * - at most 100,000 tensors, operators, layers or graph nodes; JSON nested at most 100 deep;
 * - a compressed entry (zip, HDF5 gzip chunk) inflated at most to its declared size, and that at
 *   most 200 times its compressed size (real weights compress 1.1-5 times; a bomb 1,000 times);
 * - padding, cropping and resizing at most 4,096 per side; one window's features at most 2^24 values;
 * - an int8 model at most 2e9 multiply-adds per clip (the interpreter runs ~0.2 G a second).
 */
export const MODEL_LIMITS = {
  maxRank: 8,
  maxTensorValues: 2 ** 26,
  maxCount: 100_000,
  maxNesting: 100,
  maxInflateRatio: 200,
  maxSpatial: 4096,
  maxFeatureValues: 2 ** 24,
  maxInt8MultiplyAdds: 2e9,
  /** ONNX default-domain opsets onnxruntime-node 1.31 runs (older ones: re-export with opset >= 7). */
  minOnnxOpset: 7,
  maxOnnxOpset: 24,
  /** Seconds one native inference call may take before its process is killed (a hostile graph can loop). */
  maxNativeRunSec: 120,
};

/**
 * The number of values of a tensor of `shape`, after checking it is a shape: at most 8 dimensions,
 * each a non-negative integer (positive with `nonEmpty`: an activation of zero values loops or
 * divides by zero), at most 2^26 values together.
 */
export function shapeSize(shape: readonly unknown[], what: string, nonEmpty = false): number {
  if (!Array.isArray(shape)) fail(`${what} has no shape`);
  if (shape.length > MODEL_LIMITS.maxRank)
    fail(`${what} has ${shape.length} dimensions (limit ${MODEL_LIMITS.maxRank})`);
  let n = 1;
  for (const d of shape) {
    if (typeof d !== 'number' || !Number.isInteger(d) || d < (nonEmpty ? 1 : 0))
      fail(`${what} has a dimension ${String(d)} in its shape [${shape.join(', ')}]`);
    n *= d as number;
  }
  if (n > MODEL_LIMITS.maxTensorValues)
    fail(`${what} has shape [${shape.join(', ')}]: ${n} values (limit ${MODEL_LIMITS.maxTensorValues})`);
  return n;
}

/** A count of tensors, operators, layers or nodes at most MODEL_LIMITS.maxCount. */
export function checkCount(n: number, what: string): void {
  if (n > MODEL_LIMITS.maxCount) fail(`${n} ${what} (limit ${MODEL_LIMITS.maxCount})`);
}

/**
 * JSON text nested at most MODEL_LIMITS.maxNesting deep, checked on the text before JSON.parse (the
 * walkers of a parsed config recurse: a deeper one would overflow the stack).
 */
export function checkJsonNesting(text: string, what: string): void {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++;
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x5b || c === 0x7b) {
      if (++depth > MODEL_LIMITS.maxNesting)
        fail(`${what} is nested more than ${MODEL_LIMITS.maxNesting} levels deep`);
    } else if (c === 0x5d || c === 0x7d) depth--;
  }
}

/**
 * The size a compressed entry may inflate to: what it declares, when that is at most `limit` and at
 * most maxInflateRatio times its compressed size (1 MB always allowed). Checked before inflating;
 * the inflater is then given exactly this much room.
 */
export function checkInflatedSize(declared: number, compressed: number, limit: number, what: string): void {
  const ratioCap = Math.max(2 ** 20, compressed * MODEL_LIMITS.maxInflateRatio);
  if (declared > limit || declared > ratioCap)
    fail(
      `${what} declares ${declared} bytes inflated from ${compressed} (limit ${Math.min(limit, ratioCap)}: a compression bomb?)`,
    );
}

/** Weights hold finite numbers only (a NaN hides behind a ReLU on silence; it shows on sound). */
export function checkFinite(values: ArrayLike<number>, what: string): void {
  for (let i = 0; i < values.length; i++)
    if (!Number.isFinite(values[i]))
      fail(`${what} holds ${values[i]} at index ${i} (weights must be finite)`);
}

/** A weight's stored bytes against its declared shape and type. */
export function checkBytes(
  bytes: number,
  shape: readonly number[],
  bytesPerValue: number,
  what: string,
): void {
  const need = shapeSize(shape, what) * bytesPerValue;
  if (bytes !== need) fail(`${what} holds ${bytes} bytes for shape [${shape.join(', ')}] (${need} expected)`);
}

/** An integer setting (padding, size, stride...) within [min, max]. */
export function checkInt(v: unknown, min: number, max: number, what: string): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max)
    fail(`${what} is ${JSON.stringify(v)?.slice(0, 40)} (an integer from ${min} to ${max} expected)`);
  return v as number;
}

/**
 * Keras/TF.js layer settings that size tensors, bounded before the layer is built: padding and
 * cropping 0..4096, resizing and upsampling 1..4096, strides, pools and kernels 1..4096, a Reshape
 * target of at most 2^26 values. Numbers or nested lists of numbers; absent settings are skipped.
 */
export function checkLayerSizes(className: string, cfg: Record<string, unknown>, what: string): void {
  const S = MODEL_LIMITS.maxSpatial;
  const ints = (key: string, min: number, max: number) => {
    const walk = (v: unknown, path: string): void => {
      if (Array.isArray(v)) v.forEach((x, i) => walk(x, `${path}[${i}]`));
      else if (v !== null && v !== undefined) checkInt(v, min, max, `${what}: ${path}`);
    };
    if (cfg[key] !== undefined && typeof cfg[key] !== 'string') walk(cfg[key], key);
  };
  if (/Padding/.test(className)) ints('padding', 0, S);
  ints('cropping', 0, S);
  if (className === 'Resizing') {
    ints('height', 1, S);
    ints('width', 1, S);
  }
  if (/UpSampling/.test(className)) ints('size', 1, S);
  for (const k of ['strides', 'pool_size', 'kernel_size', 'dilation_rate', 'depth_multiplier']) ints(k, 1, S);
  for (const k of ['filters', 'units']) ints(k, 1, MODEL_LIMITS.maxTensorValues);
  if (className === 'Reshape' && Array.isArray(cfg.target_shape))
    shapeSize(
      (cfg.target_shape as unknown[]).map((d) => (d === -1 ? 1 : d)),
      `${what}: target_shape`,
      true,
    );
}

/** One window's features: at least one frame (a window longer than the clip gives none), bounded. */
export function checkFeatureShape(frames: number, bins: number): void {
  if (!(frames >= 1))
    fail(`the features have ${frames} frames (the window is longer than the clip): nothing to classify`);
  if (!(bins >= 1)) fail(`the features have ${bins} bins`);
  if (frames * bins > MODEL_LIMITS.maxFeatureValues)
    fail(
      `the features are ${frames} frames x ${bins} bins = ${frames * bins} values a window (limit ${MODEL_LIMITS.maxFeatureValues})`,
    );
}

/**
 * A trial prediction's output: one row per input window (`batch` rows: a graph that reshapes its
 * input to another batch size scores each clip with another clip's numbers) of one finite value per
 * label. Returns the problem, or undefined.
 */
export function trialOutputProblem(
  shape: readonly number[],
  values: ArrayLike<number>,
  batch: number,
  labels: number,
): string | undefined {
  const units = shape[shape.length - 1];
  if (units !== labels) return `the model outputs ${units} values but there are ${labels} labels`;
  if (shape.length !== 2 || shape[0] !== batch || values.length !== batch * labels)
    return `the model gives output of shape [${shape.join(', ')}] for ${batch} windows (one row of ${labels} values per window expected: it would score a clip with another's numbers)`;
  for (let i = 0; i < values.length; i++)
    if (!Number.isFinite(values[i])) return 'the model gives non-finite output (NaN or Infinity) on silence';
  return undefined;
}

/** Quantisation of an int8 tensor: one scale (or one per channel), finite and positive; zero points in range. */
export function checkQuantization(
  scale: readonly number[],
  zeroPoint: readonly number[],
  channels: number | undefined,
  what: string,
  zeroRange: [number, number] = [-128, 127],
): void {
  if (!scale.length) fail(`${what} has no quantisation scale`);
  if (scale.length > 1 && scale.length !== channels)
    fail(`${what} has ${scale.length} scales for ${channels ?? 1} channels`);
  for (const s of scale)
    if (!(Number.isFinite(s) && s > 0))
      fail(`${what} has quantisation scale ${s} (finite and positive expected)`);
  if (zeroPoint.length > 1 && zeroPoint.length !== scale.length)
    fail(`${what} has ${zeroPoint.length} zero points for ${scale.length} scales`);
  for (const z of zeroPoint)
    if (!Number.isInteger(z) || z < zeroRange[0] || z > zeroRange[1])
      fail(`${what} has zero point ${z} (an integer from ${zeroRange[0]} to ${zeroRange[1]} expected)`);
}

/**
 * Operators in a runnable order: every input is a constant, a graph input or the output of an
 * earlier operator; every tensor written once; every operator writes at least one tensor and never
 * one of its own inputs; the graph's outputs are written and its inputs are not. (An operator out of
 * order would read the previous clip's activations.)
 */
export function checkExecutionOrder(
  ops: readonly { name: string; inputs: readonly number[]; outputs: readonly number[] }[],
  graphInputs: readonly number[],
  graphOutputs: readonly number[],
  isConstant: (t: number) => boolean,
  tensorCount: number,
): void {
  checkCount(ops.length, 'operators');
  const written = new Set<number>(graphInputs);
  const index = (t: number, op: string) => {
    if (!Number.isInteger(t) || t >= tensorCount || t < -1)
      fail(`operator ${op} names tensor ${t}, which the model does not have`);
  };
  ops.forEach((op, k) => {
    const name = `${k} (${op.name})`;
    if (!op.outputs.length) fail(`operator ${name} writes no tensor`);
    for (const i of op.inputs) {
      index(i, name);
      if (i >= 0 && !written.has(i) && !isConstant(i))
        fail(`operator ${name} reads tensor ${i} before any operator writes it (operators out of order)`);
    }
    for (const o of op.outputs) {
      index(o, name);
      if (o < 0) fail(`operator ${name} writes no tensor`);
      if (op.inputs.includes(o)) fail(`operator ${name} writes its own input tensor ${o}`);
      if (written.has(o) || isConstant(o))
        fail(`operator ${name} writes tensor ${o}, which is already written`);
      written.add(o);
    }
  });
  for (const o of graphOutputs) if (!written.has(o)) fail(`no operator writes the output tensor ${o}`);
}

/**
 * A front end read from a model's graph (GraphDef attributes: desired_samples, window, DCT count,
 * filterbank, rate, micro settings) within the limits metadata.json has: checked by the same
 * parser, its messages naming `source` instead of metadata.json.
 */
export function checkFrontEnd(md: ModelMetadata, source: string): void {
  // metadata.json holds the micro settings in "features" itself.
  const json = JSON.parse(JSON.stringify(md));
  Object.assign(json.features, json.features.micro);
  delete json.features.micro;
  try {
    parseMetadata(json);
  } catch (e) {
    if (!(e instanceof MetadataError)) throw e;
    fail(e.message.replace(/^metadata\.json: /, `${source}: `).replace(/"features\.(\w+)"/, '"$1"'));
  }
}

/** The multiply-adds an int8 model takes per clip, at most MODEL_LIMITS.maxInt8MultiplyAdds. */
export function checkInt8Work(multiplyAdds: number): void {
  if (multiplyAdds > MODEL_LIMITS.maxInt8MultiplyAdds)
    fail(
      `the int8 model needs ${multiplyAdds.toExponential(2)} multiply-adds per clip (limit ${MODEL_LIMITS.maxInt8MultiplyAdds.toExponential(0)}): its operators declare sizes far beyond a small classifier`,
    );
}

/** An activation as computed against the shape its file declares (the batch dimension aside). */
export function checkDeclaredShape(
  declared: readonly number[],
  actual: readonly number[],
  what: string,
): void {
  const same = declared.length === actual.length && declared.every((d, i) => i === 0 || d === actual[i]);
  if (!same)
    fail(
      `${what} is declared [${declared.join(', ')}] but computes [${actual.join(', ')}] from its operator's weights`,
    );
}

/** An activation of `values` for `batch` windows: at most maxTensorValues a window. */
export function checkActivation(values: number, batch: number, what: string): void {
  if (values / Math.max(1, batch) > MODEL_LIMITS.maxTensorValues)
    fail(
      `${what} would give ${Math.round(values / Math.max(1, batch))} values a window (limit ${MODEL_LIMITS.maxTensorValues})`,
    );
}
