/**
 * Attribute defaults of the ops a frozen speech_commands graph holds, as TensorFlow registers them.
 *
 * TensorFlow fills every attribute a GraphDef leaves out with its op's registered default when it
 * imports the graph (AddDefaultAttrsToGraphDef), so a graph written by an older TensorFlow, before the
 * attribute existed, still runs: TF 1.x graphs such as the speech_commands tutorial's pretrained
 * `conv_actions_frozen.pb` have no `dilations` on Conv2D. TensorFlow.js's graph executor does not fill
 * them (it reads `dilations[1]` of undefined), so the GraphDef reader does it here, from this table:
 * only the attributes TensorFlow.js reads, with the values of TensorFlow's op registry (tensorflow/core/
 * ops/nn_ops.cc, math_ops.cc, array_ops.cc).
 */
import type { AttrValueObj, NodeDefObj } from './graphdefProto';

const NHWC: AttrValueObj = { s: new TextEncoder().encode('NHWC') };
const ONES: AttrValueObj = { list: { i: [1, 1, 1, 1] } };
const NONE: AttrValueObj = { list: { i: [] } };
const FALSE: AttrValueObj = { b: false };

const CONV: Record<string, AttrValueObj> = { data_format: NHWC, dilations: ONES, explicit_paddings: NONE };
const POOL: Record<string, AttrValueObj> = { data_format: NHWC };

/** Per op: the attributes TensorFlow fills in when a graph leaves them out. */
export const OP_ATTR_DEFAULTS: Readonly<Record<string, Readonly<Record<string, AttrValueObj>>>> = {
  Conv2D: { ...CONV, use_cudnn_on_gpu: { b: true } },
  DepthwiseConv2dNative: CONV,
  MaxPool: POOL,
  AvgPool: POOL,
  BiasAdd: POOL,
  MatMul: { transpose_a: FALSE, transpose_b: FALSE },
  FusedBatchNorm: { epsilon: { f: 0.0001 }, data_format: NHWC },
  FusedBatchNormV2: { epsilon: { f: 0.0001 }, data_format: NHWC },
  FusedBatchNormV3: { epsilon: { f: 0.0001 }, data_format: NHWC },
  Mean: { keep_dims: FALSE },
  Sum: { keep_dims: FALSE },
  Max: { keep_dims: FALSE },
  Squeeze: { squeeze_dims: NONE },
};

/** The node's attributes with TensorFlow's defaults for those it leaves out. */
export function withDefaultAttrs(n: NodeDefObj): Record<string, AttrValueObj> {
  return { ...OP_ATTR_DEFAULTS[n.op], ...(n.attr ?? {}) };
}
