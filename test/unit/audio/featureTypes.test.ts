// The other feature types against TensorFlow: 'average' vs tf.nn.pool over AudioSpectrogram (speech_commands'
// preprocess='average', fixture by test/fixtures/tf-average/make_reference.py), and log-mel vs TF's MFCC inverted.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { FeatureExtractor } from '../../../src/audio/features';
import { fitLength } from '../../../src/audio/fitLength';
import { decodeWav } from '../../../src/audio/wavDecode';
import { f32, maxRelError, REF, refEntries } from '../../reference/tfReferenceData';

const DIR = join(__dirname, '../../fixtures/tf-average');
const manifest: { clips: { wav: string; file: string; shape: [number, number] }[] } = JSON.parse(
  readFileSync(join(DIR, 'manifest.json'), 'utf8'),
);

test('the average-pooling reference covers its 3 clips', () => {
  assert.deepEqual(manifest.clips.map((c) => c.wav).sort(), [
    'short_0.4s.wav',
    'sweep_1s.wav',
    'word_yes.wav',
  ]);
});

for (const c of manifest.clips) {
  test(`average features of ${c.wav} equal TensorFlow's pooled spectrogram`, async () => {
    const audio = fitLength(decodeWav(readFileSync(join(REF, 'wav', c.wav))).channels[0], 16000);
    const fx = await FeatureExtractor.create({ type: 'average' });
    const m = fx.compute(audio);
    fx.dispose();
    assert.deepEqual([m.frames, m.bins], c.shape);
    const worst = maxRelError(m.data, f32(join(DIR, c.file)));
    assert.ok(worst <= 1e-4, `max relative error ${worst}`);
  });
}

test("log-mel equals TensorFlow's MFCC run back through the inverse of its DCT", async () => {
  // TF's DCT is C[k][j] = sqrt(2/N) cos(pi/N (j + 0.5) k): the orthonormal DCT-II with row 0 scaled
  // by sqrt(2), so log-mel[j] = sum_k C[k][j] mfcc[k] / d_k^2 with d_0^2 = 2 and d_k^2 = 1 otherwise.
  const e = refEntries.find((x) => x.wav.endsWith('word_yes.wav') && x.variant === 'clip')!;
  const mfcc = f32(join(REF, e.mfcc.file));
  const N = 40;
  const audio = fitLength(decodeWav(readFileSync(join(REF, e.wav))).channels[0], 16000);
  const fx = await FeatureExtractor.create({ type: 'logmel', binCount: 40 });
  const m = fx.compute(audio);
  fx.dispose();
  assert.deepEqual([m.frames, m.bins], [98, 40]);
  let worst = 0;
  for (let f = 0; f < m.frames; f++) {
    for (let j = 0; j < N; j++) {
      let v = 0;
      for (let k = 0; k < N; k++)
        v +=
          (Math.sqrt(2 / N) * Math.cos((Math.PI / N) * (j + 0.5) * k) * mfcc[f * N + k]) / (k === 0 ? 2 : 1);
      worst = Math.max(worst, Math.abs(v - m.data[f * N + j]));
    }
  }
  assert.ok(worst <= 1e-3, `max abs error ${worst}`);
});
