// `wavebench compare`: two classify runs paired clip by clip; the flips are checked against the two
// models' own classify exports, the p-value against the binomial by hand (McNemar vs scipy: truth.test.ts).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ModelComparison } from '../../../src/model/compare';
import { runCli } from '../runCli';

interface Row {
  path: string;
  label: string | null;
  correct: boolean | null;
}

async function rows(model: string): Promise<Row[]> {
  const r = await runCli(['classify', 'samples/speech-commands', '--model', model, '--json', '-']);
  assert.equal(r.code, 0, r.err);
  return JSON.parse(r.out).rows;
}

/** `wavebench compare FOLDER --model A --model B --json -`, checked to have run. */
async function compare(
  folder: string,
  a: string,
  b: string,
): Promise<{ err: string; json: ModelComparison }> {
  const r = await runCli(['compare', folder, '--model', a, '--model', b, '--json', '-']);
  assert.equal(r.code, 0, r.err);
  return { err: r.err, json: JSON.parse(r.out) };
}

test('compare: flips are the clips one model gets right and the other wrong; McNemar p and verdict', async () => {
  const { err, json: c } = await compare('samples/speech-commands', 'speech-commands', 'digits');
  const [a, b] = [await rows('speech-commands'), await rows('digits')];
  const byPath = new Map(b.map((x) => [x.path, x]));
  const pairs = a.flatMap((x) => {
    const y = byPath.get(x.path)!;
    return x.correct !== null && y.correct !== null && x.label === y.label ? [[x, y]] : [];
  });
  assert.equal(c.paired, pairs.length);
  assert.deepEqual(
    c.flips.onlyA,
    pairs.filter(([x, y]) => x.correct && !y.correct).map(([x]) => x.path),
  );
  assert.deepEqual(
    c.flips.onlyB,
    pairs.filter(([x, y]) => !x.correct && y.correct).map(([x]) => x.path),
  );
  assert.deepEqual(
    c.models.map((m: { name: string }) => m.name),
    ['speech-commands', 'digits'],
  );
  // Binomial(n, 1/2), two-sided: 2 * P(X <= min) capped at 1.
  const [na, nb] = [c.flips.onlyA.length, c.flips.onlyB.length];
  const n = na + nb;
  let tail = 0;
  for (let i = 0, p = 1 / 2 ** n; i <= Math.min(na, nb); p = (p * (n - i)) / (i + 1), i++) tail += p;
  assert.ok(Math.abs(c.mcnemarP - Math.min(1, n ? 2 * tail : 1)) < 1e-12);
  assert.match(err, /McNemar's exact test \(\d+ against \d+ of \d+ paired clips\)/);
  assert.ok(c.models[0].perClass.some((x: { label: string; f1: number }) => x.label === 'yes'));
});

test('compare: one model against itself has no flips; --model once is a usage error', async () => {
  const { json: c } = await compare('samples/speech-commands/yes', 'speech-commands', 'speech-commands');
  assert.deepEqual(c.flips, { onlyA: [], onlyB: [] });
  assert.equal(c.mcnemarP, 1);
  assert.equal(c.paired, 3);
  const bad = await runCli(['compare', 'samples/speech-commands', '--model', 'digits']);
  assert.equal(bad.code, 2);
  assert.equal(bad.err, 'wavebench: compare: give --model twice (A and B), not 1 times');
});
