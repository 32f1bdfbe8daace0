// The classification result cache (ResultIndex): keyed by model hash as well as content, and by the
// (size, mtime) of what was read, so neither a model switch nor a same-size replacement serves a
// stale answer. Rows are made by hand with the fields a worker fills (content hash, fstat size/mtime).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFileSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ResultIndex } from '../../../src/engine/resultIndex';
import type { FileClassification } from '../../../src/model/classifier';
import { tempDir } from '../tempDir';

/** The row a worker would give `path` as it is now on disk, with these probabilities. */
function rowOf(path: string, probabilities: number[]): FileClassification {
  const bytes = readFileSync(path);
  const st = statSync(path);
  return {
    path,
    probabilities,
    top: [
      { label: probabilities[0] > probabilities[1] ? 'yes' : 'no', probability: Math.max(...probabilities) },
    ],
    contentHash: createHash('sha1').update(bytes).digest('hex'),
    fileSize: st.size,
    fileMtimeMs: st.mtimeMs,
  };
}

test('one file under two model hashes: each model gets its own answer, never the other one', async () => {
  const f = join(tempDir('wb-results-'), 'a.wav');
  writeFileSync(f, Buffer.alloc(64, 1));
  const cache = new ResultIndex();
  cache.store([rowOf(f, [0.9, 0.1])], 'model-A');
  assert.equal(
    (await cache.lookup([f], 'model-B')).size,
    0,
    'after a model switch the file is classified again',
  );
  cache.store([rowOf(f, [0.2, 0.8])], 'model-B');
  assert.deepEqual((await cache.lookup([f], 'model-A')).get(f)?.probabilities, [0.9, 0.1]);
  assert.deepEqual((await cache.lookup([f], 'model-B')).get(f)?.probabilities, [0.2, 0.8]);
  // And after a save and load (what the extension does between sessions).
  const again = ResultIndex.fromJSON(JSON.parse(JSON.stringify(cache.toJSON())));
  assert.deepEqual((await again.lookup([f], 'model-A')).get(f)?.probabilities, [0.9, 0.1]);
  assert.deepEqual((await again.lookup([f], 'model-B')).get(f)?.probabilities, [0.2, 0.8]);
});

test('a file replaced by one of the same size (only the mtime differs) is not served from the cache', async () => {
  const dir = tempDir('wb-results-');
  const f = join(dir, 'clip.wav');
  const unchanged = join(dir, 'unchanged.wav');
  writeFileSync(f, Buffer.alloc(64, 1));
  writeFileSync(unchanged, Buffer.alloc(64, 2));
  const t = new Date('2026-01-02T03:04:05Z');
  utimesSync(f, t, t);
  const cache = new ResultIndex();
  cache.store([rowOf(f, [0.9, 0.1]), rowOf(unchanged, [0.3, 0.7])], 'model');
  assert.equal((await cache.lookup([f], 'model')).size, 1, 'as stored: a hit');
  // Other bytes, the same size, a later mtime.
  writeFileSync(f, Buffer.alloc(64, 7));
  const later = new Date(t.getTime() + 2000);
  utimesSync(f, later, later);
  assert.equal(statSync(f).size, 64);
  const hits = await cache.lookup([f, unchanged], 'model');
  assert.equal(hits.has(f), false, 'the replaced file must be classified again');
  assert.deepEqual(hits.get(unchanged)?.probabilities, [0.3, 0.7], 'the untouched file is still a hit');
  // Even the same bytes with only the mtime moved count as changed (size+mtime are the index's key).
  writeFileSync(f, Buffer.alloc(64, 1));
  const moved = new Date(t.getTime() + 4000);
  utimesSync(f, moved, moved);
  assert.equal((await cache.lookup([f], 'model')).size, 0);
});
