/**
 * The one model representation (issue 21): a graph of ops with float32 weights and shapes, which
 * importers produce (graph/fromKeras.ts) and backends consume (graph/toOnnx.ts). Tensors are
 * channels-last as Keras and TF.js lay them out ([batch, height, width, channels]); the batch
 * dimension is left open. Every bound and consistency check of a graph lives in checkGraph: shapes
 * agree, weights hold what their shapes declare and are finite, sizes within limits.ts.
 */
import { ModelError } from '../metadata';
import { checkActivation, checkCount, checkFinite, MODEL_LIMITS, shapeSize } from '../limits';

/** A weight: its values, row-major in `shape`. */
export interface Weight {
  shape: number[];
  data: Float32Array;
}

/** Two spatial values, [height, width]. */
export type Pair = [number, number];
export type Padding = 'same' | 'valid';

export type Op =
  /** kernel [kh, kw, cin / groups, cout] (groups = cin: depthwise), optional bias [cout]. */
  | {
      op: 'conv2d';
      strides: Pair;
      dilations: Pair;
      padding: Padding;
      groups: number;
      kernel: Weight;
      bias?: Weight;
    }
  /** kernel [in, out] on the last axis, optional bias [out]. */
  | { op: 'dense'; kernel: Weight; bias?: Weight }
  /** Elementwise over the inputs (numpy broadcasting), then `constant` if given (broadcast too). */
  | { op: 'add' | 'mul' | 'sub' | 'max' | 'min'; constant?: Weight }
  | { op: 'relu' | 'relu6' | 'sigmoid' | 'tanh' | 'softmax' }
  | { op: 'maxPool' | 'avgPool'; size: Pair; strides: Pair; padding: Padding }
  /** Over height and width of an NHWC input. */
  | { op: 'globalAvg' | 'globalMax'; keepDims: boolean }
  /** `shape` after the batch dimension (one -1 allowed). */
  | { op: 'reshape'; shape: number[] }
  | { op: 'flatten' }
  /** `perm` over the dimensions after the batch (0 = the first of them). */
  | { op: 'transpose'; perm: number[] }
  /** `axis` counted with the batch (negative from the end). */
  | { op: 'concat'; axis: number }
  /** Zeros around height and width: [[top, bottom], [left, right]]. */
  | { op: 'pad'; pads: [Pair, Pair] }
  /** Inference batch norm over the last axis: (x - mean) / sqrt(variance + epsilon) * gamma + beta. */
  | { op: 'batchNorm'; epsilon: number; mean: Weight; variance: Weight; gamma?: Weight; beta?: Weight };

export type OpName = Op['op'];

/** One op applied to named tensors, giving one named tensor. */
export type Node = Op & { name: string; inputs: string[]; output: string };

/** The graph: one input (channels-last, batch first and open), nodes in execution order, one output. */
export interface Graph {
  input: { name: string; shape: number[] };
  nodes: Node[];
  output: string;
  /** The tensor the last dense layer reads (embeddings), when there is one. */
  embedding?: string;
}

/** Shapes of every tensor, batch dimension excluded. */
export type Shapes = Map<string, number[]>;

const weightsOf = (n: Node): [string, Weight][] =>
  Object.entries(n).filter(
    ([, v]) => v && typeof v === 'object' && (v as Weight).data instanceof Float32Array,
  ) as [string, Weight][];

/** numpy broadcasting of two shapes (batch excluded on both; a weight broadcasts from the right). */
function broadcast(a: number[], b: number[], fail: (m: string) => never): number[] {
  const n = Math.max(a.length, b.length);
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const x = a[a.length - n + i] ?? 1;
    const y = b[b.length - n + i] ?? 1;
    if (x !== y && x !== 1 && y !== 1)
      fail(`shapes [${a.join(', ')}] and [${b.join(', ')}] do not broadcast`);
    out.push(Math.max(x, y));
  }
  return out;
}

/** Output size of a windowed op along one axis (TensorFlow's rule for 'same' and 'valid'). */
function windowed(size: number, k: number, stride: number, dilation: number, padding: Padding): number {
  const eff = (k - 1) * dilation + 1;
  return padding === 'same' ? Math.ceil(size / stride) : Math.floor((size - eff) / stride) + 1;
}

/** The output shape of one node from its inputs' shapes; throws (via `fail`) on any disagreement. */
function inferNode(n: Node, ins: number[][], fail: (m: string) => never): number[] {
  const [x] = ins;
  const rank = (r: number) => {
    if (x.length !== r) fail(`takes a rank-${r + 1} input, got [batch, ${x.join(', ')}]`);
  };
  const w = (name: string, want: number[], got?: Weight) => {
    if (got && got.shape.join() !== want.join())
      fail(`${name} has shape [${got.shape.join(', ')}], [${want.join(', ')}] expected`);
  };
  switch (n.op) {
    case 'conv2d': {
      rank(3);
      const [kh, kw, cin, cout] = n.kernel.shape;
      if (n.kernel.shape.length !== 4) fail('kernel is not 4-d');
      if (x[2] % n.groups || cin * n.groups !== x[2])
        fail(`kernel takes ${cin} x ${n.groups} channels, the input has ${x[2]}`);
      if (cout % n.groups) fail(`${cout} output channels do not split into ${n.groups} groups`);
      w('bias', [cout], n.bias);
      const h = windowed(x[0], kh, n.strides[0], n.dilations[0], n.padding);
      const wd = windowed(x[1], kw, n.strides[1], n.dilations[1], n.padding);
      if (h < 1 || wd < 1) fail(`the kernel is larger than its input [${x.join(', ')}]`);
      return [h, wd, cout];
    }
    case 'dense': {
      if (n.kernel.shape.length !== 2 || n.kernel.shape[0] !== x[x.length - 1])
        fail(`kernel [${n.kernel.shape.join(', ')}] does not take inputs of ${x[x.length - 1]} values`);
      w('bias', [n.kernel.shape[1]], n.bias);
      return [...x.slice(0, -1), n.kernel.shape[1]];
    }
    case 'add':
    case 'mul':
    case 'sub':
    case 'max':
    case 'min': {
      if (n.op === 'sub' && ins.length !== 2 && !n.constant) fail(`takes 2 inputs, got ${ins.length}`);
      let s = ins.slice(1).reduce((a, b) => broadcast(a, b, fail), x);
      if (n.constant) s = broadcast(s, n.constant.shape, fail);
      if (s.join() !== x.join()) fail('the output is not the shape of the first input');
      return s;
    }
    case 'relu':
    case 'relu6':
    case 'sigmoid':
    case 'tanh':
    case 'softmax':
      return x;
    case 'maxPool':
    case 'avgPool': {
      rank(3);
      const h = windowed(x[0], n.size[0], n.strides[0], 1, n.padding);
      const wd = windowed(x[1], n.size[1], n.strides[1], 1, n.padding);
      if (h < 1 || wd < 1) fail(`the pool is larger than its input [${x.join(', ')}]`);
      return [h, wd, x[2]];
    }
    case 'globalAvg':
    case 'globalMax':
      rank(3);
      return n.keepDims ? [1, 1, x[2]] : [x[2]];
    case 'reshape': {
      const total = x.reduce((a, b) => a * b, 1);
      const known = n.shape.filter((d) => d !== -1).reduce((a, b) => a * b, 1);
      const open = n.shape.filter((d) => d === -1).length;
      if (open > 1 || n.shape.some((d) => d !== -1 && (!Number.isInteger(d) || d < 1)))
        fail(`target shape [${n.shape.join(', ')}] is not a shape`);
      if (open ? total % known : total !== known)
        fail(`cannot reshape [${x.join(', ')}] to [${n.shape.join(', ')}]`);
      return n.shape.map((d) => (d === -1 ? total / known : d));
    }
    case 'flatten':
      return [x.reduce((a, b) => a * b, 1)];
    case 'transpose':
      if ([...n.perm].sort().join() !== x.map((_, i) => i).join())
        fail(`perm [${n.perm.join(', ')}] is not a permutation of ${x.length} axes`);
      return n.perm.map((p) => x[p]);
    case 'concat': {
      const r = x.length + 1;
      const axis = n.axis < 0 ? n.axis + r : n.axis;
      if (axis < 1 || axis >= r) fail(`axis ${n.axis} is not an axis after the batch`);
      const a = axis - 1;
      for (const s of ins)
        if (s.length !== x.length || s.some((d, i) => i !== a && d !== x[i]))
          fail(`inputs [${x.join(', ')}] and [${s.join(', ')}] do not concatenate on axis ${n.axis}`);
      return x.map((d, i) => (i === a ? ins.reduce((t, s) => t + s[a], 0) : d));
    }
    case 'pad': {
      rank(3);
      const p = n.pads.flat();
      if (p.some((v) => !Number.isInteger(v) || v < 0 || v > MODEL_LIMITS.maxSpatial))
        fail(`padding [${p.join(', ')}] is not in 0..${MODEL_LIMITS.maxSpatial}`);
      return [x[0] + n.pads[0][0] + n.pads[0][1], x[1] + n.pads[1][0] + n.pads[1][1], x[2]];
    }
    case 'batchNorm': {
      const c = x[x.length - 1];
      for (const k of ['mean', 'variance', 'gamma', 'beta'] as const) w(k, [c], n[k]);
      if (!(n.epsilon >= 0)) fail(`epsilon ${n.epsilon} is not a non-negative number`);
      return x;
    }
  }
}

/**
 * Checks the graph and infers every tensor's shape: each node reads tensors made before it, its
 * weights hold exactly what their shapes declare and are finite, attributes are in range, shapes
 * agree, every activation within the bounds. Throws one ModelError naming `source` and the node.
 */
export function checkGraph(graph: Graph, source: string): Shapes {
  const shapes: Shapes = new Map();
  let node = 'the graph';
  const fail = (m: string): never => {
    throw new ModelError(source, `${node}: ${m}`);
  };
  try {
    checkCount(graph.nodes.length, 'graph nodes');
    shapeSize(graph.input.shape, 'the input', true);
    shapes.set(graph.input.name, graph.input.shape);
    for (const n of graph.nodes) {
      node = `'${n.name.slice(0, 80)}' (${n.op})`;
      if (shapes.has(n.output)) fail(`its output ${n.output} is made twice`);
      if (!n.inputs.length) fail('has no input');
      const ins = n.inputs.map((i) => shapes.get(i) ?? fail(`reads ${i}, which nothing before it makes`));
      for (const [k, wt] of weightsOf(n)) {
        if (shapeSize(wt.shape, k) !== wt.data.length)
          fail(`${k} holds ${wt.data.length} values for shape [${wt.shape.join(', ')}]`);
        checkFinite(wt.data, k);
      }
      if ('strides' in n)
        for (const v of [
          ...n.strides,
          ...('dilations' in n ? n.dilations : []),
          ...('size' in n ? n.size : []),
        ])
          if (!Number.isInteger(v) || v < 1 || v > MODEL_LIMITS.maxSpatial)
            fail(`a stride, dilation or size of ${v} is not in 1..${MODEL_LIMITS.maxSpatial}`);
      if (n.op === 'conv2d' && !(Number.isInteger(n.groups) && n.groups >= 1)) fail(`groups ${n.groups}`);
      const out = inferNode(n, ins, fail);
      checkActivation(shapeSize(out, 'its output', true), 1, 'its output');
      shapes.set(n.output, out);
    }
    node = 'the graph';
    if (!shapes.has(graph.output)) fail(`its output ${graph.output} is made by no node`);
    if (graph.embedding && !shapes.has(graph.embedding)) fail(`no node makes ${graph.embedding}`);
  } catch (e) {
    if (e instanceof ModelError) throw e;
    throw new ModelError(source, `${node}: ${(e as Error).message}`);
  }
  return shapes;
}

/** The ops the graph uses, sorted (models --describe). */
export function graphOps(graph: Graph): string[] {
  return [...new Set(graph.nodes.map((n) => n.op))].sort();
}
