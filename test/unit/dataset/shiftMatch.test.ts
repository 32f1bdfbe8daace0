// The review's shift-tolerant near-copy check (src/dataset/shiftMatch.ts) against numpy/scipy
// (test/fixtures/review/make_shift_reference.py), its candidate pairs, its order, the groups it adds,
// and the features it compares (src/model/modelInput.ts matchFeatures): unmoved by a gain.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  candidatePairs,
  localityOrder,
  MAX_SHIFT_FRAMES,
  quantizeFeatures,
  shiftDistance,
  shiftThreshold,
} from '../../../src/dataset/shiftMatch';
import { findDuplicates } from '../../../src/dataset/duplicates';
import type { Neighbours } from '../../../src/dataset/knn';
import { parseMetadata } from '../../../src/model/metadata';
import { ModelInput } from '../../../src/model/modelInput';
import { decodeWav } from '../../../src/audio/wavDecode';
import { resample } from '../../../src/audio/resample';

const ROOT = join(__dirname, '../..', '..');
const ref = JSON.parse(
  readFileSync(join(ROOT, 'test', 'fixtures', 'review', 'shift_reference.json'), 'utf8'),
) as {
  maxShift: number;
  bins: number;
  matrices: number[][];
  pairs: [number, number][];
  distance: number[];
  threshold: number;
};

test('shift distance and threshold equal the numpy/scipy reference', () => {
  assert.equal(ref.maxShift, MAX_SHIFT_FRAMES);
  const m = ref.matrices.map((x) => Float32Array.from(x));
  ref.pairs.forEach(([a, b], p) => {
    const d = shiftDistance(m[a], m[b], ref.bins);
    assert.ok(Math.abs(d - ref.distance[p]) < 1e-9, `pair ${a}-${b}: ${d} vs ${ref.distance[p]}`);
    // Symmetric: b moved by o is a moved by -o.
    assert.ok(Math.abs(shiftDistance(m[b], m[a], ref.bins) - d) < 1e-9);
    // The workers' cache keeps int16 matrices: the same distance but for rounding.
    const q = shiftDistance(quantizeFeatures(m[a]), quantizeFeatures(m[b]), ref.bins);
    assert.ok(Math.abs(q - ref.distance[p]) < 2e-5, `int16 pair ${a}-${b}: ${q} vs ${ref.distance[p]}`);
  });
  const pairs = Int32Array.from(ref.pairs.flat());
  const dist = Float32Array.from(ref.distance);
  const t = shiftThreshold(pairs, dist, m.length);
  assert.ok(Math.abs(t - ref.threshold) < 1e-7 * ref.threshold, `threshold ${t} vs ${ref.threshold}`);
  // Unmeasured pairs (NaN) are left out, not counted as 0.
  const withGap = Float32Array.from([...dist, NaN]);
  assert.equal(shiftThreshold(Int32Array.from([...pairs, 0, 6]), withGap, m.length), t);
});

test('candidate pairs: each kNN pair once, exact copies left out; locality order is a permutation', () => {
  // 5 rows, k 2: row 3 and 4 are the same bytes.
  const index = Int32Array.from([1, 2, 0, 2, 0, 1, 4, -1, 3, 0]);
  const nn: Neighbours = { k: 2, index, distance: new Float32Array(10), method: 'exact' };
  const same = (a: number, b: number) => a === 3 && b === 4;
  const pairs = candidatePairs(nn, same);
  const list = [];
  for (let p = 0; p < pairs.length; p += 2) list.push(`${pairs[p]}-${pairs[p + 1]}`);
  assert.deepEqual(list.sort(), ['0-1', '0-2', '0-4', '1-2']);
  const order = localityOrder(pairs, 6);
  assert.deepEqual([...order].sort(), [0, 1, 2, 3, 4, 5]);
  // Breadth-first from row 0: its partners follow it, unconnected rows come last.
  assert.deepEqual([...order.subarray(0, 4)].sort(), [0, 1, 2, 4]);
});

test('a pair under the shift threshold joins a near group that says so; one above does not', () => {
  const nn: Neighbours = {
    k: 1,
    index: Int32Array.from([1, 0, 3, 2]),
    distance: Float32Array.from([0.5, 0.5, 0.6, 0.6]),
    method: 'exact',
  };
  const rows = Int32Array.from([0, 1, 2, 3]);
  const shift = {
    pairs: Int32Array.from([0, 1, 2, 3]),
    distance: Float32Array.from([0.001, 0.2]),
    threshold: 0.01,
    embeddingDistance: (a: number) => (a === 0 ? 0.5 : 0.6),
  };
  const none = [undefined, undefined, undefined, undefined];
  const g = findDuplicates(['a', 'b', 'c', 'd'], none, none, nn, rows, 0.1, shift);
  assert.equal(g.length, 1);
  assert.deepEqual(g[0].rows, [0, 1]);
  assert.deepEqual(g[0].found, ['shift']);
  assert.equal(g[0].distance, 0.5);
  assert.ok(Math.abs(g[0].shiftDistance! - 0.001) < 1e-9);
});

/** A speech clip of the repository at 16 kHz. */
function speech(): Float32Array {
  const w = decodeWav(readFileSync(join(ROOT, 'test', 'fixtures', 'compressed', 'speech.wav')));
  return resample(w.channels[0], w.facts.sampleRate, 16000).subarray(0, 16000);
}

/** `x` times `gain`, `shift` samples later (zeros in front). */
function moved(x: Float32Array, gain: number, shift: number): Float32Array {
  const y = new Float32Array(x.length);
  for (let i = shift; i < x.length; i++) y[i] = gain * x[i - shift];
  return y;
}

for (const type of ['mfcc', 'logmel'] as const)
  test(`${type} features of the check are unmoved by a gain, and a 10 ms copy is at one frame`, async () => {
    const md = JSON.parse(readFileSync(join(ROOT, 'models', 'digits', 'metadata.json'), 'utf8'));
    md.features.type = type;
    md.features.normalize = 'none';
    const input = await ModelInput.create(parseMetadata(md));
    const x = speech();
    const a = input.matchFeatures(x);
    const model = new Float32Array(input.size);
    input.write(x, 0, model);
    // MFCC: c0 gone, the rest as the model's; logmel: every band kept, each frame centred.
    assert.equal(a.bins, type === 'mfcc' ? input.bins - 1 : input.bins);
    if (type === 'mfcc') assert.equal(a.data[0], model[1]);
    const louder = input.matchFeatures(moved(x, 0.5, 0));
    let worst = 0;
    for (let i = 0; i < a.data.length; i++) worst = Math.max(worst, Math.abs(louder.data[i] - a.data[i]));
    assert.ok(worst < 1e-3, `largest change at gain 0.5: ${worst}`);
    // The same copy 10 ms (one frame) later: close at offset 1, far at offset 0 only.
    const late = input.matchFeatures(moved(x, 0.8, 160));
    const d = shiftDistance(a.data, late.data, a.bins);
    assert.ok(d < 0.01, `copy 10 ms later: ${d}`);
    assert.ok(shiftDistance(a.data, late.data, a.bins, 0) > 5 * d);
  });
