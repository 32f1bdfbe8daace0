// The Compare page's validator and the report page's new "compare" message: what the host accepts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseCompareToHost } from '../../../src/protocol/compare';
import { parseReportToHost } from '../../../src/protocol/report';

test('parseCompareToHost accepts the page messages as they are sent, without extra fields', () => {
  assert.deepEqual(parseCompareToHost({ type: 'ready' }), { type: 'ready' });
  assert.deepEqual(parseCompareToHost({ type: 'painted', ms: 3 }), { type: 'painted', ms: 3 });
  assert.deepEqual(parseCompareToHost({ type: 'openClip', path: '/d/a.wav', x: 1 }), {
    type: 'openClip',
    path: '/d/a.wav',
  });
});

test('parseCompareToHost drops malformed messages and other pages’ messages', () => {
  const bad: unknown[] = [
    null,
    undefined,
    'ready',
    [{ type: 'ready' }],
    {},
    { type: 3 },
    { type: 'painted', ms: Infinity },
    { type: 'openClip' },
    { type: 'openClip', path: '' },
    { type: 'openClip', path: 7 },
    { type: 'compare' },
    { type: 'export', format: 'csv' },
    { type: 'init', compare: {} },
  ];
  for (const m of bad) assert.equal(parseCompareToHost(m), undefined, JSON.stringify(m));
});

test('parseReportToHost accepts "compare" (no fields taken from the page) besides its old messages', () => {
  assert.deepEqual(parseReportToHost({ type: 'compare', modelB: '/etc' }), { type: 'compare' });
  assert.deepEqual(parseReportToHost({ type: 'export', format: 'json' }), { type: 'export', format: 'json' });
  assert.equal(parseReportToHost({ type: 'compares' }), undefined);
});
