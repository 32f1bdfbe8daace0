// TF Lite Micro's published micro_speech model (int8) as a user has it: the .tflite, a metadata.json
// with the `micro` front end, and its own test clips. Reference: test/fixtures/tflite/make_micro_speech.py
// (TensorFlow's audio_microfrontend_op on the clip's int16 samples as they are, tf.lite.Interpreter).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { FeatureExtractor } from '../../../src/audio/features';
import { decodeWav } from '../../../src/audio/wavDecode';
import { Classifier } from '../../../src/model/classifier';
import { featureConfigOf, parseMetadata } from '../../../src/model/metadata';

const DIR = join(__dirname, '../..', 'fixtures', 'tflite', 'micro_speech');
const ref = JSON.parse(readFileSync(join(DIR, 'reference.json'), 'utf8')) as {
  labels: string[];
  probabilities: Record<'default' | 'reference', Record<string, number[]>>;
  features: Record<string, number[]>;
};
const CLIPS = ['yes_1000ms', 'no_1000ms', 'silence_1000ms', 'noise_1000ms'];
const metadata = () => JSON.parse(readFileSync(join(DIR, 'metadata.json'), 'utf8'));

test('micro front end from metadata.json: the clip`s int16 samples as they are, every value as TensorFlow`s op', async () => {
  assert.deepEqual(Object.keys(ref.features).sort(), [...CLIPS].sort());
  const fx = await FeatureExtractor.create(featureConfigOf(parseMetadata(metadata())));
  try {
    for (const c of CLIPS) {
      const m = fx.compute(decodeWav(readFileSync(join(DIR, `${c}.wav`))).channels[0]);
      assert.deepEqual([m.frames, m.bins], [49, 40]);
      const want = ref.features[c];
      let diff = 0;
      for (let i = 0; i < want.length; i++) if (m.data[i] !== Math.fround(want[i] * (10 / 256))) diff++;
      assert.equal(diff, 0, `${c}: ${diff} of ${want.length} values differ`);
    }
  } finally {
    fx.dispose();
  }
});

test('micro_speech_quantized.tflite: every probability equal to tf.lite.Interpreter`s reference kernels', async () => {
  const c = await Classifier.create(DIR);
  try {
    assert.deepEqual(c.labels, ref.labels);
    let checked = 0;
    for (const clip of CLIPS) {
      const [row] = await c.classifyFiles([join(DIR, `${clip}.wav`)], { topK: 1 });
      // int8 output: probabilities are multiples of 1/256, so equal means equal.
      assert.deepEqual(Array.from(row.probabilities!), ref.probabilities.reference[clip], clip);
      assert.deepEqual(Array.from(row.probabilities!), ref.probabilities.default[clip], clip);
      checked++;
    }
    assert.equal(checked, 4);
  } finally {
    c.model.dispose();
  }
});

test('"sampleScale": 32767 (freeze.py`s conversion) is honoured, and is not what this model was trained on', async () => {
  const md = parseMetadata({ ...metadata(), features: { type: 'micro', binCount: 40, sampleScale: 32767 } });
  const cfg = featureConfigOf(md);
  assert.equal(cfg.micro?.sampleScale, 32767);
  const fx = await FeatureExtractor.create(cfg);
  try {
    const m = fx.compute(decodeWav(readFileSync(join(DIR, 'no_1000ms.wav'))).channels[0]);
    const want = ref.features.no_1000ms;
    let diff = 0;
    for (let i = 0; i < want.length; i++) if (m.data[i] !== Math.fround(want[i] * (10 / 256))) diff++;
    assert.ok(diff > 0, 'x32767 must change some features');
  } finally {
    fx.dispose();
  }
});
