// TF Lite Micro's audio front end against TensorFlow's audio_microfrontend_op (micro.json, written by
// test/fixtures/graphdef/make_graphs.py), and the `micro` feature type of metadata.json.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { FeatureExtractor } from '../../../src/audio/features';
import { MicroFrontend, type MicroFrontendParams } from '../../../src/audio/microFrontend';
import { decodeWav } from '../../../src/audio/wavDecode';
import { featureConfigOf, parseMetadata } from '../../../src/model/metadata';

const FIX = join(__dirname, '../../fixtures/graphdef');
const ref = JSON.parse(readFileSync(join(FIX, 'micro.json'), 'utf8')) as {
  configs: Record<string, Record<string, number | boolean>>;
  features: Record<string, { shape: number[]; data: number[] }>;
};
const ATTR: Record<string, keyof MicroFrontendParams> = {
  window_size: 'windowSizeMs',
  window_step: 'windowStepMs',
  num_channels: 'numChannels',
  enable_pcan: 'enablePcan',
  enable_log: 'enableLog',
  scale_shift: 'scaleShift',
  smoothing_bits: 'smoothingBits',
  lower_band_limit: 'lowerBandLimit',
  upper_band_limit: 'upperBandLimit',
};
const audio = (wav: string) => decodeWav(readFileSync(join(FIX, 'wavs', `${wav}.wav`))).channels[0];

test('every value equals audio_microfrontend_op (4 configurations x 4 clips: window, FFT, filterbank, noise reduction, PCAN, log)', () => {
  assert.equal(Object.keys(ref.features).length, 16);
  for (const [key, want] of Object.entries(ref.features)) {
    const [cfg, wav] = key.split('/');
    const params: Partial<Record<keyof MicroFrontendParams, number | boolean>> = {};
    for (const [k, v] of Object.entries(ref.configs[cfg])) params[ATTR[k]] = v;
    const fe = new MicroFrontend(params as Partial<MicroFrontendParams>);
    // As freeze.py feeds it: tf.cast(audio * 32767, tf.int16) of the decoded float audio.
    const x = audio(wav);
    const pcm = new Int16Array(x.length).map((_, i) => Math.trunc(Math.fround(x[i] * 32767)));
    const got = fe.computeInt16(pcm);
    assert.deepEqual([fe.frameCount(pcm.length), fe.bins], want.shape, key);
    let diff = 0;
    for (let i = 0; i < want.data.length; i++) if (got[i] !== want.data[i]) diff++;
    assert.equal(diff, 0, `${key}: ${diff} values differ`);
  }
});

test('metadata.json {"type": "micro", "binCount": 40, "sampleScale": 32767}: the seed`s scaled features, TensorFlow`s defaults for the rest', async () => {
  // micro.json was made as freeze.py converts the audio (x 32767); the default, the clip's own int16
  // samples (x 32768), is checked against TensorFlow in microSpeech.test.ts.
  const md = parseMetadata({
    name: 'micro',
    labels: ['a', 'b'],
    sampleRate: 16000,
    clipDurationMs: 1000,
    windowSizeMs: 30,
    windowStrideMs: 20,
    features: { type: 'micro', binCount: 40, sampleScale: 32767 },
  });
  const fx = await FeatureExtractor.create(featureConfigOf(md));
  const x = audio('chirp_noise');
  const m = fx.compute(x);
  const want = ref.features['speech/chirp_noise'];
  assert.deepEqual([m.frames, m.bins], want.shape);
  for (let i = 0; i < want.data.length; i++) assert.equal(m.data[i], Math.fround(want.data[i] * (10 / 256)));
  fx.dispose();
  assert.throws(
    () => parseMetadata({ ...md, features: { type: 'micro', binCount: 40, enablePcan: 'yes' } }),
    /metadata.json: "features.enablePcan" must be true or false/,
  );
});
