// The resampler against scipy.signal.resample_poly on sines and speech (fixtures made by scipy).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { resample } from '../../../src/audio/resample';

const DIR = join(__dirname, '../../fixtures/resample');
const manifest = JSON.parse(readFileSync(join(DIR, 'manifest.json'), 'utf8')) as {
  files: { signal: string; inputRate: number; outputRate: number; inputFile: string; outputFile: string }[];
};

function f32(file: string): Float32Array {
  const b = readFileSync(join(DIR, file));
  return new Float32Array(b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength));
}

/** SNR in dB of `x` against the reference `ref`. */
function snrDb(x: Float32Array, ref: Float32Array): number {
  let s = 0;
  let n = 0;
  for (let i = 0; i < ref.length; i++) {
    s += ref[i] * ref[i];
    n += (x[i] - ref[i]) ** 2;
  }
  return n === 0 ? Infinity : 10 * Math.log10(s / n);
}

test('the resample reference covers 3 signals x 5 input rates', () => {
  assert.equal(manifest.files.length, 15, 'test/fixtures/resample/manifest.json: cases');
  assert.equal(new Set(manifest.files.map((f) => `${f.signal} ${f.inputRate}`)).size, 15);
});

for (const f of manifest.files) {
  test(`${f.signal} ${f.inputRate} -> ${f.outputRate} Hz matches resample_poly (SNR > 100 dB)`, () => {
    const out = resample(f32(f.inputFile), f.inputRate, f.outputRate);
    const ref = f32(f.outputFile);
    assert.equal(out.length, ref.length);
    const snr = snrDb(out, ref);
    console.log(
      `# ${f.signal} ${f.inputRate} -> ${f.outputRate} Hz: SNR vs resample_poly ${Number.isFinite(snr) ? snr.toFixed(1) + ' dB' : 'infinite (float32-identical)'}`,
    );
    // Same filter design as scipy: only float32 rounding separates the two (about 120-140 dB).
    assert.ok(snr > 100, `SNR ${snr.toFixed(1)} dB`);
  });
}

test('48 kHz -> 16 kHz removes a 12 kHz tone and passes a 3 kHz one', () => {
  const rate = 48000;
  const tone = (f: number) =>
    Float32Array.from({ length: rate }, (_, i) => Math.sin((2 * Math.PI * f * i) / rate));
  const rms = (x: Float32Array) =>
    Math.sqrt(x.slice(2000, -2000).reduce((s, v) => s + v * v, 0) / (x.length - 4000));
  // 12 kHz is above the new Nyquist (8 kHz): it must not alias back in (Kaiser beta 5: about -50 dB).
  assert.ok(rms(resample(tone(12000), rate, 16000)) < 3e-3, 'alias of 12 kHz');
  assert.ok(Math.abs(rms(resample(tone(3000), rate, 16000)) - Math.SQRT1_2) < 1e-3, 'passband 3 kHz');
});
