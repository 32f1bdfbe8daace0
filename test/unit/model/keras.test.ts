// Keras .keras / .h5 models against Keras's own probabilities (test/fixtures/keras/make_keras.py).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { Classifier } from '../../../src/model/classifier';

import { loadProblem } from './modelHelpers';
import { parseMetadata } from '../../../src/model/metadata';
import { buildLayer } from '../../../src/model/formats/kerasLayers';
import { initTfBackend } from '../../../src/model/tfBackend';
import { decodeWav } from '../../../src/audio/wavDecode';
import { fitLength } from '../../../src/audio/fitLength';
import { Stft } from '../../../src/audio/stft';

const DIR = resolve('test/fixtures/keras');
interface Reference {
  models: Record<string, Record<string, number[]>>;
  /** The models' own outputs (logits for the "output": "logits" ones). */
  raw: Record<string, Record<string, number[]>>;
  tutorial_resizing: { wav: string; resized: number[]; normalized: number[] };
}
const ref = JSON.parse(readFileSync(join(DIR, 'reference.json'), 'utf8')) as Reference;
// make_strided.py's models: non-square strides and kernels, depth_multiplier 3, VALID pooling, a square Dense.
Object.assign(ref.models, JSON.parse(readFileSync(join(DIR, 'strided/reference.json'), 'utf8')).models);

const FIXTURES: [string, string[]][] = [
  ['tutorial', ['Resizing', 'Normalization', 'Conv2D', 'MaxPooling2D', 'Dropout', 'Flatten', 'Dense']],
  ['tutorial-h5', ['Resizing', 'Normalization', 'Conv2D', 'MaxPooling2D', 'Dropout', 'Flatten', 'Dense']],
  [
    'functional',
    [
      'InputLayer',
      'Rescaling',
      'Resizing',
      'Conv2D',
      'BatchNormalization',
      'ReLU',
      'DepthwiseConv2D',
      'SeparableConv2D',
      'Activation',
      'Add',
      'AveragePooling2D',
      'MaxPooling2D',
      'GlobalAveragePooling2D',
      'Reshape',
      'Flatten',
      'Dense',
      'Dropout',
      'Softmax',
    ],
  ],
  ['functional-h5', []],
  // the same weights in tf.keras 2's .h5 layout (nested inbound-node lists, weight names with ':0')
  ['functional-keras2-h5', ['Add', 'SeparableConv2D']],
  [
    'extras',
    [
      'Normalization',
      'ZeroPadding2D',
      'Subtract',
      'Multiply',
      'Average',
      'Maximum',
      'Minimum',
      'Concatenate',
      'LeakyReLU',
      'ELU',
      'SpatialDropout2D',
      'GaussianNoise',
      'GlobalMaxPooling2D',
      'GlobalAveragePooling2D',
    ],
  ],
  ['extras-h5', []],
  ['strided', ['Conv2D', 'DepthwiseConv2D', 'AveragePooling2D', 'Concatenate', 'Dense']],
  ['strided-h5', []],
];

test('every fixture has its reference (counted: an emptied reference.json fails)', () => {
  assert.deepEqual(Object.keys(ref.models).sort(), FIXTURES.map(([n]) => n).sort());
});

for (const [name, layers] of FIXTURES) {
  test(`${name}: probabilities match Keras on every reference WAV`, async () => {
    const c = await Classifier.create(join(DIR, name));
    try {
      assert.equal(c.model.format, 'keras');
      for (const l of layers) assert.ok(c.model.ops!.includes(l), `${l} among the layers read`);
      assert.deepEqual([c.model.inputLayout, c.model.frames, c.model.bins], ['image', 124, 129]);
      const files = Object.keys(ref.models[name]);
      assert.equal(files.length, 6);
      const results = await c.classifyFiles(files.map((f) => join(DIR, 'wav', f)));
      let maxErr = 0;
      let top1Err = 0;
      results.forEach((r, i) => {
        assert.equal(r.error, undefined);
        const want = ref.models[name][files[i]];
        const got = r.probabilities!;
        got.forEach((p, j) => (maxErr = Math.max(maxErr, Math.abs(p - want[j]))));
        const k = want.indexOf(Math.max(...want));
        assert.equal(r.top![0].label, c.labels[k], `${files[i]}: Keras's top-1`);
        top1Err = Math.max(top1Err, Math.abs(got[k] - want[k]));
      });
      console.log(
        `${name}: max probability error ${maxErr.toExponential(2)}, top-1 ${top1Err.toExponential(2)}`,
      );
      // Measured: 1.8e-7 (tutorial), 4.8e-7 (functional), 2.1e-7 (extras); the issue's bound is 1e-3.
      assert.ok(maxErr < 1e-6, `max error ${maxErr}`);
    } finally {
      c.dispose();
    }
  });
}

test("each model's own output (logits or probabilities) matches Keras's", async () => {
  for (const name of Object.keys(ref.raw)) {
    const c = await Classifier.create(join(DIR, name));
    let maxErr = 0;
    let scale = 0;
    for (const [f, want] of Object.entries(ref.raw[name])) {
      const wav = decodeWav(readFileSync(join(DIR, 'wav', f)));
      const input = c.modelInput(fitLength(wav.channels[0], 16000)).data;
      const y = c.model.predict!(tf.tensor(input, [1, input.length]));
      const got = await y.data();
      y.dispose();
      want.forEach((v, i) => {
        maxErr = Math.max(maxErr, Math.abs(got[i] - v));
        scale = Math.max(scale, Math.abs(v));
      });
    }
    c.dispose();
    console.log(`${name}: max output error ${maxErr.toExponential(2)} (largest output ${scale.toFixed(3)})`);
    // Measured: 3.1e-7 (tutorial), 9.3e-7 (functional), 2.6e-7 (extras) of the largest output.
    assert.ok(maxErr < 2e-6 * scale, `${name}: ${maxErr} of ${scale}`);
  }
});

test('the tutorial fixture is confident enough for the comparison to mean something', () => {
  const tops = Object.values(ref.models.tutorial).map((p) => Math.max(...p));
  assert.ok(Math.max(...tops) > 0.8, `top-1 probabilities ${tops.join(', ')}`);
});

test('"output": "logits": the model gives logits, Wavebench the softmax of them', async () => {
  const c = await Classifier.create(join(DIR, 'tutorial'));
  try {
    assert.equal(c.model.metadata.output, 'logits');
    const wav = decodeWav(readFileSync(join(DIR, 'wav', ref.tutorial_resizing.wav)));
    const input = c.modelInput(fitLength(wav.channels[0], 16000)).data;
    const logits = c.model.predict!(tf.tensor(input, [1, input.length]));
    const raw = Array.from(await logits.data());
    logits.dispose();
    const [probs] = await c.predict(input, 1);
    const sum = probs.reduce((a, b) => a + b, 0);
    assert.ok(Math.abs(sum - 1) < 1e-5);
    assert.ok(Math.abs(raw.reduce((a, b) => a + b, 0) - 1) > 0.1, 'the raw output is not probabilities');
    const e = raw.map((v) => Math.exp(v - Math.max(...raw)));
    const z = e.reduce((a, b) => a + b, 0);
    probs.forEach((p, i) => assert.ok(Math.abs(p - e[i] / z) < 1e-6));
  } finally {
    c.dispose();
  }
});

test("Resizing is Keras's bilinear (half-pixel centres, no antialias)", async () => {
  await initTfBackend();
  const r = ref.tutorial_resizing;
  const wav = decodeWav(readFileSync(join(DIR, 'wav', r.wav)));
  const s = new Stft({ frameLength: 255, frameStep: 128 }).compute(fitLength(wav.channels[0], 16000));
  const owned: tf.Tensor[] = [];
  const resize = buildLayer(
    'Resizing',
    'resizing',
    { height: 32, width: 32, interpolation: 'bilinear' },
    [],
    owned,
  );
  const x = tf.tensor4d(s.data, [1, 124, 129, 1]);
  const got = await resize([x]).data();
  const alignCorners = await tf.image.resizeBilinear(x, [32, 32], true).data();
  const noHalfPixel = await tf.image.resizeBilinear(x, [32, 32], false, false).data();
  x.dispose();
  const peak = Math.max(...r.resized);
  const err = (a: ArrayLike<number>) => Math.max(...r.resized.map((v, i) => Math.abs(a[i] - v))) / peak;
  console.log(`resizing: max error ${err(got).toExponential(2)} of the peak ${peak.toFixed(2)}`);
  assert.ok(err(got) < 1e-6, `error ${err(got)}`);
  // The other sampling conventions are far off: the check can tell them apart.
  assert.ok(err(alignCorners) > 1e-2 && err(noHalfPixel) > 1e-2);
});

/** A model folder in a temporary directory: metadata.json of `from` plus the given files. */
function folder(
  from: string,
  files: Record<string, Buffer>,
  meta?: (m: Record<string, unknown>) => void,
): string {
  const d = mkdtempSync(join(tmpdir(), 'wb-keras-'));
  const m = JSON.parse(readFileSync(join(DIR, from, 'metadata.json'), 'utf8')) as Record<string, unknown>;
  meta?.(m);
  writeFileSync(join(d, 'metadata.json'), JSON.stringify(m));
  for (const [n, b] of Object.entries(files)) writeFileSync(join(d, n), b);
  return d;
}

test('bad Keras files are one clear line naming the file', async () => {
  const keras = readFileSync(join(DIR, 'tutorial/model.keras'));
  const h5 = readFileSync(join(DIR, 'tutorial-h5/model.h5'));
  assert.match(
    await loadProblem(folder('tutorial', { 'model.keras': keras.subarray(0, keras.length >> 1) })),
    /^model\.keras is not a readable \.keras zip, truncated or corrupt \(/,
  );
  assert.match(
    await loadProblem(folder('tutorial', { 'model.h5': h5.subarray(0, h5.length >> 1) })),
    new RegExp(
      `^model\\.h5 is not a readable HDF5 file, truncated or corrupt \\(${h5.length >> 1} bytes, its superblock declares ${h5.length}\\)$`,
    ),
  );
  assert.match(
    await loadProblem(folder('tutorial', { 'model.h5': h5.subarray(0, 3000) })),
    /^model\.h5 is not a readable HDF5 file, truncated or corrupt \(/,
  );
  assert.match(
    await loadProblem(join(DIR, 'unsupported')),
    /^model\.keras: layer 'my_lstm' \(LSTM\) is not supported \(supported: InputLayer, Resizing, /,
  );
  assert.equal(
    await loadProblem(folder('tutorial', { 'model.keras': keras }, (m) => (m.labels = ['a', 'b', 'c']))),
    'model.keras: the model outputs 11 values but there are 3 labels',
  );
  assert.equal(
    await loadProblem(folder('tutorial', { 'model.keras': keras, 'other.h5': h5 })),
    'several candidate model files: model.keras, other.h5 (keep one)',
  );
  assert.match(
    await loadProblem(
      folder(
        'tutorial',
        { 'model.keras': keras },
        (m) => ((m.features as { frameStep: number }).frameStep = 160),
      ),
    ),
    /^model\.keras: input shape \[batch, 124, 129, 1\] does not match the features \(stft: 99 frames x 129 bins/,
  );
});

test('only regular files inside the model folder are read', async () => {
  const outside = mkdtempSync(join(tmpdir(), 'wb-keras-out-'));
  copyFileSync(join(DIR, 'tutorial/model.keras'), join(outside, 'model.keras'));
  const d = folder('tutorial', {});
  symlinkSync(join(outside, 'model.keras'), join(d, 'model.keras'));
  assert.equal(await loadProblem(d), 'model file model.keras is a link to a file outside the model folder');
  const dirLink = folder('tutorial', {});
  symlinkSync(dirLink, join(dirLink, 'loop.keras'));
  assert.equal(await loadProblem(dirLink), 'model file loop.keras is not a regular file');
});

test('metadata.json: stft fields and "output" are checked', () => {
  const base = {
    name: 'x',
    labels: ['a', 'b'],
    sampleRate: 16000,
    clipDurationMs: 1000,
    features: { type: 'stft', frameLength: 255, frameStep: 128 },
  };
  const m = parseMetadata(base);
  assert.deepEqual(
    [m.features.frameLength, m.features.frameStep, m.features.fftLength],
    [255, 128, undefined],
  );
  assert.equal(m.output, undefined);
  assert.equal(parseMetadata({ ...base, output: 'logits' }).output, 'logits');
  const bad = (o: unknown, re: RegExp) => assert.throws(() => parseMetadata(o), re);
  bad({ ...base, output: 'scores' }, /"output" must be "probabilities" or "logits"/);
  bad(
    { ...base, features: { type: 'stft', frameLength: 255 } },
    /"features.frameLength" and "features.frameStep" go together/,
  );
  bad(
    { ...base, features: { type: 'stft', frameLength: 255, frameStep: 128, fftLength: 300 } },
    /fftLength" must be a power of two/,
  );
  bad(
    { ...base, features: { type: 'stft', frameLength: 25.5, frameStep: 128 } },
    /frameLength" must be a positive integer/,
  );
  bad({ ...base, features: { type: 'stft' } }, /"windowSizeMs" must be a positive number/);
  const ms = parseMetadata({ ...base, windowSizeMs: 25, windowStrideMs: 10, features: { type: 'stft' } });
  assert.equal(ms.features.frameLength, undefined);
});
