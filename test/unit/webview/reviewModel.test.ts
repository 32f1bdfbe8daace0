// The review queue's pure model: keys to actions, moving through a queue, decisions, and how a move
// and its undo rename a clip in every queue it is in.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { QueueItem, ReviewView } from '../../../src/protocol/review';
import { keyAction, labelFromPath, ReviewQueue } from '../../../webview/review/model';

const item = (path: string, extra: Partial<QueueItem> = {}): QueueItem => ({
  path,
  rel: path.replace('/d/', ''),
  label: labelFromPath(path),
  note: '',
  ...extra,
});

function view(): ReviewView {
  const a = item('/d/two/a.wav', { suggested: 'one', score: 0.01 });
  return {
    title: 't',
    folder: '/d',
    model: { name: 'm', labels: ['one', 'two'] },
    clips: 3,
    unjudged: 0,
    timeSec: 1,
    notes: [],
    labels: ['one', 'two', 'three'],
    queues: {
      suspects: [a, item('/d/one/b.wav', { suggested: 'two', score: 0.2 })],
      duplicates: [item('/d/two/a.wav', { group: 1 }), item('/d/three/c.wav', { group: 1 })],
      outliers: [],
      selection: [],
    },
    start: 'suspects',
  };
}

test('keys: Space, A, K, 1-9, J/arrows, Shift+J, U, Ctrl+Z, E; others and Alt/Ctrl combinations do nothing', () => {
  const labels = ['one', 'two', 'three'];
  const k = (key: string, mods = {}) => keyAction({ key, ...mods }, labels);
  assert.deepEqual(k(' '), { kind: 'play' });
  assert.deepEqual(k('a'), { kind: 'accept' });
  assert.deepEqual(k('A', { shiftKey: true }), { kind: 'accept' });
  assert.deepEqual(k('k'), { kind: 'keep' });
  assert.deepEqual(k('2'), { kind: 'pick', label: 'two' });
  assert.equal(k('4'), undefined, 'no fourth label');
  assert.equal(k('0'), undefined);
  assert.deepEqual(k('j'), { kind: 'next' });
  assert.deepEqual(k('J', { shiftKey: true }), { kind: 'prev' });
  assert.deepEqual(k('ArrowDown'), { kind: 'next' });
  assert.deepEqual(k('ArrowRight'), { kind: 'next' });
  assert.deepEqual(k('ArrowUp'), { kind: 'prev' });
  assert.deepEqual(k('ArrowLeft'), { kind: 'prev' });
  assert.deepEqual(k('u'), { kind: 'undo' });
  assert.deepEqual(k('z', { ctrlKey: true }), { kind: 'undo' });
  assert.deepEqual(k('z', { metaKey: true }), { kind: 'undo' });
  assert.deepEqual(k('e'), { kind: 'export' });
  assert.equal(k('a', { ctrlKey: true }), undefined, 'Ctrl+A is the browser’s');
  assert.equal(k('a', { altKey: true }), undefined);
  assert.equal(k('z', { ctrlKey: true, shiftKey: true }), undefined, 'redo is not undo');
  assert.equal(k('x'), undefined);
});

test('moving stays inside the queue; each queue keeps its own position; saved state is restored', () => {
  const q = new ReviewQueue(view());
  assert.equal(q.current?.path, '/d/two/a.wav');
  assert.equal(q.move(-1), false, 'no clip before the first');
  assert.equal(q.move(1), true);
  assert.equal(q.current?.path, '/d/one/b.wav');
  assert.equal(q.move(1), false, 'no clip after the last');
  q.show('duplicates');
  assert.equal(q.index, 0);
  q.show('outliers');
  assert.equal(q.current, undefined, 'an empty queue shows nothing');
  q.show('suspects');
  assert.equal(q.index, 1);
  const again = new ReviewQueue(view(), { queue: 'duplicates', at: q.positions });
  assert.equal(again.queue, 'duplicates');
  again.show('suspects');
  assert.equal(again.current?.path, '/d/one/b.wav');
  assert.equal(
    new ReviewQueue(view(), { queue: 'outliers' }).queue,
    'suspects',
    'an empty saved queue is not restored',
  );
});

test('a move renames the clip in every queue, its undo restores it; keeps and moves are the decisions', () => {
  const v = view();
  const q = new ReviewQueue(v);
  q.keep(v.queues.suspects[1], '2026-01-01T00:00:02Z');
  q.moved('/d/two/a.wav', '/d/one/a.wav', 'one', 'accept', '2026-01-01T00:00:01Z');
  assert.deepEqual(
    [v.queues.suspects[0], v.queues.duplicates[0]].map((i) => [i.path, i.rel, i.label]),
    [
      ['/d/one/a.wav', 'one/a.wav', 'one'],
      ['/d/one/a.wav', 'one/a.wav', 'one'],
    ],
  );
  assert.deepEqual(q.decisions(), [
    {
      path: '/d/two/a.wav',
      from: 'two',
      to: 'one',
      kind: 'accept',
      movedTo: '/d/one/a.wav',
      score: 0.01,
      time: '2026-01-01T00:00:01Z',
    },
    { path: '/d/one/b.wav', from: 'one', to: 'one', kind: 'keep', score: 0.2, time: '2026-01-01T00:00:02Z' },
  ]);
  assert.equal(q.decision(v.queues.suspects[0])?.movedTo, '/d/one/a.wav');
  q.undone('/d/two/a.wav', '/d/one/a.wav');
  assert.deepEqual(
    [v.queues.suspects[0], v.queues.duplicates[0]].map((i) => [i.path, i.rel, i.label]),
    [
      ['/d/two/a.wav', 'two/a.wav', 'two'],
      ['/d/two/a.wav', 'two/a.wav', 'two'],
    ],
  );
  assert.equal(q.decisions().length, 1, 'the undone move is no decision');
  assert.equal(labelFromPath('C:\\d\\five\\x.wav'), 'five');
});
