// The evaluation page's validator: what the host accepts from the page, and what it drops.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseEvaluationToHost } from '../../../src/protocol/evaluation';

test('parseEvaluationToHost accepts the page messages as they are sent', () => {
  assert.deepEqual(parseEvaluationToHost({ type: 'ready' }), { type: 'ready' });
  assert.deepEqual(parseEvaluationToHost({ type: 'painted', ms: 12.5 }), { type: 'painted', ms: 12.5 });
  assert.deepEqual(
    parseEvaluationToHost({ type: 'openRecording', path: '/r/a.wav', timeSec: 3.2, extra: 1 }),
    {
      type: 'openRecording',
      path: '/r/a.wav',
      timeSec: 3.2,
    },
  );
  assert.deepEqual(parseEvaluationToHost({ type: 'openClip', path: '/r/a.wav' }), {
    type: 'openClip',
    path: '/r/a.wav',
  });
});

test('parseEvaluationToHost drops malformed messages', () => {
  const bad: unknown[] = [
    null,
    undefined,
    42,
    'ready',
    [],
    [{ type: 'ready' }],
    {},
    { type: 7 },
    { type: 'export', format: 'csv' },
    { type: 'init', evaluation: {} },
    { type: 'painted' },
    { type: 'painted', ms: 'fast' },
    { type: 'painted', ms: Number.NaN },
    { type: 'openRecording' },
    { type: 'openRecording', path: '', timeSec: 1 },
    { type: 'openRecording', path: 5, timeSec: 1 },
    { type: 'openRecording', path: '/a.wav' },
    { type: 'openRecording', path: '/a.wav', timeSec: '1' },
    { type: 'openRecording', path: '/a.wav', timeSec: -1 },
    { type: 'openRecording', path: '/a.wav', timeSec: Number.POSITIVE_INFINITY },
    { type: 'openClip', path: '' },
  ];
  for (const m of bad) assert.equal(parseEvaluationToHost(m), undefined, JSON.stringify(m));
});

test('parseEvaluationToHost: eventsAt and exportFalseAccepts with a threshold in [0, 1] and a bounded margin', () => {
  assert.deepEqual(parseEvaluationToHost({ type: 'eventsAt', threshold: 0.63, x: 1 }), {
    type: 'eventsAt',
    threshold: 0.63,
  });
  assert.deepEqual(parseEvaluationToHost({ type: 'exportFalseAccepts', threshold: 1, marginMs: 250 }), {
    type: 'exportFalseAccepts',
    threshold: 1,
    marginMs: 250,
  });
  const bad: unknown[] = [
    { type: 'eventsAt' },
    { type: 'eventsAt', threshold: -0.1 },
    { type: 'eventsAt', threshold: 1.5 },
    { type: 'eventsAt', threshold: '0.5' },
    { type: 'eventsAt', threshold: Number.NaN },
    { type: 'exportFalseAccepts', threshold: 0.5 },
    { type: 'exportFalseAccepts', threshold: 0.5, marginMs: -1 },
    { type: 'exportFalseAccepts', threshold: 0.5, marginMs: 1e9 },
    { type: 'exportFalseAccepts', threshold: 2, marginMs: 0 },
    { type: 'exportFalseAccepts', threshold: 0.5, marginMs: 0, dir: undefined, extra: '/etc' },
  ];
  for (const m of bad.slice(0, -1)) assert.equal(parseEvaluationToHost(m), undefined, JSON.stringify(m));
  // Extra fields (a folder) are never taken from the page: the host asks where.
  assert.deepEqual(parseEvaluationToHost(bad[bad.length - 1]), {
    type: 'exportFalseAccepts',
    threshold: 0.5,
    marginMs: 0,
  });
});
