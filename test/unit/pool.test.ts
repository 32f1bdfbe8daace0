// The worker pool and the classify job: real worker_threads, a real (tiny) model, real WAV files.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { appendFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { WaveFile } from 'wavefile';
import { runClassifyJob } from '../../src/engine/classifyJob';
import { runIndexJob } from '../../src/engine/indexJob';
import { WorkerPool } from '../../src/engine/pool';
import { IndexCache } from '../../src/dataset/indexFile';
import { makeModelDir } from './modelHelpers';
import { tempDir } from './tempDir';

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

test('a worker crash is survived: its files are error rows, the rest are classified', async () => {
  const model = await makeModelDir();
  const ds = makeDataset(8);
  const r = await runClassifyJob([ds], {
    modelDir: model,
    workers: 2,
    batchFiles: 2,
    env: { ...process.env, WAVEBENCH_TEST_CRASH_ON: 'y3.wav' },
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

test('cancellation resolves promptly with partial results', async () => {
  const model = await makeModelDir();
  const ds = makeDataset(40);
  const controller = new AbortController();
  let abortedAt = 0;
  const r = await runClassifyJob([ds], {
    modelDir: model,
    workers: 1,
    batchFiles: 2,
    signal: controller.signal,
    progressIntervalMs: 0,
    onProgress: (p) => {
      if (p.done >= 4 && !abortedAt) {
        abortedAt = performance.now();
        controller.abort();
      }
    },
  });
  const latency = performance.now() - abortedAt;
  assert.equal(r.cancelled, true);
  assert.ok(r.rows.length >= 4 && r.rows.length < 82, `partial rows: ${r.rows.length}`);
  // Not a timing test of speed: cancellation must not wait for the remaining ~78 files.
  assert.ok(latency < 5000, `cancel took ${latency} ms`);
});

test('indexing on an index-only pool: records, then the cache (size, mtime) skips unchanged files', async () => {
  const ds = makeDataset(3);
  const pool = new WorkerPool(undefined, 2);
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
