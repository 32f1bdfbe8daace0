// `wavebench classify` (the CLI, its worker pool, the bundled model) against TensorFlow's own
// predictions on the same clips: test/fixtures/tfcompat/expected.json, made by make_expected.py with
// TF's decode_wav + AudioSpectrogram + Mfcc + Keras. The clips are laid out as a dataset (one folder
// per spoken digit, from the file names) so the scoring is checked against TF's answers too.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../runCli';

const FIX = join(__dirname, '../../fixtures/tfcompat');
const expected: {
  labels: string[];
  results: { file: string; probabilities: number[]; top1: { label: string; probability: number } }[];
} = JSON.parse(readFileSync(join(FIX, 'expected.json'), 'utf8'));
const DIGITS = ['zero', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine'];

test('classify: every clip predicted as TensorFlow predicts it, probabilities within 1e-5, scored against the truth', async () => {
  assert.equal(expected.results.length, 12);
  const dir = mkdtempSync(join(tmpdir(), 'wb-classify-tf-'));
  try {
    const ds = join(dir, 'ds');
    const truth = new Map<string, string>();
    for (const e of expected.results) {
      const label = DIGITS[Number(e.file[0])];
      mkdirSync(join(ds, label), { recursive: true });
      copyFileSync(join(FIX, e.file), join(ds, label, e.file));
      truth.set(e.file, label);
    }
    const csv = join(dir, 'out.csv');
    const r = await runCli([
      'classify',
      ds,
      '--model',
      'digits',
      '--workers',
      '1',
      '--top-k',
      '12',
      '--json',
      '-',
      '--csv',
      csv,
    ]);
    assert.equal(r.code, 0, r.err);
    const report = JSON.parse(r.out);
    const rows = new Map<
      string,
      {
        predicted: string;
        probability: number;
        label: string;
        top_k: { label: string; probability: number }[];
      }
    >(report.rows.map((r: { path: string }) => [r.path.split('/').pop(), r]));
    assert.equal(rows.size, expected.results.length);
    let tfCorrect = 0;
    for (const e of expected.results) {
      const r = rows.get(e.file)!;
      assert.equal(r.label, truth.get(e.file));
      assert.equal(r.predicted, e.top1.label, `${e.file}: predicted`);
      assert.ok(
        Math.abs(r.probability - e.top1.probability) <= 1e-5,
        `${e.file}: ${r.probability} vs TF ${e.top1.probability}`,
      );
      // All 12 probabilities, by label.
      for (const t of r.top_k) {
        const tf = e.probabilities[expected.labels.indexOf(t.label)];
        assert.ok(
          Math.abs(t.probability - tf) <= 1e-5,
          `${e.file}: p(${t.label}) ${t.probability} vs TF ${tf}`,
        );
      }
      if (e.top1.label === truth.get(e.file)) tfCorrect++;
    }
    assert.equal(report.metrics.scored, 12);
    assert.equal(report.metrics.correct, tfCorrect, 'correct count as TensorFlow would score it');
    // The CSV export carries the same predictions.
    const lines = readFileSync(csv, 'utf8').trimEnd().split('\n').slice(1);
    assert.equal(lines.length, 12);
    for (const line of lines) {
      const [path, label, predicted] = line.split(',');
      const e = expected.results.find((x) => path.endsWith('/' + x.file))!;
      assert.deepEqual([label, predicted], [truth.get(e.file), e.top1.label], path);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
