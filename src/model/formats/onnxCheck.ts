import { checkBytes, checkCount, checkFinite, MODEL_LIMITS, ModelLimitError, shapeSize } from '../limits';
import type {
  OnnxGraph,
  OnnxModel,
  OnnxNode,
  OnnxSparseTensor,
  OnnxTensor,
  OnnxValueInfo,
} from './onnxProto';

/**
 * An ONNX ModelProto checked without running it (limits.ts's bounds, as every other format): a
 * supported default-domain opset, no custom-operator domain, at most MODEL_LIMITS.maxCount nodes and
 * tensors, every constant tensor (initializers, sparse initializers, node attributes, in subgraphs
 * and local functions too) holding exactly the values its shape declares, floats finite, and no
 * external data: onnxruntime would read a weight file the .onnx names (`../x`, `/etc/passwd`), and a
 * model never reads outside its folder. One float tensor input, a float tensor output.
 */
export interface OnnxFacts {
  opset: number;
  producer: string;
  inputName: string;
  /** Input dimensions, null where symbolic (dim_param) or unknown. */
  inputDims: (number | null)[];
  outputName: string;
  outputDims: (number | null)[];
  /** Operator types used (domain-qualified outside the default domain), sorted. */
  ops: string[];
}

const fail = (message: string): never => {
  throw new ModelLimitError(message);
};

/** Bytes a value of an ONNX TensorProto.DataType takes in raw_data (4-bit types: see below). */
const RAW_BYTES: Record<number, number> = {
  1: 4, // FLOAT
  2: 1, // UINT8
  3: 1, // INT8
  4: 2, // UINT16
  5: 2, // INT16
  6: 4, // INT32
  7: 8, // INT64
  9: 1, // BOOL
  10: 2, // FLOAT16
  11: 8, // DOUBLE
  12: 4, // UINT32
  13: 8, // UINT64
  14: 8, // COMPLEX64
  15: 16, // COMPLEX128
  16: 2, // BFLOAT16
  17: 1, // FLOAT8E4M3FN
  18: 1, // FLOAT8E4M3FNUZ
  19: 1, // FLOAT8E5M2
  20: 1, // FLOAT8E5M2FNUZ
};
const FOUR_BIT = new Set([21, 22]); // UINT4, INT4: two values a byte
const STRING = 8;
const FLOAT = 1;
const DOUBLE = 11;

/** Domains onnxruntime implements itself; any other is a custom-operator library, never loaded. */
const KNOWN_DOMAINS = new Set(['', 'ai.onnx', 'ai.onnx.ml', 'com.microsoft']);

const dimsOf = (v: OnnxValueInfo): (number | null)[] =>
  (v.type?.tensorType?.shape?.dim ?? []).map((d) =>
    d.dimParam || d.dimValue === undefined || d.dimValue < 0 ? null : d.dimValue,
  );

/** Values a tensor's typed fields (not raw_data) hold. */
function typedValues(t: OnnxTensor): number {
  return (
    (t.floatData?.length ?? 0) +
    (t.int32Data?.length ?? 0) +
    (t.stringData?.length ?? 0) +
    (t.int64Data?.length ?? 0) +
    (t.doubleData?.length ?? 0) +
    (t.uint64Data?.length ?? 0)
  );
}

/** A raw_data buffer as float32 (or float64) values, copied: raw_data need not be aligned. */
function rawFloats(raw: Uint8Array, bytes: 4 | 8): Float32Array | Float64Array {
  const copy = new Uint8Array(raw);
  return bytes === 4 ? new Float32Array(copy.buffer) : new Float64Array(copy.buffer);
}

/** One constant tensor: its stored values against its declared shape, finite floats, no external data. */
function checkTensor(t: OnnxTensor, where: string): void {
  const what = `${where} ${JSON.stringify(t.name ?? '').slice(0, 80)}`;
  if (t.dataLocation === 1 || t.externalData?.length) {
    const loc = t.externalData?.find((e) => e.key === 'location')?.value ?? '?';
    fail(
      `${what} keeps its data in an external file ${JSON.stringify(loc).slice(0, 120)}: refused ` +
        '(a model reads nothing outside its .onnx; save it with the weights inside)',
    );
  }
  const dims = t.dims ?? [];
  const n = shapeSize(dims, what);
  const type = t.dataType ?? 0;
  if (t.rawData?.length) {
    if (FOUR_BIT.has(type)) {
      if (t.rawData.length !== Math.ceil(n / 2))
        fail(
          `${what} holds ${t.rawData.length} bytes for shape [${dims.join(', ')}] (${Math.ceil(n / 2)} expected)`,
        );
    } else if (RAW_BYTES[type] !== undefined) checkBytes(t.rawData.length, dims, RAW_BYTES[type], what);
    else fail(`${what} has data type ${type}, which cannot be stored as raw bytes`);
    if (type === FLOAT || type === DOUBLE) checkFinite(rawFloats(t.rawData, type === FLOAT ? 4 : 8), what);
    return;
  }
  const held = typedValues(t);
  const need = type === 14 || type === 15 ? 2 * n : FOUR_BIT.has(type) ? Math.ceil(n / 2) : n;
  if (held !== need && !(type === STRING && held === n))
    fail(`${what} holds ${held} values for shape [${dims.join(', ')}] (${need} expected)`);
  if (t.floatData) checkFinite(t.floatData, what);
  if (t.doubleData) checkFinite(t.doubleData, what);
}

function checkSparse(s: OnnxSparseTensor, where: string): void {
  shapeSize(s.dims ?? [], `${where} (sparse)`);
  if (s.values) checkTensor(s.values, `${where} values`);
  if (s.indices) checkTensor(s.indices, `${where} indices`);
}

/** Walks a graph and its subgraphs, counting nodes and tensors, checking every constant. */
class Walker {
  nodes = 0;
  tensors = 0;
  readonly ops = new Set<string>();

  constructor(private readonly functionDomains: Set<string>) {}

  tensor(t: OnnxTensor, where: string): void {
    checkCount(++this.tensors, 'constant tensors');
    checkTensor(t, where);
  }

  sparse(s: OnnxSparseTensor, where: string): void {
    checkCount(++this.tensors, 'constant tensors');
    checkSparse(s, where);
  }

  node(n: OnnxNode, depth: number): void {
    checkCount(++this.nodes, 'nodes');
    const domain = n.domain ?? '';
    const op = String(n.opType ?? '');
    if (!KNOWN_DOMAINS.has(domain) && !this.functionDomains.has(domain))
      fail(
        `node ${JSON.stringify(n.name ?? '').slice(0, 80)} uses operator ${op.slice(0, 60)} of domain ` +
          `${JSON.stringify(domain).slice(0, 80)}: custom operators are not loaded`,
      );
    this.ops.add(domain && domain !== 'ai.onnx' ? `${domain}.${op}` : op);
    for (const a of n.attribute ?? []) {
      const where = `attribute ${String(a.name).slice(0, 40)} of node ${JSON.stringify(n.name ?? op).slice(0, 60)}`;
      if (a.t) this.tensor(a.t, where);
      for (const t of a.tensors ?? []) this.tensor(t, where);
      if (a.sparseTensor) this.sparse(a.sparseTensor, where);
      for (const s of a.sparseTensors ?? []) this.sparse(s, where);
      for (const g of [...(a.g ? [a.g] : []), ...(a.graphs ?? [])]) this.graph(g, depth + 1);
    }
  }

  graph(g: OnnxGraph, depth: number): void {
    if (depth > MODEL_LIMITS.maxNesting) fail(`subgraphs nested more than ${MODEL_LIMITS.maxNesting} deep`);
    for (const t of g.initializer ?? []) this.tensor(t, 'initializer');
    for (const s of g.sparseInitializer ?? []) this.sparse(s, 'sparse initializer');
    for (const n of g.node ?? []) this.node(n, depth);
  }
}

/** Checks a decoded ModelProto (see OnnxFacts); throws ModelLimitError with the first problem. */
export function checkOnnxModel(m: OnnxModel): OnnxFacts {
  const g = m.graph;
  if (!g || !g.node?.length) fail('is not an ONNX model (no graph, or a graph without nodes)');
  const graph = g as OnnxGraph;
  const opset = (m.opsetImport ?? []).find((o) => !o.domain || o.domain === 'ai.onnx')?.version;
  if (opset === undefined) fail('declares no opset of the default ONNX domain');
  const { minOnnxOpset: lo, maxOnnxOpset: hi } = MODEL_LIMITS;
  if (!(opset! >= lo && opset! <= hi))
    fail(`uses ONNX opset ${opset} (onnxruntime here runs ${lo} to ${hi})`);
  const functions = m.functions ?? [];
  checkCount(functions.length, 'local functions');
  const walker = new Walker(new Set(functions.map((f) => f.domain ?? '')));
  walker.graph(graph, 0);
  for (const f of functions) for (const n of f.node ?? []) walker.node(n, 1);
  const constants = new Set((graph.initializer ?? []).map((t) => t.name));
  const inputs = (graph.input ?? []).filter((v) => !constants.has(v.name));
  if (inputs.length !== 1)
    fail(
      `has ${inputs.length} inputs (${inputs
        .map((v) => v.name)
        .join(', ')
        .slice(0, 120)}): one expected, the features or the samples`,
    );
  const output = graph.output?.[0];
  if (!output) fail('has no output');
  const input = inputs[0];
  for (const [v, what] of [
    [input, 'input'],
    [output!, 'output'],
  ] as const) {
    const type = v.type?.tensorType?.elemType;
    if (type !== FLOAT)
      fail(
        `${what} ${JSON.stringify(v.name).slice(0, 80)} is not a float32 tensor (ONNX type ${type ?? 'none'})`,
      );
  }
  return {
    opset: opset!,
    producer: [m.producerName, m.producerVersion].filter(Boolean).join(' '),
    inputName: input.name ?? '',
    inputDims: dimsOf(input),
    outputName: output!.name ?? '',
    outputDims: dimsOf(output!),
    ops: [...walker.ops].sort(),
  };
}
