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
