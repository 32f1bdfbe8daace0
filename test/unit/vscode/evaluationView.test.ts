// The evaluation page's view of `wavebench evaluate` JSON (test/webview/sample-evaluation*.json, made by the
// CLI on test/fixtures/streaming): curves, relative paths, events.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { EvaluateReport } from '../../../src/engine/evaluateJob';
import { evaluationView } from '../../../src/vscode/evaluationView';

const sample = (name: string) =>
  JSON.parse(readFileSync(join(__dirname, '..', '..', 'webview', name), 'utf8')) as EvaluateReport;
const ROOT = '/home/dev/wavebench/test/fixtures/streaming';

test('the overall curve first, then each keyword that has words, with its operating points', () => {
  const r = sample('sample-evaluation.json');
  const v = evaluationView(r, ROOT, 't');
  assert.deepEqual(
    v.curves.map((c) => [c.label, c.words]),
    [['all keywords', r.words], ...r.keywords.filter((k) => k.words > 0).map((k) => [k.label, k.words])],
  );
  assert.ok(
    r.keywords.some((k) => k.words === 0),
    'the sample has keywords without words',
  );
  assert.deepEqual(v.curves[0].points, r.points);
  assert.deepEqual(v.curves[0].operatingPoints, r.operatingPoints);
  assert.deepEqual(
    v.skipped.map((s) => s.path.slice(ROOT.length + 1)),
    ['rec_b.wav', 'short.wav'],
  );
});

test('false accepts and misses keep their recording, relative to the root, and their times', () => {
  const r = sample('sample-evaluation-thresholds.json');
  const v = evaluationView(r, ROOT, 't');
  assert.deepEqual(v.curves[0].operatingPoints, []);
  assert.equal(v.events.length, r.events.length);
  const e = r.events[0];
  assert.deepEqual(
    v.events[0].falseAccepts.map((f) => [f.rel, f.path, f.timeSec, f.score]),
    e.falseAccepts.map((f) => [f.file.slice(ROOT.length + 1), f.file, f.timeSec, f.score]),
  );
  assert.deepEqual(
    v.events[0].misses.map((m) => [m.rel, m.timeSec, m.endSec]),
    e.misses.map((m) => [m.file.slice(ROOT.length + 1), m.startSec, m.endSec]),
  );
  assert.ok(v.events[0].misses.length > 0 && v.events[0].falseAccepts.length > 0);
});
