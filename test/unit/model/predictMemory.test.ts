// Inference leaves nothing behind: after many batches through Classifier.predict, TF.js holds the
// same tensors and bytes as before, for every model format. (A reshaped input left undisposed once
// kept each batch's input in the WASM heap: 1.1 GB over a 10-hour file's windows.)
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { Classifier } from '../../../src/model/classifier';
import { initTfBackend } from '../../../src/model/tfBackend';
import { makeModelDir } from './modelHelpers';

const FIX = join(__dirname, '../..', 'fixtures');
const MODELS: [string, () => Promise<string> | string][] = [
  ['TF.js layers model (models/digits)', () => join(__dirname, '../..', '..', 'models', 'digits')],
  ['TF.js layers model, flat input', () => makeModelDir({ flat: true })],
  ['TF.js graph model', () => join(FIX, 'models', 'digits-graph')],
  ['frozen GraphDef', () => join(FIX, 'graphdef', 'mfcc_tiny_conv')],
  ['Keras .keras (logits)', () => join(FIX, 'keras', 'tutorial')],
  ['TFLite float32', () => join(FIX, 'tflite', 'tiny_conv_float')],
  ['TFLite int8', () => join(FIX, 'tflite', 'tiny_conv_int8')],
];

for (const [name, dir] of MODELS) {
  test(`${name}: 20 batches of predictions leave no tensor and no byte behind`, async () => {
    await initTfBackend();
    const c = await Classifier.create(await dir());
    const size = c.model.frames * c.model.bins;
    const inputs = new Float32Array(8 * size).map((_, i) => Math.sin(i / 7));
    await c.predict(inputs, 8); // first call: lazily made kernels and weights are not a leak
    const before = tf.memory();
    for (let i = 0; i < 20; i++) await c.predict(inputs, 8);
    const after = tf.memory();
    assert.equal(after.numTensors, before.numTensors, 'tensors left after predict');
    assert.equal(after.numBytes, before.numBytes, 'bytes left after predict');
    c.dispose();
  });
}
