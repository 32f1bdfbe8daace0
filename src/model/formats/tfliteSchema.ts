// The part of TFLite's flatbuffer schema (tensorflow/compiler/mlir/lite/schema/schema.fbs) that
// Wavebench reads, on top of the `flatbuffers` library's ByteBuffer.
//
// Why by hand: `flatc` is not available here, and no maintained npm package ships generated
// TypeScript for the TFLite schema (@tensorflow/tfjs-tflite runs a WASM interpreter in a browser
// and does not export readers). The generated code for the whole schema is ~10k lines for 200
// operator option tables; Wavebench reads 9 tables and 9 option tables. Field slots are the
// schema's declaration order (slot n at vtable offset 4 + 2n); each read is bounds-checked, so a
// truncated or corrupt file is one clear error instead of garbage (the library does not check).
import { ByteBuffer } from 'flatbuffers';
import { MODEL_LIMITS, ModelLimitError } from '../limits';

/** A file that is not a readable TFLite flatbuffer. */
export class FlatbufferError extends Error {}

/** TensorType enum of the schema. */
export const TensorType = {
  FLOAT32: 0,
  FLOAT16: 1,
  INT32: 2,
  UINT8: 3,
  INT64: 4,
  INT16: 7,
  INT8: 9,
} as const;
const TYPE_NAMES: Record<number, string> = {
  0: 'float32',
  1: 'float16',
  2: 'int32',
  3: 'uint8',
  4: 'int64',
  5: 'string',
  6: 'bool',
  7: 'int16',
  8: 'complex64',
  9: 'int8',
  10: 'float64',
  11: 'complex128',
  12: 'uint64',
  13: 'resource',
  14: 'variant',
  15: 'uint32',
  16: 'uint16',
  17: 'int4',
  18: 'bfloat16',
};
export const typeName = (t: number): string => TYPE_NAMES[t] ?? `type ${t}`;

// BuiltinOperator names in enum order (0..161), for messages naming an operator.
const OP_NAMES = (
  'ADD AVERAGE_POOL_2D CONCATENATION CONV_2D DEPTHWISE_CONV_2D DEPTH_TO_SPACE DEQUANTIZE ' +
  'EMBEDDING_LOOKUP FLOOR FULLY_CONNECTED HASHTABLE_LOOKUP L2_NORMALIZATION L2_POOL_2D ' +
  'LOCAL_RESPONSE_NORMALIZATION LOGISTIC LSH_PROJECTION LSTM MAX_POOL_2D MUL RELU RELU_N1_TO_1 ' +
  'RELU6 RESHAPE RESIZE_BILINEAR RNN SOFTMAX SPACE_TO_DEPTH SVDF TANH CONCAT_EMBEDDINGS SKIP_GRAM ' +
  'CALL CUSTOM EMBEDDING_LOOKUP_SPARSE PAD UNIDIRECTIONAL_SEQUENCE_RNN GATHER BATCH_TO_SPACE_ND ' +
  'SPACE_TO_BATCH_ND TRANSPOSE MEAN SUB DIV SQUEEZE UNIDIRECTIONAL_SEQUENCE_LSTM STRIDED_SLICE ' +
  'BIDIRECTIONAL_SEQUENCE_RNN EXP TOPK_V2 SPLIT LOG_SOFTMAX DELEGATE BIDIRECTIONAL_SEQUENCE_LSTM ' +
  'CAST PRELU MAXIMUM ARG_MAX MINIMUM LESS NEG PADV2 GREATER GREATER_EQUAL LESS_EQUAL SELECT SLICE ' +
  'SIN TRANSPOSE_CONV SPARSE_TO_DENSE TILE EXPAND_DIMS EQUAL NOT_EQUAL LOG SUM SQRT RSQRT SHAPE POW ' +
  'ARG_MIN FAKE_QUANT REDUCE_PROD REDUCE_MAX PACK LOGICAL_OR ONE_HOT LOGICAL_AND LOGICAL_NOT UNPACK ' +
  'REDUCE_MIN FLOOR_DIV REDUCE_ANY SQUARE ZEROS_LIKE FILL FLOOR_MOD RANGE RESIZE_NEAREST_NEIGHBOR ' +
  'LEAKY_RELU SQUARED_DIFFERENCE MIRROR_PAD ABS SPLIT_V UNIQUE CEIL REVERSE_V2 ADD_N GATHER_ND COS ' +
  'WHERE RANK ELU REVERSE_SEQUENCE MATRIX_DIAG QUANTIZE MATRIX_SET_DIAG ROUND HARD_SWISH IF WHILE ' +
  'NON_MAX_SUPPRESSION_V4 NON_MAX_SUPPRESSION_V5 SCATTER_ND SELECT_V2 DENSIFY SEGMENT_SUM ' +
  'BATCH_MATMUL PLACEHOLDER_FOR_GREATER_OP_CODES CUMSUM CALL_ONCE BROADCAST_TO RFFT2D CONV_3D IMAG ' +
  'REAL COMPLEX_ABS HASHTABLE HASHTABLE_FIND HASHTABLE_IMPORT HASHTABLE_SIZE REDUCE_ALL ' +
  'CONV_3D_TRANSPOSE VAR_HANDLE READ_VARIABLE ASSIGN_VARIABLE BROADCAST_ARGS RANDOM_STANDARD_NORMAL ' +
  'BUCKETIZE RANDOM_UNIFORM MULTINOMIAL GELU DYNAMIC_UPDATE_SLICE RELU_0_TO_1 UNSORTED_SEGMENT_PROD ' +
  'UNSORTED_SEGMENT_MAX UNSORTED_SEGMENT_SUM ATAN2 UNSORTED_SEGMENT_MIN SIGN BITCAST BITWISE_XOR ' +
  'RIGHT_SHIFT'
).split(' ');
export const opName = (code: number): string => OP_NAMES[code] ?? `builtin operator ${code}`;

/** BuiltinOperator codes Wavebench runs. */
export const Op = {
  ADD: 0,
  AVERAGE_POOL_2D: 1,
  CONV_2D: 3,
  DEPTHWISE_CONV_2D: 4,
  DEQUANTIZE: 6,
  FULLY_CONNECTED: 9,
  LOGISTIC: 14,
  MAX_POOL_2D: 17,
  MUL: 18,
  RELU: 19,
  RELU_N1_TO_1: 20,
  RELU6: 21,
  RESHAPE: 22,
  SOFTMAX: 25,
  TANH: 28,
  CUSTOM: 32,
  MEAN: 40,
  SUB: 41,
  SQUEEZE: 43,
  EXPAND_DIMS: 70,
  QUANTIZE: 114,
} as const;

/** A bounds-checked view of one flatbuffer table. */
export class Table {
  private readonly vtable: number;
  private readonly vtableSize: number;

  constructor(
    private readonly bb: ByteBuffer,
    readonly pos: number,
  ) {
    check(bb, pos, 4);
    this.vtable = pos - bb.readInt32(pos);
    check(bb, this.vtable, 4);
    this.vtableSize = bb.readUint16(this.vtable);
    check(bb, this.vtable, this.vtableSize);
  }

  /** Absolute position of field `slot`, or 0 when absent. */
  private field(slot: number): number {
    const o = 4 + 2 * slot;
    if (o >= this.vtableSize) return 0;
    const rel = this.bb.readUint16(this.vtable + o);
    return rel ? this.pos + rel : 0;
  }

  private scalar(slot: number, size: number, read: (p: number) => number, def: number): number {
    const p = this.field(slot);
    if (!p) return def;
    check(this.bb, p, size);
    return read(p);
  }

  int8(slot: number, def = 0): number {
    return this.scalar(slot, 1, (p) => this.bb.readInt8(p), def);
  }
  uint8(slot: number, def = 0): number {
    return this.scalar(slot, 1, (p) => this.bb.readUint8(p), def);
  }
  int32(slot: number, def = 0): number {
    return this.scalar(slot, 4, (p) => this.bb.readInt32(p), def);
  }
  uint32(slot: number, def = 0): number {
    return this.scalar(slot, 4, (p) => this.bb.readUint32(p), def);
  }
  float32(slot: number, def = 0): number {
    return this.scalar(slot, 4, (p) => this.bb.readFloat32(p), def);
  }
  uint64(slot: number, def = 0): number {
    const p = this.field(slot);
    if (!p) return def;
    check(this.bb, p, 8);
    return Number(this.bb.readUint64(p));
  }
  bool(slot: number, def = false): boolean {
    return this.scalar(slot, 1, (p) => this.bb.readUint8(p), def ? 1 : 0) !== 0;
  }

  /** Follows an offset field to a sub-table. */
  table(slot: number): Table | undefined {
    const p = this.field(slot);
    if (!p) return undefined;
    check(this.bb, p, 4);
    return new Table(this.bb, p + this.bb.readUint32(p));
  }

  /** A vector's first element position and length, checked against the buffer. */
  private vector(slot: number, elemSize: number): { start: number; length: number } | undefined {
    const p = this.field(slot);
    if (!p) return undefined;
    check(this.bb, p, 4);
    const v = p + this.bb.readUint32(p);
    check(this.bb, v, 4);
    const length = this.bb.readUint32(v);
    check(this.bb, v + 4, length * elemSize);
    return { start: v + 4, length };
  }

  /**
   * A vector's length, refused above `max` before its elements are read (600 tensors sharing one
   * 1M-entry shape vector took 600 M numbers). limits.ts's bounds.
   */
  count(slot: number, max: number, what: string): void {
    const v = this.vector(slot, 1);
    if (v && v.length > max) throw new ModelLimitError(`${what} has ${v.length} entries (limit ${max})`);
  }

  string(slot: number): string | undefined {
    const v = this.vector(slot, 1);
    return v ? new TextDecoder().decode(this.bb.bytes().subarray(v.start, v.start + v.length)) : undefined;
  }
  int32s(slot: number): number[] {
    const v = this.vector(slot, 4);
    return v ? Array.from({ length: v.length }, (_, i) => this.bb.readInt32(v.start + 4 * i)) : [];
  }
  float32s(slot: number): number[] {
    const v = this.vector(slot, 4);
    return v ? Array.from({ length: v.length }, (_, i) => this.bb.readFloat32(v.start + 4 * i)) : [];
  }
  int64s(slot: number): number[] {
    const v = this.vector(slot, 8);
    return v ? Array.from({ length: v.length }, (_, i) => Number(this.bb.readInt64(v.start + 8 * i))) : [];
  }
  bytes(slot: number): Uint8Array | undefined {
    const v = this.vector(slot, 1);
    return v ? this.bb.bytes().subarray(v.start, v.start + v.length) : undefined;
  }
  tables(slot: number): Table[] {
    const v = this.vector(slot, 4);
    if (!v) return [];
    return Array.from({ length: v.length }, (_, i) => {
      const p = v.start + 4 * i;
      return new Table(this.bb, p + this.bb.readUint32(p));
    });
  }
}

function check(bb: ByteBuffer, pos: number, size: number): void {
  if (!(pos >= 0 && size >= 0 && pos + size <= bb.capacity())) {
    throw new FlatbufferError(
      `the flatbuffer is truncated or corrupt (a field at byte ${pos} reaches past its ${bb.capacity()} bytes)`,
    );
  }
}

/** A tensor of the main subgraph. */
export interface TfliteTensor {
  index: number;
  name: string;
  shape: number[];
  type: number;
  /** Constant data (weights), or undefined for activations. */
  data?: Uint8Array;
  /** Quantisation: per-tensor (one value) or per-channel along `quantizedDimension`. */
  scale: number[];
  zeroPoint: number[];
  quantizedDimension: number;
}

/** An operator of the main subgraph, in execution order. */
export interface TfliteOperator {
  index: number;
  code: number;
  name: string;
  version: number;
  inputs: number[];
  outputs: number[];
  options?: Table;
}

/** The main subgraph of a TFLite model. */
export interface TfliteModel {
  version: number;
  description?: string;
  tensors: TfliteTensor[];
  operators: TfliteOperator[];
  inputs: number[];
  outputs: number[];
  subgraphCount: number;
}

/** Parses a .tflite file (flatbuffer with identifier "TFL3"): the main subgraph, its tensors and weights. */
export function parseTflite(file: Uint8Array): TfliteModel {
  // A plain Uint8Array view (a Node Buffer's slice() would not copy the weights).
  const bytes = new Uint8Array(file.buffer, file.byteOffset, file.byteLength);
  if (bytes.length < 8)
    throw new FlatbufferError(`the file is too short for a TFLite model (${bytes.length} bytes)`);
  const bb = new ByteBuffer(bytes);
  const ident = String.fromCharCode(...bytes.subarray(4, 8));
  if (ident !== 'TFL3') {
    throw new FlatbufferError(
      `not a TFLite model: the flatbuffer identifier is ${JSON.stringify(ident)}, expected "TFL3"`,
    );
  }
  const model = new Table(bb, bb.readUint32(0));
  const version = model.uint32(0);
  model.count(1, MODEL_LIMITS.maxCount, 'the operator code list');
  model.count(2, MODEL_LIMITS.maxCount, 'the subgraph list');
  const codes = model.tables(1).map((c) => ({
    // builtin_code (slot 3) supersedes the old byte-sized deprecated_builtin_code (slot 0).
    code: Math.max(c.int8(0), c.int32(3)),
    custom: c.string(1),
    version: c.int32(2, 1),
  }));
  const subgraphs = model.tables(2);
  if (!subgraphs.length) throw new FlatbufferError('the model has no subgraph');
  const buffers = model.tables(4);
  const sg = subgraphs[0];
  for (const [slot, what] of [
    [0, 'the tensor list'],
    [1, 'the input list'],
    [2, 'the output list'],
    [3, 'the operator list'],
  ] as const)
    sg.count(slot, MODEL_LIMITS.maxCount, what);
  model.count(4, MODEL_LIMITS.maxCount, 'the buffer list');
  const tensors = sg.tables(0).map((t, index): TfliteTensor => {
    const b = t.uint32(2);
    let data: Uint8Array | undefined;
    if (b > 0) {
      const buf = buffers[b];
      if (!buf) throw new FlatbufferError(`tensor ${index} refers to buffer ${b} of ${buffers.length}`);
      data = buf.bytes(0);
      const offset = buf.uint64(1);
      if (offset > 1) {
        // Models over 2 GB keep buffers after the flatbuffer, at an offset from the file's start.
        const size = buf.uint64(2);
        if (offset + size > bytes.length) {
          throw new FlatbufferError(`buffer ${b} lies past the end of the file (truncated?)`);
        }
        data = bytes.subarray(offset, offset + size);
      }
      if (data && data.length === 0) data = undefined;
    }
    const q = t.table(4);
    t.count(0, MODEL_LIMITS.maxRank, `tensor ${index}'s shape`);
    if (q) for (const slot of [2, 3]) q.count(slot, MODEL_LIMITS.maxCount, `tensor ${index}'s quantisation`);
    return {
      index,
      name: t.string(3) ?? `tensor ${index}`,
      shape: t.int32s(0),
      type: t.int8(1),
      data,
      scale: q ? q.float32s(2) : [],
      zeroPoint: q ? q.int64s(3) : [],
      quantizedDimension: q ? q.int32(6) : 0,
    };
  });
  const operators = sg.tables(3).map((o, index): TfliteOperator => {
    const ci = o.uint32(0);
    const c = codes[ci];
    if (!c) throw new FlatbufferError(`operator ${index} refers to operator code ${ci} of ${codes.length}`);
    o.count(1, MODEL_LIMITS.maxCount, `operator ${index}'s inputs`);
    o.count(2, MODEL_LIMITS.maxCount, `operator ${index}'s outputs`);
    const inputs = o.int32s(1);
    const outputs = o.int32s(2);
    for (const t of [...inputs, ...outputs]) {
      if (t >= tensors.length)
        throw new FlatbufferError(`operator ${index} refers to tensor ${t} of ${tensors.length}`);
    }
    return {
      index,
      code: c.code,
      name: c.code === Op.CUSTOM ? `CUSTOM (${c.custom ?? '?'})` : opName(c.code),
      version: c.version,
      inputs,
      outputs,
      options: o.table(4),
    };
  });
  const inputs = sg.int32s(1);
  const outputs = sg.int32s(2);
  for (const t of [...inputs, ...outputs]) {
    if (t < 0 || t >= tensors.length)
      throw new FlatbufferError(`the subgraph's input/output tensor ${t} does not exist`);
  }
  return {
    version,
    description: model.string(3),
    tensors,
    operators,
    inputs,
    outputs,
    subgraphCount: subgraphs.length,
  };
}

/** Fused activation (ActivationFunctionType). */
export type Activation = 'none' | 'relu' | 'relu_n1_to_1' | 'relu6' | 'tanh' | 'sign_bit';
const ACTIVATIONS: Activation[] = ['none', 'relu', 'relu_n1_to_1', 'relu6', 'tanh', 'sign_bit'];
const act = (v: number): Activation => ACTIVATIONS[v] ?? 'sign_bit';

/** Options of the convolution and pooling operators. */
export interface WindowOptions {
  padding: 'same' | 'valid';
  strideW: number;
  strideH: number;
  dilationW: number;
  dilationH: number;
  filterW: number;
  filterH: number;
  activation: Activation;
}

const padding = (v: number): 'same' | 'valid' => (v === 0 ? 'same' : 'valid');

// Slots: Conv2DOptions {padding, stride_w, stride_h, fused_activation_function, dilation_w_factor,
// dilation_h_factor}; DepthwiseConv2DOptions {padding, stride_w, stride_h, depth_multiplier,
// fused_activation_function, dilation_w_factor, dilation_h_factor}; Pool2DOptions {padding,
// stride_w, stride_h, filter_width, filter_height, fused_activation_function}.
export function conv2dOptions(t: Table | undefined): WindowOptions {
  return {
    padding: padding(t?.int8(0) ?? 0),
    strideW: t?.int32(1) ?? 0,
    strideH: t?.int32(2) ?? 0,
    activation: act(t?.int8(3) ?? 0),
    dilationW: t?.int32(4, 1) ?? 1,
    dilationH: t?.int32(5, 1) ?? 1,
    filterW: 0,
    filterH: 0,
  };
}
export function depthwiseOptions(t: Table | undefined): WindowOptions {
  return {
    padding: padding(t?.int8(0) ?? 0),
    strideW: t?.int32(1) ?? 0,
    strideH: t?.int32(2) ?? 0,
    activation: act(t?.int8(4) ?? 0),
    dilationW: t?.int32(5, 1) ?? 1,
    dilationH: t?.int32(6, 1) ?? 1,
    filterW: 0,
    filterH: 0,
  };
}
export function poolOptions(t: Table | undefined): WindowOptions {
  return {
    padding: padding(t?.int8(0) ?? 0),
    strideW: t?.int32(1) ?? 0,
    strideH: t?.int32(2) ?? 0,
    filterW: t?.int32(3) ?? 0,
    filterH: t?.int32(4) ?? 0,
    activation: act(t?.int8(5) ?? 0),
    dilationW: 1,
    dilationH: 1,
  };
}
/** FullyConnectedOptions {fused_activation_function, weights_format, keep_num_dims}. */
export function fullyConnectedOptions(t: Table | undefined): {
  activation: Activation;
  weightsFormat: number;
  keepNumDims: boolean;
} {
  return {
    activation: act(t?.int8(0) ?? 0),
    weightsFormat: t?.int8(1) ?? 0,
    keepNumDims: t?.bool(2) ?? false,
  };
}
/** AddOptions / SubOptions / MulOptions: fused_activation_function in slot 0. */
export const activationOption = (t: Table | undefined): Activation => act(t?.int8(0) ?? 0);
/** SoftmaxOptions {beta}. */
export const softmaxBeta = (t: Table | undefined): number => t?.float32(0, 0) ?? 0;
/** ReducerOptions {keep_dims}. */
export const keepDims = (t: Table | undefined): boolean => t?.bool(0) ?? false;
