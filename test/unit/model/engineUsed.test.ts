// The WebAssembly MFCC kernel is the engine production uses: the feature extractor, the classifier in
// the pool's workers (classify's report) and the features command each say which engine computed the
// features, and for an MFCC model that must be 'wasm'. A silent fallback to the JS engine fails here.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { readFileSync } from 'node:fs';
import { FeatureExtractor } from '../../../src/audio/features';
import { decodeWav } from '../../../src/audio/wavDecode';
import { loadMetadata } from '../../../src/model/metadata';
import { ModelInput } from '../../../src/model/modelInput';
import { runCli } from '../runCli';

async function stdoutOf(args: string[]) {
  const r = await runCli(args);
  assert.equal(r.code, 0, r.err);
  return r.out;
}

const CLIP = join(__dirname, '../../fixtures/tfcompat/0_george_3.wav');

test('FeatureExtractor: MFCC on the WebAssembly kernel; the JS engine for the other types', async () => {
  const fx = await FeatureExtractor.create({ type: 'mfcc' });
  assert.equal(fx.engineName, 'wasm');
  fx.dispose();
  // Other types run on the JS engine (the kernel computes MFCC only): the report tells them apart.
  assert.equal((await FeatureExtractor.create({ type: 'spectrogram' })).engineName, 'js');
});

test('classify --json -: the pool workers classified with the WebAssembly MFCC kernel, the model natively', async () => {
  const j = JSON.parse(await stdoutOf(['classify', CLIP, '--workers', '1', '--json', '-']));
  assert.equal(j.engine.features, 'wasm');
  assert.match(j.engine.backend, /^onnxruntime \(native, \d+ threads?\)$/);
  assert.equal(j.engine.warning, undefined);
});

test('classify --backend wasm: the model on TF.js wasm', async () => {
  const j = JSON.parse(
    await stdoutOf(['classify', CLIP, '--workers', '1', '--backend', 'wasm', '--json', '-']),
  );
  assert.deepEqual(j.engine, { backend: 'wasm', features: 'wasm' });
});

test('features --json: computed by the WebAssembly MFCC kernel, float32 unless --float64', async () => {
  const j = JSON.parse(await stdoutOf(['features', CLIP, '--json']));
  assert.equal(j.engine, 'wasm');
  assert.equal(j.precision, 'float32');
  const d = JSON.parse(await stdoutOf(['features', CLIP, '--json', '--float64']));
  assert.equal(d.precision, 'float64');
  // The two kernels differ (float32 rounding), within TensorFlow's own 1e-4 for these ops.
  let worst = 0;
  for (let i = 0; i < d.data.length; i++)
    worst = Math.max(worst, Math.abs(j.data[i] - d.data[i]) / Math.max(1, Math.abs(d.data[i])));
  assert.ok(worst > 0 && worst <= 1e-4, `float32 vs float64: ${worst}`);
});

test('the classifier input: windows batched across clips (writeMany) equal window by window (write)', async () => {
  const input = await ModelInput.create(await loadMetadata('models/speech-commands'));
  const audio = decodeWav(readFileSync(CLIP)).channels[0];
  // Windows of two clips (the second a shorter, zero-padded one), in one float32 kernel call.
  const short = audio.subarray(0, 9000);
  const sources = [audio, short, audio];
  const starts = [0, 0, 1600];
  const batched = new Float32Array(3 * input.size);
  input.writeMany(sources, starts, batched);
  const one = new Float32Array(input.size);
  sources.forEach((s, j) => {
    input.write(s, starts[j], one);
    assert.deepEqual(batched.subarray(j * input.size, (j + 1) * input.size), one, `window ${j}`);
  });
  // The queue gives the same, in batches of 2 with a partial last one.
  const q = input.queue(2);
  const dests = sources.map(() => new Float32Array(input.size));
  sources.forEach((s, j) => q.add(s, starts[j], dests[j]));
  q.flush();
  dests.forEach((d, j) => assert.deepEqual(d, batched.subarray(j * input.size, (j + 1) * input.size)));
  input.dispose();
});
