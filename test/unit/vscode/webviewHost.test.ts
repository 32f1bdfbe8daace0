// Every webview host receives through its page's validator: malformed messages never reach the page,
// nothing is posted or received once disposed, and owned objects are released once, newest first.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MAX_PATH_LENGTH, MAX_QUEUE_PATHS, parseDatasetToHost } from '../../../src/protocol/dataset';
import { parseEditorToHost } from '../../../src/protocol/editor';
import { parseReportToHost } from '../../../src/protocol/report';
import { Disposable } from '../../../src/vscode/dispose';
import { TestRecorder } from '../../../src/vscode/testRecorder';
import { WebviewHost, type HostedPanel } from '../../../src/vscode/webviewHost';
import type { WebviewName } from '../../../src/vscode/webviewHtml';

/** A panel whose webview the test drives: `send` is the page posting, `posted` what the host sent. */
function fakePanel() {
  let listener: ((raw: unknown) => unknown) | undefined;
  let closed: (() => void) | undefined;
  const posted: unknown[] = [];
  const panel: HostedPanel = {
    webview: {
      postMessage: async (m) => {
        posted.push(m);
        return true;
      },
      onDidReceiveMessage: (l) => {
        listener = l;
        return { dispose: () => (listener = undefined) };
      },
    },
    onDidDispose: (l) => {
      closed = l;
      return { dispose: () => (closed = undefined) };
    },
  };
  return { panel, posted, send: (raw: unknown) => listener?.(raw), close: () => closed?.() };
}

/** Malformed for every page: not objects, no or a non-string type, unknown types. */
const junk: unknown[] = [
  undefined,
  null,
  0,
  'ready',
  [],
  ['ready'],
  {},
  { type: 7 },
  { type: 'READY' },
  { type: 'init' },
  { type: '__proto__' },
  { type: 'painted' },
  { type: 'painted', ms: '5' },
  { type: 'painted', ms: Infinity },
  { type: 'openClip' },
  { type: 'openClip', path: 42 },
  { type: 'openClip', path: '' },
];

const pages: {
  name: WebviewName;
  parse: (raw: unknown) => { type: string } | undefined;
  good: unknown[];
  bad: unknown[];
}[] = [
  {
    name: 'editor',
    parse: parseEditorToHost,
    good: [
      { type: 'ready' },
      { type: 'painted', what: 'init', ms: 3 },
      { type: 'requestRange', requestId: 1, startSec: 0, endSec: 1, columns: 800 },
      { type: 'requestAudio', requestId: 2, startSec: 0.5, durationSec: 1 },
      { type: 'retry' },
    ],
    bad: [
      { type: 'painted', what: 'everything', ms: 3 },
      { type: 'requestRange', requestId: 1, startSec: 2, endSec: 1, columns: 800 },
      { type: 'requestRange', requestId: 1, startSec: 0, endSec: 1, columns: 1e9 },
      { type: 'requestRange', requestId: 1, startSec: NaN, endSec: 1, columns: 8 },
      { type: 'requestAudio', requestId: 2, startSec: 0, durationSec: 0 },
      { type: 'requestAudio', requestId: '2', startSec: 0, durationSec: 1 },
      { type: 'export', format: 'csv' },
    ],
  },
  {
    name: 'report',
    parse: parseReportToHost,
    good: [
      { type: 'ready' },
      { type: 'painted', ms: 12.5 },
      { type: 'openClip', path: '/data/yes/a.wav' },
      { type: 'export', format: 'json' },
    ],
    bad: [
      { type: 'export', format: 'xlsx' },
      { type: 'export' },
      { type: 'retry' },
      { type: 'requestRange', requestId: 1, startSec: 0, endSec: 1, columns: 8 },
    ],
  },
  {
    name: 'dataset',
    parse: parseDatasetToHost,
    good: [
      { type: 'ready' },
      { type: 'painted', ms: 1 },
      { type: 'openClip', path: '/data/no/b.wav' },
      { type: 'buildMap' },
      { type: 'reviewClips', paths: ['/data/no/b.wav', '/data/yes/c.wav'] },
      { type: 'mapPainted', points: 3, checksum: -1.5 },
    ],
    bad: [
      { type: 'export', format: 'csv' },
      { type: 'pickModel' },
      { type: 'openClip', path: 'x'.repeat(MAX_PATH_LENGTH + 1) },
      { type: 'reviewClips', paths: [] },
      { type: 'reviewClips', paths: '/data/no/b.wav' },
      { type: 'reviewClips', paths: ['/data/no/b.wav', 7] },
      { type: 'reviewClips', paths: ['/data/no/b.wav', ''] },
      { type: 'reviewClips', paths: new Array(MAX_QUEUE_PATHS + 1).fill('/a.wav') },
      { type: 'mapPainted', points: 1.5, checksum: 0 },
      { type: 'mapPainted', points: -1, checksum: 0 },
      { type: 'mapPainted', points: 2, checksum: NaN },
    ],
  },
];

for (const page of pages) {
  test(`${page.name}: the validator refuses every malformed message and keeps only known fields`, () => {
    for (const raw of [...junk, ...page.bad]) assert.equal(page.parse(raw), undefined, JSON.stringify(raw));
    for (const raw of page.good) {
      const withExtra = { ...(raw as object), extra: 'x', __proto__: { polluted: true } };
      assert.deepEqual(page.parse(withExtra), raw);
    }
  });

  test(`${page.name}: its host hands the page only what the validator accepts, and records only that`, () => {
    const { panel, send, posted, close } = fakePanel();
    const recorder = new TestRecorder();
    recorder.enable();
    const received: { type: string }[] = [];
    const host = new WebviewHost(
      panel,
      { name: page.name, key: 'k', parse: page.parse, receive: (m) => void received.push(m) },
      recorder,
    );
    for (const raw of [...junk, ...page.bad]) send(raw);
    assert.equal(received.length, 0);
    assert.deepEqual(recorder.messages(), []);
    for (const raw of page.good) send(raw);
    assert.deepEqual(
      received.map((m) => m.type),
      page.good.map((m) => (m as { type: string }).type),
    );
    host.post({ type: 'init' });
    assert.equal(posted.length, 1);
    assert.equal(recorder.find({ panel: page.name, dir: 'out', type: 'init' })?.uri, 'k');
    // The panel closes: the host is disposed, and neither posts nor receives any more.
    close();
    assert.equal(host.live, false);
    host.post({ type: 'init' });
    send(page.good[0]);
    assert.equal(posted.length, 1);
    assert.equal(received.length, page.good.length);
  });
}

test('a failing handler reaches onError (sync and async), not the caller', async () => {
  const { panel, send } = fakePanel();
  const errors: string[] = [];
  new WebviewHost(
    panel,
    {
      name: 'report',
      key: 'k',
      parse: parseReportToHost,
      receive: async (m) => {
        if (m.type === 'ready') throw new Error('async boom');
      },
      onError: (e) => errors.push(e.message),
    },
    new TestRecorder(),
  );
  send({ type: 'ready' });
  await new Promise((r) => setImmediate(r));
  assert.deepEqual(errors, ['async boom']);
});

class Owner extends Disposable {
  own(name: string, log: string[]) {
    return this._register({ dispose: () => log.push(name) });
  }
}

test('Disposable: releases what it registered once, newest first; late registrations at once', () => {
  const log: string[] = [];
  const o = new Owner();
  o.own('a', log);
  o.own('b', log);
  o.onDispose(() => log.push('closed'));
  o.dispose();
  o.dispose();
  assert.deepEqual(log, ['closed', 'b', 'a']);
  o.own('late', log);
  assert.deepEqual(log, ['closed', 'b', 'a', 'late']);
});
