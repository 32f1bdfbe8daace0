// The review page's validator (what the host accepts from the page), the page's view of a review,
// and the relabel CSV.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { relabelCsv } from '../../../src/dataset/relabelLog';
import type { ReviewReport } from '../../../src/engine/reviewJob';
import { parseReviewToHost } from '../../../src/protocol/review';
import { reviewView } from '../../../src/vscode/reviewView';

test('parseReviewToHost accepts the page messages as they are sent, and only those', () => {
  assert.deepEqual(parseReviewToHost({ type: 'ready' }), { type: 'ready' });
  assert.deepEqual(parseReviewToHost({ type: 'requestClip', requestId: 3, path: '/d/a.wav', x: 1 }), {
    type: 'requestClip',
    requestId: 3,
    path: '/d/a.wav',
  });
  assert.deepEqual(
    parseReviewToHost({ type: 'relabel', path: '/d/a.wav', to: 'one', kind: 'accept', score: 0.1 }),
    {
      type: 'relabel',
      path: '/d/a.wav',
      to: 'one',
      kind: 'accept',
      score: 0.1,
    },
  );
  assert.deepEqual(parseReviewToHost({ type: 'undoRelabel', path: '/d/one/a.wav' }), {
    type: 'undoRelabel',
    path: '/d/one/a.wav',
  });
  const keep = { path: '/d/a.wav', from: 'two', to: 'two', kind: 'keep', time: 't' };
  assert.deepEqual(parseReviewToHost({ type: 'exportDecisions', decisions: [keep] }), {
    type: 'exportDecisions',
    decisions: [keep],
  });
  const bad: unknown[] = [
    null,
    'ready',
    { type: 'requestClip', requestId: '3', path: '/d/a.wav' },
    { type: 'requestClip', requestId: 3, path: '' },
    { type: 'relabel', path: '/d/a.wav', to: 'one', kind: 'move' },
    { type: 'relabel', path: '/d/a.wav', to: 7, kind: 'pick' },
    { type: 'relabel', path: '/d/a.wav', to: 'one', kind: 'pick', score: NaN },
    { type: 'undoRelabel' },
    { type: 'exportDecisions', decisions: 'all' },
    { type: 'exportDecisions', decisions: [{ ...keep, kind: 'delete' }] },
    { type: 'exportDecisions', decisions: [keep, 'x'] },
    { type: 'key', key: 'a' },
  ];
  for (const b of bad) assert.equal(parseReviewToHost(b), undefined, JSON.stringify(b));
});

test('reviewView: the queues, the in-sample warning apart from the notes, labels without _unknown_', () => {
  const r = {
    folder: '/d',
    clips: 5,
    model: { name: 'digits', dir: '/m', hash: 'h', labels: ['_unknown_', 'one', 'two'] },
    suspects: [
      {
        path: '/d/two/a.wav',
        label: 'two',
        suggested: 'one',
        score: 0.01,
        method: 'confident learning',
        inSample: true,
      },
    ],
    duplicates: [
      {
        kind: 'exact',
        paths: ['/d/two/a.wav', '/d/one/b.wav'],
        distance: 0,
        labels: ['two', 'one'],
        crossLabel: true,
        crossSplit: false,
      },
    ],
    outliers: [
      { path: '/d/one/c.wav', label: 'one', distance: 0.9, labelMedian: 0.3, reason: 'far from its label' },
    ],
    unjudged: [],
    notes: ["4 of 5 clips are in the model's training data: their probabilities are in-sample", 'other'],
    timeSec: 1,
    cancelled: false,
  } as unknown as ReviewReport;
  const v = reviewView(r, 'T', ['one', 'three', 'two']);
  assert.equal(v.start, 'suspects');
  assert.deepEqual(v.labels, ['one', 'two', 'three']);
  assert.deepEqual(v.notes, ['other']);
  assert.match(v.inSample!, /in-sample/);
  assert.deepEqual(
    v.queues.suspects.map((i) => [i.rel, i.label, i.suggested]),
    [['two/a.wav', 'two', 'one']],
  );
  assert.deepEqual(
    v.queues.duplicates.map((i) => [i.rel, i.group]),
    [
      ['two/a.wav', 1],
      ['one/b.wav', 1],
    ],
  );
  assert.match(v.queues.duplicates[0].note, /exact copy.*across labels/);
  const s = reviewView(r, 'T', [], ['/d/one/c.wav', '/d/two/a.wav', '/d/one/z.wav']);
  assert.equal(s.start, 'selection');
  assert.deepEqual(
    s.queues.selection.map((i) => [i.rel, i.suggested ?? '', i.note]),
    [
      ['one/c.wav', '', 'outlier: far from its label'],
      ['two/a.wav', 'one', `${v.queues.suspects[0].note}; ${v.queues.duplicates[0].note}`],
      ['one/z.wav', '', 'chosen (no finding)'],
    ],
  );
});

test('relabel CSV: header, empty score, quoted fields', () => {
  assert.equal(
    relabelCsv([
      { path: 'two/a.wav', from: 'two', to: 'one', score: 0.25, time: 'T1' },
      { path: 'x/b, "c".wav', from: 'x', to: 'x', time: 'T2' },
    ]),
    'path,from,to,score,time\ntwo/a.wav,two,one,0.25,T1\n"x/b, ""c"".wav",x,x,,T2\n',
  );
});
