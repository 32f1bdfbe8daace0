// Ground-truth parsers (each bad line one problem naming file and line, the rest still read),
// Wilson's interval and McNemar's exact test against scipy (test/fixtures/streaming/make_reference.py).
import assert from 'node:assert/strict';
import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { mcnemarExact, mcnemarWords } from '../../../src/model/mcnemar';
import { wilson } from '../../../src/model/streaming/summary';
import { checkWords, csvFields, parseTruth } from '../../../src/model/streaming/truth';
import { runCli } from '../runCli';
import { tempDir } from '../tempDir';

const ref = JSON.parse(readFileSync('test/fixtures/streaming/reference.json', 'utf8'));

test('Audacity label track: points, spectral lines, bad lines named by line', () => {
  const text = [
    '0.5\t1.25\tyes',
    '\\\t100.0\t4000.0',
    '2\t2\tno',
    '',
    '3.0\t2.5\tup',
    'x\t4\tgo',
    '5\t6',
    '7\t8\t ',
    '9.0004\t9.5\tleft',
  ].join('\n');
  const t = parseTruth('a.txt', text);
  assert.equal(t.format, 'audacity');
  assert.deepEqual(
    t.words.map((w) => [w.label, w.startMs, w.endMs, w.line]),
    [
      ['yes', 500, 1250, 1],
      ['no', 2000, 2000, 3],
      ['left', 9000, 9500, 9],
    ],
  );
  assert.deepEqual(
    t.problems.map((p) => `${p.path}:${p.line}: ${p.reason}`),
    [
      'a.txt:5: ends (2.5 s) before it starts (3.0 s)',
      "a.txt:6: times 'x', '4' are not seconds >= 0",
      'a.txt:7: expected start<TAB>end<TAB>label',
      'a.txt:8: no label',
    ],
  );
});

test('CSV file,start,end,label with header and quotes; TensorFlow label,onset_ms', () => {
  const c = parseTruth(
    't.csv',
    'file,start,end,label\n"a, b.wav",1.5,2,yes\nc.wav,1,2\nc.wav,-1,2,no\n"d.wav,1,2,no\n,1,2,no\n',
  );
  assert.equal(c.format, 'csv');
  assert.deepEqual(
    c.words.map((w) => [w.file, w.label, w.startMs, w.endMs]),
    [['a, b.wav', 'yes', 1500, 2000]],
  );
  assert.deepEqual(
    c.problems.map((p) => `${p.line}: ${p.reason}`),
    [
      '3: expected file,start,end,label (3 fields)',
      "4: times '-1', '2' are not seconds >= 0",
      '5: unbalanced quotes',
      '6: no file',
    ],
  );
  const tf = parseTruth('g.txt', 'yes,1500\nno,abc\nup,2000,3\n');
  assert.equal(tf.format, 'tensorflow');
  assert.deepEqual(
    tf.words.map((w) => [w.label, w.startMs, w.endMs]),
    [['yes', 1500, 1500]],
  );
  assert.deepEqual(
    tf.problems.map((p) => p.line),
    [2, 3],
  );
  assert.deepEqual(csvFields('a,"b ""c""",'), ['a', 'b "c"', '']);
});

test('checkWords skips labels the model lacks, words past the end, and same-label overlaps', () => {
  const words = parseTruth('w.txt', '0\t1\tyes\n0.5\t1.5\tyes\n0.5\t1.5\tno\n2\t3\tcat\n9\t11\tup\n').words;
  const c = checkWords('w.txt', words, ['yes', 'no', 'up'], 10000);
  assert.deepEqual(
    c.words.map((w) => w.line),
    [1, 3],
  );
  assert.deepEqual(
    c.problems.map((p) => `${p.line}: ${p.reason}`),
    [
      "2: overlaps the 'yes' on line 1: skipped",
      "4: label 'cat' is not one of the model's keywords (yes, no, up): skipped",
      "5: 11.000 s is past the recording's end (10.000 s): skipped",
    ],
  );
});

test('evaluate CLI: a label file with bad lines is reported line by line and the rest is scored', async () => {
  const dir = tempDir('wavebench-truth-');
  const wav = join(dir, 'rec.wav');
  copyFileSync('test/fixtures/streaming/rec_c.wav', wav);
  writeFileSync(join(dir, 'rec.txt'), '0.78\t1.7\tleft\nbogus line\n2.526\t3.4\tmarvin\n40\t41\tno\n');
  copyFileSync('test/fixtures/streaming/short.wav', join(dir, 'nolabels.wav'));
  const r = await runCli(['evaluate', dir, '--json', join(dir, 'out.json')]);
  assert.equal(r.code, 0, r.err);
  const lines = r.out.split('\n').map((l) => l.trim());
  const file = join(dir, 'rec.txt');
  assert.ok(lines.includes(`${file}: line 2: expected start<TAB>end<TAB>label`), r.out);
  assert.ok(
    lines.some((l) => l.startsWith(`${file}: line 3: label 'marvin' is not one of the model's keywords`)),
  );
  assert.ok(lines.includes(`${file}: line 4: 41.000 s is past the recording's end (15.000 s): skipped`));
  assert.ok(
    lines.includes(`${join(dir, 'nolabels.wav')}: no ground truth (nolabels.txt beside it, or --truth)`),
  );
  const j = JSON.parse(readFileSync(join(dir, 'out.json'), 'utf8'));
  assert.equal(j.words, 1);
  assert.equal(j.truthProblems.length, 3);
  const bad = await runCli(['evaluate', wav, '--thresholds', '0.5,x']);
  assert.equal(bad.code, 2);
  assert.match(bad.err, /^wavebench: --thresholds must be numbers/);
  const none = await runCli(['evaluate', join(dir, 'nolabels.wav')]);
  assert.equal(none.code, 2);
  assert.match(none.err, /no recording scored/);
});

test("Wilson's interval equals scipy's binomtest(...).proportion_ci('wilson')", () => {
  for (const w of ref.wilson) {
    const [lo, hi] = wilson(w.p, w.n);
    assert.ok(Math.abs(lo - w.low) < 1e-12 && Math.abs(hi - w.high) < 1e-12, JSON.stringify(w));
  }
});

test("McNemar's exact test equals scipy.stats.binomtest(onlyA, onlyA + onlyB, 0.5).pvalue", () => {
  for (const m of ref.mcnemar) {
    const p = mcnemarExact(m.onlyA, m.onlyB);
    assert.ok(Math.abs(p - m.p) <= 1e-9 * m.p + 1e-300, `${m.onlyA}/${m.onlyB}: ${p} != ${m.p}`);
  }
  // 2 against 9: 2 * (1 + 11 + 55) / 2^11 = 0.0654; none against 30: 2 / 2^30 = 1.86e-9.
  assert.equal(mcnemarWords(2, 9, mcnemarExact(2, 9), ['A', 'B']), 'no evidence of a difference (p = 0.065)');
  assert.equal(
    mcnemarWords(0, 30, mcnemarExact(0, 30), ['A', 'B']),
    'B is better on these clips, p = 1.9e-9',
  );
  assert.equal(
    mcnemarWords(30, 0, mcnemarExact(30, 0), ['A', 'B']),
    'A is better on these clips, p = 1.9e-9',
  );
});
