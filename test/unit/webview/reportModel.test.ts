// The report view's pure logic: filters, sorting, paging, confusion cells and quick views.
import { relativeTo } from '../../../webview/common/relativePath';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ReportView } from '../../../src/protocol/report';
import {
  EMPTY_FILTER,
  type ReportRow,
  cellRows,
  errorList,
  filterLabels,
  filterRows,
  isEmptyFilter,
  leastConfidentView,
  pageBounds,
  parseProbability,
  reportRoot,
  rowNormalise,
  sortRows,
  toggleCell,
  toggleSort,
  visibleRows,
  wrongView,
} from '../../../webview/report/model';

function row(
  rel: string,
  label: string | null,
  predicted: string | null,
  probability: number | null,
  error: string | null = null,
): ReportRow {
  return {
    path: `/data/${rel}`,
    rel,
    label,
    predicted,
    probability,
    correct: label === null || predicted === null || error ? null : label === predicted,
    topK: predicted === null || probability === null ? [] : [{ label: predicted, probability }],
    error,
  };
}

const rows: ReportRow[] = [
  row('yes/a.wav', 'yes', 'yes', 0.9), // 0
  row('yes/b.wav', 'yes', 'no', 0.6), // 1 wrong
  row('no/c.wav', 'no', 'no', 0.55), // 2
  row('no/d.wav', 'no', 'yes', 0.4), // 3 wrong
  row('x/e.wav', null, 'yes', 0.7), // 4 unlabelled
  row('no/f.wav', 'no', null, null, 'truncated'), // 5 error
  row('yes/g.wav', 'yes', 'no', 0.95), // 6 wrong
];

test('filters: label, predicted, wrong only, probability range, search; errors never in the table', () => {
  assert.deepEqual(filterRows(rows, EMPTY_FILTER), [0, 1, 2, 3, 4, 6]);
  assert.deepEqual(filterRows(rows, { ...EMPTY_FILTER, label: 'no' }), [2, 3]);
  assert.deepEqual(filterRows(rows, { ...EMPTY_FILTER, predicted: 'yes' }), [0, 3, 4]);
  assert.deepEqual(filterRows(rows, { ...EMPTY_FILTER, wrongOnly: true }), [1, 3, 6]);
  assert.deepEqual(filterRows(rows, { ...EMPTY_FILTER, minProb: 0.55, maxProb: 0.7 }), [1, 2, 4]);
  assert.deepEqual(filterRows(rows, { ...EMPTY_FILTER, search: 'YES/' }), [0, 1, 6]);
  assert.deepEqual(filterRows(rows, { ...EMPTY_FILTER, label: 'yes', wrongOnly: true, minProb: 0.9 }), [6]);
});

test('sort by confidence both ways, by path, stable on ties; nulls last', () => {
  const all = filterRows(rows, EMPTY_FILTER);
  assert.deepEqual(sortRows(rows, all, { key: 'confidence', dir: 'asc' }), [3, 2, 1, 4, 0, 6]);
  assert.deepEqual(sortRows(rows, all, { key: 'confidence', dir: 'desc' }), [6, 0, 4, 1, 2, 3]);
  assert.deepEqual(sortRows(rows, all, { key: 'path', dir: 'desc' }), [6, 1, 0, 4, 3, 2]);
  // unlabelled rows last in both directions
  assert.equal(sortRows(rows, all, { key: 'label', dir: 'asc' }).at(-1), 4);
  assert.equal(sortRows(rows, all, { key: 'label', dir: 'desc' }).at(-1), 4);
  const withNull = [...rows, row('z/h.wav', 'no', null, null)];
  assert.deepEqual(sortRows(withNull, [7, 0, 3], { key: 'confidence', dir: 'desc' }), [0, 3, 7]);
  assert.deepEqual(sortRows(withNull, [7, 0, 3], { key: 'confidence', dir: 'asc' }), [3, 0, 7]);
  // the input is not modified
  const idx = [0, 1, 2];
  sortRows(rows, idx, { key: 'path', dir: 'desc' });
  assert.deepEqual(idx, [0, 1, 2]);
});

test('toggleSort flips the same key and starts a new key ascending', () => {
  assert.deepEqual(toggleSort({ key: 'path', dir: 'asc' }, 'path'), { key: 'path', dir: 'desc' });
  assert.deepEqual(toggleSort({ key: 'path', dir: 'desc' }, 'confidence'), { key: 'confidence', dir: 'asc' });
});

test('quick views: wrong ones least confident first; least confident overall', () => {
  const w = wrongView();
  assert.deepEqual(visibleRows(rows, w.filter, w.sort), [3, 1, 6]);
  const l = leastConfidentView();
  assert.deepEqual(visibleRows(rows, l.filter, l.sort).slice(0, 2), [3, 2]);
  assert.ok(isEmptyFilter(l.filter));
  assert.ok(!isEmptyFilter(w.filter));
});

test('pageBounds clamps the page and slices 200 a page', () => {
  assert.deepEqual(pageBounds(0, 3), { page: 0, pages: 1, start: 0, end: 0 });
  assert.deepEqual(pageBounds(450, 1), { page: 1, pages: 3, start: 200, end: 400 });
  assert.deepEqual(pageBounds(450, 9), { page: 2, pages: 3, start: 400, end: 450 });
  assert.deepEqual(pageBounds(100_000, -1).pages, 500);
  assert.deepEqual(pageBounds(10, 1, 4), { page: 1, pages: 3, start: 4, end: 8 });
});

test('row-normalised confusion, empty rows stay zero', () => {
  assert.deepEqual(
    rowNormalise([
      [3, 1],
      [0, 0],
    ]),
    [
      [0.75, 0.25],
      [0, 0],
    ],
  );
});

test('confusion cells: rows of a cell, least confident first; clicking again clears', () => {
  const labels = ['yes', 'no'];
  assert.deepEqual(cellRows(rows, labels, { row: 0, col: 1 }), [1, 6]);
  assert.deepEqual(cellRows(rows, labels, { row: 1, col: 1 }), [2]);
  assert.deepEqual(cellRows(rows, labels, { row: 5, col: 0 }), []);
  assert.deepEqual(toggleCell(null, { row: 0, col: 1 }), { row: 0, col: 1 });
  assert.equal(toggleCell({ row: 0, col: 1 }, { row: 0, col: 1 }), null);
  assert.deepEqual(toggleCell({ row: 0, col: 1 }, { row: 1, col: 1 }), { row: 1, col: 1 });
});

test('filter labels, error list, root and probability parsing', () => {
  const report = {
    metrics: { labels: ['yes', 'no'] },
    rows: [...rows, row('q/z.wav', 'maybe', 'yes', 0.5)],
    problems: [
      { path: '/data/no/f.wav', error: 'RIFF header truncated' },
      { path: '/data/other.wav', error: 'gone' },
    ],
  } as unknown as ReportView;
  assert.deepEqual(filterLabels(report), ['yes', 'no', 'maybe']);
  assert.deepEqual(errorList(report), [
    { path: '/data/no/f.wav', rel: 'no/f.wav', error: 'RIFF header truncated' },
    { path: '/data/other.wav', rel: '/data/other.wav', error: 'gone' },
  ]);
  assert.equal(reportRoot(rows), '/data/');
  assert.equal(relativeTo('/data/bg/noise.wav', '/data/'), 'bg/noise.wav');
  assert.equal(relativeTo('/elsewhere/noise.wav', '/data/'), '/elsewhere/noise.wav');
  assert.equal(parseProbability(''), null);
  assert.equal(parseProbability('0.25'), 0.25);
  assert.equal(parseProbability('50%'), 0.5);
  assert.equal(parseProbability('80'), 0.8);
  assert.equal(parseProbability('-1'), 0);
  assert.equal(parseProbability('abc'), null);
});

test('100k rows filter and sort quickly', () => {
  const big: ReportRow[] = [];
  for (let i = 0; i < 100_000; i++)
    big.push(row(`l${i % 12}/${i}.wav`, `l${i % 12}`, `l${(i * 7) % 12}`, ((i * 7919) % 1000) / 1000));
  const t = performance.now();
  const v = visibleRows(big, { ...EMPTY_FILTER, wrongOnly: true }, { key: 'confidence', dir: 'asc' });
  const ms = performance.now() - t;
  assert.ok(v.length > 0);
  for (let k = 1; k < v.length; k++) assert.ok(big[v[k - 1]].probability! <= big[v[k]].probability!);
  assert.ok(ms < 2000, `took ${ms} ms`);
});
