/**
 * Where a model's embedding is taken: the input of its last dense layer (the activations the
 * classifier's final linear map reads), found in each format's graph. Shared by the loaders.
 */
import * as tf from '@tensorflow/tfjs';

/** A graph node as TF.js graph models and the GraphDef reader list them. */
export interface GraphNodeLike {
  name: string;
  op: string;
  input?: string[];
}

const MATMUL_OPS = new Set(['MatMul', '_FusedMatMul', 'BatchMatMul', 'BatchMatMulV2']);
const nodeOf = (input: string) => input.replace(/^\^/, '').replace(/:\d+$/, '');

/**
 * The node feeding the last matrix multiplication on the way from `output` back to the input
 * (following each node's first data input: Softmax <- BiasAdd <- MatMul <- Reshape): the dense
 * layer's input. Undefined when no MatMul is met within 20 steps (e.g. a model ending in a
 * convolution), or when the MatMul's data input is a constant.
 */
export function penultimateNode(nodes: GraphNodeLike[], output: string): string | undefined {
  const byName = new Map(nodes.map((n) => [n.name, n]));
  let n = byName.get(nodeOf(output));
  for (let step = 0; n && step < 20; step++) {
    const inputs = (n.input ?? []).filter((i) => !i.startsWith('^'));
    if (MATMUL_OPS.has(n.op)) {
      const src = inputs[0] && byName.get(nodeOf(inputs[0]));
      return src && src.op !== 'Const' ? nodeOf(inputs[0]) : undefined;
    }
    n = inputs[0] ? byName.get(nodeOf(inputs[0])) : undefined;
  }
  return undefined;
}

/** [batch, ...] to [batch, D]. */
export function flatRows(t: tf.Tensor): tf.Tensor2D {
  return t.reshape([t.shape[0], -1]) as tf.Tensor2D;
}

/** A model's two outputs for embedding: its output and the dense layer's input, [batch, D]. */
export type EmbedFn = (x: tf.Tensor) => { output: tf.Tensor; embedding: tf.Tensor };

/** "the input of the last dense layer (FROM D values)", D from a trial run on zeros of `shape`. */
export function describeEmbedding(from: string, embed: EmbedFn, shape: number[]): string {
  const d = tf.tidy(() => embed(tf.zeros(shape)).embedding.shape[1]);
  return `the input of the last dense layer (${from}, ${d} values)`;
}
