// Streaming classification of long files: the same probabilities, window for window, as reading the
// file whole, while each block reads only a bounded part of it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { WaveFile } from 'wavefile';
import { Classifier } from '../../../src/model/classifier';
import { initTfBackend } from '../../../src/model/tfBackend';
import { makeModelDir } from '../model/modelHelpers';
import { tempDir } from '../tempDir';

function writeWav(dir: string, name: string, rate: number, channels: number, seconds: number): string {
  const n = Math.round(rate * seconds);
  const chans = Array.from({ length: channels }, (_, c) =>
    Array.from({ length: n }, (_, i) =>
      Math.round(9000 * Math.sin((2 * Math.PI * (300 + 200 * c + 40 * Math.floor(i / rate)) * i) / rate)),
    ),
  );
  const w = new WaveFile();
  w.fromScratch(channels, rate, '16', channels === 1 ? chans[0] : chans);
  const p = join(dir, name);
  writeFileSync(p, w.toBuffer());
  return p;
}

test('streamed in small blocks, a long file gets exactly the probabilities of a whole-file read', async () => {
  await initTfBackend();
  const c = await Classifier.create(await makeModelDir());
  const dir = tempDir('wb-stream-');
  const files = [
    writeWav(dir, 'mono8k.wav', 8000, 1, 9.3), // up 2, down 1
    writeWav(dir, 'stereo44k.wav', 44100, 2, 6.1), // up 160, down 441
    writeWav(dir, 'mono16k.wav', 16000, 1, 5.05), // no resampling
  ];
  try {
    const whole = await c.classifyFiles(files, { windowStrideMs: 250 });
    for (const [i, path] of files.entries()) {
      // Files over 64 KB streamed: the window groups' edges fall everywhere in these files.
      const [s] = await c.classifyFiles([path], {
        windowStrideMs: 250,
        wholeReadBytes: 64 << 10,
        batchSize: 7,
      });
      assert.equal(s.error, undefined);
      assert.equal(s.contentHash, whole[i].contentHash);
      assert.ok(whole[i].windows!.length > 10);
      assert.deepEqual(s.windows, whole[i].windows, path);
      assert.deepEqual(s.probabilities, whole[i].probabilities);
      assert.deepEqual(s.detections, whole[i].detections);
    }
  } finally {
    c.dispose();
  }
});
