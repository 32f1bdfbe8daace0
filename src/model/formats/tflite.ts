// TFLite models (.tflite): a folder with one .tflite file and metadata.json (or labels.txt).
// Float32 models run through TF.js ops with TFLite's padding, stride and fused-activation
// semantics; full-integer int8 models run with TFLite's integer arithmetic (tfliteInt8.ts).
import * as tf from '@tensorflow/tfjs';
import { createHash } from 'node:crypto';
import { describeEmbedding, type EmbedFn } from '../embedding';
import { loadMetadata, ModelError } from '../metadata';
import { filesEnding, MODEL_FILE_LIMITS } from '../modelFiles';
import { readModelFileOr } from '../readModel';
import {
  checkBytes,
  checkDeclaredShape,
  checkExecutionOrder,
  checkFinite,
  checkQuantization,
  ModelLimitError,
  shapeSize,
  trialOutputProblem,
} from '../limits';
import { featureShape, layoutOf } from '../inputLayout';
import type { ModelPackage } from '../package';
import { initTfBackend } from '../tfBackend';
import { compileInt8, UnsupportedOpError } from './tfliteInt8';
import {
  activationOption,
  conv2dOptions,
  depthwiseOptions,
  FlatbufferError,
  fullyConnectedOptions,
  keepDims,
  Op,
  parseTflite,
  poolOptions,
  softmaxBeta,
  TensorType,
  typeName,
  type Activation,
  type TfliteModel,
  type TfliteOperator,
  type TfliteTensor,
} from './tfliteSchema';

/** The .tflite files of a folder (none: not a TFLite package). */
export function tfliteFiles(dir: string): string[] {
  return filesEnding(dir, '.tflite');
}

const size = (shape: number[]) => shape.reduce((a, b) => a * b, 1);

/** Loads a TFLite model folder as a ModelPackage. */
export async function loadTflitePackage(dir: string): Promise<ModelPackage> {
  const files = tfliteFiles(dir);
  try {
    return await loadTflite(dir, files);
  } catch (e) {
    if (e instanceof ModelLimitError) throw new ModelError(dir, `${files[0]}: ${e.message}`);
    throw e;
  }
}

/** Bytes of one value of a constant tensor's type (types a model here may hold as weights). */
const TYPE_BYTES: Record<number, number> = {
  [TensorType.FLOAT32]: 4,
  [TensorType.FLOAT16]: 2,
  [TensorType.INT32]: 4,
  [TensorType.INT8]: 1,
  [TensorType.UINT8]: 1,
  [TensorType.INT64]: 8,
  [TensorType.INT16]: 2,
};

/** The inputs an operator reads (RESHAPE's shape comes from its output tensor: see liveOperators). */
const readsOf = (op: TfliteOperator) => (op.code === Op.RESHAPE ? op.inputs.slice(0, 1) : op.inputs);

/**
 * The model's declarations checked against each other before anything runs (limits.ts): a runnable
 * operator order, bounded non-empty activations, constants holding exactly their shape's bytes and
 * finite floats, int8 tensors with usable quantisation. The int8 interpreter trusted the file: an
 * operator out of order scored each clip on the previous clip's activations.
 */
function checkTfliteModel(model: TfliteModel): void {
  const T = model.tensors;
  // Every operator of the file, before the dead ones are dropped: a second writer of a tensor, an
  // operator writing its own input or nothing, is refused even where it would not run.
  checkExecutionOrder(
    model.operators.map((op) => ({ name: op.name, inputs: op.inputs, outputs: op.outputs })),
    model.inputs,
    model.outputs,
    (t) => !!T[t].data,
    T.length,
  );
  const used = new Set<number>([...model.inputs, ...model.outputs]);
  for (const op of liveOperators(model))
    for (const t of [...readsOf(op), ...op.outputs]) if (t >= 0) used.add(t);
  for (const i of used) {
    const t = T[i];
    const what = `tensor ${i} (${t.name.slice(0, 80)})`;
    if (!t.data) {
      shapeSize(t.shape, what, true);
    } else if (TYPE_BYTES[t.type] !== undefined) {
      checkBytes(t.data.length, t.shape, TYPE_BYTES[t.type], what);
      if (t.type === TensorType.FLOAT32 || t.type === TensorType.FLOAT16) checkFinite(constValues(t)!, what);
    }
    if (t.type === TensorType.INT8)
      checkQuantization(t.scale, t.zeroPoint, t.shape[t.quantizedDimension], what);
    // An int32 bias of an int8 operator: its scale (input x filter scale) and zero point 0, as TFLite's
    // kernels require, even though the kernels compute the scale from the other two.
    if (t.type === TensorType.INT32 && (t.scale.length || t.zeroPoint.length))
      checkQuantization(t.scale, t.zeroPoint, t.shape[t.quantizedDimension], what, [0, 0]);
  }
}

async function loadTflite(dir: string, files: string[]): Promise<ModelPackage> {
  await initTfBackend();
  if (files.length !== 1) {
    throw new ModelError(
      dir,
      `${files.length} .tflite files (${files.join(', ')}): keep one model per folder`,
    );
  }
  const file = files[0];
  const metadata = await loadMetadata(dir);
  const bytes = await readModelFileOr(dir, file, 'model file', MODEL_FILE_LIMITS.weights);
  let model: TfliteModel;
  try {
    model = parseTflite(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.length));
  } catch (e) {
    if (e instanceof FlatbufferError) throw new ModelError(dir, `${file}: ${e.message}`);
    throw e;
  }
  checkTfliteModel(model);
  model = { ...model, operators: liveOperators(model) };
  const fail = (msg: string): never => {
    throw new ModelError(dir, `${file}: ${msg}`);
  };
  if (model.inputs.length !== 1 || model.outputs.length !== 1) {
    fail(
      `the model has ${model.inputs.length} inputs and ${model.outputs.length} outputs, expected one of each`,
    );
  }
  const input = model.tensors[model.inputs[0]];
  const output = model.tensors[model.outputs[0]];
  const activations = new Set<number>();
  for (const op of model.operators) {
    for (const i of op.code === Op.RESHAPE ? op.inputs.slice(0, 1) : op.inputs) {
      if (i >= 0 && !model.tensors[i].data) activations.add(i);
    }
  }
  const integer = [...activations].some((i) => model.tensors[i].type === TensorType.INT8);
  for (const i of activations) {
    const t = model.tensors[i].type;
    if (t !== TensorType.FLOAT32 && t !== TensorType.INT8) {
      fail(
        `tensor ${i} (${model.tensors[i].name}) is ${typeName(t)}: only float32 and int8 models are supported`,
      );
    }
  }
  const ops = [...new Set(model.operators.map((o) => o.name))];

  const { frames, bins } = await featureShape(metadata);
  const inputLayout = layoutOf(input.shape, frames, bins);
  if (!inputLayout || input.shape[0] !== 1) {
    fail(
      `input shape [${input.shape.join(', ')}] does not match the features (${metadata.features.type}: ` +
        `${frames} frames x ${bins} bins, expected [1, ${frames}, ${bins}, 1] or [1, ${frames * bins}])`,
    );
  }
  if (metadata.features.normalize === 'dataset' && metadata.features.mean!.length !== bins) {
    fail(`metadata.json: features.mean has ${metadata.features.mean!.length} values for ${bins} bins`);
  }
  const units = output.shape[output.shape.length - 1];
  if (size(output.shape) !== units || units !== metadata.labels.length) {
    fail(`the model outputs ${size(output.shape)} values but there are ${metadata.labels.length} labels`);
  }

  let predict: (x: tf.Tensor) => tf.Tensor;
  let both: ((x: tf.Tensor) => [tf.Tensor, tf.Tensor]) | undefined;
  let dispose: () => void;
  // The last FULLY_CONNECTED's input tensor: the dense layer's input, the embedding.
  const fc = [...model.operators].reverse().find((op) => op.code === Op.FULLY_CONNECTED);
  const embT = fc && fc.inputs[0] >= 0 && !model.tensors[fc.inputs[0]].data ? fc.inputs[0] : undefined;
  try {
    if (integer) {
      const program = compileInt8(model);
      if (embT !== undefined) {
        const t = model.tensors[embT];
        const d = size(t.shape);
        const scale = t.scale[0] ?? 1;
        const z = t.zeroPoint[0] ?? 0;
        both = (x) => {
          const n = x.shape[0];
          const data = x.dataSync() as Float32Array;
          const out = new Float32Array(n * units);
          const emb = new Float32Array(n * d);
          const per = program.inputSize;
          for (let i = 0; i < n; i++) {
            out.set(program.run(data.subarray(i * per, (i + 1) * per)), i * units);
            const v = program.tensor(embT)!;
            for (let j = 0; j < d; j++)
              emb[i * d + j] = t.type === TensorType.INT8 ? scale * (v[j] - z) : v[j];
          }
          return [tf.tensor2d(out, [n, units]), tf.tensor2d(emb, [n, d])];
        };
      }
      predict = (x) => {
        const n = x.shape[0];
        const data = x.dataSync() as Float32Array;
        const out = new Float32Array(n * units);
        const per = program.inputSize;
        for (let i = 0; i < n; i++) out.set(program.run(data.subarray(i * per, (i + 1) * per)), i * units);
        return tf.tensor2d(out, [n, units]);
      };
      dispose = () => {};
    } else {
      const g = compileFloat(model);
      try {
        g.checkShapes();
      } catch (e) {
        g.dispose();
        throw e;
      }
      predict = (x) => tf.tidy(() => g.run(x).reshape([x.shape[0], units]));
      if (embT !== undefined)
        both = (x) => {
          const [o, e] = g.run(x, embT);
          return [o.reshape([x.shape[0], units]), e.reshape([x.shape[0], -1])];
        };
      dispose = g.dispose;
    }
  } catch (e) {
    if (e instanceof UnsupportedOpError) fail(e.message);
    throw e;
  }
  // A trial prediction on two windows: one row of finite probabilities per window.
  const probe = predict(tf.zeros([2, frames * bins]));
  const out = await probe.data();
  const problem = trialOutputProblem(probe.shape, out, 2, units);
  probe.dispose();
  if (problem) {
    dispose();
    fail(problem);
  }
  const hash = createHash('sha256').update(bytes).update(JSON.stringify(metadata)).digest('hex');
  const embed: EmbedFn | undefined =
    both &&
    ((x) =>
      tf.tidy(() => {
        const [output, embedding] = both!(x.reshape([x.shape[0], frames * bins]));
        return { output, embedding };
      }));
  return {
    dir,
    metadata,
    format: 'tflite',
    ops,
    inputLayout: inputLayout!,
    frames,
    bins,
    hash,
    predict: (x) => tf.tidy(() => predict(x.reshape([x.shape[0], frames * bins]))),
    ...(embed && {
      embed,
      embeddingSource: describeEmbedding(`tensor ${model.tensors[embT!].name}`, embed, [1, frames * bins]),
    }),
    dispose,
  };
}

/**
 * The operators the output depends on. RESHAPE takes its shape from its output tensor's static
 * shape, so the shape arithmetic converters emit for a dynamic batch (SHAPE, STRIDED_SLICE, PACK
 * feeding RESHAPE's second input) is not needed and not run.
 */
function liveOperators(model: TfliteModel): TfliteOperator[] {
  const producer = new Map<number, TfliteOperator>();
  for (const op of model.operators) for (const o of op.outputs) producer.set(o, op);
  const live = new Set<TfliteOperator>();
  const stack = [...model.outputs];
  const seen = new Set<number>();
  while (stack.length) {
    const t = stack.pop()!;
    if (seen.has(t)) continue;
    seen.add(t);
    const op = producer.get(t);
    if (!op || live.has(op)) continue;
    live.add(op);
    for (const i of readsOf(op)) if (i >= 0) stack.push(i);
  }
  return model.operators.filter((o) => live.has(o));
}

/** float16 bits to a number. */
function half(h: number): number {
  const s = h & 0x8000 ? -1 : 1;
  const e = (h >> 10) & 0x1f;
  const f = h & 0x3ff;
  if (e === 0) return s * 2 ** -14 * (f / 1024);
  if (e === 31) return f ? NaN : s * Infinity;
  return s * 2 ** (e - 15) * (1 + f / 1024);
}

function constValues(t: TfliteTensor): Float32Array | Int32Array | Int8Array | undefined {
  if (!t.data) return undefined;
  const c = t.data.slice();
  switch (t.type) {
    case TensorType.FLOAT32:
      return new Float32Array(c.buffer, 0, c.length / 4);
    case TensorType.INT32:
      return new Int32Array(c.buffer, 0, c.length / 4);
    case TensorType.INT8:
      return new Int8Array(c.buffer, 0, c.length);
    case TensorType.FLOAT16: {
      const h = new Uint16Array(c.buffer, 0, c.length / 2);
      return Float32Array.from(h, half);
    }
    default:
      return undefined;
  }
}

function applyActivation(op: TfliteOperator, t: tf.Tensor, a: Activation): tf.Tensor {
  switch (a) {
    case 'none':
      return t;
    case 'relu':
      return tf.relu(t);
    case 'relu6':
      return tf.relu6(t);
    case 'relu_n1_to_1':
      return tf.clipByValue(t, -1, 1);
    case 'tanh':
      return tf.tanh(t);
    default:
      throw new UnsupportedOpError(op, `fused activation ${a} is not supported`);
  }
}

/** TF.js's fused kernels take these activations; the others are applied after. */
const fusable = (a: Activation): 'linear' | 'relu' | 'relu6' | undefined =>
  a === 'none' ? 'linear' : a === 'relu' ? 'relu' : a === 'relu6' ? 'relu6' : undefined;

/**
 * A float32 model as a sequence of TF.js ops over a batch. Weights become tensors once, in the
 * layout TF.js wants (filters [h, w, in, out], depthwise [h, w, in, multiplier], dense [in, out]).
 * The model's batch dimension (1) becomes the batch of the call.
 */
function compileFloat(model: TfliteModel): {
  run(x: tf.Tensor): tf.Tensor;
  run(x: tf.Tensor, also: number): [tf.Tensor, tf.Tensor];
  checkShapes(): void;
  dispose(): void;
} {
  const T = model.tensors;
  const owned: tf.Tensor[] = [];
  const keep = <U extends tf.Tensor>(t: U): U => {
    owned.push(t);
    return t;
  };
  const consts = new Map<number, tf.Tensor>();
  const constant = (i: number): tf.Tensor | undefined => {
    if (consts.has(i)) return consts.get(i);
    const v = constValues(T[i]);
    if (!v) return undefined;
    const t = keep(
      tf.tensor(v instanceof Int8Array ? Float32Array.from(v) : v, T[i].shape.length ? T[i].shape : []),
    );
    consts.set(i, t);
    return t;
  };
  const steps: ((env: Map<number, tf.Tensor>) => void)[] = [];
  try {
    const define = (i: number, t: tf.Tensor) => consts.set(i, t);
    for (const op of model.operators) steps.push(compileFloatOp(op, T, constant, keep, define));
  } catch (e) {
    for (const t of owned) t.dispose();
    throw e;
  }
  const input = model.inputs[0];
  const output = model.outputs[0];
  return {
    // `also`: a tensor to return with the output (the embedding).
    run: ((x: tf.Tensor, also?: number) => {
      const env = new Map<number, tf.Tensor>();
      env.set(input, x.reshape([-1, ...T[input].shape.slice(1)]));
      for (const s of steps) s(env);
      return also === undefined ? env.get(output)! : [env.get(output)!, env.get(also)!];
    }) as { (x: tf.Tensor): tf.Tensor; (x: tf.Tensor, also: number): [tf.Tensor, tf.Tensor] },
    checkShapes() {
      // Each activation as computed (one window) against its declared shape: TF.js computes from
      // the weights, so a declared shape that lies would otherwise pass unnoticed.
      tf.tidy(() => {
        const env = new Map<number, tf.Tensor>();
        env.set(input, tf.zeros([1, ...T[input].shape.slice(1)]));
        for (const s of steps) s(env);
        for (const [i, t] of env)
          if (!T[i].data) checkDeclaredShape(T[i].shape, t.shape, `tensor ${i} (${T[i].name.slice(0, 80)})`);
      });
    },
    dispose() {
      for (const t of owned) t.dispose();
    },
  };
}

function compileFloatOp(
  op: TfliteOperator,
  T: TfliteTensor[],
  constant: (i: number) => tf.Tensor | undefined,
  keep: <U extends tf.Tensor>(t: U) => U,
  define: (i: number, t: tf.Tensor) => void,
): (env: Map<number, tf.Tensor>) => void {
  const need = (cond: boolean, msg: string) => {
    if (!cond) throw new UnsupportedOpError(op, msg);
  };
  const out = op.outputs[0];
  const tout = T[out];
  const get = (env: Map<number, tf.Tensor>, k: number): tf.Tensor => {
    const i = op.inputs[k];
    const c = constant(i);
    if (c) return c;
    const v = env.get(i);
    if (!v) throw new UnsupportedOpError(op, `input tensor ${i} (${T[i].name}) has no value`);
    return v;
  };
  const x0 = T[op.inputs[0]];
  need(
    x0.type === TensorType.FLOAT32 || (op.code === Op.DEQUANTIZE && !!x0.data),
    `${typeName(x0.type)} input in a float model`,
  );
  switch (op.code) {
    case Op.CONV_2D:
    case Op.DEPTHWISE_CONV_2D: {
      const depthwise = op.code === Op.DEPTHWISE_CONV_2D;
      const o = depthwise ? depthwiseOptions(op.options) : conv2dOptions(op.options);
      const w = constant(op.inputs[1]);
      need(!!w && w.rank === 4, 'the filter must be a constant 4-D tensor');
      need(
        (o.strideH === 1 && o.strideW === 1) || (o.dilationH === 1 && o.dilationW === 1),
        'strides and dilations above 1 together are not supported',
      );
      const inC = x0.shape[3];
      const ws = T[op.inputs[1]].shape;
      const filter = keep(
        depthwise ? w!.reshape([ws[1], ws[2], inC, ws[3] / inC]) : tf.transpose(w!, [1, 2, 3, 0]),
      ) as tf.Tensor4D;
      const bias = op.inputs[2] >= 0 ? (constant(op.inputs[2]) as tf.Tensor1D) : undefined;
      const f = fusable(o.activation);
      return (env) => {
        const args = {
          x: get(env, 0) as tf.Tensor4D,
          filter,
          strides: [o.strideH, o.strideW] as [number, number],
          pad: o.padding,
          dataFormat: 'NHWC' as const,
          dilations: [o.dilationH, o.dilationW] as [number, number],
          bias,
          activation: f ?? 'linear',
        };
        const y = depthwise ? tf.fused.depthwiseConv2d(args) : tf.fused.conv2d(args);
        env.set(out, f ? y : applyActivation(op, y, o.activation));
      };
    }
    case Op.FULLY_CONNECTED: {
      const o = fullyConnectedOptions(op.options);
      need(o.weightsFormat === 0, 'shuffled weights are not supported');
      const w = constant(op.inputs[1]);
      need(!!w && w.rank === 2, 'the weights must be a constant 2-D tensor');
      const [units, depth] = T[op.inputs[1]].shape;
      const wt = keep(tf.transpose(w!)) as tf.Tensor2D;
      const bias = op.inputs.length > 2 && op.inputs[2] >= 0 ? constant(op.inputs[2]) : undefined;
      const f = fusable(o.activation);
      return (env) => {
        const x = get(env, 0);
        const y = tf.fused.matMul({
          a: x.reshape([-1, depth]) as tf.Tensor2D,
          b: wt,
          bias,
          activation: f ?? 'linear',
        });
        const shaped = o.keepNumDims ? y.reshape([...x.shape.slice(0, -1), units]) : y;
        env.set(out, f ? shaped : applyActivation(op, shaped, o.activation));
      };
    }
    case Op.MAX_POOL_2D:
    case Op.AVERAGE_POOL_2D: {
      const o = poolOptions(op.options);
      const max = op.code === Op.MAX_POOL_2D;
      return (env) => {
        const x = get(env, 0) as tf.Tensor4D;
        const y = max
          ? tf.maxPool(x, [o.filterH, o.filterW], [o.strideH, o.strideW], o.padding)
          : tf.avgPool(x, [o.filterH, o.filterW], [o.strideH, o.strideW], o.padding);
        env.set(out, applyActivation(op, y, o.activation));
      };
    }
    case Op.ADD:
    case Op.SUB:
    case Op.MUL: {
      const a = activationOption(op.options);
      const f = op.code === Op.ADD ? tf.add : op.code === Op.SUB ? tf.sub : tf.mul;
      return (env) => env.set(out, applyActivation(op, f(get(env, 0), get(env, 1)), a));
    }
    case Op.SOFTMAX: {
      const beta = softmaxBeta(op.options);
      return (env) => {
        const x = get(env, 0);
        env.set(out, tf.softmax(beta === 1 ? x : tf.mul(x, beta)));
      };
    }
    case Op.MEAN: {
      const axes = constant(op.inputs[1]);
      need(!!axes && T[op.inputs[1]].type === TensorType.INT32, 'the axes must be a constant int32 tensor');
      const ax = Array.from(axes!.dataSync());
      const k = keepDims(op.options);
      return (env) => env.set(out, tf.mean(get(env, 0), ax, k));
    }
    case Op.RESHAPE:
    case Op.SQUEEZE:
    case Op.EXPAND_DIMS: {
      need(
        tout.shape.length > 0 && tout.shape[0] === 1,
        `output shape [${tout.shape}] has no batch dimension`,
      );
      const shape = [-1, ...tout.shape.slice(1)];
      return (env) => env.set(out, get(env, 0).reshape(shape));
    }
    case Op.RELU:
      return (env) => env.set(out, tf.relu(get(env, 0)));
    case Op.RELU6:
      return (env) => env.set(out, tf.relu6(get(env, 0)));
    case Op.RELU_N1_TO_1:
      return (env) => env.set(out, tf.clipByValue(get(env, 0), -1, 1));
    case Op.LOGISTIC:
      return (env) => env.set(out, tf.sigmoid(get(env, 0)));
    case Op.TANH:
      return (env) => env.set(out, tf.tanh(get(env, 0)));
    case Op.DEQUANTIZE: {
      // float16 or int8 weights stored compressed: de-quantised once, here.
      const x = T[op.inputs[0]];
      const v = constValues(x);
      need(!!v, 'only constant (weight) tensors can be de-quantised in a float model');
      let data: Float32Array;
      if (x.type === TensorType.INT8) {
        const s = x.scale;
        const z = x.zeroPoint;
        const axis = x.quantizedDimension;
        const inner = size(x.shape.slice(axis + 1));
        const ch = x.shape[axis] ?? 1;
        data = Float32Array.from(v!, (q, i) => {
          const c = s.length > 1 ? Math.floor(i / inner) % ch : 0;
          return Math.fround(s[c] * (q - (z[c] ?? 0)));
        });
      } else data = v as Float32Array;
      const t = keep(tf.tensor(data, x.shape));
      define(out, t); // a constant for the operators that take it as weights
      return (env) => env.set(out, t);
    }
    default:
      throw new UnsupportedOpError(op, 'this operator is not supported');
  }
}
