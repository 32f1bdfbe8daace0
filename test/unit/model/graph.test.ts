// The one model representation (src/model/graph/): checkGraph refuses graphs whose shapes, weights
// or sizes disagree, each in one ModelError naming the node; the batch-norm fold keeps the outputs
// (both forms lowered to ONNX and run by onnxruntime in the pool's native process).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkGraph, type Graph, type Node } from '../../../src/model/graph/graph';
import { readyGraph } from '../../../src/model/graph/fold';
import { graphToOnnx } from '../../../src/model/graph/toOnnx';
import { NativeHost } from '../../../src/engine/nativeHost';

const w = (shape: number[], f = (i: number) => Math.sin(i * 1.7) * 0.5) => ({
  shape,
  data: Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, (_, i) => f(i)),
});

/** conv 3x3 (4 filters) -> batch norm -> relu -> maxPool -> flatten -> dense 3 -> softmax on [6, 5, 1]. */
function small(edit: (nodes: Node[]) => void = () => undefined): Graph {
  const nodes: Node[] = [
    {
      name: 'conv',
      op: 'conv2d',
      inputs: ['x'],
      output: 'c',
      strides: [1, 1],
      dilations: [1, 1],
      padding: 'same',
      groups: 1,
      kernel: w([3, 3, 1, 4]),
    },
    {
      name: 'bn',
      op: 'batchNorm',
      inputs: ['c'],
      output: 'b',
      epsilon: 1e-3,
      mean: w([4]),
      variance: w([4], (i) => 0.5 + i),
      gamma: w([4], (i) => 1 + i / 4),
      beta: w([4]),
    },
    { name: 'relu', op: 'relu', inputs: ['b'], output: 'r' },
    { name: 'drop', op: 'add', inputs: ['r'], output: 'r2' },
    {
      name: 'pool',
      op: 'maxPool',
      inputs: ['r2'],
      output: 'p',
      size: [2, 2],
      strides: [2, 2],
      padding: 'valid',
    },
    { name: 'flat', op: 'flatten', inputs: ['p'], output: 'f' },
    { name: 'dense', op: 'dense', inputs: ['f'], output: 'd', kernel: w([24, 3]), bias: w([3]) },
    { name: 'soft', op: 'softmax', inputs: ['d'], output: 'y' },
  ];
  edit(nodes);
  return { input: { name: 'x', shape: [6, 5, 1] }, nodes, output: 'y', embedding: 'f' };
}

test('checkGraph infers every shape (TensorFlow same/valid rules)', () => {
  const s = checkGraph(small(), 'm');
  assert.deepEqual(s.get('c'), [6, 5, 4]);
  assert.deepEqual(s.get('p'), [3, 2, 4]);
  assert.deepEqual(s.get('f'), [24]);
  assert.deepEqual(s.get('y'), [3]);
});

const bad: [string, (n: Node[]) => void, RegExp][] = [
  [
    'a kernel for other input channels',
    (n) => ((n[0] as { kernel: unknown }).kernel = w([3, 3, 2, 4])),
    /'conv' \(conv2d\): kernel takes 2 x 1 channels, the input has 1/,
  ],
  [
    'a weight holding fewer values than its shape',
    (n) => ((n[6] as { bias: unknown }).bias = { shape: [3], data: new Float32Array(2) }),
    /'dense' \(dense\): bias holds 2 values for shape \[3\]/,
  ],
  [
    'a NaN weight',
    (n) => ((n[6] as { kernel: { data: Float32Array } }).kernel.data[5] = NaN),
    /'dense' \(dense\): kernel holds NaN at index 5/,
  ],
  [
    'a batch norm of the wrong size',
    (n) => ((n[1] as { mean: unknown }).mean = w([5])),
    /'bn' \(batchNorm\): mean has shape \[5\], \[4\] expected/,
  ],
  [
    'a dense layer for another input size',
    (n) => ((n[6] as { kernel: unknown }).kernel = w([25, 3])),
    /'dense' \(dense\): kernel \[25, 3\] does not take inputs of 24 values/,
  ],
  [
    'a tensor read before it is made',
    (n) => (n[2].inputs = ['p']),
    /'relu' \(relu\): reads p, which nothing before it makes/,
  ],
  [
    'a pool larger than its input',
    (n) => ((n[4] as { size: number[] }).size = [9, 9]),
    /'pool' \(maxPool\): the pool is larger than its input/,
  ],
  [
    'a stride of 0',
    (n) => ((n[0] as { strides: number[] }).strides = [0, 1]),
    /'conv' \(conv2d\): a stride, dilation or size of 0/,
  ],
  [
    'an activation past the bounds (2^26 values)',
    (n) =>
      n.splice(1, 0, {
        name: 'pad',
        op: 'pad',
        inputs: ['c'],
        output: 'c2',
        pads: [
          [4096, 4096],
          [4096, 4096],
        ],
      } as Node),
    /'pad' \(pad\): its output has shape \[8198, 8197, 4\]: 268796024 values \(limit 67108864\)/,
  ],
  [
    'padding past 4,096',
    (n) =>
      n.splice(1, 0, {
        name: 'pad',
        op: 'pad',
        inputs: ['c'],
        output: 'c2',
        pads: [
          [5000, 0],
          [0, 0],
        ],
      } as Node),
    /'pad' \(pad\): padding \[5000, 0, 0, 0\] is not in 0..4096/,
  ],
];
for (const [what, edit, msg] of bad)
  test(`checkGraph refuses ${what} in one line naming the node`, () => {
    assert.throws(
      () => checkGraph(small(edit), 'model m'),
      (e: Error) => e.name === 'ModelError' && msg.test(e.message) && !e.message.includes('\n'),
    );
  });

test('the fold: identity removed, batch norm folded into the conv, outputs unchanged (onnxruntime)', async () => {
  const folded = readyGraph(small(), 'm');
  assert.deepEqual(
    folded.graph.nodes.map((n) => n.op),
    ['conv2d', 'relu', 'maxPool', 'flatten', 'dense', 'softmax'],
  );
  // The unfolded graph: the batch norm read twice, so it cannot be folded (lowered as a scale + shift).
  const kept = small((n) => n.push({ name: 'twice', op: 'add', inputs: ['c', 'c'], output: 'c3' } as Node));
  const unfolded = readyGraph(kept, 'm');
  assert.ok(unfolded.graph.nodes.some((n) => n.op === 'batchNorm'));
  const host = new NativeHost({ threads: 1 });
  try {
    const x = Float32Array.from({ length: 2 * 30 }, (_, i) => Math.cos(i * 0.9) * 2);
    await host.load('a', graphToOnnx(folded.graph, folded.shapes));
    await host.load('b', graphToOnnx(unfolded.graph, unfolded.shapes));
    const a = await host.run('a', x, [2, 6, 5, 1]);
    const b = await host.run('b', x, [2, 6, 5, 1]);
    assert.deepEqual(a.dims, [2, 3]);
    let worst = 0;
    a.data.forEach((v, i) => (worst = Math.max(worst, Math.abs(v - b.data[i]))));
    assert.ok(worst < 1e-6, `largest difference ${worst}`);
    assert.ok(Math.max(...a.data) - Math.min(...a.data) > 0.05, 'outputs not flat');
  } finally {
    await host.dispose();
  }
});
