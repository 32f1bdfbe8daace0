// The Compare page's pure logic, on `wavebench compare`'s JSON for samples/speech-commands (speech-commands
// against digits; test/webview/sample-compare.json, the folder renamed /data/speech-commands).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CompareModel, CompareView } from '../../../src/protocol/compare';
import { f1Rows, favoured, flipList, fmtDiff } from '../../../webview/compare/model';

const sample = JSON.parse(
  readFileSync(join(import.meta.dirname, '..', '..', 'webview', 'sample-compare.json'), 'utf8'),
) as CompareView;

const model = (name: string, perClass: [string, number, number][]): CompareModel => ({
  name,
  dir: `/m/${name}`,
  accuracy: 0.5,
  scored: 10,
  perClass: perClass.map(([label, f1, support]) => ({ label, precision: f1, recall: f1, f1, support })),
});

test('f1Rows: every label of either model, A first, with B − A only where both have one', () => {
  const rows = f1Rows([
    model('a', [
      ['yes', 0.5, 4],
      ['no', 1, 2],
    ]),
    model('b', [
      ['no', 0.75, 2],
      ['up', 0.25, 3],
    ]),
  ]);
  assert.deepEqual(rows, [
    { label: 'yes', a: 0.5, b: null, diff: null, supportA: 4, supportB: null },
    { label: 'no', a: 1, b: 0.75, diff: -0.25, supportA: 2, supportB: 2 },
    { label: 'up', a: null, b: 0.25, diff: null, supportA: null, supportB: 3 },
  ]);
});

test('f1Rows on the sample: the CLI table (12 labels; digits has only _silence_ and _unknown_ of them)', () => {
  const rows = f1Rows(sample.models);
  assert.equal(rows.length, 12);
  const both = rows.filter((r) => r.diff !== null).map((r) => r.label);
  assert.deepEqual(both, ['_silence_', '_unknown_']);
  const silence = rows[0];
  assert.equal(silence.diff, sample.models[1].perClass[0].f1 - sample.models[0].perClass[0].f1);
});

test('fmtDiff: signed with a true minus sign, zero unsigned, missing as a dash', () => {
  assert.equal(fmtDiff(0.125), '+0.125');
  assert.equal(fmtDiff(-0.04), '−0.040');
  assert.equal(fmtDiff(-0.0001), '0.000');
  assert.equal(fmtDiff(null), '–');
  assert.equal(fmtDiff(-11.11, 1), '−11.1');
});

test('favoured: the model with more flips only when p < 0.05', () => {
  const flips = (a: number, b: number) => ({ onlyA: Array(a).fill('x'), onlyB: Array(b).fill('y') });
  assert.equal(favoured({ flips: flips(1, 12), mcnemarP: 0.0034 }), 'B');
  assert.equal(favoured({ flips: flips(12, 1), mcnemarP: 0.0034 }), 'A');
  assert.equal(favoured({ flips: flips(2, 0), mcnemarP: 0.5 }), null);
  assert.equal(favoured({ flips: flips(0, 0), mcnemarP: 1 }), null);
  assert.equal(favoured(sample), null);
});

test('flipList: names relative to the folder, sorted; a clip outside it keeps its path', () => {
  assert.deepEqual(flipList(['/d/b/2.wav', '/e/x.wav', '/d/a/1.wav'], '/d'), [
    { path: '/e/x.wav', rel: '/e/x.wav' },
    { path: '/d/a/1.wav', rel: 'a/1.wav' },
    { path: '/d/b/2.wav', rel: 'b/2.wav' },
  ]);
  assert.deepEqual(
    flipList(sample.flips.onlyA, sample.root).map((f) => f.rel),
    ['_silence_/silence_3659.wav', '_unknown_/nine_6b889021_nohash_0.wav'],
  );
});
