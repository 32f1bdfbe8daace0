// The review's cache (ReviewCache): embeddings survive a save/load byte for byte, a changed file or
// another model misses, the byte bound keeps the newest, and a whole review is served only while the
// folder's fingerprint (paths, sizes, mtimes, split lists) is unchanged. Then a real review on the
// digits model run cold and warm: the warm one does no model pass and gives the same findings.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFileSync, renameSync, statSync, utimesSync, writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { folderFingerprint, ReviewCache } from '../../../src/engine/reviewCache';
import { runReviewJob, type ReviewReport } from '../../../src/engine/reviewJob';
import type { FileClassification } from '../../../src/model/classifier';
import { bundledModel } from '../../../src/model/bundled';
import { tempDir } from '../tempDir';
// @ts-expect-error: a plain .mjs script, no types
import { makeDataset } from '../../fixtures/review/make_dataset.mjs';

const DIGITS = join(__dirname, '..', '..', '..', 'models', 'digits');

function rowOf(path: string, seed: number, dim = 6): FileClassification {
  const st = statSync(path);
  return {
    path,
    probabilities: [0.75, 0.25],
    top: [{ label: 'yes', probability: 0.75 }],
    contentHash: createHash('sha1').update(readFileSync(path)).digest('hex'),
    fileSize: st.size,
    fileMtimeMs: st.mtimeMs,
    embedding: Float32Array.from({ length: dim }, (_, i) => Math.sin(seed + i) * 1e3 + 1 / 3),
  };
}

test('embeddings round-trip through disk; a changed file or another model misses', async () => {
  const dir = tempDir('wb-rc-');
  const a = join(dir, 'a.wav');
  const b = join(dir, 'b.wav');
  writeFileSync(a, Buffer.alloc(64, 1));
  writeFileSync(b, Buffer.alloc(64, 2));
  const c1 = new ReviewCache(join(dir, 'cache'));
  const rows = [rowOf(a, 1), rowOf(b, 2)];
  await c1.store(rows, 'M');
  await c1.save();
  const c2 = new ReviewCache(join(dir, 'cache'));
  const got = await c2.lookup([a, b], 'M');
  assert.equal(got.size, 2);
  assert.deepEqual(Array.from(got.get(a)!.embedding!), Array.from(rows[0].embedding!));
  assert.deepEqual(Array.from(got.get(b)!.embedding!), Array.from(rows[1].embedding!));
  assert.equal((await c2.lookup([a], 'other model')).size, 0);
  utimesSync(b, new Date(), new Date(Date.now() + 5000));
  assert.deepEqual([...(await c2.lookup([a, b], 'M')).keys()], [a], 'a touched file is embedded again');
});

test('the byte bound keeps the newest embeddings; a torn vector file is dropped, not misread', async () => {
  const dir = tempDir('wb-rc-');
  const paths = [0, 1, 2].map((i) => join(dir, `${i}.wav`));
  paths.forEach((p, i) => writeFileSync(p, Buffer.alloc(32, i + 1)));
  const c = new ReviewCache(join(dir, 'cache'), 2 * 6 * 4); // two 6-float vectors
  for (const [i, p] of paths.entries()) await c.store([rowOf(p, i)], 'M');
  await c.save();
  const kept = await new ReviewCache(join(dir, 'cache')).lookup(paths, 'M');
  assert.deepEqual([...kept.keys()].sort(), paths.slice(1).sort());
  writeFileSync(join(dir, 'cache', 'review-clips.f32'), Buffer.alloc(8));
  assert.equal((await new ReviewCache(join(dir, 'cache')).lookup(paths, 'M')).size, 0);
});

test('a review is served while the folder is unchanged; a move or a split list change misses', async () => {
  const dir = tempDir('wb-rc-');
  mkdirSync(join(dir, 'yes'));
  const f = join(dir, 'yes', 'a.wav');
  writeFileSync(f, Buffer.alloc(64, 1));
  const report = { folder: dir, model: { hash: 'M' }, cancelled: false } as ReviewReport;
  const c = new ReviewCache(join(tempDir('wb-rc-'), 'cache'));
  const fp = await folderFingerprint(dir);
  await c.putReport(report, fp);
  await c.save();
  assert.equal(await folderFingerprint(dir), fp, 'the fingerprint is stable');
  assert.ok(await c.report(dir, 'M', fp));
  assert.equal(await c.report(dir, 'other', fp), undefined);
  mkdirSync(join(dir, 'no'));
  renameSync(f, join(dir, 'no', 'a.wav'));
  const moved = await folderFingerprint(dir);
  assert.notEqual(moved, fp, 'a relabel (move) changes the fingerprint');
  writeFileSync(join(dir, 'testing_list.txt'), 'no/a.wav\n');
  assert.notEqual(await folderFingerprint(dir), moved, 'a split list changes it');
  await c.putReport({ ...report, cancelled: true }, moved);
  assert.equal(await c.report(dir, 'M', moved), undefined, 'a cancelled review is not kept');
});

test('a warm review does no model pass and gives the cold one findings', async () => {
  const dir = tempDir('wb-rc-');
  makeDataset(dir);
  const cacheDir = join(tempDir('wb-rc-'), 'cache');
  const review = async (modelHash?: string) => {
    // A new cache object each run: what a warm run reuses was read back from disk.
    const cache = new ReviewCache(cacheDir);
    let known = new Map<string, FileClassification>();
    const fresh: FileClassification[] = [];
    const r = await runReviewJob(dir, {
      modelDir: DIGITS,
      bundled: bundledModel('digits'),
      workers: 1,
      prepare: async (paths) => {
        if (modelHash) known = await cache.lookup(paths, modelHash);
      },
      cached: (p) => known.get(p),
      onFresh: (rows) => fresh.push(...rows),
    });
    await cache.store(fresh, r.model.hash);
    await cache.save();
    return { r, fresh: fresh.length };
  };
  const cold = await review();
  assert.equal(cold.fresh, cold.r.clips);
  const warm = await review(cold.r.model.hash);
  assert.equal(warm.fresh, 0, 'the warm review classified clips again');
  assert.ok(cold.r.suspects.length && cold.r.duplicates.length, 'the dataset has findings to compare');
  // Times aside (the whole review's and its shift check's), the same report.
  const untimed = (r: typeof cold.r) => ({
    ...r,
    timeSec: 0,
    shiftCheck: r.shiftCheck && { ...r.shiftCheck, timeSec: 0 },
  });
  assert.deepEqual(untimed(warm.r), untimed(cold.r));
});
