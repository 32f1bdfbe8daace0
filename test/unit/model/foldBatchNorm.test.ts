// Batch-norm folding against TF.js itself: the same model loaded as written and folded must agree.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { foldBatchNorm, type WeightSpec } from '../../../src/model/foldBatchNorm';
import { initTfBackend } from '../../../src/model/tfBackend';

test('Conv2D -> BatchNormalization (-> ReLU) folded: same outputs, no batch-norm or ReLU layer left', async () => {
  await initTfBackend();
  const m = tf.sequential();
  m.add(
    tf.layers.conv2d({ inputShape: [20, 10, 1], filters: 6, kernelSize: 3, padding: 'same', useBias: false }),
  );
  m.add(tf.layers.batchNormalization({ epsilon: 1e-3 }));
  m.add(tf.layers.reLU());
  m.add(tf.layers.conv2d({ filters: 5, kernelSize: 3, useBias: true }));
  m.add(tf.layers.batchNormalization({ center: false }));
  m.add(tf.layers.globalAveragePooling2d({}));
  m.add(tf.layers.dense({ units: 4, activation: 'softmax' }));
  // Non-trivial batch-norm statistics, as after training.
  for (const l of m.layers.filter((x) => x.getClassName() === 'BatchNormalization')) {
    // gamma/beta in [0.2, 1.5), moving mean in [-0.5, 0.8), moving variance in [0.2, 1.5).
    l.setWeights(
      l.weights.map((w) =>
        tf.add(tf.randomUniform(w.shape as number[], 0.2, 1.5), w.name.includes('moving_mean') ? -0.7 : 0),
      ),
    );
  }
  let artifacts: tf.io.ModelArtifacts | undefined;
  await m.save(
    tf.io.withSaveHandler(
      async (a) => (
        (artifacts = a),
        { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } }
      ),
    ),
  );
  const a = artifacts!;
  const f = foldBatchNorm(a.modelTopology, a.weightSpecs as WeightSpec[], a.weightData as ArrayBuffer);
  assert.equal(f.folded, 2);
  const layers = (
    f.topology as { config: { layers: { class_name: string; config: { activation?: string } }[] } }
  ).config.layers;
  assert.ok(!layers.some((l) => l.class_name === 'BatchNormalization'));
  // the ReLU after the first pair is now the convolution's own (fused) activation; the second conv has none
  assert.deepEqual(
    layers.map((l) => [l.class_name, l.config.activation ?? '']),
    [
      ['Conv2D', 'relu'],
      ['Conv2D', 'linear'],
      ['GlobalAveragePooling2D', ''],
      ['Dense', 'softmax'],
    ],
  );
  const folded = await tf.loadLayersModel(
    tf.io.fromMemory({
      modelTopology: f.topology as object,
      weightSpecs: f.specs as tf.io.WeightsManifestEntry[],
      weightData: f.data,
    }),
  );
  const x = tf.randomNormal([8, 20, 10, 1]);
  const want = (await (m.predict(x) as tf.Tensor).data()) as Float32Array;
  const got = (await (folded.predict(x) as tf.Tensor).data()) as Float32Array;
  let worst = 0;
  for (let i = 0; i < want.length; i++) worst = Math.max(worst, Math.abs(want[i] - got[i]));
  assert.ok(worst < 1e-5, `max difference ${worst}`);
});

test('models without the pattern are returned untouched', () => {
  const topology = {
    class_name: 'Sequential',
    config: { layers: [{ class_name: 'Dense', config: { name: 'd' } }] },
  };
  const specs = [{ name: 'd/kernel', shape: [2, 2], dtype: 'float32' }];
  const data = new Float32Array(4).buffer;
  const f = foldBatchNorm(topology, specs, data);
  assert.equal(f.folded, 0);
  assert.equal(f.topology, topology);
  assert.equal(f.data, data);
});
