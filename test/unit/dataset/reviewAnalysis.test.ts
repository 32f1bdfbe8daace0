// The review's analyses against independent references: confident learning against a numpy
// re-implementation of cleanlab (test/fixtures/review/cleanlab_reference.py), kNN against brute
// force, duplicates/outliers/reduction on data whose answer is known by construction.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  confidentJoint,
  confidentThresholds,
  findLabelIssues,
  normalizedMargin,
  roundHalfEven,
  roundPreservingSum,
} from '../../../src/dataset/confidentLearning';
import { findSuspects } from '../../../src/dataset/suspects';
import { cosineDistance, nearestNeighbours, normalizeRows } from '../../../src/dataset/knn';
import { findDuplicates, medianNearestDistance } from '../../../src/dataset/duplicates';
import { findOutliers } from '../../../src/dataset/outliers';
import { EmbeddingReducer } from '../../../src/dataset/embeddingReducer';
import { gaussian, rng } from '../../../src/dataset/linalg';
import { pca2d } from '../../../src/dataset/projection';

const dir = join(__dirname, '../..', 'fixtures', 'review');
const fixture = JSON.parse(readFileSync(join(dir, 'probs.json'), 'utf8')) as {
  labels: number[];
  probs: number[][];
};
const expected = JSON.parse(readFileSync(join(dir, 'expected.json'), 'utf8')) as {
  confident_joint: number[][];
  thresholds: number[];
  issues: number[];
  normalized_margin: number[];
};
const labels = Int32Array.from(fixture.labels);
const probs = fixture.probs.map((r) => Float64Array.from(r));
const K = probs[0].length;

test('numpy rounding: half to even', () => {
  assert.deepEqual([0.5, 1.5, 2.5, -0.5, -1.5, 2.4, 2.6].map(roundHalfEven), [0, 2, 2, -0, -2, 2, 3]);
  // Values from cleanlab_reference.round_preserving_sum (largest remainders raised, ties: last index first).
  assert.deepEqual(roundPreservingSum([0.4, 0.4, 0.4, 0.3, 0.5]), [0, 0, 1, 0, 1]);
  assert.deepEqual(roundPreservingSum([2.6, 2.6, 2.6, 0.2]), [2, 3, 3, 0]);
  assert.deepEqual(roundPreservingSum([0.5, 0.5, 0.5, 0.5]), [0, 0, 1, 1]);
});

test('confident learning equals the numpy reference of cleanlab', () => {
  const t = confidentThresholds(labels, probs, K);
  t.forEach((v, k) => assert.ok(Math.abs(v - expected.thresholds[k]) < 1e-12, `threshold ${k}`));
  assert.deepEqual(confidentJoint(labels, probs, K), expected.confident_joint);
  const issues = findLabelIssues(labels, probs, K);
  assert.deepEqual(issues, expected.issues);
  issues.forEach((i, a) =>
    assert.ok(Math.abs(normalizedMargin(probs[i], labels[i]) - expected.normalized_margin[a]) < 1e-12),
  );
});

test('suspects: confident learning, self-confidence for a class of under 5 clips', () => {
  const s = findSuspects(labels, probs, K);
  const count = (y: number) => labels.filter((l) => l === y).length;
  const tiny = [...new Set(labels)].filter((y) => count(y) < 5);
  assert.deepEqual(tiny, [5]);
  const cl = s.filter((x) => x.method === 'confident-learning').map((x) => x.row);
  // Class 5 has under 5 clips: its CL flags are replaced by the fallback.
  assert.deepEqual(
    cl,
    expected.issues.filter((i) => labels[i] !== 5),
  );
  const fallback = s.filter((x) => x.method === 'self-confidence');
  const want = [...labels.keys()].filter(
    (i) => labels[i] === 5 && Math.max(...Array.from(probs[i]).filter((_, k) => k !== 5)) > probs[i][5],
  );
  assert.ok(want.length > 0);
  assert.deepEqual(
    fallback.map((x) => x.row).sort((a, b) => a - b),
    want,
  );
  for (let i = 1; i < s.length; i++) assert.ok(s[i - 1].score <= s[i].score);
  for (const x of s) assert.notEqual(x.suggested, x.given);
});

function randomUnitRows(n: number, d: number, seed: number): Float32Array {
  const g = gaussian(rng(seed));
  const data = Float32Array.from({ length: n * d }, g);
  normalizeRows(data, d);
  return data;
}

test('exact kNN equals brute force; LSH finds every close pair', () => {
  const n = 400;
  const d = 16;
  const data = randomUnitRows(n, d, 3);
  // 40 planted near copies: row 200+i is row i plus a little noise.
  const g = gaussian(rng(4));
  for (let i = 0; i < 40; i++)
    for (let j = 0; j < d; j++) data[(200 + i) * d + j] = data[i * d + j] + 0.01 * g();
  normalizeRows(data, d);
  const rows = Int32Array.from({ length: n }, (_, i) => i);
  const exact = nearestNeighbours(data, d, rows, 5);
  assert.equal(exact.method, 'exact');
  for (const a of [0, 17, 250, 399]) {
    const brute = [...rows]
      .filter((b) => b !== a)
      .map((b) => ({ b, dist: cosineDistance(data, d, a, b) }))
      .sort((x, y) => x.dist - y.dist)
      .slice(0, 5);
    assert.deepEqual(
      Array.from(exact.index.subarray(a * 5, a * 5 + 5)),
      brute.map((x) => x.b),
    );
  }
  const lsh = nearestNeighbours(data, d, rows, 5, { exactMax: 100 });
  assert.equal(lsh.method, 'lsh');
  for (let i = 0; i < 40; i++) assert.equal(lsh.index[i * 5], 200 + i, `copy of ${i}`);
  // LSH distances are real distances, never below the exact ones.
  for (let a = 0; a < n; a++) assert.ok(lsh.distance[a * 5] >= exact.distance[a * 5] - 1e-7);
});

test('duplicate groups: exact by hash, near chains joined, cross-label first', () => {
  const d = 8;
  const data = randomUnitRows(10, d, 9);
  // rows 1 and 2 near row 0 (a chain), row 4 an exact copy of row 3 (same hash), row 6 near row 5.
  for (const [a, b] of [
    [1, 0],
    [2, 1],
    [6, 5],
  ])
    for (let j = 0; j < d; j++) data[a * d + j] = data[b * d + j] + (j === 0 ? 0.002 : 0);
  data.copyWithin(4 * d, 3 * d, 4 * d);
  normalizeRows(data, d);
  const rows = Int32Array.from({ length: 10 }, (_, i) => i);
  const nn = nearestNeighbours(data, d, rows, 3);
  const hashes = Array.from(rows, (i) => (i === 4 ? 'h3' : `h${i}`));
  const labels = ['a', 'a', 'a', 'b', 'c', 'd', 'd', 'x', 'y', 'z'];
  const splits = new Array(10).fill('training');
  const groups = findDuplicates(hashes, labels, splits, nn, rows, 0.001);
  assert.deepEqual(
    groups.map((g) => [g.kind, g.rows, g.crossLabel]),
    [
      ['exact', [3, 4], true],
      ['near', [5, 6], false],
      ['near', [0, 1, 2], false],
    ].sort((x, y) => (x[0] === 'exact' ? -1 : 0) - (y[0] === 'exact' ? -1 : 0)),
  );
  assert.ok(medianNearestDistance(nn) > 0);
});

test('outliers: the one clip far from its label', () => {
  const d = 8;
  const n = 30;
  const g = gaussian(rng(11));
  const data = new Float32Array(n * d);
  // label 'a' around e0, 'b' around e1; row 7 ('a') sits at e1.
  for (let i = 0; i < n; i++) {
    const axis = i < 15 && i !== 7 ? 0 : 1;
    for (let j = 0; j < d; j++) data[i * d + j] = (j === axis ? 1 : 0) + 0.05 * g();
  }
  normalizeRows(data, d);
  const rows = Int32Array.from({ length: n }, (_, i) => i);
  const labels = rows.map((i) => (i < 15 ? 0 : 1));
  const names = Array.from(labels, (l) => (l ? 'b' : 'a'));
  const nn = nearestNeighbours(data, d, rows, 5);
  const { outliers } = findOutliers(data, d, rows, names, nn);
  assert.deepEqual(
    outliers.map((o) => o.row),
    [7],
  );
  assert.equal(outliers[0].nearestLabel, 'b');
  assert.match(outliers[0].reason, /nearest clips are 'b'/);
});

test('embedding reducer keeps dot products of low-rank data; PCA map axes', () => {
  const D = 200;
  const n = 1500;
  const g = gaussian(rng(5));
  // rank-10 data: a fitted 64-dim basis must keep all of it.
  const basis = Float32Array.from({ length: 10 * D }, g);
  const rows: Float32Array[] = [];
  const red = new EmbeddingReducer(n, 64);
  for (let i = 0; i < n; i++) {
    const c = Array.from({ length: 10 }, g);
    const v = new Float32Array(D);
    for (let k = 0; k < 10; k++) for (let j = 0; j < D; j++) v[j] += c[k] * basis[k * D + j];
    rows.push(v);
    red.add(i, v);
  }
  const z = red.finish();
  assert.ok(red.kept > 0.999999, `kept ${red.kept}`);
  for (const [a, b] of [
    [0, 1],
    [5, 1400],
    [1024, 1499],
  ]) {
    let full = 0;
    let small = 0;
    for (let j = 0; j < D; j++) full += rows[a][j] * rows[b][j];
    for (let j = 0; j < 64; j++) small += z[a * 64 + j] * z[b * 64 + j];
    assert.ok(Math.abs(full - small) < 1e-3 * Math.abs(full) + 1e-2, `${a},${b}: ${full} vs ${small}`);
  }
  // PCA of points on a line along (1, 1, 0) with small noise across: axis 1 explains nearly all.
  const pts = new Float32Array(100 * 3);
  for (let i = 0; i < 100; i++) pts.set([i, i, 0.01 * g()], i * 3);
  const m = pca2d(
    pts,
    3,
    Int32Array.from({ length: 100 }, (_, i) => i),
  );
  assert.ok(m.explained[0] > 0.999);
  assert.ok(Math.abs(m.x[99] - m.x[0] - 99 * Math.SQRT2) < 1e-3);
  // Above 128 values the two axes come from subspace iteration: a plane in 200-D, spread 3:1.
  const wide = new Float32Array(300 * 200);
  for (let i = 0; i < 300; i++) {
    const a = 3 * g();
    const b = g();
    for (let j = 0; j < 200; j++)
      wide[i * 200 + j] = a * (j === 5 ? 1 : 0) + b * (j === 9 ? 1 : 0) + 0.001 * g();
  }
  const w = pca2d(
    wide,
    200,
    Int32Array.from({ length: 300 }, (_, i) => i),
  );
  assert.ok(w.explained[0] > 0.8 && w.explained[1] > 0.05 && w.explained[0] + w.explained[1] > 0.999);
  for (let i = 0; i < 300; i++) {
    assert.ok(Math.abs(Math.abs(w.x[i]) - Math.abs(wide[i * 200 + 5] - 0)) < 0.5);
  }
});
