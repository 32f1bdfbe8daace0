/**
 * Keras layer configs (TF.js layers model.json, .keras, .h5: formats/kerasConfig.ts) with their
 * weights, as one graph (graph.ts). Layers outside the graph's ops (Resizing, Normalization, GELU,
 * ELU, LeakyReLU, clipped ReLUs...) are not an error: the importer says which, and the model stays
 * on TF.js (keras.ts / tf.loadLayersModel run it as before).
 */
import { activationName, schedule, type LayerSpec } from '../formats/kerasConfig';
import type { Graph, Node, Op, Pair, Padding, Weight } from './graph';

type Cfg = Record<string, unknown>;

/** Everything the importer reads of a Keras model. */
export interface KerasParts {
  sequential: boolean;
  specs: LayerSpec[];
  /** Each layer's weights in Keras's order (kernel, bias; gamma, beta, moving mean, variance). */
  weights: Map<string, { shape: number[]; data: Float32Array }[]>;
  /** The model's input shape with the batch (config batch_shape / batch_input_shape). */
  inputShape: (number | null)[];
  /** Functional: the input and output layer references [layer, node, tensor]. */
  inputLayer?: [string, number, number];
  outputLayer?: [string, number, number];
}

/** A layer the graph cannot express: the model stays on TF.js. */
export class NotLowerable extends Error {}

const no = (m: string): never => {
  throw new NotLowerable(m);
};

const pair = (v: unknown, d: number): Pair => {
  if (v === undefined || v === null) return [d, d];
  if (typeof v === 'number') return [v, v];
  if (Array.isArray(v) && v.length === 2 && v.every((n) => typeof n === 'number')) return [v[0], v[1]];
  return no(`${JSON.stringify(v)} is not two numbers`);
};

const ACTIVATIONS = ['relu', 'relu6', 'sigmoid', 'tanh', 'softmax'] as const;

/** A Keras activation setting as a graph op, or null for linear. */
function activationOp(a: unknown): Op | null {
  const name = activationName(a);
  if (name === undefined || name === null || name === 'linear') return null;
  if ((ACTIVATIONS as readonly unknown[]).includes(name)) return { op: name as (typeof ACTIVATIONS)[number] };
  return no(`activation '${String(name)}'`);
}

function padding(c: Cfg): Padding {
  const p = c.padding ?? 'valid';
  return p === 'same' || p === 'valid' ? p : no(`padding '${String(p)}'`);
}

function lastAxis(c: Cfg): void {
  const a = Array.isArray(c.axis) ? c.axis : [c.axis ?? -1];
  if (a.length !== 1 || (a[0] !== -1 && a[0] !== 3)) no(`axis ${JSON.stringify(c.axis)}`);
}

/** A scalar or per-channel setting (Rescaling's scale and offset) as a weight. */
const constant = (v: unknown): Weight => {
  const a =
    typeof v === 'number' ? [v] : Array.isArray(v) && v.every((n) => typeof n === 'number') ? v : no('scale');
  return { shape: [a.length], data: Float32Array.from(a as number[]) };
};

/**
 * The ops of one layer, given the name of its input tensors and of its output tensor. `ws` are its
 * weights; their counts and shapes are checked by checkGraph (a wrong count fails here).
 */
function layerOps(s: LayerSpec, ws: Weight[], inputs: string[], output: string): Node[] {
  const c = s.config;
  const nodes: Node[] = [];
  let last = inputs;
  const push = (op: Op, suffix = '') => {
    const out = `${output}${suffix}`;
    nodes.push({ ...op, name: s.name + suffix, inputs: last, output: out } as Node);
    last = [out];
  };
  const want = (...counts: number[]) => {
    if (!counts.includes(ws.length)) no(`${ws.length} weights (${counts.join(' or ')} expected)`);
  };
  const df = c.data_format;
  if (df !== undefined && df !== null && df !== 'channels_last') no(`data_format '${String(df)}'`);
  const useBias = c.use_bias !== false;
  // Ops before the activation get a suffix; the last op writes `output`.
  const finish = (main: Op) => {
    const act = activationOp(c.activation);
    push(main, act ? '/pre' : '');
    if (act) push(act);
  };
  switch (s.className) {
    case 'InputLayer':
    case 'Dropout':
    case 'SpatialDropout2D':
    case 'GaussianNoise':
    case 'GaussianDropout':
      want(0);
      return [{ op: 'add', name: s.name, inputs, output } as Node]; // identity: removed by fold
    case 'Conv2D': {
      want(useBias ? 2 : 1);
      const groups = typeof c.groups === 'number' ? c.groups : 1;
      finish({
        op: 'conv2d',
        strides: pair(c.strides, 1),
        dilations: pair(c.dilation_rate, 1),
        padding: padding(c),
        groups,
        kernel: ws[0],
        bias: useBias ? ws[1] : undefined,
      });
      return nodes;
    }
    case 'DepthwiseConv2D':
    case 'SeparableConv2D': {
      const sep = s.className === 'SeparableConv2D';
      want((sep ? 2 : 1) + (useBias ? 1 : 0));
      const [kh, kw, cin, mult] = ws[0].shape;
      // [kh, kw, cin, multiplier] read as [kh, kw, 1, cin * multiplier]: output channel c * m + j, as TF.
      const depthwise: Op = {
        op: 'conv2d',
        strides: pair(c.strides, 1),
        dilations: pair(c.dilation_rate, 1),
        padding: padding(c),
        groups: cin,
        kernel: { shape: [kh, kw, 1, cin * mult], data: ws[0].data },
        bias: !sep && useBias ? ws[1] : undefined,
      };
      if (!sep) {
        finish(depthwise);
        return nodes;
      }
      push(depthwise, '/depthwise');
      finish({
        op: 'conv2d',
        strides: [1, 1],
        dilations: [1, 1],
        padding: 'valid',
        groups: 1,
        kernel: ws[1],
        bias: useBias ? ws[2] : undefined,
      });
      return nodes;
    }
    case 'Dense':
      want(useBias ? 2 : 1);
      finish({ op: 'dense', kernel: ws[0], bias: useBias ? ws[1] : undefined });
      return nodes;
    case 'BatchNormalization': {
      lastAxis(c);
      const scale = c.scale !== false;
      const center = c.center !== false;
      want(2 + (scale ? 1 : 0) + (center ? 1 : 0));
      const q = [...ws];
      const gamma = scale ? q.shift() : undefined;
      const beta = center ? q.shift() : undefined;
      const epsilon = typeof c.epsilon === 'number' ? c.epsilon : 1e-3;
      push({ op: 'batchNorm', epsilon, gamma, beta, mean: q[0], variance: q[1] });
      return nodes;
    }
    case 'MaxPooling2D':
    case 'AveragePooling2D': {
      want(0);
      const size = pair(c.pool_size, 2);
      const strides = c.strides === null || c.strides === undefined ? size : pair(c.strides, 1);
      push({
        op: s.className === 'MaxPooling2D' ? 'maxPool' : 'avgPool',
        size,
        strides,
        padding: padding(c),
      });
      return nodes;
    }
    case 'GlobalAveragePooling2D':
    case 'GlobalMaxPooling2D':
      want(0);
      push({
        op: s.className === 'GlobalMaxPooling2D' ? 'globalMax' : 'globalAvg',
        keepDims: c.keepdims === true,
      });
      return nodes;
    case 'ZeroPadding2D': {
      want(0);
      const p = c.padding;
      const pads: [Pair, Pair] =
        typeof p === 'number'
          ? [
              [p, p],
              [p, p],
            ]
          : Array.isArray(p) && p.every((v) => typeof v === 'number')
            ? ([pair(p[0], 0), pair(p[1], 0)].map((x) => [x[0], x[0]]) as [Pair, Pair])
            : Array.isArray(p) && p.length === 2
              ? [pair(p[0], 0), pair(p[1], 0)]
              : no('padding');
      push({ op: 'pad', pads });
      return nodes;
    }
    case 'Flatten':
      want(0);
      push({ op: 'flatten' });
      return nodes;
    case 'Reshape':
      want(0);
      push({
        op: 'reshape',
        shape: Array.isArray(c.target_shape) ? (c.target_shape as number[]) : no('target_shape'),
      });
      return nodes;
    case 'Permute':
      want(0);
      push({
        op: 'transpose',
        perm: Array.isArray(c.dims) ? (c.dims as number[]).map((d) => d - 1) : no('dims'),
      });
      return nodes;
    case 'Activation':
      want(0);
      push(activationOp(c.activation) ?? { op: 'add' });
      return nodes;
    case 'ReLU': {
      want(0);
      const max = c.max_value ?? null;
      if ((c.negative_slope ?? 0) !== 0 || (c.threshold ?? 0) !== 0 || (max !== null && max !== 6))
        no('ReLU with a slope, threshold or a max_value other than 6');
      push({ op: max === 6 ? 'relu6' : 'relu' });
      return nodes;
    }
    case 'Softmax':
      want(0);
      lastAxis(c);
      push({ op: 'softmax' });
      return nodes;
    case 'Rescaling':
      want(0);
      push({ op: 'mul', constant: constant(c.scale) }, '/scale');
      push({ op: 'add', constant: constant(c.offset ?? 0) });
      return nodes;
    case 'Add':
    case 'Multiply':
    case 'Subtract':
    case 'Maximum':
    case 'Minimum': {
      want(0);
      const op = ({ Add: 'add', Multiply: 'mul', Subtract: 'sub', Maximum: 'max', Minimum: 'min' } as const)[
        s.className
      ];
      push({ op });
      return nodes;
    }
    case 'Concatenate':
      want(0);
      push({ op: 'concat', axis: typeof c.axis === 'number' ? c.axis : -1 });
      return nodes;
    default:
      return no(`layer class ${s.className.slice(0, 40)}`);
  }
}

/**
 * The Keras model as a graph as its layers say (simplify it with fold.ts's readyGraph, which
 * checks it first and throws ModelError). NotLowerable names the first layer the graph cannot express.
 */
export function graphFromKeras(parts: KerasParts): Graph {
  const { specs, weights } = parts;
  const shape = parts.inputShape.slice(1);
  if (shape.some((d) => typeof d !== 'number'))
    no(`input shape [${parts.inputShape.join(', ')}] has open dimensions`);
  const input = parts.sequential ? 'input' : `${parts.inputLayer![0]}/${parts.inputLayer![1]}`;
  const nodes: Node[] = [];
  let embedding: string | undefined;
  let output = input;
  const at = (s: LayerSpec, f: () => Node[]) => {
    try {
      return f();
    } catch (e) {
      if (e instanceof NotLowerable) no(`layer '${s.name.slice(0, 80)}': ${e.message}`);
      throw e;
    }
  };
  if (parts.sequential) {
    for (const s of specs) {
      if (s.className === 'Dense') embedding = output;
      const out = `${s.name}/0`;
      nodes.push(...at(s, () => layerOps(s, weights.get(s.name) ?? [], [output], out)));
      output = out;
    }
  } else {
    // Functional: the layers in the order they can run (a file may list them in any order); a
    // layer's n-th call reads the outputs of the calls it names.
    for (const s of schedule(specs, parts.inputLayer![0])) {
      s.inbound.forEach((call, k) => {
        const ins = call.map(([l, n]) => `${l}/${n}`);
        if (s.className === 'Dense') embedding = ins[0];
        nodes.push(...at(s, () => layerOps(s, weights.get(s.name) ?? [], ins, `${s.name}/${k}`)));
      });
    }
    output = `${parts.outputLayer![0]}/${parts.outputLayer![1]}`;
  }
  return { input: { name: input, shape: shape as number[] }, nodes, output, embedding };
}

/**
 * The parts of a Keras model config ({class_name, config}) with its layers' weights: Sequential or
 * Functional with one input and one output, the input shape from the config. Undefined (the model
 * stays on TF.js) for anything else.
 */
export function kerasParts(
  model: Cfg,
  specs: LayerSpec[],
  weights: KerasParts['weights'],
): KerasParts | undefined {
  const config = (model.config ?? {}) as Cfg;
  const sequential = model.class_name === 'Sequential';
  const shapeOf = (s: LayerSpec | undefined) => {
    const c = s?.config ?? {};
    return (c.batch_shape ??
      c.batch_input_shape ??
      ((c.build_config as Cfg | undefined)?.input_shape as unknown)) as (number | null)[] | undefined;
  };
  if (sequential) {
    const inputShape = shapeOf(specs[0]);
    return inputShape && { sequential, specs, weights, inputShape };
  }
  const refs = (v: unknown): [string, number, number][] => {
    const a = (v ?? []) as unknown[];
    return (Array.isArray(a[0]) ? a : [a]) as [string, number, number][];
  };
  const ins = refs(config.input_layers);
  const outs = refs(config.output_layers);
  if (ins.length !== 1 || outs.length !== 1) return undefined;
  const inputShape = shapeOf(specs.find((s) => s.name === ins[0][0]));
  return inputShape && { sequential, specs, weights, inputShape, inputLayer: ins[0], outputLayer: outs[0] };
}
