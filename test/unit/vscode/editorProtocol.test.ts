// The editor's new messages through its validator: what the page drew against a label file and
// where a seek put it (only finite numbers, only the fields of their kind), and the seconds
// `wavebench.openAt` takes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseEditorToHost, seekSeconds } from '../../../src/protocol/editor';

test('drawn messages keep their kind of fields, finite numbers only', () => {
  const truth = { threshold: 0.5, words: 60, hits: 24, misses: 36, falseAccepts: 6, repeats: 0 };
  assert.deepEqual(parseEditorToHost({ type: 'drawn', what: 'truth', detail: { ...truth, extra: 'x' } }), {
    type: 'drawn',
    what: 'truth',
    detail: truth,
  });
  const seek = { cursorSec: 102.7, startSec: 97.7, endSec: 107.7 };
  assert.deepEqual(parseEditorToHost({ type: 'drawn', what: 'seek', detail: seek }), {
    type: 'drawn',
    what: 'seek',
    detail: seek,
  });
  for (const bad of [
    { type: 'drawn', what: 'truth', detail: { ...truth, hits: NaN } },
    { type: 'drawn', what: 'truth', detail: { ...truth, repeats: undefined } },
    { type: 'drawn', what: 'truth', detail: seek },
    { type: 'drawn', what: 'seek', detail: { ...seek, endSec: '107' } },
    { type: 'drawn', what: 'seek', detail: [1, 2, 3] },
    { type: 'drawn', what: 'seek' },
    { type: 'drawn', what: 'other', detail: seek },
  ])
    assert.equal(parseEditorToHost(bad), undefined, JSON.stringify(bad));
});

test('openAt seconds: a finite number >= 0', () => {
  assert.equal(seekSeconds(0), 0);
  assert.equal(seekSeconds(12.5), 12.5);
  for (const bad of [-1, NaN, Infinity, '3', null, undefined, {}]) assert.equal(seekSeconds(bad), undefined);
});
