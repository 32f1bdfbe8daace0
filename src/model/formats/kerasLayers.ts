/**
 * Keras layers as TensorFlow.js ops, for models read from .keras / .h5 files.
 *
 * Each layer is rebuilt from its Keras config with TF.js ops rather than through tf.layers'
 * deserialiser: TF.js reads only Keras 2 configs (Keras 3 writes another format: dtype policies,
 * `__keras_tensor__` inbound nodes), and has no Normalization layer; the ops below follow the Keras 3
 * code (keras/src/layers/...) with the TensorFlow backend, inference mode. Channels-last only.
 */
import * as tf from '@tensorflow/tfjs';
import { activationName } from './kerasConfig';

/** One weight read from the file, in the layer's order. */
export interface Weight {
  name: string;
  shape: number[];
  data: Float32Array;
}

/** A layer at inference: its inputs (one, or several for merges) to its output. */
export type LayerFn = (inputs: tf.Tensor[]) => tf.Tensor;

/** A layer that cannot be rebuilt; the message names the class and the layer. */
export class KerasLayerError extends Error {}

/** Keras layer classes Wavebench rebuilds. */
export const SUPPORTED_LAYERS = [
  'InputLayer',
  'Resizing',
  'Normalization',
  'Rescaling',
  'Conv2D',
  'DepthwiseConv2D',
  'SeparableConv2D',
  'BatchNormalization',
  'MaxPooling2D',
  'AveragePooling2D',
  'GlobalAveragePooling2D',
  'GlobalMaxPooling2D',
  'ZeroPadding2D',
  'Dropout',
  'SpatialDropout2D',
  'GaussianNoise',
  'GaussianDropout',
  'Flatten',
  'Reshape',
  'Permute',
  'Dense',
  'Activation',
  'ReLU',
  'LeakyReLU',
  'ELU',
  'Softmax',
  'Add',
  'Subtract',
  'Multiply',
  'Average',
  'Maximum',
  'Minimum',
  'Concatenate',
] as const;

type Cfg = Record<string, unknown>;

const pair = (v: unknown, what: string, fail: (m: string) => never): [number, number] => {
  if (typeof v === 'number') return [v, v];
  if (Array.isArray(v) && v.length === 2 && v.every((n) => typeof n === 'number')) return [v[0], v[1]];
  return fail(`${what} ${JSON.stringify(v)} is not two numbers`);
};

/** Keras activations by name (keras/src/activations/activations.py, inference). */
function activation(name: unknown, fail: (m: string) => never): ((x: tf.Tensor) => tf.Tensor) | null {
  const n = activationName(name);
  switch (n) {
    case undefined:
    case null:
    case 'linear':
      return null;
    case 'relu':
      return (x) => tf.relu(x);
    case 'relu6':
      return (x) => tf.relu6(x);
    case 'sigmoid':
      return (x) => tf.sigmoid(x);
    case 'tanh':
      return (x) => tf.tanh(x);
    case 'softmax':
      return (x) => tf.softmax(x);
    case 'elu':
      return (x) => tf.elu(x);
    case 'selu':
      return (x) => tf.selu(x);
    case 'softplus':
      return (x) => tf.softplus(x);
    case 'softsign':
      return (x) => tf.div(x, tf.add(tf.abs(x), 1));
    case 'swish':
    case 'silu':
      return (x) => tf.mul(x, tf.sigmoid(x));
    case 'gelu':
      // Keras 3's default: approximate=False, x * 0.5 * (1 + erf(x / sqrt(2))).
      return (x) => tf.mul(tf.mul(x, 0.5), tf.add(1, tf.erf(tf.div(x, Math.SQRT2))));
    case 'leaky_relu':
      return (x) => tf.leakyRelu(x, 0.2);
    default:
      return fail(`activation '${String(n)}' is not supported`);
  }
}

/** Keras 3 ReLU (activations.ReLU.static_call): negative_slope, max_value, threshold. */
function kerasRelu(
  x: tf.Tensor,
  negativeSlope: number,
  maxValue: number | null,
  threshold: number,
): tf.Tensor {
  if (negativeSlope !== 0 && maxValue === null && threshold === 0) return tf.leakyRelu(x, negativeSlope);
  const negativePart = negativeSlope !== 0 ? tf.relu(tf.add(tf.neg(x), threshold)) : null;
  let y: tf.Tensor;
  let clip = maxValue !== null;
  if (threshold !== 0) y = tf.mul(x, tf.cast(tf.greater(x, threshold), 'float32'));
  else if (maxValue === 6) {
    y = tf.relu6(x);
    clip = false;
  } else y = tf.relu(x);
  if (clip) y = tf.clipByValue(y, 0, maxValue!);
  if (negativePart) y = tf.sub(y, tf.mul(negativePart, negativeSlope));
  return y;
}

const num = (v: unknown, d: number) => (typeof v === 'number' ? v : d);

/**
 * Builds one layer. `weights` are the layer's weights in Keras's order; the tensors made here are
 * pushed on `owned` (disposed with the model).
 */
export function buildLayer(
  className: string,
  name: string,
  cfg: Cfg,
  weights: Weight[],
  owned: tf.Tensor[],
): LayerFn {
  const fail = (m: string): never => {
    throw new KerasLayerError(`layer '${name}' (${className}): ${m}`);
  };
  const w = (count: number | number[]): tf.Tensor[] => {
    const ok = Array.isArray(count) ? count.includes(weights.length) : weights.length === count;
    if (!ok)
      fail(
        `the file holds ${weights.length} weights for it, ${Array.isArray(count) ? count.join(' or ') : count} expected`,
      );
    return weights.map((x) => {
      const t = tf.tensor(x.data, x.shape, 'float32');
      owned.push(t);
      return t;
    });
  };
  const df = cfg.data_format;
  if (df !== undefined && df !== null && df !== 'channels_last')
    fail(`data_format '${String(df)}' is not supported (channels_last only)`);
  const act = () => activation(cfg.activation, fail);
  const padding = (): 'valid' | 'same' => {
    const p = cfg.padding ?? 'valid';
    if (p !== 'valid' && p !== 'same') fail(`padding '${String(p)}' is not supported`);
    return p as 'valid' | 'same';
  };
  const one = (inputs: tf.Tensor[]) => inputs[0];
  const lastAxisOnly = (axis: unknown) => {
    const a = Array.isArray(axis) ? axis : [axis ?? -1];
    if (a.length !== 1 || (a[0] !== -1 && a[0] !== 3 && a[0] !== 1))
      fail(`axis ${JSON.stringify(axis)} is not supported (last axis only)`);
    return a[0] as number;
  };
  const checkLast = (x: tf.Tensor, a: number) => {
    if (a !== -1 && a !== x.rank - 1) fail(`axis ${a} is not the last axis of a rank-${x.rank} input`);
  };
  switch (className) {
    case 'InputLayer':
    case 'Dropout':
    case 'SpatialDropout2D':
    case 'GaussianNoise':
    case 'GaussianDropout':
      w(0);
      return one;
    case 'Resizing': {
      w(0);
      const interpolation = cfg.interpolation ?? 'bilinear';
      if (interpolation !== 'bilinear')
        fail(`interpolation '${String(interpolation)}' is not supported (bilinear only)`);
      if (cfg.crop_to_aspect_ratio || cfg.pad_to_aspect_ratio)
        fail('crop_to_aspect_ratio / pad_to_aspect_ratio are not supported');
      const size: [number, number] = [num(cfg.height, 0), num(cfg.width, 0)];
      // Keras 3 with TensorFlow: tf.image.resize(bilinear, antialias=False) = half-pixel centres, no
      // corner alignment. The same sampling as TF.js's resizeBilinear(alignCorners=false,
      // halfPixelCenters=true), checked against Keras in test/unit/model/keras.test.ts.
      return ([x]) => {
        if (cfg.antialias && (x.shape[1]! > size[0] || x.shape[2]! > size[1]))
          fail('antialias=True when downsizing is not supported');
        return tf.image.resizeBilinear(x as tf.Tensor4D, size, false, true);
      };
    }
    case 'Normalization': {
      const ws = w([0, 2, 3]);
      if (cfg.invert) fail('invert=True is not supported');
      const axes =
        cfg.axis === null ? [] : Array.isArray(cfg.axis) ? (cfg.axis as number[]) : [num(cfg.axis, -1)];
      let mean: tf.Tensor;
      let variance: tf.Tensor;
      if (Array.isArray(cfg.mean) || typeof cfg.mean === 'number') {
        mean = tf.tensor(cfg.mean as number[] | number);
        variance = tf.tensor(cfg.variance as number[] | number);
        owned.push(mean, variance);
      } else if (ws.length >= 2) [mean, variance] = ws;
      else return fail('it was never adapted (no mean and variance)');
      // (x - mean) / max(sqrt(variance), epsilon), epsilon = keras.backend.epsilon() = 1e-7.
      const denom = tf.maximum(tf.sqrt(variance), 1e-7);
      owned.push(denom);
      return ([x]) => {
        const shape = new Array<number>(x.rank).fill(1);
        for (const a of axes) {
          const p = a < 0 ? a + x.rank : a;
          shape[p] = x.shape[p];
        }
        const size = shape.reduce((a, b) => a * b, 1);
        if (mean.size !== size)
          fail(`mean has ${mean.size} values for an input of shape [${x.shape.join(', ')}]`);
        return tf.div(tf.sub(x, mean.reshape(shape)), denom.reshape(shape));
      };
    }
    case 'Rescaling': {
      w(0);
      const scale = cfg.scale as number | number[];
      const offset = (cfg.offset ?? 0) as number | number[];
      if (typeof scale !== 'number' && !Array.isArray(scale)) fail('scale is not a number');
      return ([x]) => tf.add(tf.mul(x, scale), offset);
    }
    case 'Conv2D': {
      const useBias = cfg.use_bias !== false;
      const [kernel, bias] = w(useBias ? 2 : 1);
      if (num(cfg.groups, 1) !== 1) fail('groups > 1 is not supported');
      const strides = pair(cfg.strides ?? 1, 'strides', fail);
      const dilations = pair(cfg.dilation_rate ?? 1, 'dilation_rate', fail);
      const pad = padding();
      const a = act();
      const fused = cfg.activation === 'relu' || !a;
      return ([x]) => {
        const y = tf.fused.conv2d({
          x: x as tf.Tensor4D,
          filter: kernel as tf.Tensor4D,
          strides,
          pad,
          dilations,
          bias,
          activation: fused && a ? 'relu' : 'linear',
        });
        return fused || !a ? y : a(y);
      };
    }
    case 'DepthwiseConv2D': {
      const useBias = cfg.use_bias !== false;
      const [kernel, bias] = w(useBias ? 2 : 1);
      const strides = pair(cfg.strides ?? 1, 'strides', fail);
      const dilations = pair(cfg.dilation_rate ?? 1, 'dilation_rate', fail);
      const pad = padding();
      const a = act();
      return ([x]) => {
        let y: tf.Tensor = tf.depthwiseConv2d(
          x as tf.Tensor4D,
          kernel as tf.Tensor4D,
          strides,
          pad,
          'NHWC',
          dilations,
        );
        if (bias) y = tf.add(y, bias);
        return a ? a(y) : y;
      };
    }
    case 'SeparableConv2D': {
      const useBias = cfg.use_bias !== false;
      const [depthwise, pointwise, bias] = w(useBias ? 3 : 2);
      const strides = pair(cfg.strides ?? 1, 'strides', fail);
      const dilations = pair(cfg.dilation_rate ?? 1, 'dilation_rate', fail);
      const pad = padding();
      const a = act();
      return ([x]) => {
        let y: tf.Tensor = tf.separableConv2d(
          x as tf.Tensor4D,
          depthwise as tf.Tensor4D,
          pointwise as tf.Tensor4D,
          strides,
          pad,
          dilations,
          'NHWC',
        );
        if (bias) y = tf.add(y, bias);
        return a ? a(y) : y;
      };
    }
    case 'BatchNormalization': {
      const scale = cfg.scale !== false;
      const center = cfg.center !== false;
      const ws = w(2 + (scale ? 1 : 0) + (center ? 1 : 0));
      const gamma = scale ? ws.shift() : undefined;
      const beta = center ? ws.shift() : undefined;
      const [mean, variance] = ws;
      const eps = num(cfg.epsilon, 1e-3);
      const axis = lastAxisOnly(cfg.axis);
      return ([x]) => {
        checkLast(x, axis);
        return tf.batchNorm(x, mean, variance, beta, gamma, eps);
      };
    }
    case 'MaxPooling2D':
    case 'AveragePooling2D': {
      w(0);
      const size = pair(cfg.pool_size ?? 2, 'pool_size', fail);
      const strides =
        cfg.strides === null || cfg.strides === undefined ? size : pair(cfg.strides, 'strides', fail);
      const pad = padding();
      const f = className === 'MaxPooling2D' ? tf.maxPool : tf.avgPool;
      return ([x]) => f(x as tf.Tensor4D, size, strides, pad);
    }
    case 'GlobalAveragePooling2D':
    case 'GlobalMaxPooling2D': {
      w(0);
      const keep = cfg.keepdims === true;
      const f = className === 'GlobalAveragePooling2D' ? tf.mean : tf.max;
      return ([x]) => f(x, [1, 2], keep);
    }
    case 'ZeroPadding2D': {
      w(0);
      const p = cfg.padding;
      const pp: [[number, number], [number, number]] =
        typeof p === 'number'
          ? [
              [p, p],
              [p, p],
            ]
          : Array.isArray(p) && p.length === 2 && p.every((q) => typeof q === 'number')
            ? [
                [p[0], p[0]],
                [p[1], p[1]],
              ]
            : [pair((p as unknown[])[0], 'padding', fail), pair((p as unknown[])[1], 'padding', fail)];
      return ([x]) => tf.pad(x, [[0, 0], pp[0], pp[1], [0, 0]]);
    }
    case 'Flatten':
      w(0);
      return ([x]) => x.reshape([x.shape[0], -1]);
    case 'Reshape': {
      w(0);
      const target = cfg.target_shape;
      if (!Array.isArray(target)) fail('target_shape is missing');
      return ([x]) => x.reshape([x.shape[0], ...(target as number[])]);
    }
    case 'Permute': {
      w(0);
      const dims = cfg.dims;
      if (!Array.isArray(dims) || !dims.every((d) => typeof d === 'number')) fail('dims is missing');
      return ([x]) => tf.transpose(x, [0, ...(dims as number[])]);
    }
    case 'Dense': {
      const useBias = cfg.use_bias !== false;
      const [kernel, bias] = w(useBias ? 2 : 1);
      const a = act();
      const fused = cfg.activation === 'relu' || !a;
      return ([x]) => {
        const inner = x.shape[x.rank - 1];
        const x2 = x.rank === 2 ? (x as tf.Tensor2D) : x.reshape([-1, inner]);
        let y: tf.Tensor = tf.fused.matMul({
          a: x2 as tf.Tensor2D,
          b: kernel as tf.Tensor2D,
          bias,
          activation: fused && a ? 'relu' : 'linear',
        });
        if (x.rank !== 2) y = y.reshape([...x.shape.slice(0, -1), kernel.shape[1]!]);
        return fused || !a ? y : a(y);
      };
    }
    case 'Activation': {
      w(0);
      const a = act();
      return ([x]) => (a ? a(x) : x);
    }
    case 'ReLU': {
      w(0);
      const maxValue = typeof cfg.max_value === 'number' ? cfg.max_value : null;
      const slope = num(cfg.negative_slope, 0);
      const threshold = num(cfg.threshold, 0);
      return ([x]) => kerasRelu(x, slope, maxValue, threshold);
    }
    case 'LeakyReLU': {
      w(0);
      const slope = num(cfg.negative_slope, num(cfg.alpha, 0.3));
      return ([x]) => tf.leakyRelu(x, slope);
    }
    case 'ELU': {
      w(0);
      const alpha = num(cfg.alpha, 1);
      return ([x]) =>
        alpha === 1 ? tf.elu(x) : tf.where(tf.greater(x, 0), x, tf.mul(alpha, tf.sub(tf.exp(x), 1)));
    }
    case 'Softmax': {
      w(0);
      const axis = lastAxisOnly(cfg.axis);
      return ([x]) => {
        checkLast(x, axis);
        return tf.softmax(x);
      };
    }
    case 'Add':
      w(0);
      return (xs) => (xs.length === 1 ? xs[0] : tf.addN(xs));
    case 'Subtract':
      w(0);
      return (xs) => {
        if (xs.length !== 2) fail(`it takes 2 inputs, got ${xs.length}`);
        return tf.sub(xs[0], xs[1]);
      };
    case 'Multiply':
      w(0);
      return (xs) => xs.slice(1).reduce((a, b) => tf.mul(a, b), xs[0]);
    case 'Average':
      w(0);
      return (xs) => tf.div(tf.addN(xs), xs.length);
    case 'Maximum':
      w(0);
      return (xs) => xs.slice(1).reduce((a, b) => tf.maximum(a, b), xs[0]);
    case 'Minimum':
      w(0);
      return (xs) => xs.slice(1).reduce((a, b) => tf.minimum(a, b), xs[0]);
    case 'Concatenate': {
      w(0);
      const axis = num(cfg.axis, -1);
      return (xs) => tf.concat(xs, axis < 0 ? xs[0].rank + axis : axis);
    }
    default:
      throw new KerasLayerError(
        `layer '${name}' (${className}) is not supported (supported: ${SUPPORTED_LAYERS.join(', ')})`,
      );
  }
}
