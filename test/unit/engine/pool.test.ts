// The worker pool and the classify job: real worker_threads, a real (tiny) model, real WAV files.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { appendFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { getEventListeners } from 'node:events';
import { WaveFile } from 'wavefile';
import { runClassifyJob } from '../../../src/engine/classifyJob';
import { runIndexJob } from '../../../src/engine/indexJob';
import { runBatches } from '../../../src/engine/batches';
import { MAX_CONSECUTIVE_CRASHES, WorkerPool, type TaskOptions } from '../../../src/engine/pool';
import { IndexCache } from '../../../src/dataset/indexFile';
import { makeModelDir } from '../model/modelHelpers';
import { tempDir } from '../tempDir';

/** A dataset: yes/ and no/ clips, a folder the model does not know, one broken file, background noise. */
function makeDataset(perLabel: number): string {
  const root = tempDir('wb-ds-');
  const write = (dir: string, name: string, seconds: number, f: number) => {
    mkdirSync(join(root, dir), { recursive: true });
    const w = new WaveFile();
    const n = Math.round(16000 * seconds);
    w.fromScratch(
      1,
      16000,
      '16',
      Array.from({ length: n }, (_, i) => Math.round(8000 * Math.sin((2 * Math.PI * f * i) / 16000))),
    );
    writeFileSync(join(root, dir, name), w.toBuffer());
  };
  for (let i = 0; i < perLabel; i++) {
    write('yes', `y${i}.wav`, 1, 300 + 10 * i);
    write('no', `n${i}.wav`, 0.7, 900 + 10 * i);
  }
  write('bed', 'b.wav', 1, 500);
  write('_background_noise_', 'noise.wav', 3, 50);
  writeFileSync(join(root, 'no', 'broken.wav'), Buffer.from('RIFF\x10\x00\x00\x00WAVEfmt '));
  return root;
}

test('classifies a folder on 2 workers: rows, labels, errors, background, metrics', async () => {
  const model = await makeModelDir();
  const ds = makeDataset(6);
  const seen: number[] = [];
  const r = await runClassifyJob([ds], {
    modelDir: model,
    workers: 2,
    batchFiles: 4,
    onProgress: (p) => seen.push(p.done),
  });
  assert.equal(r.cancelled, false);
  assert.equal(r.rows.length, 14);
  assert.equal(r.counts.background, 1);
  assert.deepEqual(
    r.background.map((p) => p.endsWith('noise.wav')),
    [true],
  );
  const broken = r.rows.find((x) => x.path.endsWith('broken.wav'))!;
  assert.match(broken.error!, /fmt chunk truncated|no data chunk|corrupt/);
  assert.equal(r.rows.find((x) => x.path.endsWith('b.wav'))!.label, '_unknown_');
  assert.equal(r.counts.scored, 13);
  for (const row of r.rows.filter((x) => !x.error)) {
    assert.ok(row.probability! > 0 && row.probability! <= 1);
    assert.equal(row.topK.length, 3);
  }
  assert.equal(seen[seen.length - 1], 14);
});

const here = __dirname;
const countingWorker = join(here, 'workers', 'counting.ts');

/** The counting worker's "model" (it loads nothing). */
const M = { dir: '/models/count' };

/** A one-worker pool on the counting worker, the files its worker was sent so far, and its starts. */
function countingPool(): { pool: WorkerPool; ran: () => string[]; starts: () => number } {
  const dir = tempDir('wb-pool-');
  const log = join(dir, 'tasks.log');
  const startLog = join(dir, 'starts.log');
  writeFileSync(log, '');
  writeFileSync(startLog, '');
  const pool = new WorkerPool({
    size: 1,
    workerScript: countingWorker,
    env: { ...process.env, WB_TASK_LOG: log, WB_START_LOG: startLog },
  });
  const lines = (f: string) => readFileSync(f, 'utf8').split('\n').filter(Boolean);
  return { pool, ran: () => lines(log), starts: () => lines(startLog).length };
}

test('a worker crash is survived: its files are error rows, the rest are classified', async () => {
  const model = await makeModelDir();
  const ds = makeDataset(8);
  const r = await runClassifyJob([ds], {
    modelDir: model,
    workers: 2,
    batchFiles: 2,
    workerScript: join(here, 'workers', 'crashOn.ts'),
    // TF.js WASM: crashOn exits when the task's message arrives, which stands for a crash inside the
    // task only while the worker's inference is synchronous (on the native backend the worker awaits
    // the onnxruntime process mid-task, so the exit would land inside the task before it).
    env: { ...process.env, WB_CRASH_ON: 'y3.wav', WAVEBENCH_BACKEND: 'wasm' },
  });
  const crashed = r.rows.filter((x) => x.error?.startsWith('worker exited with code 70'));
  assert.ok(
    crashed.some((x) => x.path.endsWith('y3.wav')),
    'the crashing file is reported',
  );
  assert.ok(crashed.length <= 2, 'only the crashed batch is lost');
  assert.equal(r.rows.length, 18);
  assert.ok(r.rows.filter((x) => !x.error).length >= 15, 'the replacement worker classified the rest');
});

test('cancelling a folder run leaves a queued one-file prediction untouched (and it goes first)', async () => {
  const model = await makeModelDir();
  const ds = makeDataset(20);
  const one = join(ds, 'yes', 'y7.wav');
  const pool = new WorkerPool({ size: 1 });
  try {
    await pool.model({ dir: model });
    const [alone] = await pool.classify([one], { model: { dir: model } });
    assert.ok(alone.probabilities, 'the reference prediction');
    const controller = new AbortController();
    let prediction: Promise<unknown> | undefined;
    const r = await runClassifyJob([ds], {
      modelDir: model,
      pool,
      batchFiles: 2,
      signal: controller.signal,
      progressIntervalMs: 0,
      onProgress: (p) => {
        if (p.done < 2 || prediction) return;
        // The folder run still has most of its batches queued: the editor asks for one file, then the run is cancelled.
        prediction = pool.classify([one], { model: { dir: model }, priority: 'interactive' });
        controller.abort();
      },
    });
    assert.equal(r.cancelled, true);
    assert.ok(r.rows.length < 42, `partial rows: ${r.rows.length}`);
    const rows = (await prediction) as { path: string; probabilities?: number[] }[];
    assert.equal(rows.length, 1);
    assert.equal(rows[0].path, one);
    assert.deepEqual(rows[0].probabilities, alone.probabilities);
  } finally {
    await pool.dispose();
  }
});

test("a cancelled job's queued batches never reach a worker; another job's all do", async () => {
  const { pool, ran } = countingPool();
  try {
    const send = (p: WorkerPool, b: string[], o: TaskOptions) => p.classify(b, { ...o, model: M });
    const cancelMe = new AbortController();
    let accepted = 0;
    const a = runBatches(
      pool,
      send,
      Array.from({ length: 100 }, (_, i) => `f${i}`),
      {
        batchFiles: 2,
        alreadyDone: 0,
        total: 100,
        signal: cancelMe.signal,
        accept: (rows) => {
          accepted += rows.length;
          cancelMe.abort();
        },
      },
    );
    const bRows: string[] = [];
    const b = runBatches(
      pool,
      send,
      Array.from({ length: 10 }, (_, i) => `g${i}`),
      { batchFiles: 2, alreadyDone: 0, total: 10, accept: (rows) => bRows.push(...rows.map((r) => r.path)) },
    );
    assert.equal(await a, true, 'the first job reports itself cancelled');
    assert.equal(await b, false);
    assert.equal(bRows.length, 10, 'the other job got every row');
    // One worker answers in order: once this is back, everything sent before it has run.
    await pool.classify(['last'], { model: M });
    const tasks = ran();
    const fRan = tasks.filter((f) => f.startsWith('f')).length;
    // At the abort: the accepted batch, plus at most two batches already handed to the worker (PIPELINE).
    assert.equal(accepted, 2);
    assert.ok(fRan <= 2 + 2 * 2, `${fRan} files of the cancelled job ran`);
    assert.equal(tasks.filter((f) => f.startsWith('g')).length, 10);
  } finally {
    await pool.dispose();
  }
});

test('one abort listener per job signal, however many of its tasks wait; none left once they settle', async () => {
  const { pool } = countingPool();
  const warnings: Error[] = [];
  const onWarning = (w: Error) => warnings.push(w);
  process.on('warning', onWarning);
  try {
    const job = new AbortController();
    const tasks = Array.from({ length: 40 }, (_, i) =>
      pool.classify([`t${i}`], { model: M, signal: job.signal }),
    );
    assert.equal(getEventListeners(job.signal, 'abort').length, 1, 'one listener for 40 waiting tasks');
    await Promise.all(tasks);
    assert.equal(getEventListeners(job.signal, 'abort').length, 0, 'removed with the last task');
    // and a cancelled job's signal is let go too
    const other = new AbortController();
    const more = Array.from({ length: 20 }, (_, i) =>
      pool.classify([`u${i}`], { model: M, signal: other.signal }),
    );
    other.abort();
    const settled = await Promise.allSettled(more);
    assert.ok(settled.every((r) => r.status === 'rejected'));
    assert.equal(getEventListeners(other.signal, 'abort').length, 0);
    await new Promise((r) => setImmediate(r));
    assert.deepEqual(
      warnings.map((w) => w.name),
      [],
    );
  } finally {
    process.off('warning', onWarning);
    await pool.dispose();
  }
});

test('interactive tasks go ahead of queued batch tasks', async () => {
  const { pool, ran } = countingPool();
  try {
    const batch = Array.from({ length: 8 }, (_, i) => pool.classify([`b${i}`], { model: M }));
    const first = pool.classify(['i0'], { model: M, priority: 'interactive' });
    await Promise.all([...batch, first]);
    const tasks = ran();
    // b0 and b1 were handed to the worker before i0 was asked for (two tasks in flight); i0 is next.
    assert.deepEqual(tasks.slice(0, 4), ['b0', 'b1', 'i0', 'b2']);
  } finally {
    await pool.dispose();
  }
});

test("an editor prediction overtakes a dataset scan's queued batches on the shared pool", async () => {
  const { pool, ran } = countingPool();
  try {
    const scan = runBatches(
      pool,
      (p, b, t) => p.index(b, t),
      Array.from({ length: 12 }, (_, i) => `s${i}`),
      { batchFiles: 2, alreadyDone: 0, total: 12, accept: () => undefined },
    );
    const prediction = pool.classify(['editor.wav'], { model: M, priority: 'interactive' });
    const [row] = await prediction;
    assert.equal(row.path, 'editor.wav');
    await scan;
    const tasks = ran();
    // Two scan batches were already with the worker (PIPELINE); the prediction is next, the scan after.
    assert.deepEqual(tasks.slice(0, 6), [
      'index:s0',
      'index:s1',
      'index:s2',
      'index:s3',
      'editor.wav',
      'index:s4',
    ]);
    assert.equal(tasks.filter((t) => t.startsWith('index:')).length, 12);
  } finally {
    await pool.dispose();
  }
});

test('workers crashing repeatedly on one model are not respawned forever: one clear error; indexing goes on', async () => {
  const { pool, starts } = countingPool();
  const bad = { dir: '/models/bad' };
  try {
    const rows = await Promise.all(
      [...Array.from({ length: 6 }, (_, i) => `crash${i}`), 'fine'].map((f) =>
        pool.classify([f], { model: bad }),
      ),
    );
    for (const [i, r] of rows.slice(0, MAX_CONSECUTIVE_CRASHES).entries())
      assert.match(r[0].error!, /worker exited with code 71/, `crash${i}`);
    for (const r of rows.slice(MAX_CONSECUTIVE_CRASHES))
      assert.match(r[0].error!, /^model \/models\/bad: workers crashed 3 times in a row .*not restarted$/);
    const [later] = await pool.classify(['fine2'], { model: bad });
    assert.match(later.error!, /crashed 3 times in a row/);
    await assert.rejects(pool.model(bad), /crashed 3 times in a row/);
    // The pool is shared: another model and a dataset scan still run on it.
    const [indexed] = await pool.index(['still.wav']);
    assert.equal(indexed.error, undefined);
    const [other] = await pool.classify(['other.wav'], { model: M });
    assert.deepEqual(other.probabilities, [1]);
    assert.equal(
      starts(),
      MAX_CONSECUTIVE_CRASHES + 1,
      'three crashed workers, one live one: no respawn loop',
    );
  } finally {
    await pool.dispose();
  }
});

test('the crash counter resets after a success: scattered crashes in a long run never stop the pool', async () => {
  const { pool, starts } = countingPool();
  try {
    const files = Array.from({ length: 2 * (MAX_CONSECUTIVE_CRASHES + 2) }, (_, i) =>
      i % 2 ? `ok${i}` : `crash${i}`,
    );
    const rows = (await Promise.all(files.map((f) => pool.classify([f], { model: M })))).map((r) => r[0]);
    for (const r of rows) {
      if (r.path.startsWith('crash')) assert.match(r.error!, /worker exited with code 71/, r.path);
      else assert.deepEqual(r.probabilities, [1], `${r.path}: ${r.error}`);
    }
    assert.equal(starts(), 1 + MAX_CONSECUTIVE_CRASHES + 2, 'every crashed worker was replaced');
    const [after] = await pool.classify(['after'], { model: M });
    assert.deepEqual(after.probabilities, [1]);
  } finally {
    await pool.dispose();
  }
});

test('a task kind that needs a model is refused without one', async () => {
  const { pool } = countingPool();
  try {
    await assert.rejects(
      pool.run('classify', { files: ['x'], topK: 3, windowStrideMs: 500 }),
      /needs a model/,
    );
    await assert.rejects(pool.run('clip', { path: 'x', topK: 3, windowStrideMs: 500 }), /needs a model/);
  } finally {
    await pool.dispose();
  }
});

test('indexing (no model loaded): records, then the cache (size, mtime) skips unchanged files', async () => {
  const ds = makeDataset(3);
  const pool = new WorkerPool({ size: 2 });
  try {
    const cache = new IndexCache();
    const first = await runIndexJob(ds, pool, cache, { batchFiles: 2 });
    assert.equal(first.records.length, 8);
    assert.equal(first.indexed, 8);
    assert.equal(first.background.length, 1);
    const broken = first.records.find((r) => r.path.endsWith('broken.wav'))!;
    assert.ok(broken.error, 'the broken file has its error');
    const good = first.records.find((r) => r.path.endsWith('y0.wav'))!;
    assert.equal(good.sampleRate, 16000);
    assert.ok(Math.abs(good.peak! - 8000 / 32768) < 1e-3, `peak ${good.peak}`);
    const second = await runIndexJob(ds, pool, cache);
    assert.equal(second.indexed, 0, 'nothing re-read');
    assert.deepEqual(second.records, first.records);
    // A changed file (new size) is indexed again, alone.
    appendFileSync(join(ds, 'yes', 'y1.wav'), Buffer.alloc(2));
    const third = await runIndexJob(ds, pool, cache);
    assert.equal(third.indexed, 1);
  } finally {
    await pool.dispose();
  }
});
