// The seed's frozen GraphDefs (.pb) against TensorFlow's own probabilities, and the loader's errors.
// Fixtures: test/fixtures/graphdef/make_graphs.py and make_errors.py (TensorFlow 2.21).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { Classifier } from '../../../src/model/classifier';
import { loadModelMetadata } from '../../../src/model/formats/graphdefRead';
import { loadModelPackage } from '../../../src/model/modelPackage';
import { runCli as run } from '../runCli';

const FIX = join(__dirname, '../../fixtures/graphdef');
const ref = JSON.parse(readFileSync(join(FIX, 'reference.json'), 'utf8')) as {
  wavs: string[];
  labels: string[];
  graphs: Record<string, { pb: string; probabilities: Record<string, number[]>; ops: string[] }>;
};
/** Largest |Wavebench - TensorFlow| over every probability measured: 1.4e-6 (average_tiny_conv). */
const TOLERANCE = 3e-6;

for (const [name, g] of Object.entries(ref.graphs)) {
  test(`${name}: every probability within ${TOLERANCE} of TensorFlow's labels_softmax, same top-1`, async () => {
    // The folder form for some, the .pb path for the others: both are how users point at it.
    const path = name.includes('tiny') ? join(FIX, g.pb) : join(FIX, name);
    const c = await Classifier.create(path);
    try {
      assert.equal(c.model.format, 'graphdef');
      assert.deepEqual(c.labels, ref.labels);
      // Every op TensorFlow froze, minus the front end's, runs on TF.js.
      const front = new Set([
        'DecodeWav',
        'AudioSpectrogram',
        'Mfcc',
        'AudioMicrofrontend',
        'Cast',
        'ExpandDims',
        'AvgPool',
        'Placeholder',
        'Mul',
      ]);
      for (const op of g.ops)
        if (!front.has(op)) assert.ok(c.model.ops!.includes(op), `${op} in ${c.model.ops}`);
      let worstAll = 0;
      for (const w of ref.wavs) {
        const [r] = await c.classifyFiles([join(FIX, 'wavs', w)], { topK: 1 });
        const want = g.probabilities[w.replace('.wav', '')];
        const got = r.probabilities!;
        const worst = Math.max(...want.map((p, i) => Math.abs(p - got[i])));
        worstAll = Math.max(worstAll, worst);
        assert.ok(worst <= TOLERANCE, `${w}: max |diff| ${worst}`);
        const top = want.indexOf(Math.max(...want));
        assert.equal(r.top![0].label, ref.labels[top], w);
      }
      console.log(`# ${name}: worst probability difference ${worstAll.toExponential(2)}`);
    } finally {
      c.model.dispose();
    }
  });
}

/** Every wav's probabilities within TOLERANCE of TensorFlow's (`want`: per wav name, without .wav). */
async function assertProbabilities(c: Classifier, want: Record<string, number[]>): Promise<void> {
  for (const w of ref.wavs) {
    const [row] = await c.classifyFiles([join(FIX, 'wavs', w)], { topK: 1 });
    const p = want[w.replace('.wav', '')];
    const worst = Math.max(...p.map((x, i) => Math.abs(x - row.probabilities![i])));
    assert.ok(worst <= TOLERANCE, `${w}: max |diff| ${worst}`);
  }
}

test("TensorFlow 2's freeze.py output (tf.function + convert_variables_to_constants_v2, a Keras body)", async () => {
  const r = JSON.parse(readFileSync(join(FIX, 'tf2_freeze/reference.json'), 'utf8'));
  const c = await Classifier.create(join(FIX, 'tf2_freeze'));
  try {
    assert.deepEqual(c.labels, ['_silence_', '_unknown_', 'yes', 'no']); // tf2_freeze_labels.txt
    await assertProbabilities(c, r.probabilities);
  } finally {
    c.model.dispose();
  }
});

test('a TF 1.x graph as the tutorial published it (Add, Variable + Identity, no Conv2D dilations, 20-ms window)', async () => {
  // make_tf1_graph.py: the shape of conv_actions_frozen.pb; TensorFlow fills the attributes a graph
  // of that era leaves out, and so must Wavebench (TF.js read `dilations` of undefined).
  const r = JSON.parse(readFileSync(join(FIX, 'tf1_conv/reference.json'), 'utf8'));
  assert.equal(Object.keys(r.probabilities).length, ref.wavs.length);
  const c = await Classifier.create(join(FIX, 'tf1_conv/tf1_conv.pb'));
  try {
    assert.deepEqual(c.labels, r.labels); // conv_actions_labels.txt, the only *_labels.txt beside it
    assert.ok(c.model.ops!.includes('Add') && c.model.ops!.includes('Identity'), `${c.model.ops}`);
    const m = await loadModelMetadata(join(FIX, 'tf1_conv/tf1_conv.pb'));
    assert.deepEqual([m.windowSizeMs, m.windowStrideMs, m.features.binCount], [20, 10, 40]);
    await assertProbabilities(c, r.probabilities);
  } finally {
    c.model.dispose();
  }
});

test('the front end is read from the graph: mfcc, average and micro parameters', async () => {
  const mfcc = await loadModelMetadata(join(FIX, 'mfcc_conv'));
  assert.deepEqual(
    [mfcc.features.type, mfcc.features.binCount, mfcc.windowSizeMs, mfcc.windowStrideMs, mfcc.clipDurationMs],
    ['mfcc', 10, 30, 20, 1000],
  );
  assert.equal(mfcc.name, 'mfcc_conv');
  const avg = await loadModelMetadata(join(FIX, 'average_tiny_conv'));
  assert.equal(avg.features.type, 'average');
  const m = await loadModelPackage(join(FIX, 'average_tiny_conv'));
  assert.deepEqual([m.frames, m.bins, m.inputLayout], [98, 43, 'image']);
  m.dispose();
  const micro = await loadModelMetadata(join(FIX, 'micro_tiny_conv'));
  assert.deepEqual(
    [
      micro.features.type,
      micro.features.binCount,
      micro.windowSizeMs,
      micro.windowStrideMs,
      micro.features.micro?.scale,
    ],
    ['micro', 40, 30, 20, 10 / 256],
  );
});

for (const name of ['fingerprint', 'keras_frozen'])
  test(`${name}: a graph whose input is the fingerprint takes its features from metadata.json; TensorFlow's probabilities`, async () => {
    const r = JSON.parse(readFileSync(join(FIX, name, 'reference.json'), 'utf8'));
    const want = r.probabilities;
    const m = await loadModelPackage(join(FIX, name));
    try {
      // A Keras-frozen graph's ops (BatchNormalization as Rsqrt/Mul/Sub, DepthwiseConv2dNative, Relu6, Mean, ...).
      for (const op of r.ops ?? [])
        if (!['Placeholder', 'NoOp'].includes(op)) assert.ok(m.ops!.includes(op), op);
      assert.equal(m.frontEnd?.startsWith('from metadata.json'), true);
      const ramp = new Float32Array(98 * 40).map((_, i) => i / 98 - 20);
      for (const [k, x] of [
        ['zeros', new Float32Array(98 * 40)],
        ['ramp', ramp],
      ] as const) {
        const y = m.predict!(tf.tensor(x, [1, 98 * 40]));
        const got = Array.from(await y.data());
        y.dispose();
        const worst = Math.max(...want[k].map((p: number, i: number) => Math.abs(p - got[i])));
        // Measured: 1.6e-9 (fingerprint), 2.9e-6 (keras_frozen: batch norm as Rsqrt/Mul/Sub in float32).
        assert.ok(worst <= 1e-5, `${k}: ${worst}`);
      }
    } finally {
      m.dispose();
    }
  });

/** The loader's one-line error for a model path. */
async function problem(path: string, labelsFile?: string): Promise<string> {
  try {
    (await loadModelPackage(path, { labelsFile })).dispose();
  } catch (e) {
    const msg = (e as Error).message;
    assert.ok(!msg.includes('\n'), `one line: ${msg}`);
    return msg;
  }
  throw new Error(`${path} loaded`);
}

test('the reference lists every graph and clip (counted: an emptied reference.json fails)', () => {
  assert.deepEqual(Object.keys(ref.graphs).sort(), [
    'average_tiny_conv',
    'compact_consts',
    'mfcc_conv',
    'mfcc_low_latency_conv',
    'mfcc_tiny_conv',
    'micro_nolog',
    'micro_options',
    'micro_tiny_conv',
  ]);
  assert.equal(ref.wavs.length, 4);
  for (const g of Object.values(ref.graphs)) assert.equal(Object.keys(g.probabilities).length, 4);
});

test('front ends Wavebench does not compute are refused, naming the node (make_variants.py)', async () => {
  for (const [name, want] of [
    ['micro_context', /AudioMicrofrontend \(node [^)]+\) stacks context frames or strides/],
    ['magnitude', /AudioSpectrogram \(node [^)]+\) has magnitude_squared false/],
    [
      'average_valid',
      /AvgPool \(node [^)]+\) over the spectrogram is not the seed's average pooling .*padding VALID/,
    ],
  ] as const) {
    const pb = join(FIX, name, `${name}.pb`);
    assert.match(await problem(pb, join(FIX, name, 'labels.txt')), want, name);
  }
});

test('errors: one line naming the file and the problem', async () => {
  const unsupported = join(FIX, 'unsupported_op/unsupported_op.pb');
  assert.equal(
    await problem(unsupported),
    `model ${unsupported}: unsupported op Lgamma (node odd_activation): TensorFlow.js cannot run it`,
  );

  const dir = mkdtempSync(join(tmpdir(), 'wb-graphdef-'));
  const pb = join(FIX, 'mfcc_tiny_conv/mfcc_tiny_conv.pb');
  const three = join(dir, 'three.txt');
  writeFileSync(three, 'a\nb\nc\n');
  assert.match(
    await problem(pb, three),
    new RegExp(`^model ${pb}: the graph outputs 4 values \\(node labels_softmax\\) but there are 3 labels$`),
  );

  const bytes = readFileSync(pb);
  const truncated = join(dir, 'truncated.pb');
  writeFileSync(truncated, bytes.subarray(0, Math.floor(bytes.length / 2)));
  assert.match(
    await problem(truncated),
    new RegExp(`^model ${truncated}: not a valid GraphDef: truncated or corrupt protobuf \\(.+\\)$`),
  );

  const two = join(dir, 'two');
  const { mkdirSync } = await import('node:fs');
  mkdirSync(two);
  copyFileSync(pb, join(two, 'a.pb'));
  copyFileSync(pb, join(two, 'b.pb'));
  writeFileSync(join(two, 'labels.txt'), ref.labels.join('\n'));
  assert.equal(
    await problem(two),
    `model ${two}: several candidate model files (a.pb, b.pb): keep one, or point --model at the file`,
  );

  const alone = join(dir, 'alone.pb');
  copyFileSync(pb, alone);
  assert.equal(
    await problem(alone),
    `model ${alone}: no labels: give --labels FILE or put labels.txt (or NAME_labels.txt) beside it`,
  );
});

test('models --describe prints format, front end, input, labels and ops; --labels renames', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'wb-describe-'));
  const names = join(dir, 'names.txt');
  writeFileSync(names, 'quiet\nother\nwon\nsept\n');
  const r = await run(['models', '--describe', join(FIX, 'micro_tiny_conv'), '--labels', names, '--json']);
  assert.equal(r.code, 0, r.err);
  const d = JSON.parse(r.out);
  assert.equal(d.format, 'graphdef');
  assert.deepEqual(d.labels, ['quiet', 'other', 'won', 'sept']);
  assert.deepEqual(d.inputShape, ['batch', 49, 40]);
  assert.equal(d.features.type, 'micro');
  assert.match(
    d.frontEnd,
    /AudioMicrofrontend\(sample_rate=16000, window_size=30 ms, window_step=20 ms, num_channels=40/,
  );
  assert.deepEqual(d.ops, ['AddV2', 'Const', 'Conv2D', 'Identity', 'MatMul', 'Relu', 'Reshape', 'Softmax']);
  const text = await run(['models', '--describe', join(FIX, 'mfcc_conv/mfcc_conv.pb')]);
  assert.equal(text.code, 0, text.err);
  assert.match(text.out, /format: +TensorFlow frozen GraphDef \(\.pb\)/);
  assert.match(
    text.out,
    /front end: +mfcc \(sampleRate=16000, clipSamples=16000, windowSizeMs=30, windowStrideMs=20, frames=49, bins=10/,
  );
  assert.match(text.out, /ops: +AddV2, Const, Conv2D, Identity, MatMul, MaxPool, Relu, Reshape, Softmax/);
  const bad = await run(['models', '--describe', join(FIX, 'unsupported_op')]);
  assert.equal(bad.code, 2);
  assert.match(
    bad.err,
    /^wavebench: model .*unsupported_op\.pb: unsupported op Lgamma \(node odd_activation\)/,
  );
});

test('classify --model X.pb --labels FILE: the workers load the graph with those labels', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'wb-classify-pb-'));
  const names = join(dir, 'names.txt');
  writeFileSync(names, 'quiet\nother\nwon\nsept\n');
  const json = join(dir, 'out.json');
  const r = await run([
    'classify',
    join(FIX, 'wavs'),
    '--model',
    join(FIX, 'mfcc_tiny_conv/mfcc_tiny_conv.pb'),
    '--labels',
    names,
    '--workers',
    '1',
    '--json',
    json,
  ]);
  assert.equal(r.code, 0, r.err);
  const out = JSON.parse(readFileSync(json, 'utf8'));
  assert.deepEqual(out.model.labels, ['quiet', 'other', 'won', 'sept']);
  const want = ref.graphs.mfcc_tiny_conv.probabilities.chirp_noise;
  const row = out.rows.find((x: { path: string }) => x.path.endsWith('chirp_noise.wav'));
  assert.equal(row.predicted, ['quiet', 'other', 'won', 'sept'][want.indexOf(Math.max(...want))]);
  assert.ok(Math.abs(row.probability - Math.max(...want)) <= TOLERANCE, `${row.probability}`);
});

test('models --describe on a TF.js graph model: its ops from model.json', async () => {
  const r = await run([
    'models',
    '--describe',
    join(__dirname, '../../fixtures/models/digits-graph'),
    '--json',
  ]);
  assert.equal(r.code, 0, r.err);
  const d = JSON.parse(r.out);
  assert.equal(d.format, 'graph-model');
  for (const op of ['Conv2D', 'MatMul', 'Placeholder']) assert.ok(d.ops.includes(op), `${op} in ${d.ops}`);
  assert.match(d.frontEnd, /^from metadata\.json/);
});
