// The review queue's clip (previewClip, the worker's `preview` job): its audio is the file's samples
// as wavefile reads them (not our decoder), a long file is cut at PREVIEW_MAX_SEC for both the audio and
// the spectrogram, and an unreadable file is one error naming the reason.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { WaveFile } from 'wavefile';
import { previewClip, PREVIEW_MAX_SEC } from '../../../src/engine/clipPreview';
import { tempDir } from '../tempDir';

const ROOT = join(__dirname, '..', '..', '..');

function reference(path: string): { rate: number; samples: Float64Array } {
  const w = new WaveFile(readFileSync(path));
  const x = w.getSamples(false, Int16Array) as unknown as Int16Array;
  return {
    rate: (w.fmt as { sampleRate: number }).sampleRate,
    samples: Float64Array.from(x, (v) => v / 32768),
  };
}

test('a 0.42 s 8 kHz clip: its whole audio, duration and a spectrogram up to 4 kHz', async () => {
  const path = join(ROOT, 'samples', 'digits', 'one', '1_george_11.wav');
  const ref = reference(path);
  const p = await previewClip(path, 400);
  assert.equal(p.sampleRate, ref.rate);
  assert.equal(p.durationSec, ref.samples.length / ref.rate);
  assert.equal(p.samples.length, ref.samples.length);
  for (let i = 0; i < ref.samples.length; i++)
    assert.ok(Math.abs(p.samples[i] - ref.samples[i]) < 1e-6, `sample ${i}`);
  assert.equal(p.spectrogram.maxHz, 4000);
  assert.ok(
    p.spectrogram.frames > 10 && p.spectrogram.db.length === p.spectrogram.frames * p.spectrogram.bins,
  );
  assert.ok(p.spectrogram.endSec <= p.durationSec);
});

test('a 30 s recording is cut at PREVIEW_MAX_SEC for audio and spectrogram', async () => {
  const path = join(ROOT, 'test', 'fixtures', 'streaming', 'rec_a.wav');
  const ref = reference(path);
  const p = await previewClip(path, 400);
  assert.equal(p.durationSec, 30);
  assert.equal(p.samples.length, PREVIEW_MAX_SEC * ref.rate);
  assert.ok(Math.abs(p.samples[ref.rate * 5] - ref.samples[ref.rate * 5]) < 1e-6);
  assert.equal(p.spectrogram.endSec, PREVIEW_MAX_SEC);
});

test('a truncated header is refused with the decoder’s reason', async () => {
  const f = join(tempDir('wb-preview-'), 'bad.wav');
  writeFileSync(f, Buffer.from('RIFF\x10\x00\x00\x00WAVEfmt '));
  await assert.rejects(previewClip(f, 100), (e: Error) => e.message.length > 0 && !e.message.includes('\n'));
});
