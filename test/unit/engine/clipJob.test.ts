// The editor's clip job on the shared pool: a clip handed over as bytes (as a document on any file
// system is) gets the prediction a folder run gives the same file by path, plus the model's input for
// its first window; a long file goes by path and agrees with its bytes; bad bytes are one error line.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { WaveFile } from 'wavefile';
import { WorkerPool } from '../../../src/engine/pool';
import { decodeToRate } from '../../../src/audio/load';
import { ModelInput } from '../../../src/model/modelInput';
import { frontEndSummary } from '../../../src/model/describe';
import { loadModelPackage } from '../../../src/model/modelPackage';
import { makeModelDir } from '../model/modelHelpers';
import { tempDir } from '../tempDir';

/** A 44.1 kHz stereo WAV of `seconds` (two tones), so the worker must mix down and resample. */
function writeClip(path: string, seconds: number): void {
  const rate = 44100;
  const n = Math.round(rate * seconds);
  const tone = (f: number) =>
    Array.from({ length: n }, (_, i) => Math.round(9000 * Math.sin((2 * Math.PI * f * i) / rate)));
  const w = new WaveFile();
  w.fromScratch(2, rate, '16', [tone(440), tone(1250)]);
  writeFileSync(path, w.toBuffer());
}

const options = { topK: 3, windowStrideMs: 500 };

test('a clip as bytes: the prediction of the same file by path, and the first window as the model sees it', async () => {
  const dir = await makeModelDir();
  const model = { dir };
  const file = join(tempDir('wb-clip-'), 'tones.wav');
  writeClip(file, 1.5);
  const pool = new WorkerPool({ size: 1 });
  try {
    const [byPath] = await pool.classify([file], { model, ...options });
    const bytes = new Uint8Array(readFileSync(file));
    const { row, features } = await pool.run(
      'clip',
      { bytes, name: 'tones.wav', ...options },
      { model, priority: 'interactive', transfer: [bytes.buffer as ArrayBuffer] },
    );
    assert.equal(row.error, undefined);
    assert.deepEqual(row.probabilities, byPath.probabilities);
    assert.deepEqual(row.windows, byPath.windows);
    assert.equal(row.windows!.length, 2, '1 s windows at 0 and 0.5 s over 1.5 s');
    // The features: the model package's metadata and ModelInput in this process, from the same audio.
    const md = (await loadModelPackage(dir)).metadata;
    const input = await ModelInput.create(md);
    try {
      const want = new Float32Array(input.size);
      input.write(decodeToRate(file, readFileSync(file), md.sampleRate).samples, 0, want);
      assert.equal(features!.type, md.features.type);
      // what the editor's caption says: the model's own window and front end
      assert.equal(features!.windowMs, md.clipDurationMs);
      assert.equal(features!.summary, frontEndSummary(md));
      assert.deepEqual([features!.frames, features!.bins], [input.frames, input.bins]);
      assert.deepEqual(Array.from(features!.data), Array.from(want));
    } finally {
      input.dispose();
    }
    // A long file on disk goes by path (streamed): the same answer as its bytes.
    const long = await pool.run('clip', { path: file, ...options }, { model });
    assert.deepEqual(long.row.probabilities, row.probabilities);
    assert.deepEqual(Array.from(long.features!.data), Array.from(features!.data));
  } finally {
    await pool.dispose();
  }
});

test('bytes that are not a WAV: one error line, no features, and the worker goes on', async () => {
  const model = { dir: await makeModelDir() };
  const pool = new WorkerPool({ size: 1 });
  try {
    const bad = await pool.run(
      'clip',
      { bytes: new TextEncoder().encode('RIFF....WAVEjunk'), name: 'bad.wav', ...options },
      { model },
    );
    assert.ok(bad.row.error && !bad.row.error.includes('\n'), `error: ${bad.row.error}`);
    assert.equal(bad.features, undefined);
    const empty = await pool.run(
      'clip',
      { bytes: new Uint8Array(0), name: 'empty.wav', ...options },
      { model },
    );
    assert.ok(empty.row.error);
    const file = join(tempDir('wb-clip-'), 'ok.wav');
    writeClip(file, 1);
    const ok = await pool.run(
      'clip',
      { bytes: new Uint8Array(readFileSync(file)), name: 'ok.wav', ...options },
      { model },
    );
    assert.equal(ok.row.error, undefined);
    assert.equal(ok.row.probabilities!.length, 4);
  } finally {
    await pool.dispose();
  }
});
