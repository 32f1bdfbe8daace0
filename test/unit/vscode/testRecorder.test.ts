// The test-only recorder of webview traffic: off unless turned on, bounded when on.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { RECORDER_LIMIT, TestRecorder } from '../../../src/vscode/testRecorder';

test('off by default: nothing is kept', () => {
  const r = new TestRecorder();
  r.record({ panel: 'editor', dir: 'in', uri: 'file:///a.wav', type: 'ready' });
  assert.equal(r.enabled, false);
  assert.deepEqual(r.messages(), []);
  assert.equal(r.find({ type: 'ready' }), undefined);
});

test('on: messages found by their fields; never more than RECORDER_LIMIT, the oldest dropped', () => {
  const r = new TestRecorder();
  r.enable();
  for (let i = 0; i < RECORDER_LIMIT + 25; i++)
    r.record({ panel: 'editor', dir: 'out', uri: `file:///${i}.wav`, type: 'init' });
  r.record({ panel: 'editor', dir: 'in', uri: 'file:///x.wav', type: 'painted', what: 'predictions' });
  const all = r.messages();
  assert.equal(all.length, RECORDER_LIMIT);
  assert.equal(all[0].uri, 'file:///26.wav');
  assert.equal(r.find({ uri: 'file:///0.wav' }), undefined);
  assert.equal(r.find({ type: 'painted', what: 'predictions' })?.uri, 'file:///x.wav');
  assert.equal(r.find({ type: 'painted', what: 'init' }), undefined);
});
