// The native backend of Keras-config models (src/model/graph/: the graph lowered to ONNX, run by
// the pool's onnxruntime child) against TF.js WASM on the same clips, both through the pool as
// classify runs them; and, for the fixtures made by test/fixtures/lowered/make_lowered.py, both
// against Keras's own probabilities.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { WorkerPool } from '../../../src/engine/pool';

const ROOT = join(__dirname, '..', '..', '..');
const FIX = join(ROOT, 'test', 'fixtures');
const KERAS_WAV = join(FIX, 'keras', 'wav');

/** Every .wav under `dir` (the sample folders are folder-per-label), sorted. */
function wavs(dir: string): string[] {
  return readdirSync(dir)
    .flatMap((n) => {
      const p = join(dir, n);
      return statSync(p).isDirectory() ? wavs(p) : n.endsWith('.wav') ? [p] : [];
    })
    .sort();
}

const lowered = JSON.parse(readFileSync(join(FIX, 'lowered', 'reference.json'), 'utf8')) as {
  clips: string[];
  models: Record<string, number[][]>;
};

const CASES: { name: string; dir: string; clips: string[]; keras?: number[][] }[] = [
  {
    name: 'bundled speech-commands',
    dir: join(ROOT, 'models', 'speech-commands'),
    clips: wavs(join(ROOT, 'samples', 'speech-commands')),
  },
  {
    name: 'bundled digits',
    dir: join(ROOT, 'models', 'digits'),
    clips: wavs(join(ROOT, 'samples', 'digits')),
  },
  {
    name: 'TF.js layers fixture (hostile-models valid)',
    dir: join(FIX, 'hostile-models', 'tfjs', 'valid'),
    clips: wavs(join(ROOT, 'samples', 'speech-commands')).slice(0, 12),
  },
  ...['ops', 'seed'].map((m) => ({
    name: `lowered/${m} (.keras)`,
    dir: join(FIX, 'lowered', m),
    clips: lowered.clips.map((c) => join(KERAS_WAV, c)),
    keras: lowered.models[m],
  })),
];

async function probabilities(dir: string, clips: string[], backend: 'wasm' | 'native') {
  const pool = new WorkerPool({ size: 1, env: { ...process.env, WAVEBENCH_BACKEND: backend } });
  try {
    const info = await pool.model({ dir });
    const rows = await pool.classify(clips, { model: { dir } });
    return { info, rows: rows.map((r) => (assert.equal(r.error, undefined, r.error), r.probabilities!)) };
  } finally {
    await pool.dispose();
  }
}

function worst(a: number[][], b: number[][]): number {
  assert.equal(a.length, b.length);
  let w = 0;
  a.forEach((row, i) => {
    assert.equal(row.length, b[i].length);
    row.forEach((p, k) => (w = Math.max(w, Math.abs(p - b[i][k]))));
  });
  return w;
}

for (const c of CASES) {
  test(`${c.name}: the native backend's probabilities equal TF.js WASM's within 1e-5`, async () => {
    assert.ok(c.clips.length >= 6, 'clips found');
    const wasm = await probabilities(c.dir, c.clips, 'wasm');
    const native = await probabilities(c.dir, c.clips, 'native');
    assert.equal(wasm.info.backend, 'wasm');
    assert.match(native.info.backend, /^onnxruntime \(native, \d+ threads?\)$/);
    assert.equal(native.info.warning, undefined);
    assert.match(native.info.description!.backend!, /^lowered to ONNX/);
    const d = worst(wasm.rows, native.rows);
    assert.ok(d <= 1e-5, `largest difference ${d}`);
    // Not flat: a model giving every label the same probability would agree trivially.
    assert.ok(Math.max(...native.rows.flat()) > 0.3);
    if (c.keras) {
      assert.ok(worst(native.rows, c.keras) <= 1e-4, `native vs Keras ${worst(native.rows, c.keras)}`);
      assert.ok(worst(wasm.rows, c.keras) <= 1e-4, `TF.js vs Keras ${worst(wasm.rows, c.keras)}`);
    }
  });
}

test('a Keras model with a layer the graph has no op for stays on TF.js, and describe says which', async () => {
  const dir = join(FIX, 'keras', 'tutorial');
  const pool = new WorkerPool({ size: 1, env: { ...process.env, WAVEBENCH_BACKEND: 'native' } });
  try {
    const info = await pool.model({ dir });
    assert.equal(info.backend, 'wasm');
    assert.match(
      info.description!.backend!,
      /^runs on TF\.js: layer '[^']+': layer class Resizing has no graph op$/,
    );
    // Forced native: one warning line saying why it did not run natively.
    assert.match(info.warning!, /^native backend not used: runs on TF\.js: layer .*Resizing/);
  } finally {
    await pool.dispose();
  }
});
