// The whole pipeline (decode, features, normalisation, model) against TensorFlow's own result on the
// same files with the same trained model: TF's decode_wav(desired_samples=16000), audio_ops, Keras.
// expected.json was made by test/fixtures/tfcompat/make_expected.py. Both model formats are checked.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Classifier } from '../../src/model/classifier';

const DIR = join(__dirname, '../fixtures/tfcompat');
type Entry = { file: string; probabilities: number[]; top1: { label: string; probability: number } };
const entriesOf = (f: string): Entry[] => JSON.parse(readFileSync(join(DIR, f), 'utf8')).results;

const MODELS: [string, string, Entry[]][] = [
  ['layers model (models/digits)', join(__dirname, '../../models/digits'), entriesOf('expected.json')],
  [
    'graph model (test/fixtures/models/digits-graph)',
    join(__dirname, '../fixtures/models/digits-graph'),
    entriesOf('expected.json'),
  ],
  [
    'layers model (models/speech-commands)',
    join(__dirname, '../../models/speech-commands'),
    entriesOf('expected_speech-commands.json'),
  ],
];

for (const [name, dir, entries] of MODELS) {
  test(`${name}: top-1 within 1e-3 of TensorFlow on ${entries.length} files`, async () => {
    const c = await Classifier.create(dir);
    const rows = await c.classifyFiles(entries.map((e) => join(DIR, e.file)));
    let worst = 0;
    rows.forEach((r, i) => {
      const e = entries[i];
      assert.equal(r.error, undefined, `${e.file}: ${r.error}`);
      assert.equal(r.top![0].label, e.top1.label, `${e.file}: top-1 label`);
      worst = Math.max(worst, Math.abs(r.top![0].probability - e.top1.probability));
      for (let k = 0; k < e.probabilities.length; k++) {
        assert.ok(
          Math.abs(r.probabilities![k] - e.probabilities[k]) <= 1e-3,
          `${e.file}: p[${k}] ${r.probabilities![k]} vs ${e.probabilities[k]}`,
        );
      }
    });
    console.log(`# ${name}: worst top-1 difference ${worst.toExponential(2)}`);
    c.dispose();
  });
}
