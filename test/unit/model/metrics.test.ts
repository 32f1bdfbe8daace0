// Metrics, report rows and exports against a small example worked out by hand.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { computeMetrics } from '../../../src/model/metrics';
import { buildReport, toCsv, toJson, toRow } from '../../../src/model/report';
import { labelFor } from '../../../src/dataset/scan';
import { recognize, windowStarts } from '../../../src/model/windows';

test('metrics of a hand-checked example', () => {
  // true:      a a a b b c
  // predicted: a a b b c c
  const pairs = [
    ['a', 'a'],
    ['a', 'a'],
    ['a', 'b'],
    ['b', 'b'],
    ['b', 'c'],
    ['c', 'c'],
  ].map(([label, predicted]) => ({ label, predicted }));
  const m = computeMetrics(['a', 'b', 'c', 'd'], pairs);
  assert.deepEqual(m.confusion, [
    [2, 1, 0, 0],
    [0, 1, 1, 0],
    [0, 0, 1, 0],
    [0, 0, 0, 0],
  ]);
  assert.equal(m.accuracy, 4 / 6);
  // a: P 2/2, R 2/3, F1 0.8; b: P 1/2, R 1/2, F1 0.5; c: P 1/2, R 1, F1 2/3; d: no support
  const [a, b, c, d] = m.perClass;
  assert.deepEqual([a.precision, a.recall, a.support], [1, 2 / 3, 3]);
  assert.ok(Math.abs(a.f1 - 0.8) < 1e-12);
  assert.deepEqual([b.precision, b.recall, b.f1], [0.5, 0.5, 0.5]);
  assert.ok(Math.abs(c.f1 - 2 / 3) < 1e-12);
  assert.deepEqual([d.precision, d.recall, d.f1, d.support], [0, 0, 0, 0]);
  assert.ok(Math.abs(m.macroF1 - (0.8 + 0.5 + 2 / 3) / 3) < 1e-12);
});

test('labels from folders: known, _unknown_, or unlabelled', () => {
  assert.equal(labelFor('yes', ['_unknown_', 'yes']), 'yes');
  assert.equal(labelFor('bed', ['_unknown_', 'yes']), '_unknown_');
  assert.equal(labelFor('bed', ['yes', 'no']), undefined);
  assert.equal(labelFor(undefined, ['_unknown_']), undefined);
  // A folder the user named (the root, or the folder of a file given directly) is never _unknown_.
  assert.equal(labelFor('yes', ['_unknown_', 'yes'], true), 'yes');
  assert.equal(labelFor('recordings', ['_unknown_', 'yes'], true), undefined);
});

test('CSV has exactly the schema columns first, quoting, empty error; JSON has rows and metrics', () => {
  const labels = ['yes', 'no'];
  const rows = [
    toRow(
      {
        path: '/d/yes/a,1.wav',
        top: [
          { label: 'yes', probability: 0.75 },
          { label: 'no', probability: 0.25 },
        ],
      },
      'yes',
    ),
    toRow({ path: '/d/no/b.wav', top: [{ label: 'yes', probability: 0.6 }] }, 'no'),
    toRow({ path: '/d/no/c.wav', error: 'data chunk truncated: "x"' }, 'no'),
  ];
  const r = buildReport({ name: 'm', dir: '/m', labels, hash: 'h' }, rows, {
    background: [],
    problems: [],
    timeSec: 1,
    cancelled: false,
  });
  const lines = toCsv(r).trimEnd().split('\n');
  assert.equal(lines[0], 'path,label,predicted,probability,correct,top_k,error');
  assert.equal(lines[1], '"/d/yes/a,1.wav",yes,yes,0.750000,true,yes:0.750000|no:0.250000,');
  assert.equal(lines[2], '/d/no/b.wav,no,yes,0.600000,false,yes:0.600000,');
  assert.equal(lines[3], '/d/no/c.wav,no,,,,,"data chunk truncated: ""x"""');
  const j = JSON.parse(toJson(r));
  assert.deepEqual(Object.keys(j.rows[0]).slice(0, 7), [
    'path',
    'label',
    'predicted',
    'probability',
    'correct',
    'top_k',
    'error',
  ]);
  assert.equal(j.metrics.accuracy, 0.5);
  assert.deepEqual(j.counts, { files: 3, scored: 2, unlabelled: 0, errors: 1, background: 0 });
});

test('sliding windows cover the file; the streaming rule detects, suppresses and ignores _labels', () => {
  assert.deepEqual(windowStarts(16000, 16000, 4000), [0]);
  assert.deepEqual(windowStarts(8000, 16000, 4000), [0]);
  assert.deepEqual(windowStarts(30000, 16000, 4000), [0, 4000, 8000, 12000, 14000]);
  const labels = ['_silence_', 'yes', 'no'];
  const times: number[] = [];
  const scores: Float32Array[] = [];
  // 0-2 s silence, 2-3 s "yes", 3-4.5 s "no" (inside suppression), 6-7 s "no" again, every 250 ms.
  for (let t = 0; t <= 8000; t += 250) {
    times.push(t);
    const p =
      t >= 2000 && t < 3000
        ? [0, 1, 0]
        : (t >= 3000 && t < 4500) || (t >= 6000 && t < 7000)
          ? [0, 0, 1]
          : [1, 0, 0];
    scores.push(Float32Array.from(p));
  }
  const d = recognize(labels, times, scores);
  // Worked by hand (4 windows per 1-s average, ties go to the first label):
  // 2.5 s: "yes" has 3/4 -> detected. 3.5-4.0 s: "no" wins but within 1.5 s of "yes" -> suppressed;
  // 4.25 s: 1.75 s later -> detected. 6.0 s: silence takes over (not reported). 6.5 s: "no" has
  // 3/4 and the previous label is _silence_ -> detected again at once.
  assert.deepEqual(
    d.map((x) => [x.label, x.timeSec]),
    [
      ['yes', 2.5],
      ['no', 4.25],
      ['no', 6.5],
    ],
  );
});
