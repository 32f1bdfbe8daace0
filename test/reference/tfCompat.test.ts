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

test('the TensorFlow references cover their 12 files each', () => {
  assert.equal(entriesOf('expected.json').length, 12);
  assert.equal(entriesOf('expected_speech-commands.json').length, 12);
});

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
  // Achieved with the float32 MFCC kernel production uses: 1.25e-6 at worst (speech-commands;
  // digits 3.0e-7; the float64 kernel gave 3.6e-7 everywhere). 1e-5 leaves a margin for float32
  // arithmetic and still fails on a dropped or shifted MFCC frame (3e-4).
  test(`${name}: every probability within 1e-5 of TensorFlow on ${entries.length} files`, async () => {
    const c = await Classifier.create(dir);
    const rows = await c.classifyFiles(entries.map((e) => join(DIR, e.file)));
    let worst = 0;
    rows.forEach((r, i) => {
      const e = entries[i];
      assert.equal(r.error, undefined, `${e.file}: ${r.error}`);
      assert.equal(r.top![0].label, e.top1.label, `${e.file}: top-1 label`);
      for (let k = 0; k < e.probabilities.length; k++) {
        const d = Math.abs(r.probabilities![k] - e.probabilities[k]);
        worst = Math.max(worst, d);
        assert.ok(d <= 1e-5, `${e.file}: p[${k}] ${r.probabilities![k]} vs ${e.probabilities[k]}`);
      }
    });
    console.log(`# ${name}: worst probability difference ${worst.toExponential(2)}`);
    c.dispose();
  });
}
