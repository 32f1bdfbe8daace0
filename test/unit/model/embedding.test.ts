// Embeddings (the input of a model's last dense layer) in every format: Keras and TFLite against
// TensorFlow (test/fixtures/review/make_embeddings.py); TF.js layers by applying the model's own
// dense weights (read from its shard here) to the embedding, which must give the model's output;
// graphs (TF.js graph model, frozen GraphDef) by the same output and the dense layer's width.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Classifier } from '../../../src/model/classifier';
import { loadModelPackage, type ModelPackage } from '../../../src/model/modelPackage';
import { initTfBackend } from '../../../src/model/tfBackend';

const FIX = join(__dirname, '../..', 'fixtures');
const ROOT = join(__dirname, '../..', '..');
const ref = JSON.parse(readFileSync(join(FIX, 'review', 'embeddings.json'), 'utf8')) as Record<
  string,
  { size: number; output: number[][]; embedding: number[][] }
>;

/** x[k][i] = 2 sin(0.01 i + k) as float32, as make_embeddings.py makes them. */
function inputs(size: number): tf.Tensor2D {
  const x = new Float32Array(2 * size);
  for (let k = 0; k < 2; k++) for (let i = 0; i < size; i++) x[k * size + i] = 2 * Math.sin(0.01 * i + k);
  return tf.tensor2d(x, [2, size]);
}

async function embedOf(m: ModelPackage, x: tf.Tensor) {
  assert.ok(m.embed, 'the model has an embedding');
  const r = m.embed(x);
  const p = m.predict!(x);
  const out = {
    output: await r.output.array(),
    embedding: await r.embedding.array(),
    predicted: await p.array(),
  };
  tf.dispose([r.output, r.embedding, p]);
  return out as { output: number[][]; embedding: number[][]; predicted: number[][] };
}

function close(a: number[][], b: number[][], tol: number, what: string) {
  assert.equal(a.length, b.length);
  a.forEach((row, i) => {
    assert.equal(row.length, b[i].length, `${what} length`);
    const scale = Math.max(1e-6, ...b[i].map(Math.abs));
    row.forEach((v, j) =>
      assert.ok(Math.abs(v - b[i][j]) <= tol * scale, `${what}[${i}][${j}] ${v} vs ${b[i][j]}`),
    );
  });
}

for (const [folder, tol] of [
  ['keras/tutorial', 1e-4],
  ['tflite/digits_float', 1e-4],
  // int8: Python's interpreter runs XNNPACK's kernels (not the reference ones the TS equals) and
  // rounds the input half to even: outputs differ by up to 3 output steps (0.012) here.
  ['tflite/digits_int8', 0.05],
] as const) {
  test(`embedding of ${folder} equals TensorFlow's`, async () => {
    const m = await loadModelPackage(join(FIX, folder));
    try {
      const r = ref[folder];
      const got = await embedOf(m, inputs(r.size));
      close(got.embedding, r.embedding, tol, 'embedding');
      close(got.output, r.output, tol, 'output');
      close(got.output, got.predicted, 1e-6, 'output vs predict');
      assert.match(m.embeddingSource!, new RegExp(`${r.embedding[0].length} values`));
    } finally {
      m.dispose();
    }
  });
}

test('TF.js layers model: its dense weights applied to the embedding give its output', async () => {
  const dir = join(ROOT, 'models', 'digits');
  const m = await loadModelPackage(dir);
  try {
    const size = m.frames * m.bins;
    const got = await embedOf(m, inputs(size));
    // dense/kernel and dense/bias from the shard, by the manifest's order and sizes.
    const manifest = JSON.parse(readFileSync(join(dir, 'model.json'), 'utf8')).weightsManifest[0];
    const bin = readFileSync(join(dir, manifest.paths[0]));
    let at = 0;
    const w: Record<string, Float32Array> = {};
    for (const s of manifest.weights as { name: string; shape: number[] }[]) {
      const n = s.shape.reduce((a, b) => a * b, 1);
      w[s.name] = new Float32Array(bin.buffer.slice(bin.byteOffset + at, bin.byteOffset + at + 4 * n));
      at += 4 * n;
    }
    const K = w['dense/bias'].length;
    const D = w['dense/kernel'].length / K;
    const probs = got.embedding.map((e) => {
      assert.equal(e.length, D);
      const z = Array.from(w['dense/bias'], (b, k) =>
        e.reduce((s, v, i) => s + v * w['dense/kernel'][i * K + k], b),
      );
      const mx = Math.max(...z);
      const ex = z.map((v) => Math.exp(v - mx));
      const sum = ex.reduce((a, b) => a + b);
      return ex.map((v) => v / sum);
    });
    close(probs, got.output, 1e-4, 'softmax(dense(embedding))');
    close(got.output, got.predicted, 1e-6, 'output vs predict');
  } finally {
    m.dispose();
  }
});

for (const [folder, width] of [
  ['models/digits-graph', 1536],
  ['graphdef/mfcc_tiny_conv', 0],
  ['keras/functional', 16],
] as const) {
  test(`embedding of ${folder}: the last dense layer's input, same output as predict`, async () => {
    const m = await loadModelPackage(join(FIX, folder));
    try {
      const got = await embedOf(m, inputs(m.frames * m.bins));
      close(got.output, got.predicted, 1e-5, 'output vs predict');
      if (width) assert.equal(got.embedding[0].length, width);
      else assert.ok(got.embedding[0].length > m.metadata.labels.length);
      assert.notDeepEqual(got.embedding[0], got.embedding[1]);
      assert.match(m.embeddingSource!, /(node|layer) .+, \d+ values/);
    } finally {
      m.dispose();
    }
  });
}

test('classifyFiles: a streamed file (long WAV, long compressed) has the embedding of a whole read', async () => {
  await initTfBackend();
  const c = await Classifier.create(join(ROOT, 'models', 'digits'));
  try {
    const paths = ['speech.wav', 'speech.flac', 'long.mp3', 'long.opus'].map((f) =>
      join(FIX, 'compressed', f),
    );
    const o = { windowStrideMs: 250, embeddings: true };
    const whole = await c.classifyFiles(paths, o);
    // Streamed by groups of 3 windows: the embedding must be the first group's first window's.
    const streamed = await c.classifyFiles(paths, {
      ...o,
      wholeReadBytes: 0,
      wholeDecodeCompressedBytes: 0,
      batchSize: 3,
    });
    for (const [i, s] of streamed.entries()) {
      assert.equal(s.error, undefined);
      assert.equal(whole[i].embedding?.length, 1536, paths[i]);
      assert.deepEqual(s.embedding, whole[i].embedding, paths[i]);
      assert.deepEqual(s.probabilities, whole[i].probabilities);
    }
    assert.ok(whole[2].windows!.length > 3, 'long.mp3 spans several groups');
    // The 16-bit FLAC of the WAV decodes to the same samples: the same embedding.
    assert.deepEqual(whole[1].embedding, whole[0].embedding);
    assert.notDeepEqual(whole[2].embedding, whole[3].embedding);
    const plain = await c.classifyFiles(paths.slice(0, 1), { wholeReadBytes: 0 });
    assert.equal(plain[0].embedding, undefined);
  } finally {
    c.dispose();
  }
});
