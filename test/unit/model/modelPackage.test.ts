// Loading model packages and their errors.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { rmSync, writeFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadModelPackage } from '../../../src/model/modelPackage';
import { LABELS, loadProblem, makeModelDir, metadata } from './modelHelpers';

test('loads a layers model with metadata.json', async () => {
  const m = await loadModelPackage(await makeModelDir());
  assert.equal(m.format, 'layers-model');
  assert.equal(m.inputLayout, 'image');
  assert.deepEqual([m.frames, m.bins], [98, 40]);
  assert.deepEqual(m.metadata.labels, LABELS);
  assert.match(m.hash, /^[0-9a-f]{64}$/);
  m.dispose();
});

test('loads a flattened-input model and a labels.txt-only package', async () => {
  const flat = await loadModelPackage(await makeModelDir({ flat: true }));
  assert.equal(flat.inputLayout, 'flat');
  flat.dispose();
  const txt = await loadModelPackage(await makeModelDir({ meta: null, labelsTxt: LABELS.join('\n') + '\n' }));
  assert.deepEqual(txt.metadata.labels, LABELS);
  assert.equal(txt.metadata.features.type, 'mfcc');
  txt.dispose();
});

test('mismatches are clear errors naming the folder', async () => {
  assert.match(
    await loadProblem(await makeModelDir({ inputShape: [49, 40, 1] })),
    /input shape \[batch, 49, 40, 1\] does not match the features \(mfcc: 98 frames x 40 bins/,
  );
  assert.equal(
    await loadProblem(await makeModelDir({ units: 7 })),
    'the model outputs 7 values but there are 4 labels',
  );
  const noShard = await makeModelDir();
  rmSync(join(noShard, 'weights.bin'));
  assert.equal(await loadProblem(noShard), 'weight shard weights.bin is missing');
  const short = await makeModelDir();
  const w = readFileSync(join(short, 'weights.bin'));
  writeFileSync(join(short, 'weights.bin'), w.subarray(0, w.length - 8));
  assert.match(await loadProblem(short), /weight shards hold \d+ bytes, the manifest needs \d+/);
  assert.equal(
    await loadProblem(await makeModelDir({ meta: null })),
    'neither metadata.json nor labels.txt found',
  );
  assert.match(
    await loadProblem(await makeModelDir({ meta: { ...metadata(), labels: 'yes' } })),
    /"labels" must be an array/,
  );
  const nan = await makeModelDir();
  const bytes = readFileSync(join(nan, 'weights.bin'));
  new Float32Array(bytes.buffer, bytes.byteOffset, bytes.length / 4).fill(NaN);
  writeFileSync(join(nan, 'weights.bin'), bytes);
  // Refused from the weights themselves, before any prediction (a NaN behind a ReLU passes a trial).
  assert.match(
    await loadProblem(nan),
    /^weight "conv2d_\w+\/kernel" holds NaN at index 0 \(weights must be finite\)$/,
  );
  const bad = await makeModelDir();
  writeFileSync(join(bad, 'model.json'), '{not json');
  assert.match(await loadProblem(bad), /model.json is not valid JSON/);
});
