// The dataset view's pure logic: histograms in 0.1 s bins, splits, problem groups and duplicates.
import { relativeTo } from '../../../webview/common/relativePath';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { DatasetView } from '../../../src/dataset/datasetView';
import {
  binOf,
  duplicateFlags,
  durationRange,
  groupProblems,
  histogram,
  labelsByCount,
  median,
  niceMax,
  offTarget,
  sortDuplicates,
  splitRows,
} from '../../../webview/dataset/model';

test('binOf puts exact bin edges in the upper bin despite float error', () => {
  assert.equal(binOf(1.0), 10);
  assert.equal(binOf(0.3), 3); // 0.3 / 0.1 = 2.9999999999999996
  assert.equal(binOf(0.7), 7);
  assert.equal(binOf(0.99), 9);
  assert.equal(binOf(0), 0);
});

test('duration range over every label and histograms over it', () => {
  const r = durationRange([[1.0, 0.95], [0.42, 1.25], []]);
  assert.deepEqual(r, { first: 4, last: 12 });
  assert.equal(durationRange([[], [NaN]]), null);
  const hst = histogram([1.0, 1.0, 0.95, 0.42, 1.25, 3.0], 4, 12);
  assert.ok(Math.abs(hst.startSec - 0.4) < 1e-12);
  assert.deepEqual(hst.counts, [1, 0, 0, 0, 0, 1, 2, 0, 2]); // 3.0 s clamped to the last bin
  assert.equal(
    hst.counts.reduce((a, b) => a + b, 0),
    6,
  );
});

test('median and niceMax', () => {
  assert.equal(median([3, 1, 2]), 2);
  assert.equal(median([4, 1, 2, 3]), 2.5);
  assert.ok(Number.isNaN(median([])));
  assert.equal(niceMax(0), 1);
  assert.equal(niceMax(7), 10);
  assert.equal(niceMax(240), 500);
  assert.equal(niceMax(180), 200);
  assert.equal(niceMax(100), 100);
});

test('labels by count, then name', () => {
  const l = labelsByCount([
    { label: 'b', count: 2, durations: [] },
    { label: 'a', count: 2, durations: [] },
    { label: 'c', count: 5, durations: [] },
  ]);
  assert.deepEqual(
    l.map((x) => x.label),
    ['c', 'a', 'b'],
  );
});

test('split rows per label with shares and totals', () => {
  const d = {
    labels: [
      { label: 'yes', count: 10, durations: [] },
      { label: 'no', count: 0, durations: [] },
    ],
    splits: [
      { name: 'training', total: 9, perLabel: { yes: 8, up: 1 } },
      { name: 'validation', total: 1, perLabel: { yes: 1 } },
      { name: 'testing', total: 1, perLabel: { yes: 1 } },
    ],
  } as Pick<DatasetView, 'labels' | 'splits'>;
  const { rows, totals } = splitRows(d);
  assert.deepEqual(
    rows.map((r) => r.label),
    ['no', 'up', 'yes'],
  );
  const yes = rows[2];
  assert.deepEqual([yes.training, yes.validation, yes.testing, yes.total], [8, 1, 1, 10]);
  assert.equal(yes.validationPct, 0.1);
  assert.equal(rows[0].total, 0);
  assert.equal(rows[0].validationPct, 0);
  assert.deepEqual([totals.training, totals.validation, totals.testing, totals.total], [9, 1, 1, 11]);
  assert.equal(offTarget(0.1, 10), false);
  assert.equal(offTarget(0.2, 10), true);
});

test('problems grouped by kind, largest first', () => {
  const g = groupProblems([
    { path: 'a', kind: 'silent', message: '' },
    { path: 'b', kind: 'clipped', message: '' },
    { path: 'c', kind: 'silent', message: '' },
    { path: 'd', kind: 'unreadable', message: '' },
  ]);
  assert.deepEqual(
    g.map((x) => [x.kind, x.items.map((i) => i.path)]),
    [
      ['silent', ['a', 'c']],
      ['clipped', ['b']],
      ['unreadable', ['d']],
    ],
  );
  assert.deepEqual(groupProblems([]), []);
});

test('duplicate flags and order: label conflicts, then split leaks, then size', () => {
  const same = { hash: '1', paths: ['a', 'b', 'c'], labels: ['yes'], splits: ['training'] };
  const leak = { hash: '2', paths: ['d', 'e'], labels: ['yes'], splits: ['training', 'testing'] };
  const conflict = { hash: '3', paths: ['f', 'g'], labels: ['yes', 'no'], splits: ['training'] };
  assert.deepEqual(duplicateFlags(conflict), { labelConflict: true, splitLeak: false });
  assert.deepEqual(duplicateFlags(leak), { labelConflict: false, splitLeak: true });
  assert.deepEqual(
    sortDuplicates([same, leak, conflict]).map((x) => x.hash),
    ['3', '2', '1'],
  );
});

test('paths relative to the dataset root', () => {
  assert.equal(relativeTo('/d/root/yes/a.wav', '/d/root'), 'yes/a.wav');
  assert.equal(relativeTo('/d/root/yes/a.wav', '/d/root/'), 'yes/a.wav');
  assert.equal(relativeTo('/elsewhere/a.wav', '/d/root'), '/elsewhere/a.wav');
  assert.equal(relativeTo('C:\\data\\yes\\a.wav', 'C:\\data'), 'yes\\a.wav');
  // A sibling folder sharing the root's prefix is not under it.
  assert.equal(relativeTo('/d/root2/a.wav', '/d/root'), '/d/root2/a.wav');
  assert.equal(relativeTo('/d/root2/a.wav', '/d/root/'), '/d/root2/a.wav');
  assert.equal(relativeTo('C:\\data2\\a.wav', 'C:\\data'), 'C:\\data2\\a.wav');
  assert.equal(relativeTo('/a.wav', '/'), 'a.wav');
});
