// Full-integer (int8) TFLite models, run with TFLite's integer arithmetic written in TypeScript.
//
// Why by hand: TF.js has no int8 kernels, and running the network in float on de-quantised weights
// gives other numbers than the model people deploy. These follow TFLite's reference integer
// kernels (tensorflow/lite/kernels/internal/reference/integer_ops/*.h, common.h) and the
// parameter preparation of the kernels themselves (kernel_util.cc, quantization_util.cc):
// per-channel weights, int32 bias, fixed-point multipliers with gemmlowp's double rounding
// (SaturatingRoundingDoublingHighMul, then RoundingDivideByPOT), clamps from the fused
// activation. Int8 softmax is the one op whose default TFLite kernel is not the reference one:
// tf.lite.Interpreter runs the optimised kernel, a float lookup table of exp() (optimized_ops.h
// PopulateSoftmaxLookupTable + Softmax), and that is what this file does, in float32 steps.
import {
  activationOption,
  conv2dOptions,
  depthwiseOptions,
  fullyConnectedOptions,
  keepDims,
  Op,
  poolOptions,
  softmaxBeta,
  TensorType,
  typeName,
  type Activation,
  type TfliteModel,
  type TfliteOperator,
  type TfliteTensor,
  type WindowOptions,
} from './tfliteSchema';
import { checkInt8Work } from '../limits';

/** An operator that cannot run, with the reason. */
export class UnsupportedOpError extends Error {
  constructor(
    readonly op: TfliteOperator,
    readonly reason: string,
  ) {
    super(`operator ${op.index} (${op.name}): ${reason}`);
  }
}

const TWO31 = 2147483648;
const INT32_MIN = -2147483648;

/**
 * gemmlowp's SaturatingRoundingDoublingHighMul: (a * b + nudge) / 2^31 truncated toward zero,
 * nudge = 2^30 for a non-negative product and 1 - 2^30 otherwise; INT32_MIN * INT32_MIN
 * saturates. The 62-bit product is formed exactly in doubles as p1 * 2^16 + p0.
 */
export function saturatingRoundingDoublingHighMul(a: number, b: number): number {
  if (a === INT32_MIN && b === INT32_MIN) return 2147483647;
  const bh = b >> 16;
  const bl = b & 0xffff;
  const p1 = a * bh; // |p1| <= 2^46
  const p0 = a * bl; // |p0| < 2^47
  const negative = a !== 0 && b !== 0 && a < 0 !== b < 0;
  const nudge = negative ? 1 - 1073741824 : 1073741824;
  const p1h = Math.floor(p1 / 32768);
  const p1l = p1 - p1h * 32768; // p1 * 2^16 = p1h * 2^31 + p1l * 2^16
  const r = p1l * 65536 + p0 + nudge;
  const rh = Math.floor(r / TWO31);
  let q = p1h + rh; // floor((a * b + nudge) / 2^31)
  if (negative && r - rh * TWO31 !== 0) q += 1; // truncation toward zero
  return q;
}

/** gemmlowp's RoundingDivideByPOT: x / 2^exponent rounded half away from zero (exponent 0..31). */
export function roundingDivideByPOT(x: number, exponent: number): number {
  if (exponent === 0) return x;
  const p = 2 ** exponent;
  const floor = Math.floor(x / p);
  const remainder = x - floor * p; // x & mask
  const threshold = Math.floor((p - 1) / 2) + (x < 0 ? 1 : 0);
  return floor + (remainder > threshold ? 1 : 0);
}

/** TFLite's MultiplyByQuantizedMultiplier (double rounding): x * m * 2^shift, m a Q31 multiplier. */
export function multiplyByQuantizedMultiplier(x: number, m: number, shift: number): number {
  const left = shift > 0 ? shift : 0;
  const right = shift > 0 ? 0 : -shift;
  return roundingDivideByPOT(saturatingRoundingDoublingHighMul(Math.imul(x, 1 << left), m), right);
}

/** C's std::round: half away from zero. */
export const roundHalfAway = (x: number): number => (x < 0 ? -Math.round(-x) : Math.round(x));

/** TFLite's QuantizeMultiplier: a positive real as a Q31 significand and a power-of-two shift. */
export function quantizeMultiplier(real: number): [multiplier: number, shift: number] {
  if (real === 0) return [0, 0];
  // frexp: real = q * 2^shift with q in [0.5, 1)
  let shift = Math.floor(Math.log2(real)) + 1;
  let q = real / 2 ** shift;
  if (q >= 1) {
    q /= 2;
    shift++;
  } else if (q < 0.5) {
    q *= 2;
    shift--;
  }
  let fixed = roundHalfAway(q * TWO31);
  if (fixed === TWO31) {
    fixed /= 2;
    shift++;
  }
  if (shift < -31) return [0, 0];
  return [fixed, shift];
}

const f32 = Math.fround;

/** A per-tensor quantised tensor's zero point (0 when the file gives none). */
const zp = (t: TfliteTensor): number => t.zeroPoint[0] ?? 0;

/** CalculateActivationRangeQuantized for int8 outputs. */
export function activationRange(op: TfliteOperator, act: Activation, out: TfliteTensor): [number, number] {
  const scale = out.scale[0];
  const outZp = zp(out);
  const q = (f: number) => outZp + roundHalfAway(f32(f / scale));
  switch (act) {
    case 'none':
      return [-128, 127];
    case 'relu':
      return [Math.max(-128, q(0)), 127];
    case 'relu6':
      return [Math.max(-128, q(0)), Math.min(127, q(6))];
    case 'relu_n1_to_1':
      return [Math.max(-128, q(-1)), Math.min(127, q(1))];
    default:
      throw new UnsupportedOpError(op, `fused activation ${act} is not supported on int8 tensors`);
  }
}

type Buf = Int8Array | Int32Array | Float32Array;

/** ComputePaddingHeightWidth's padding before the first element (TF's SAME puts the odd one after). */
function padBefore(
  stride: number,
  dilation: number,
  inSize: number,
  filter: number,
  outSize: number,
): number {
  const effective = (filter - 1) * dilation + 1;
  const total = Math.max(0, (outSize - 1) * stride + effective - inSize);
  return Math.floor(total / 2);
}

/** TFLite's output size of a window operator. */
export function windowOutSize(
  padding: 'same' | 'valid',
  inSize: number,
  filter: number,
  stride: number,
  dilation: number,
): number {
  const effective = (filter - 1) * dilation + 1;
  return padding === 'same'
    ? Math.floor((inSize + stride - 1) / stride)
    : Math.floor((inSize + stride - effective) / stride);
}

const size = (shape: number[]) => shape.reduce((a, b) => a * b, 1);

/** A compiled int8 model: one sample at a time, float features in, float (de-quantised) scores out. */
export interface Int8Program {
  inputSize: number;
  outputSize: number;
  run(features: Float32Array): Float32Array;
  /** A tensor's values after the last run (for tests that check operator by operator). */
  tensor(index: number): Int8Array | Int32Array | Float32Array | undefined;
}

/**
 * Prepares every operator as TFLite's Prepare does (multipliers, shifts, clamps, padding) and
 * returns the program. Throws UnsupportedOpError for an operator or tensor type it cannot run.
 */
export function compileInt8(model: TfliteModel): Int8Program {
  const T = model.tensors;
  const vals: (Buf | undefined)[] = T.map((t) => {
    if (!t.data) return undefined;
    const copy = t.data.slice(); // aligned
    switch (t.type) {
      case TensorType.INT8:
        return new Int8Array(copy.buffer, 0, copy.length);
      case TensorType.INT32:
        return new Int32Array(copy.buffer, 0, copy.length / 4);
      case TensorType.FLOAT32:
        return new Float32Array(copy.buffer, 0, copy.length / 4);
      default:
        return undefined;
    }
  });
  const buf = (i: number): Buf => {
    if (!vals[i]) {
      const t = T[i];
      const n = size(t.shape);
      vals[i] =
        t.type === TensorType.FLOAT32
          ? new Float32Array(n)
          : t.type === TensorType.INT32
            ? new Int32Array(n)
            : new Int8Array(n);
    }
    return vals[i]!;
  };
  checkInt8Work(model.operators.reduce((n, op) => n + multiplyAdds(op, T), 0));
  const steps: (() => void)[] = [];
  for (const op of model.operators) steps.push(compileOp(op, T, buf));
  const input = T[model.inputs[0]];
  const output = T[model.outputs[0]];
  const inBuf = buf(input.index);
  const outBuf = buf(output.index);
  const inScale = input.scale[0];
  const inZp = zp(input);
  const outScale = output.scale[0];
  const outZp = zp(output);
  return {
    inputSize: inBuf.length,
    outputSize: outBuf.length,
    run(features) {
      if (input.type === TensorType.INT8) {
        // The features quantised by the input tensor's scale and zero point, as QUANTIZE does.
        for (let i = 0; i < inBuf.length; i++) {
          inBuf[i] = Math.min(127, Math.max(-128, roundHalfAway(f32(features[i] / inScale)) + inZp));
        }
      } else {
        inBuf.set(features.subarray(0, inBuf.length));
      }
      for (const s of steps) s();
      if (output.type === TensorType.INT8) {
        const o = new Float32Array(outBuf.length);
        for (let i = 0; i < o.length; i++) o[i] = f32(outScale * (outBuf[i] - outZp));
        return o;
      }
      return Float32Array.from(outBuf);
    },
    tensor: (i) => vals[i],
  };
}

/** An operator's multiply-adds (or comparisons) per clip, from its declared shapes. */
function multiplyAdds(op: TfliteOperator, T: TfliteTensor[]): number {
  const out = T[op.outputs[0]];
  switch (op.code) {
    case Op.CONV_2D:
      return size(out.shape) * size(T[op.inputs[1]].shape.slice(1));
    case Op.DEPTHWISE_CONV_2D:
      return size(out.shape) * size(T[op.inputs[1]].shape.slice(1, 3));
    case Op.FULLY_CONNECTED:
      return size(T[op.inputs[0]].shape) * (T[op.inputs[1]].shape[0] ?? 1);
    case Op.MAX_POOL_2D:
    case Op.AVERAGE_POOL_2D: {
      const o = poolOptions(op.options);
      return size(out.shape) * o.filterH * o.filterW;
    }
    default:
      return op.inputs.reduce((n, i) => n + (i >= 0 ? size(T[i].shape) : 0), size(out.shape));
  }
}

function compileOp(op: TfliteOperator, T: TfliteTensor[], buf: (i: number) => Buf): () => void {
  const tin = op.inputs.map((i) => (i >= 0 ? T[i] : undefined));
  const tout = T[op.outputs[0]];
  const x = tin[0]!;
  const need = (cond: boolean, msg: string) => {
    if (!cond) throw new UnsupportedOpError(op, msg);
  };
  const isInt8 = (t: TfliteTensor | undefined) => t?.type === TensorType.INT8;
  // A float activation anywhere but around QUANTIZE/DEQUANTIZE is a hybrid (dynamic-range) model.
  if (op.code !== Op.QUANTIZE && op.code !== Op.DEQUANTIZE) {
    need(
      isInt8(x) && isInt8(tout),
      `${typeName(x.type)} input and ${typeName(tout.type)} output in an int8 model (only full-integer int8 models are supported, not hybrid or uint8 ones)`,
    );
  }
  switch (op.code) {
    case Op.CONV_2D:
    case Op.DEPTHWISE_CONV_2D:
      return convolution(op, tin, tout, buf, need);
    case Op.FULLY_CONNECTED: {
      const w = tin[1]!;
      const bias = tin[2];
      const o = fullyConnectedOptions(op.options);
      need(o.weightsFormat === 0, 'shuffled weights are not supported');
      need(isInt8(w) && !!w.data, 'the weights must be constant int8');
      const [units, depth] = w.shape;
      const n = size(x.shape) / depth;
      need(Number.isInteger(n), `input of ${size(x.shape)} values is not a multiple of ${depth}`);
      const perChannel = w.scale.length > 1;
      const mult = new Int32Array(units);
      const shift = new Int32Array(units);
      for (let c = 0; c < units; c++) {
        // per-tensor: GetQuantizedConvolutionMultipler (float product); per-channel: as convolutions.
        const real = perChannel
          ? (x.scale[0] * w.scale[c]) / tout.scale[0]
          : f32(x.scale[0] * w.scale[0]) / tout.scale[0];
        [mult[c], shift[c]] = quantizeMultiplier(real);
      }
      const [lo, hi] = activationRange(op, o.activation, tout);
      const inOff = -zp(x);
      const wOff = -zp(w);
      const outOff = zp(tout);
      return () => {
        const input = buf(x.index);
        const filter = buf(w.index);
        const b = bias ? buf(bias.index) : undefined;
        const out = buf(tout.index);
        for (let s = 0; s < n; s++) {
          for (let c = 0; c < units; c++) {
            let acc = 0;
            const fo = c * depth;
            const io = s * depth;
            for (let d = 0; d < depth; d++) acc += (input[io + d] + inOff) * (filter[fo + d] + wOff);
            if (b) acc += b[c];
            acc = multiplyByQuantizedMultiplier(acc | 0, mult[c], shift[c]) + outOff;
            out[s * units + c] = acc < lo ? lo : acc > hi ? hi : acc;
          }
        }
      };
    }
    case Op.MAX_POOL_2D:
    case Op.AVERAGE_POOL_2D:
      return pool(op, x, tout, buf, need);
    case Op.ADD:
    case Op.SUB:
      return addSub(op, tin[0]!, tin[1]!, tout, buf, need);
    case Op.MUL: {
      const a = tin[0]!;
      const b = tin[1]!;
      need(isInt8(b), `second input is ${typeName(b.type)}`);
      const [lo, hi] = activationRange(op, activationOption(op.options), tout);
      // mul.cc: input1 scale * input2 scale / output scale, in float.
      const [m, sh] = quantizeMultiplier(f32(f32(a.scale[0] * b.scale[0]) / tout.scale[0]));
      const ia = broadcastIndex(tout.shape, a.shape);
      const ib = broadcastIndex(tout.shape, b.shape);
      const oa = -zp(a);
      const ob = -zp(b);
      const oo = zp(tout);
      return () => {
        const A = buf(a.index);
        const B = buf(b.index);
        const out = buf(tout.index);
        for (let i = 0; i < out.length; i++) {
          const v = oo + multiplyByQuantizedMultiplier((A[ia(i)] + oa) * (B[ib(i)] + ob), m, sh);
          out[i] = v < lo ? lo : v > hi ? hi : v;
        }
      };
    }
    case Op.SOFTMAX: {
      const beta = softmaxBeta(op.options);
      // PopulateSoftmaxLookupTable: table[255 - v] = expf(-input_scale * beta * v)
      const scale = f32(-x.scale[0] * beta);
      const table = new Float32Array(256);
      for (let v = 0; v <= 255; v++) table[255 - v] = f32(Math.exp(f32(scale * v)));
      const outScale = tout.scale[0];
      const outZp = zp(tout);
      const last = x.shape[x.shape.length - 1];
      return () => {
        const input = buf(x.index);
        const out = buf(tout.index);
        for (let r = 0; r < input.length; r += last) {
          let max = -128;
          for (let j = 0; j < last; j++) max = Math.max(max, input[r + j]);
          const base = 255 - max;
          let sum = 0;
          for (let j = 0; j < last; j++) sum = f32(sum + table[base + input[r + j]]);
          const inv = f32(1 / f32(sum * outScale));
          for (let j = 0; j < last; j++) {
            const q = roundHalfAway(f32(table[base + input[r + j]] * inv)) + outZp;
            out[r + j] = q < -128 ? -128 : q > 127 ? 127 : q;
          }
        }
      };
    }
    case Op.MEAN:
      return mean(op, x, tin[1]!, tout, buf, need);
    case Op.RESHAPE:
    case Op.SQUEEZE:
    case Op.EXPAND_DIMS:
      need(
        size(x.shape) === size(tout.shape),
        `${size(x.shape)} values cannot take the shape [${tout.shape}]`,
      );
      return () => buf(tout.index).set(buf(x.index));
    case Op.QUANTIZE: {
      need(isInt8(tout), `output is ${typeName(tout.type)}, only int8 is supported`);
      const s = tout.scale[0];
      const z = zp(tout);
      if (x.type === TensorType.FLOAT32) {
        // AffineQuantize: round(x / scale) + zero point, clamped.
        return () => {
          const input = buf(x.index);
          const out = buf(tout.index);
          for (let i = 0; i < out.length; i++) {
            const v = roundHalfAway(f32(input[i] / s)) + z;
            out[i] = v < -128 ? -128 : v > 127 ? 127 : v;
          }
        };
      }
      need(isInt8(x), `input is ${typeName(x.type)}`);
      // Requantize int8 -> int8
      const [m, sh] = quantizeMultiplier(x.scale[0] / s);
      const zi = zp(x);
      return () => {
        const input = buf(x.index);
        const out = buf(tout.index);
        for (let i = 0; i < out.length; i++) {
          const v = multiplyByQuantizedMultiplier(input[i] - zi, m, sh) + z;
          out[i] = v < -128 ? -128 : v > 127 ? 127 : v;
        }
      };
    }
    case Op.DEQUANTIZE: {
      need(
        isInt8(x) && tout.type === TensorType.FLOAT32,
        `${typeName(x.type)} to ${typeName(tout.type)} is not supported`,
      );
      const s = x.scale[0];
      const z = zp(x);
      return () => {
        const input = buf(x.index);
        const out = buf(tout.index);
        for (let i = 0; i < out.length; i++) out[i] = f32(s * (input[i] - z));
      };
    }
    default:
      throw new UnsupportedOpError(op, 'this operator is not supported on int8 tensors');
  }
}

function convolution(
  op: TfliteOperator,
  tin: (TfliteTensor | undefined)[],
  tout: TfliteTensor,
  buf: (i: number) => Buf,
  need: (c: boolean, m: string) => void,
): () => void {
  const x = tin[0]!;
  const w = tin[1]!;
  const bias = tin[2];
  const depthwise = op.code === Op.DEPTHWISE_CONV_2D;
  const o: WindowOptions = depthwise ? depthwiseOptions(op.options) : conv2dOptions(op.options);
  need(w.type === TensorType.INT8 && !!w.data, 'the filter must be constant int8');
  need(x.shape.length === 4 && w.shape.length === 4 && tout.shape.length === 4, 'tensors must be 4-D');
  need(!bias || bias.type === TensorType.INT32, 'the bias must be int32');
  const [, inH, inW, inC] = x.shape;
  const [, outH, outW, outC] = tout.shape;
  const [, fH, fW] = w.shape;
  const fC = w.shape[3];
  need(
    depthwise ? fC === outC : fC === inC && w.shape[0] === outC,
    `filter shape [${w.shape}] does not fit the input [${x.shape}]`,
  );
  const mult = depthwise ? outC / inC : 1;
  need(Number.isInteger(mult), `${outC} output channels for ${inC} input channels`);
  need(
    outH === windowOutSize(o.padding, inH, fH, o.strideH, o.dilationH) &&
      outW === windowOutSize(o.padding, inW, fW, o.strideW, o.dilationW),
    `output shape [${tout.shape}] does not follow from the options`,
  );
  const padH = o.padding === 'same' ? padBefore(o.strideH, o.dilationH, inH, fH, outH) : 0;
  const padW = o.padding === 'same' ? padBefore(o.strideW, o.dilationW, inW, fW, outW) : 0;
  // PopulateConvolutionQuantizationParams: per channel, input scale * filter scale / output scale in double.
  const ms = new Int32Array(outC);
  const sh = new Int32Array(outC);
  for (let c = 0; c < outC; c++) {
    [ms[c], sh[c]] = quantizeMultiplier(
      (x.scale[0] * (w.scale.length > 1 ? w.scale[c] : w.scale[0])) / tout.scale[0],
    );
  }
  const [lo, hi] = activationRange(op, o.activation, tout);
  const inOff = -zp(x);
  const outOff = zp(tout);
  const batches = x.shape[0];
  return () => {
    const input = buf(x.index);
    const filter = buf(w.index);
    const b = bias ? buf(bias.index) : undefined;
    const out = buf(tout.index);
    for (let n = 0; n < batches; n++) {
      for (let oy = 0; oy < outH; oy++) {
        const y0 = oy * o.strideH - padH;
        for (let ox = 0; ox < outW; ox++) {
          const x0 = ox * o.strideW - padW;
          const ob = ((n * outH + oy) * outW + ox) * outC;
          for (let c = 0; c < outC; c++) {
            let acc = 0;
            const ic = depthwise ? Math.floor(c / mult) : 0;
            for (let fy = 0; fy < fH; fy++) {
              const iy = y0 + o.dilationH * fy;
              if (iy < 0 || iy >= inH) continue;
              for (let fx = 0; fx < fW; fx++) {
                const ix = x0 + o.dilationW * fx;
                if (ix < 0 || ix >= inW) continue;
                const ib = ((n * inH + iy) * inW + ix) * inC;
                if (depthwise) {
                  acc += filter[(fy * fW + fx) * outC + c] * (input[ib + ic] + inOff);
                } else {
                  const fb = ((c * fH + fy) * fW + fx) * inC;
                  for (let k = 0; k < inC; k++) acc += filter[fb + k] * (input[ib + k] + inOff);
                }
              }
            }
            if (b) acc += b[c];
            acc = multiplyByQuantizedMultiplier(acc | 0, ms[c], sh[c]) + outOff;
            out[ob + c] = acc < lo ? lo : acc > hi ? hi : acc;
          }
        }
      }
    }
  };
}

function pool(
  op: TfliteOperator,
  x: TfliteTensor,
  tout: TfliteTensor,
  buf: (i: number) => Buf,
  need: (c: boolean, m: string) => void,
): () => void {
  const o = poolOptions(op.options);
  need(x.shape.length === 4 && tout.shape.length === 4, 'tensors must be 4-D');
  const [batches, inH, inW, C] = x.shape;
  const [, outH, outW] = tout.shape;
  need(
    outH === windowOutSize(o.padding, inH, o.filterH, o.strideH, 1) &&
      outW === windowOutSize(o.padding, inW, o.filterW, o.strideW, 1),
    `output shape [${tout.shape}] does not follow from the options`,
  );
  const padH = o.padding === 'same' ? padBefore(o.strideH, 1, inH, o.filterH, outH) : 0;
  const padW = o.padding === 'same' ? padBefore(o.strideW, 1, inW, o.filterW, outW) : 0;
  const [lo, hi] = activationRange(op, o.activation, tout);
  const average = op.code === Op.AVERAGE_POOL_2D;
  return () => {
    const input = buf(x.index);
    const out = buf(tout.index);
    for (let n = 0; n < batches; n++) {
      for (let oy = 0; oy < outH; oy++) {
        const y0 = oy * o.strideH - padH;
        const fys = Math.max(0, -y0);
        const fye = Math.min(o.filterH, inH - y0);
        for (let ox = 0; ox < outW; ox++) {
          const x0 = ox * o.strideW - padW;
          const fxs = Math.max(0, -x0);
          const fxe = Math.min(o.filterW, inW - x0);
          for (let c = 0; c < C; c++) {
            let acc = average ? 0 : -128;
            let count = 0;
            for (let fy = fys; fy < fye; fy++) {
              for (let fx = fxs; fx < fxe; fx++) {
                const v = input[((n * inH + y0 + fy) * inW + x0 + fx) * C + c];
                if (average) acc += v;
                else if (v > acc) acc = v;
                count++;
              }
            }
            if (average) {
              // rounded to nearest, half away from zero, in integers
              const half = Math.floor(count / 2);
              acc = acc > 0 ? Math.trunc((acc + half) / count) : Math.trunc((acc - half) / count);
            }
            out[((n * outH + oy) * outW + ox) * C + c] = acc < lo ? lo : acc > hi ? hi : acc;
          }
        }
      }
    }
  };
}

function addSub(
  op: TfliteOperator,
  a: TfliteTensor,
  b: TfliteTensor,
  tout: TfliteTensor,
  buf: (i: number) => Buf,
  need: (c: boolean, m: string) => void,
): () => void {
  need(b.type === TensorType.INT8, `second input is ${typeName(b.type)}`);
  const [lo, hi] = activationRange(op, activationOption(op.options), tout);
  // add.cc Prepare for int8: left shift 20, both inputs rescaled to twice the larger input scale.
  const leftShift = 20;
  const twiceMax = 2 * Math.max(a.scale[0], b.scale[0]);
  const [m1, s1] = quantizeMultiplier(a.scale[0] / twiceMax);
  const [m2, s2] = quantizeMultiplier(b.scale[0] / twiceMax);
  const [mo, so] = quantizeMultiplier(twiceMax / ((1 << leftShift) * tout.scale[0]));
  const ia = broadcastIndex(tout.shape, a.shape);
  const ib = broadcastIndex(tout.shape, b.shape);
  const oa = -zp(a);
  const ob = -zp(b);
  const oo = zp(tout);
  const sign = op.code === Op.SUB ? -1 : 1;
  return () => {
    const A = buf(a.index);
    const B = buf(b.index);
    const out = buf(tout.index);
    for (let i = 0; i < out.length; i++) {
      const va = multiplyByQuantizedMultiplier((A[ia(i)] + oa) * (1 << leftShift), m1, s1);
      const vb = multiplyByQuantizedMultiplier((B[ib(i)] + ob) * (1 << leftShift), m2, s2);
      const v = multiplyByQuantizedMultiplier(va + sign * vb, mo, so) + oo;
      out[i] = v < lo ? lo : v > hi ? hi : v;
    }
  };
}

function mean(
  op: TfliteOperator,
  x: TfliteTensor,
  axisT: TfliteTensor,
  tout: TfliteTensor,
  buf: (i: number) => Buf,
  need: (c: boolean, m: string) => void,
): () => void {
  need(!!axisT.data && axisT.type === TensorType.INT32, 'the axes must be a constant int32 tensor');
  const rank = x.shape.length;
  const axes = [...new Set(Array.from(buf(axisT.index) as Int32Array, (a) => (a < 0 ? a + rank : a)))];
  need(
    axes.every((a) => a >= 0 && a < rank),
    `axes [${axes}] out of range`,
  );
  const keep = keepDims(op.options);
  const count = axes.reduce((p, a) => p * x.shape[a], 1);
  // Output position of each input element.
  const outDims = x.shape.map((d, i) => (axes.includes(i) ? 1 : d));
  const map = broadcastIndex(x.shape, outDims, true);
  const inZp = zp(x);
  const outZp = zp(tout);
  const sorted = [...axes].sort();
  const spatial = keep && rank === 4 && sorted.length === 2 && sorted[0] === 1 && sorted[1] === 2;
  const sums = new Int32Array(size(outDims));
  const sumUp = (input: Buf) => {
    sums.fill(0);
    for (let i = 0; i < input.length; i++) sums[map(i)] += input[i];
  };
  if (spatial) {
    // reference_integer_ops::Mean: (sum - zp * count) scaled by input/output scale, divided by count.
    const [m, sh] = quantizeMultiplier(x.scale[0] / tout.scale[0]);
    const half = Math.floor(count / 2);
    return () => {
      const input = buf(x.index);
      const out = buf(tout.index);
      sumUp(input);
      for (let i = 0; i < out.length; i++) {
        let acc = multiplyByQuantizedMultiplier(sums[i] - inZp * count, m, sh);
        acc = acc > 0 ? Math.trunc((acc + half) / count) : Math.trunc((acc - half) / count);
        acc += outZp;
        out[i] = acc < -128 ? -128 : acc > 127 ? 127 : acc;
      }
    };
  }
  if (inZp === outZp && x.scale[0] === tout.scale[0]) {
    // reference_ops::Mean: integer sum / count, truncated
    return () => {
      const input = buf(x.index);
      const out = buf(tout.index);
      sumUp(input);
      for (let i = 0; i < out.length; i++) out[i] = Math.trunc(sums[i] / count);
    };
  }
  // reference_ops::QuantizedMeanOrSum (mean): float mean, rescaled, rounded
  const scale = f32(x.scale[0] / tout.scale[0]);
  const bias = f32(-inZp * scale);
  const n = f32(count);
  return () => {
    const input = buf(x.index);
    const out = buf(tout.index);
    sumUp(input);
    for (let i = 0; i < out.length; i++) {
      const m = f32(f32(sums[i]) / n);
      const r = roundHalfAway(f32(f32(m * scale) + bias)) + outZp;
      out[i] = Math.max(-128, Math.min(127, r));
    }
  };
}

/**
 * Index into `inShape` for each flat index of `outShape`, numpy-style broadcasting (shapes aligned
 * at the end). With `reduce`, the roles swap: `outShape` is the big input and `inShape` the
 * reduced shape (dimensions of size 1), giving each input element its output position.
 */
function broadcastIndex(outShape: number[], inShape: number[], reduce = false): (i: number) => number {
  const n = size(outShape);
  if (size(inShape) === n && !reduce) return (i) => i;
  const r = outShape.length;
  const ins = [...Array(Math.max(0, r - inShape.length)).fill(1), ...inShape];
  const strides = new Array(r).fill(0);
  let s = 1;
  for (let d = r - 1; d >= 0; d--) {
    strides[d] = ins[d] === 1 ? 0 : s;
    s *= ins[d];
  }
  const map = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    let rem = i;
    let j = 0;
    for (let d = r - 1; d >= 0; d--) {
      const c = rem % outShape[d];
      rem = Math.floor(rem / outShape[d]);
      j += c * strides[d];
    }
    map[i] = j;
  }
  return (i) => map[i];
}
