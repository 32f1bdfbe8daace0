// The WebAssembly MFCC kernel is the engine production uses: the feature extractor, the classifier in
// the pool's workers (classify's report) and the features command each say which engine computed the
// features, and for an MFCC model that must be 'wasm'. A silent fallback to the JS engine fails here.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { FeatureExtractor } from '../../../src/audio/features';
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

test('features --json: computed by the WebAssembly MFCC kernel', async () => {
  const j = JSON.parse(await stdoutOf(['features', CLIP, '--json']));
  assert.equal(j.engine, 'wasm');
});
