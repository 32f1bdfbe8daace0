// The engine against TensorFlow 2.21's own AudioSpectrogram and Mfcc outputs (test/fixtures/tf-audio-ops).
import { checkReference, f32, maxAbsError, maxRelError, REF, refEntries } from './tfReferenceData';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Mfcc } from '../../src/audio/mfcc';
import { Spectrogram } from '../../src/audio/spectrogram';
import { decodeWav } from '../../src/audio/wavDecode';
import { fitLength } from '../../src/audio/fitLength';

test('TensorFlow reference features are present: 18 clips x 2 variants, every file there', () => {
  checkReference();
});

const manifest = { clips: refEntries };

for (const e of manifest.clips) {
  test(`${e.wav} (${e.variant}) matches TensorFlow`, async () => {
    const decoded = decodeWav(readFileSync(join(REF, e.wav)));
    const audio = e.variant === 'clip' ? fitLength(decoded.channels[0], 16000) : decoded.channels[0];
    assert.equal(audio.length, e.samples);

    const spec = await Spectrogram.create();
    const s = spec.compute(audio);
    assert.deepEqual([s.frames, s.bins], e.spectrogram.shape);
    const worstRel = maxRelError(s.data, f32(join(REF, e.spectrogram.file)));
    assert.ok(worstRel <= 1e-4, `spectrogram max relative error ${worstRel}`);

    const mfcc = await Mfcc.create();
    const m = mfcc.compute(audio);
    assert.deepEqual([m.frames, m.bins], e.mfcc.shape);
    const worstAbs = maxAbsError(m.data, f32(join(REF, e.mfcc.file)));
    // Measured: at most 7.6e-6 over the 36 clip variants (the bound was 1e-3: a 0.01 % gain error passed).
    assert.ok(worstAbs <= 2e-5, `MFCC max abs error ${worstAbs}`);
    spec.dispose();
    mfcc.dispose();
  });
}
