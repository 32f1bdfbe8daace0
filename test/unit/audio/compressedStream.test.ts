// Compressed files streamed: decoded in small pieces they give the whole decode's samples; long files
// classified window group by window group as the audio arrives give the whole-file probabilities.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { decodeCompressed, memoryReader } from '../../../src/audio/audioDecode';
import { resample } from '../../../src/audio/resample';
import { StreamWindows } from '../../../src/audio/streamWindows';
import { Classifier } from '../../../src/model/classifier';
import { initTfBackend } from '../../../src/model/tfBackend';
import { windowStarts } from '../../../src/model/windows';
import { makeModelDir } from '../model/modelHelpers';

const D = 'test/fixtures/compressed';

const files: [string, 'flac' | 'mp3' | 'ogg'][] = [
  ['stereo24.flac', 'flac'],
  ['long.mp3', 'mp3'],
  ['stereo.ogg', 'ogg'],
  ['long.opus', 'ogg'],
  ['two_streams.ogg', 'ogg'],
];
for (const [f, kind] of files) {
  test(`${f}: read 1,000 bytes at a time, the same samples and warnings as one read`, async () => {
    const bytes = readFileSync(join(D, f));
    const one = await decodeCompressed(kind, memoryReader(bytes));
    const small = await decodeCompressed(kind, memoryReader(bytes), undefined, 1000);
    assert.deepEqual(small.facts, one.facts);
    assert.deepEqual(small.warnings, one.warnings);
    assert.deepEqual(small.channels, one.channels);
  });
}

test('StreamWindows: pieces of any size give windowStarts + a whole-signal resample, window for window', async () => {
  const x = Float32Array.from(
    { length: 44100 * 3 + 17 },
    (_, i) => Math.sin(i * 0.01) + 0.3 * Math.sin(i * 0.37),
  );
  const whole = resample(x, 44100, 16000);
  const starts = windowStarts(whole.length, 16000, 1234);
  for (const piece of [999, 44100, 7]) {
    const got: { s: number; w: Float32Array }[] = [];
    const sw = new StreamWindows(
      44100,
      16000,
      16000,
      1234,
      5,
      (n) => windowStarts(n, 16000, 1234),
      async (st, seg, k0) => {
        for (const s of st) got.push({ s, w: seg.slice(s - k0, s - k0 + 16000) });
      },
    );
    for (let i = 0; i < x.length; i += piece) await sw.push(x.subarray(i, i + piece));
    const end = await sw.end();
    assert.deepEqual(end.starts, starts);
    assert.deepEqual(
      got.map((g) => g.s),
      starts,
    );
    for (const g of got)
      assert.deepEqual(g.w, whole.subarray(g.s, g.s + 16000), `window at ${g.s}, pieces of ${piece}`);
  }
});

test('long compressed files classified as a stream: the probabilities of a whole decode', async () => {
  await initTfBackend();
  const c = await Classifier.create(await makeModelDir());
  try {
    const paths = ['long.mp3', 'long.opus'].map((f) => join(D, f));
    const whole = await c.classifyFiles(paths, { windowStrideMs: 250 });
    const streamed = await c.classifyFiles(paths, {
      windowStrideMs: 250,
      wholeDecodeCompressedBytes: 0,
      batchSize: 3,
    });
    for (const [i, s] of streamed.entries()) {
      assert.equal(s.error, undefined);
      assert.ok(whole[i].windows!.length > 10);
      assert.deepEqual(s.windows, whole[i].windows);
      assert.deepEqual(s.probabilities, whole[i].probabilities);
      assert.equal(s.durationSec, whole[i].durationSec);
      assert.equal(s.contentHash, whole[i].contentHash);
    }
  } finally {
    c.dispose();
  }
});
