/**
 * Inference-time simplification of a checked graph: identities (dropout, input layers, linear
 * activations) removed, and each batch norm folded into the convolution or dense layer before it
 * when nothing else reads that layer's output (foldBatchNorm.ts's arithmetic). What cannot be
 * folded stays a batchNorm op.
 */
import { foldInto } from '../foldBatchNorm';
import { checkGraph, type Graph, type Node, type Shapes } from './graph';

const isIdentity = (n: Node) => (n.op === 'add' || n.op === 'mul') && n.inputs.length === 1 && !n.constant;

function simplify(g: Graph): Graph {
  const alias = new Map<string, string>();
  const name = (t: string) => alias.get(t) ?? t;
  const kept: Node[] = [];
  for (const n of g.nodes) {
    const m = { ...n, inputs: n.inputs.map(name) } as Node;
    if (isIdentity(m) && m.output !== g.output) alias.set(m.output, m.inputs[0]);
    else kept.push(m);
  }
  const readers = new Map<string, number>();
  for (const n of kept) for (const i of n.inputs) readers.set(i, (readers.get(i) ?? 0) + 1);
  const embedding = g.embedding && name(g.embedding);
  const nodes: Node[] = [];
  for (const n of kept) {
    const prev = nodes[nodes.length - 1];
    if (
      n.op === 'batchNorm' &&
      prev &&
      (prev.op === 'conv2d' || prev.op === 'dense') &&
      n.inputs[0] === prev.output &&
      readers.get(prev.output) === 1 &&
      prev.output !== embedding &&
      prev.output !== g.output
    ) {
      const f = foldInto(prev.kernel.data, prev.bias?.data, {
        gamma: n.gamma?.data,
        beta: n.beta?.data,
        mean: n.mean.data,
        variance: n.variance.data,
        epsilon: n.epsilon,
      });
      const cout = prev.kernel.shape[prev.kernel.shape.length - 1];
      nodes[nodes.length - 1] = {
        ...prev,
        output: n.output,
        kernel: { shape: prev.kernel.shape, data: f.kernel },
        bias: { shape: [cout], data: f.bias },
      };
      continue;
    }
    nodes.push(n);
  }
  return { ...g, nodes, output: name(g.output), embedding };
}

/** The graph checked (checkGraph: throws ModelError naming `source`), simplified, and its shapes. */
export function readyGraph(graph: Graph, source: string): { graph: Graph; shapes: Shapes } {
  checkGraph(graph, source);
  const g = simplify(graph);
  return { graph: g, shapes: checkGraph(g, source) };
}
