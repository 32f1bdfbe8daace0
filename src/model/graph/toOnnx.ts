/**
 * A checked graph (graph.ts) lowered to an ONNX ModelProto (opset 13), run by onnxruntime in the
 * pool's native process. The model keeps its channels-last input; 4-d tensors are transposed to
 * NCHW where a convolution, pool or pad needs them and back only where an op reads the layout
 * (flatten, reshape, dense, softmax...), so a chain of convolutions runs without transposes between
 * them. Weights are raw little-endian float32 initializers.
 */
import { encodeOnnxModel, type OnnxAttribute, type OnnxNode, type OnnxTensor } from '../formats/onnxProto';
import type { Graph, Node, Pair, Padding, Shapes, Weight } from './graph';

export const LOWERED_OPSET = 13;
const FLOAT = 1;
const INT64 = 7;

type Attr = number | number[] | { f: number };

/** A graph tensor in ONNX: its name there and whether it is NCHW (else as the graph: channels last). */
interface Lowered {
  name: string;
  nchw: boolean;
}

/** TensorFlow's explicit 'same' padding: [before, after] on one axis. */
function samePads(size: number, out: number, k: number, stride: number, dilation: number): Pair {
  const total = Math.max((out - 1) * stride + (k - 1) * dilation + 1 - size, 0);
  return [Math.floor(total / 2), total - Math.floor(total / 2)];
}

/** A channels-last kernel [kh, kw, cin, cout] as ONNX's [cout, cin, kh, kw]. */
function convWeight(w: Weight): Float32Array {
  const [kh, kw, ci, co] = w.shape;
  const out = new Float32Array(w.data.length);
  for (let y = 0; y < kh; y++)
    for (let x = 0; x < kw; x++)
      for (let i = 0; i < ci; i++)
        for (let o = 0; o < co; o++)
          out[((o * ci + i) * kh + y) * kw + x] = w.data[((y * kw + x) * ci + i) * co + o];
  return out;
}

class Builder {
  readonly nodes: OnnxNode[] = [];
  readonly initializers: OnnxTensor[] = [];
  private readonly tensors = new Map<string, Lowered>();
  private readonly converted = new Map<string, string>();
  private n = 0;

  constructor(private readonly shapes: Shapes) {}

  fresh(base: string): string {
    return `${base}#${this.n++}`;
  }

  float(base: string, dims: number[], data: Float32Array): string {
    const name = this.fresh(base);
    const raw = new Uint8Array(data.length * 4);
    const v = new DataView(raw.buffer);
    for (let i = 0; i < data.length; i++) v.setFloat32(i * 4, data[i], true);
    this.initializers.push({ name, dims, dataType: FLOAT, rawData: raw });
    return name;
  }

  int64(base: string, values: number[]): string {
    const name = this.fresh(base);
    this.initializers.push({ name, dims: [values.length], dataType: INT64, int64Data: values });
    return name;
  }

  node(opType: string, inputs: string[], base: string, attrs: Record<string, Attr> = {}): string {
    const out = this.fresh(base);
    const attribute: OnnxAttribute[] = Object.entries(attrs).map(([name, v]) =>
      typeof v === 'number'
        ? { name, type: 2, i: v }
        : Array.isArray(v)
          ? { name, type: 7, ints: v }
          : { name, type: 1, f: v.f },
    );
    this.nodes.push({ opType, input: inputs, output: [out], name: out, attribute });
    return out;
  }

  set(tensor: string, lowered: Lowered): void {
    this.tensors.set(tensor, lowered);
  }

  rank(tensor: string): number {
    return this.shapes.get(tensor)!.length;
  }

  /** The tensor channels last (as the graph says), transposing (once) if it is NCHW here. */
  nhwc(tensor: string): string {
    const t = this.tensors.get(tensor)!;
    if (!t.nchw) return t.name;
    const key = `${tensor}>nhwc`;
    if (!this.converted.has(key))
      this.converted.set(key, this.node('Transpose', [t.name], tensor, { perm: [0, 2, 3, 1] }));
    return this.converted.get(key)!;
  }

  /** The rank-4 tensor as NCHW. */
  nchw(tensor: string): string {
    const t = this.tensors.get(tensor)!;
    if (t.nchw) return t.name;
    const key = `${tensor}>nchw`;
    if (!this.converted.has(key))
      this.converted.set(key, this.node('Transpose', [t.name], tensor, { perm: [0, 3, 1, 2] }));
    return this.converted.get(key)!;
  }

  isNchw(tensor: string): boolean {
    return this.tensors.get(tensor)!.nchw;
  }
}

/** Windowed ops' ONNX attributes: kernel, strides, dilations and explicit TF-style pads. */
function window(
  inShape: number[],
  outShape: number[],
  k: Pair,
  strides: Pair,
  dilations: Pair,
  padding: Padding,
): Record<string, number[]> {
  const p =
    padding === 'same'
      ? [0, 1].map((a) => samePads(inShape[a], outShape[a], k[a], strides[a], dilations[a]))
      : [
          [0, 0],
          [0, 0],
        ];
  return { kernel_shape: k, strides, pads: [p[0][0], p[1][0], p[0][1], p[1][1]] };
}

function lowerNode(b: Builder, n: Node, shapes: Shapes): Lowered {
  const inShape = shapes.get(n.inputs[0])!;
  const outShape = shapes.get(n.output)!;
  const spatial = (name: string): Lowered => ({ name, nchw: true });
  const plain = (name: string): Lowered => ({ name, nchw: false });
  const [x] = n.inputs;
  switch (n.op) {
    case 'conv2d': {
      const [kh, kw, ci, co] = n.kernel.shape;
      const w = b.float(`${n.name}/W`, [co, ci, kh, kw], convWeight(n.kernel));
      const ins = [b.nchw(x), w, ...(n.bias ? [b.float(`${n.name}/B`, [co], n.bias.data)] : [])];
      const attrs = window(inShape, outShape, [kh, kw], n.strides, n.dilations, n.padding);
      return spatial(b.node('Conv', ins, n.name, { ...attrs, dilations: n.dilations, group: n.groups }));
    }
    case 'maxPool':
    case 'avgPool': {
      const attrs = window(inShape, outShape, n.size, n.strides, [1, 1], n.padding);
      return spatial(b.node(n.op === 'maxPool' ? 'MaxPool' : 'AveragePool', [b.nchw(x)], n.name, attrs));
    }
    case 'pad': {
      const [[t, bo], [l, r]] = n.pads;
      return spatial(
        b.node('Pad', [b.nchw(x), b.int64(`${n.name}/pads`, [0, 0, t, l, 0, 0, bo, r])], n.name),
      );
    }
    case 'globalAvg':
    case 'globalMax': {
      const g = b.node(n.op === 'globalAvg' ? 'GlobalAveragePool' : 'GlobalMaxPool', [b.nchw(x)], n.name);
      return n.keepDims ? spatial(g) : plain(b.node('Flatten', [g], n.name, { axis: 1 }));
    }
    case 'batchNorm': {
      const c = n.mean.data.length;
      const scale = new Float32Array(c);
      const shift = new Float32Array(c);
      for (let k = 0; k < c; k++) {
        scale[k] = (n.gamma ? n.gamma.data[k] : 1) / Math.sqrt(n.variance.data[k] + n.epsilon);
        shift[k] = (n.beta ? n.beta.data[k] : 0) - n.mean.data[k] * scale[k];
      }
      const nchw = b.isNchw(x);
      const dims = nchw ? [c, 1, 1] : [c];
      const m = b.node(
        'Mul',
        [b.isNchw(x) ? b.nchw(x) : b.nhwc(x), b.float(`${n.name}/scale`, dims, scale)],
        n.name,
      );
      return { name: b.node('Add', [m, b.float(`${n.name}/shift`, dims, shift)], n.name), nchw };
    }
    case 'add':
    case 'mul':
    case 'sub':
    case 'max':
    case 'min': {
      // NCHW when an input is and all are 4-d; a per-channel constant then broadcasts as [C, 1, 1],
      // a constant of any other shape is applied channels last.
      const c = n.constant;
      const nchw =
        (!c || c.shape.length <= 1) &&
        n.inputs.some((i) => b.isNchw(i)) &&
        n.inputs.every((i) => b.rank(i) === 3);
      let names = n.inputs.map((i) => (nchw ? b.nchw(i) : b.nhwc(i)));
      if (c)
        names = [
          ...names,
          b.float(`${n.name}/C`, nchw && c.data.length > 1 ? [c.data.length, 1, 1] : c.shape, c.data),
        ];
      const onnx = { add: 'Add', mul: 'Mul', sub: 'Sub', max: 'Max', min: 'Min' }[n.op];
      if (names.length === 1) return { name: b.node('Identity', names, n.name), nchw };
      if (n.op === 'max' || n.op === 'min') return { name: b.node(onnx, names, n.name), nchw };
      let acc = names[0];
      for (const other of names.slice(1)) acc = b.node(onnx, [acc, other], n.name);
      return { name: acc, nchw };
    }
    case 'relu':
    case 'sigmoid':
    case 'tanh': {
      const nchw = b.isNchw(x);
      const op = { relu: 'Relu', sigmoid: 'Sigmoid', tanh: 'Tanh' }[n.op];
      return { name: b.node(op, [nchw ? b.nchw(x) : b.nhwc(x)], n.name), nchw };
    }
    case 'relu6': {
      const nchw = b.isNchw(x);
      const lo = b.float(`${n.name}/min`, [], new Float32Array([0]));
      const hi = b.float(`${n.name}/max`, [], new Float32Array([6]));
      return { name: b.node('Clip', [nchw ? b.nchw(x) : b.nhwc(x), lo, hi], n.name), nchw };
    }
    case 'softmax':
      return plain(b.node('Softmax', [b.nhwc(x)], n.name, { axis: -1 }));
    case 'dense': {
      const [i, o] = n.kernel.shape;
      const w = b.float(`${n.name}/W`, [i, o], n.kernel.data);
      const bias = n.bias && b.float(`${n.name}/B`, [o], n.bias.data);
      if (inShape.length === 1) return plain(b.node('Gemm', [b.nhwc(x), w, ...(bias ? [bias] : [])], n.name));
      const m = b.node('MatMul', [b.nhwc(x), w], n.name);
      return plain(bias ? b.node('Add', [m, bias], n.name) : m);
    }
    case 'flatten':
      return plain(b.node('Flatten', [b.nhwc(x)], n.name, { axis: 1 }));
    case 'reshape':
      return plain(b.node('Reshape', [b.nhwc(x), b.int64(`${n.name}/shape`, [0, ...n.shape])], n.name));
    case 'transpose':
      return plain(b.node('Transpose', [b.nhwc(x)], n.name, { perm: [0, ...n.perm.map((p) => p + 1)] }));
    case 'concat': {
      const r = inShape.length + 1;
      const axis = n.axis < 0 ? n.axis + r : n.axis;
      const nchw = r === 4 && axis === 3 && n.inputs.every((i) => b.isNchw(i));
      const names = n.inputs.map((i) => (nchw ? b.nchw(i) : b.nhwc(i)));
      return { name: b.node('Concat', names, n.name, { axis: nchw ? 1 : axis }), nchw };
    }
  }
}

const valueInfo = (name: string, shape: number[]) => ({
  name,
  type: {
    tensorType: {
      elemType: FLOAT,
      shape: { dim: [{ dimParam: 'batch' }, ...shape.map((d) => ({ dimValue: d }))] },
    },
  },
});

/** The graph (checked by checkGraph, whose `shapes` these are) as serialized ONNX. */
export function graphToOnnx(graph: Graph, shapes: Shapes): Uint8Array {
  const b = new Builder(shapes);
  b.set(graph.input.name, { name: 'input', nchw: false });
  for (const n of graph.nodes) b.set(n.output, lowerNode(b, n, shapes));
  const out = b.node('Identity', [b.nhwc(graph.output)], 'output');
  return encodeOnnxModel({
    irVersion: 7,
    producerName: 'wavebench',
    opsetImport: [{ domain: '', version: LOWERED_OPSET }],
    graph: {
      name: 'wavebench',
      node: b.nodes,
      initializer: b.initializers,
      input: [valueInfo('input', graph.input.shape)],
      output: [valueInfo(out, shapes.get(graph.output)!)],
    },
  });
}
