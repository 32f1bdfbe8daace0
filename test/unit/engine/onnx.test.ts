// ONNX models end to end: Wavebench's features in the pool's worker, the graph in the pool's
// onnxruntime-node child process, against onnxruntime-python's probabilities on TensorFlow's
// features (test/fixtures/onnx/make_onnx.py); and the child killed mid-job.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { runClassifyJob } from '../../../src/engine/classifyJob';
import { MAX_NATIVE_CRASHES, NativeHost } from '../../../src/engine/nativeHost';
import { WorkerPool } from '../../../src/engine/pool';
import { tempDir } from '../tempDir';

const FIX = join(__dirname, '..', '..', 'fixtures', 'onnx');
const CLIPS = join(__dirname, '..', '..', 'fixtures', 'tflite', 'clips');

interface Reference {
  clips: string[];
  probabilities: number[][];
}

/** A fixture's reference, counted (an emptied reference.json must fail, not give zero comparisons). */
function reference(model: string): Reference {
  const r = JSON.parse(readFileSync(join(FIX, model, 'reference.json'), 'utf8')) as Reference;
  assert.equal(r.clips.length, 6);
  assert.equal(r.probabilities.length, 6);
  return r;
}

for (const model of ['mfcc_nchw', 'waveform_frontend', 'melspectrogram_nchw']) {
  test(`${model}: onnxruntime-node in the pool's child gives onnxruntime-python's probabilities within 1e-4`, async () => {
    const r = reference(model);
    const pool = new WorkerPool({ size: 1 });
    try {
      const spec = { dir: join(FIX, model) };
      const info = await pool.model(spec);
      assert.match(info.backend, /^onnxruntime \(native, \d+ threads?\)$/);
      assert.equal(info.format, 'onnx');
      const rows = await pool.classify(
        r.clips.map((c) => join(CLIPS, c)),
        { model: spec },
      );
      let worst = 0;
      rows.forEach((row, i) => {
        assert.equal(row.error, undefined, row.error);
        assert.equal(row.probabilities!.length, r.probabilities[i].length);
        row.probabilities!.forEach((p, k) => (worst = Math.max(worst, Math.abs(p - r.probabilities[i][k]))));
      });
      assert.ok(worst < 1e-4, `largest difference ${worst}`);
      // The references are not flat: a model giving every label the same probability would not pass.
      assert.ok(Math.max(...r.probabilities.map((p) => Math.max(...p))) > 0.5);
    } finally {
      await pool.dispose();
    }
  });
}

test('the onnxruntime child killed mid-job: one clear error for that job, then a new job works', async () => {
  const folder = tempDir('wb-onnx-kill-');
  for (const c of readdirSync(CLIPS)) copyFileSync(join(CLIPS, c), join(folder, c));
  const pool = new WorkerPool({ size: 1 });
  try {
    const spec = { dir: join(FIX, 'mfcc_nchw') };
    await pool.model(spec);
    const pid = pool.native.pid!;
    assert.ok(pid > 0);
    // Stopped first, so the job's run is certainly pending in the child when it is killed.
    process.kill(pid, 'SIGSTOP');
    const job = runClassifyJob([folder], { modelDir: spec.dir, pool, batchFiles: 16 });
    while (pool.native.busy === 0) await new Promise((r) => setTimeout(r, 5));
    process.kill(pid, 'SIGKILL');
    const failed = await job;
    assert.equal(failed.rows.length, 6);
    for (const row of failed.rows)
      assert.match(row.error ?? '', /the onnxruntime process was killed \(SIGKILL\) while running the model/);
    const again = await runClassifyJob([folder], { modelDir: spec.dir, pool, batchFiles: 16 });
    assert.equal(again.rows.length, 6);
    for (const row of again.rows) assert.equal(row.error, null);
    assert.notEqual(pool.native.pid, pid);
    assert.match(again.engine!.backend, /^onnxruntime \(native/);
  } finally {
    await pool.dispose();
  }
});

test(`a model whose runs kill the onnxruntime process ${MAX_NATIVE_CRASHES} times in a row is not run again`, async () => {
  const host = new NativeHost({ threads: 1 });
  try {
    const bytes = new Uint8Array(readFileSync(join(FIX, 'mfcc_nchw', 'model.onnx')));
    assert.equal(await host.load('m', bytes), 'onnxruntime (native, 1 thread)');
    const input = new Float32Array(98 * 40);
    const ok = await host.run('m', input, [1, 1, 40, 98]);
    assert.deepEqual(ok.dims, [1, 11]);
    for (let i = 0; i < MAX_NATIVE_CRASHES; i++) {
      // The first time the child is up with the model loaded: stopped, its run is certainly pending.
      // Later the run starts a new child, which loads the model first: killed as soon as a call is out.
      if (host.pid) process.kill(host.pid, 'SIGSTOP');
      const run = host.run('m', input, [1, 1, 40, 98]);
      while (host.busy === 0) await new Promise((r) => setImmediate(r));
      process.kill(host.pid!, 'SIGKILL');
      await assert.rejects(run, /the onnxruntime process was killed \(SIGKILL\) while running the model/);
    }
    await assert.rejects(
      host.run('m', input, [1, 1, 40, 98]),
      /died 3 times in a row on this model: not restarted/,
    );
  } finally {
    host.dispose();
  }
});

test('where onnxruntime-node cannot be loaded, one line says so', async () => {
  // The child's own script where no node_modules holds onnxruntime-node: what the universal VSIX
  // (built without it by scripts/package.mjs) gives.
  const dir = tempDir('wb-no-ort-');
  copyFileSync(join(__dirname, '../../../src/engine/onnxChild.ts'), join(dir, 'onnxChild.ts'));
  const host = new NativeHost({ threads: 1, script: join(dir, 'onnxChild.ts') });
  try {
    const bytes = new Uint8Array(readFileSync(join(FIX, 'mfcc_nchw', 'model.onnx')));
    await assert.rejects(host.load('m', bytes), (e: Error) =>
      /^onnxruntime-node is not available here \(the native backend is not in this package: ONNX models need the Wavebench VSIX for this platform\): ONNX models cannot run$/.test(
        e.message,
      ),
    );
  } finally {
    host.dispose();
  }
});
