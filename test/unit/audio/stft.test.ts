// The stft feature type against tf.signal.stft (test/fixtures/keras/make_keras.py).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { decodeWav } from '../../../src/audio/wavDecode';
import { fitLength } from '../../../src/audio/fitLength';
import { FeatureExtractor } from '../../../src/audio/features';
import { Stft, tfHannWindow } from '../../../src/audio/stft';

const DIR = 'test/fixtures/keras';
interface Entry {
  wav: string;
  frameLength: number;
  frameStep: number;
  fftLength: number | null;
  frames: number;
  bins: number;
  file: string;
}
const manifest = JSON.parse(readFileSync(join(DIR, 'stft/manifest.json'), 'utf8')) as Entry[];

function clip(wav: string): Float32Array {
  const d = decodeWav(readFileSync(join(DIR, 'wav', wav)));
  return fitLength(d.channels[0], 16000);
}

test('stft magnitudes match tf.signal.stft', () => {
  assert.equal(manifest.length, 6);
  for (const e of manifest) {
    const ref = new Float32Array(readFileSync(join(DIR, 'stft', e.file)).buffer.slice(0));
    const s = new Stft({
      frameLength: e.frameLength,
      frameStep: e.frameStep,
      fftLength: e.fftLength ?? undefined,
    });
    const m = s.compute(clip(e.wav));
    assert.deepEqual([m.frames, m.bins], [e.frames, e.bins], e.file);
    let peak = 0;
    for (const v of ref) peak = Math.max(peak, v);
    let maxAbs = 0;
    let maxRel = 0;
    for (let i = 0; i < ref.length; i++) {
      const err = Math.abs(m.data[i] - ref[i]);
      maxAbs = Math.max(maxAbs, err);
      if (ref[i] > 1e-3 * peak) maxRel = Math.max(maxRel, err / ref[i]);
    }
    console.log(
      `${e.file}: max abs error ${maxAbs.toExponential(2)} (peak ${peak.toFixed(3)}), max rel ${maxRel.toExponential(2)}`,
    );
    // TensorFlow's float32 FFT is itself this far from an exact (float64) transform of the same frames
    // (3.1e-5 relative on 0_george_1's bins, max abs 5.1e-7: checked with numpy), so the bounds are
    // TensorFlow's own roundoff: 2e-7 of the peak, 5e-5 relative on bins above 1e-3 of the peak.
    assert.ok(maxAbs <= 2e-7 * peak, `${e.file}: max abs error ${maxAbs} vs peak ${peak}`);
    assert.ok(maxRel <= 5e-5, `${e.file}: max relative error ${maxRel}`);
  }
});

test('the window is tf.signal.hann_window(periodic=True): periodic when even, symmetric when odd', () => {
  const odd = tfHannWindow(255);
  assert.equal(odd[0], 0);
  assert.equal(odd[254], 0); // 255 is odd: TensorFlow's denominator is 254, so the last sample is 0
  assert.ok(Math.abs(odd[127] - 1) < 1e-7);
  const even = tfHannWindow(256);
  assert.equal(even[0], 0);
  assert.ok(Math.abs(even[128] - 1) < 1e-7); // periodic: the peak at L/2, and no zero at the end
  assert.ok(even[255] > 1e-4);
});

test('the stft feature type: 124 frames x 129 bins for 1 s at 255/128, and bad settings refused', async () => {
  const fx = await FeatureExtractor.create({ type: 'stft', frameLength: 255, frameStep: 128 });
  assert.equal(fx.frameCount(16000), 124);
  assert.equal(fx.bins, 129);
  const ref = manifest.find((e) => e.frameLength === 255)!;
  const s = new Stft({ frameLength: 255, frameStep: 128 });
  assert.deepEqual(fx.compute(clip(ref.wav)).data, s.compute(clip(ref.wav)).data);
  fx.dispose();
  assert.equal(new Stft({ frameLength: 100, frameStep: 50 }).frameCount(99), 0);
  assert.throws(
    () => new Stft({ frameLength: 400, frameStep: 160, fftLength: 256 }),
    /fftLength must be a power of two >= frameLength/,
  );
  assert.throws(() => new Stft({ frameLength: 400, frameStep: 0 }), /frameStep/);
});
