// Hostile ONNX files (test/fixtures/onnx/hostile, made by make_onnx.py from mfcc_nchw): each refused
// by `wavebench classify` in exactly one `wavebench: model DIR: ...` line naming the problem, exit 2,
// nothing else on stderr, before onnxruntime runs anything.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';

const ROOT = join(__dirname, '../../..');
const HOSTILE = join(ROOT, 'test/fixtures/onnx/hostile');
const CLIP = join(ROOT, 'test/fixtures/tflite/clips/five__5_lucas_1.wav');

const CASES: Record<string, RegExp> = {
  truncated: /model\.onnx: not a valid ONNX model \(/,
  huge_initializer: /initializer "huge" has shape \[100000, 100000\]: 10000000000 values \(limit 67108864\)/,
  external_data: /keeps its data in an external file "\.\.\/x": refused/,
  wrong_output: /the model outputs 11 values but there are 5 labels/,
  nan_weights: /holds NaN at index 3 \(weights must be finite\)/,
};

test('the hostile ONNX set is complete', () => {
  assert.deepEqual(readdirSync(HOSTILE).sort(), Object.keys(CASES).sort());
});

for (const [name, problem] of Object.entries(CASES)) {
  test(`hostile ONNX ${name}: one line naming the model and the problem`, () => {
    const dir = join(HOSTILE, name);
    const r = spawnSync(
      process.execPath,
      ['--import', 'tsx', join(ROOT, 'src/cli/main.ts'), 'classify', CLIP, '--model', dir],
      { encoding: 'utf8', cwd: ROOT },
    );
    const lines = r.stderr.split('\n').filter(Boolean);
    assert.equal(r.status, 2, r.stderr);
    assert.equal(lines.length, 1, r.stderr);
    assert.ok(lines[0].startsWith(`wavebench: model ${dir}: `), lines[0]);
    assert.match(lines[0], problem);
  });
}
