// TFLite models (float32 and int8) against tf.lite.Interpreter's own outputs
// (test/fixtures/tflite/make_tflite.py): kernels on the exact inputs TensorFlow was fed, then end to
// end from the WAV clips through Wavebench's features; and the loader's errors.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { cpSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Classifier } from '../../../src/model/classifier';
import { loadModelPackage } from '../../../src/model/modelPackage';
import { loadProblem } from './modelHelpers';
import { parseTflite } from '../../../src/model/formats/tfliteSchema';

const DIR = join(__dirname, '../..', 'fixtures', 'tflite');

interface Reference {
  inputShape: number[];
  inputDtype: string;
  outputDtype: string;
  outputQuantization: [number, number];
  clips: string[];
  clipInputs: number;
  default: number[][];
  reference: number[][];
}

/** A fixture's reference, counted (an emptied reference.json must fail, not give zero comparisons). */
function ref(m: string): Reference {
  const r = JSON.parse(readFileSync(join(DIR, m, 'reference.json'), 'utf8')) as Reference;
  assert.equal(r.clips.length, 6, `${m}: clips`);
  assert.equal(r.clipInputs, 6, `${m}: clip inputs`);
  for (const k of ['default', 'reference'] as const) assert.equal(r[k].length, 8, `${m}: ${k} rows`);
  return r;
}

function inputs(m: string): Float32Array {
  const b = readFileSync(join(DIR, m, 'inputs.f32'));
  return new Float32Array(b.buffer.slice(b.byteOffset, b.byteOffset + b.length));
}

async function predictAll(m: string): Promise<number[][]> {
  const pkg = await loadModelPackage(join(DIR, m));
  const x = inputs(m);
  const n = x.length / (pkg.frames * pkg.bins);
  const y = pkg.predict!(tf.tensor(x, [n, pkg.frames * pkg.bins]));
  const flat = Array.from(await y.data());
  y.dispose();
  pkg.dispose();
  const units = flat.length / n;
  return Array.from({ length: n }, (_, i) => flat.slice(i * units, (i + 1) * units));
}

/** The int8 output's quantisation step: its own scale, or the scale DEQUANTIZE read. */
function outputStep(m: string): number {
  const r = ref(m);
  if (r.outputDtype === 'int8') return r.outputQuantization[0];
  const model = parseTflite(readFileSync(join(DIR, m, 'model.tflite')));
  const deq = model.operators.find((o) => o.name === 'DEQUANTIZE' && o.outputs[0] === model.outputs[0])!;
  return model.tensors[deq.inputs[0]].scale[0];
}

/** Steps between ours and TensorFlow's (outputs in quantised units when int8). */
function steps(m: string, ours: number[][], theirs: number[][]): number[] {
  const r = ref(m);
  const [scale, zp] = r.outputQuantization;
  const step = outputStep(m);
  return ours.flatMap((row, i) =>
    row.map((v, j) => {
      const t = r.outputDtype === 'int8' ? (theirs[i][j] - zp) * scale : theirs[i][j];
      return Math.round(Math.abs(v - t) / step);
    }),
  );
}

for (const m of ['tiny_conv_float', 'mixed_float', 'digits_float', 'strided_float']) {
  // The issue asks for 1e-5; measured: at most 3e-7 (digits), so the bound is 1e-6.
  test(`${m}: float32 within 1e-6 of tf.lite.Interpreter on the inputs it was fed`, async () => {
    const ours = await predictAll(m);
    const theirs = ref(m).default;
    let max = 0;
    ours.forEach((row, i) => row.forEach((v, j) => (max = Math.max(max, Math.abs(v - theirs[i][j])))));
    assert.ok(max <= 1e-6, `max abs error ${max}`);
  });
}

// Off-by-one counts, measured, against both of TensorFlow's runs: BUILTIN_REF (TFLite's reference
// kernels, the arithmetic tfliteInt8.ts follows) and the default resolver (what
// tf.lite.Interpreter(model_path) runs: the XNNPACK delegate, whose int8 kernels round differently).
// mixed_int8's differences from the reference come from MEAN (see the README's TFLite notes).
const INT8: Record<string, { default: number; reference: number }> = {
  tiny_conv_int8: { default: 0, reference: 0 },
  mixed_int8: { default: 5, reference: 4 },
  digits_int8: { default: 5, reference: 0 },
  // Non-square strides and kernels, a depthwise multiplier of 2, VALID pooling, a square FC.
  strided_int8: { default: 3, reference: 2 }, // reference: MEAN again, as in mixed_int8
};
for (const [m, expected] of Object.entries(INT8)) {
  test(`${m}: int8 outputs equal to tf.lite.Interpreter's or one step apart (counted)`, async () => {
    const ours = await predictAll(m);
    for (const kind of ['default', 'reference'] as const) {
      const d = steps(m, ours, ref(m)[kind]);
      assert.ok(Math.max(...d) <= 1, `${kind}: ${Math.max(...d)} steps apart`);
      assert.equal(
        d.filter((v) => v === 1).length,
        expected[kind],
        `${kind}: off-by-one count of ${d.length}`,
      );
    }
  });
}

for (const m of [
  'tiny_conv_float',
  'tiny_conv_int8',
  'mixed_float',
  'mixed_int8',
  'digits_float',
  'digits_int8',
  'strided_float',
  'strided_int8',
]) {
  test(`${m}: end to end from the WAV clips through Wavebench's features`, async () => {
    const r = ref(m);
    const c = await Classifier.create(join(DIR, m));
    const rows = await c.classifyFiles(r.clips.map((f) => join(DIR, 'clips', f)));
    c.dispose();
    const ours = rows.map((row) => row.probabilities!);
    const theirs = r.default.slice(0, r.clipInputs);
    if (m.endsWith('float')) {
      let max = 0;
      ours.forEach((row, i) => row.forEach((v, j) => (max = Math.max(max, Math.abs(v - theirs[i][j])))));
      assert.ok(max <= 1e-6, `max abs error ${max}`);
    } else {
      const d = steps(m, ours, theirs);
      assert.ok(Math.max(...d) <= 1, `${Math.max(...d)} steps apart`);
    }
  });
}

test('a TFLite package says what it is: format, operators run, input layout', async () => {
  const pkg = await loadModelPackage(join(DIR, 'mixed_int8'));
  assert.equal(pkg.format, 'tflite');
  assert.deepEqual(pkg.ops, [
    'QUANTIZE',
    'CONV_2D',
    'DEPTHWISE_CONV_2D',
    'MAX_POOL_2D',
    'AVERAGE_POOL_2D',
    'ADD',
    'MUL',
    'MEAN',
    'FULLY_CONNECTED',
    'SOFTMAX',
    'DEQUANTIZE',
  ]);
  assert.deepEqual([pkg.inputLayout, pkg.frames, pkg.bins], ['image', 49, 40]);
  assert.match(pkg.hash, /^[0-9a-f]{64}$/);
  pkg.dispose();
  // the dynamic-batch shape arithmetic before RESHAPE is not run, so not listed
  const tiny = await loadModelPackage(join(DIR, 'tiny_conv_int8'));
  assert.deepEqual(tiny.ops, ['CONV_2D', 'RESHAPE', 'FULLY_CONNECTED', 'SOFTMAX']);
  tiny.dispose();
});

// --- errors: one clear line naming the folder, the file and the problem --------------------------

function copyModel(m: string): string {
  const d = mkdtempSync(join(tmpdir(), 'wb-tflite-'));
  for (const f of ['model.tflite', 'metadata.json']) cpSync(join(DIR, m, f), join(d, f));
  return d;
}

/** Rewrites the builtin code of every operator code equal to `from` (both code fields). */
function patchOpCode(file: string, from: number, to: number): void {
  const b = readFileSync(file);
  const dv = new DataView(b.buffer, b.byteOffset, b.length);
  const table = (pos: number) => ({ pos, vt: pos - dv.getInt32(pos, true) });
  const field = (t: { pos: number; vt: number }, slot: number) => {
    const o = 4 + 2 * slot;
    return o < dv.getUint16(t.vt, true) ? dv.getUint16(t.vt + o, true) : 0;
  };
  const root = table(dv.getUint32(0, true));
  const vecAt = root.pos + field(root, 1);
  const vec = vecAt + dv.getUint32(vecAt, true);
  let patched = 0;
  for (let i = 0; i < dv.getUint32(vec, true); i++) {
    const p = vec + 4 + 4 * i;
    const code = table(p + dv.getUint32(p, true));
    const dep = field(code, 0);
    const full = field(code, 3);
    if (dep && dv.getInt8(code.pos + dep) === from) {
      dv.setInt8(code.pos + dep, to);
      if (full) dv.setInt32(code.pos + full, to, true);
      patched++;
    }
  }
  assert.ok(patched > 0, 'the operator code was found');
  writeFileSync(file, b);
}

test('errors: truncated file, wrong identifier, unsupported operator, labels vs outputs', async () => {
  const truncated = copyModel('tiny_conv_int8');
  const bytes = readFileSync(join(truncated, 'model.tflite'));
  writeFileSync(join(truncated, 'model.tflite'), bytes.subarray(0, bytes.length >> 1));
  assert.match(
    await loadProblem(truncated),
    /^model\.tflite: the flatbuffer is truncated or corrupt \(a field at byte \d+ reaches past its \d+ bytes\)$/,
  );

  const magic = copyModel('tiny_conv_int8');
  const m = readFileSync(join(magic, 'model.tflite'));
  m.write('ABCD', 4, 'latin1');
  writeFileSync(join(magic, 'model.tflite'), m);
  assert.equal(
    await loadProblem(magic),
    'model.tflite: not a TFLite model: the flatbuffer identifier is "ABCD", expected "TFL3"',
  );

  for (const [name, index] of [
    ['tiny_conv_int8', 6],
    ['tiny_conv_float', 6],
  ] as const) {
    const d = copyModel(name);
    patchOpCode(join(d, 'model.tflite'), 25 /* SOFTMAX */, 16 /* LSTM */);
    const p = await loadProblem(d);
    assert.match(
      p,
      new RegExp(`^model\\.tflite: operator ${index} \\(LSTM\\): this operator is not supported`),
    );
  }

  const labels = copyModel('digits_float');
  const meta = JSON.parse(readFileSync(join(labels, 'metadata.json'), 'utf8'));
  writeFileSync(join(labels, 'metadata.json'), JSON.stringify({ ...meta, labels: ['a', 'b', 'c'] }));
  assert.equal(await loadProblem(labels), 'model.tflite: the model outputs 12 values but there are 3 labels');

  for (const d of [truncated, magic, labels]) rmSync(d, { recursive: true });
});

test('errors: several model files, and a model file leading outside the folder', async () => {
  const two = copyModel('tiny_conv_int8');
  cpSync(join(two, 'model.tflite'), join(two, 'other.tflite'));
  assert.equal(
    await loadProblem(two),
    '2 .tflite files (model.tflite, other.tflite): keep one model per folder',
  );
  const both = copyModel('tiny_conv_int8');
  writeFileSync(join(both, 'model.json'), '{}');
  assert.equal(await loadProblem(both), 'both model.json and model.tflite: keep one model per folder');
  const outside = copyModel('tiny_conv_int8');
  const elsewhere = mkdtempSync(join(tmpdir(), 'wb-elsewhere-'));
  cpSync(join(outside, 'model.tflite'), join(elsewhere, 'model.tflite'));
  rmSync(join(outside, 'model.tflite'));
  symlinkSync(join(elsewhere, 'model.tflite'), join(outside, 'model.tflite'));
  assert.equal(
    await loadProblem(outside),
    'model file model.tflite is a link to a file outside the model folder',
  );
  for (const d of [two, both, outside, elsewhere]) rmSync(d, { recursive: true });
});
