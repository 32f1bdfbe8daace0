// The C/WebAssembly engine (src/audio/native/mfcc.c via mfccWasm.ts) against TensorFlow 2.21's own
// AudioSpectrogram and Mfcc outputs (test/fixtures/tf-audio-ops), and against the TypeScript engine
// (mfcc.ts) on FSDD speech resampled to 16 kHz (test/fixtures/fsdd). It loads the committed
// src/audio/native/mfcc.wasm, whose freshness against mfcc.c mfccWasmFresh.test.ts checks.
import {
  checkReference,
  f32,
  maxAbsError,
  maxRelError,
  REF,
  REF_VARIANTS,
  refEntries,
} from '../../reference/tfReferenceData';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { MfccWasm } from '../../../src/audio/mfccWasm';
import { Mfcc } from '../../../src/audio/mfcc';
import { decodeWav } from '../../../src/audio/wavDecode';
import { fitLength } from '../../../src/audio/fitLength';
import { resample } from '../../../src/audio/resample';

// The project's TypeScript libs do not declare the WebAssembly global (Node has it).
declare const WebAssembly: {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { exports: object };
};

const ROOT = join(__dirname, '../../..');
const FSDD = join(ROOT, 'test/fixtures/fsdd');
const WASM = join(ROOT, 'src/audio/native/mfcc.wasm');

test('TensorFlow reference features are present: 18 clips x 2 variants, every file there', () => {
  checkReference();
});

const manifest = { clips: refEntries };

/** Worst errors over the clips compared, and which clips were (the summary test counts them). */
const worst = { spectrogramRel: 0, mfccAbs: 0, compared: new Set<string>() };

for (const e of manifest.clips) {
  test(`wasm: ${e.wav} (${e.variant}) matches TensorFlow`, async () => {
    const decoded = decodeWav(readFileSync(join(REF, e.wav)));
    const audio = e.variant === 'clip' ? fitLength(decoded.channels[0], 16000) : decoded.channels[0];
    assert.equal(audio.length, e.samples);
    const m = await MfccWasm.create();
    try {
      const s = m.computeSpectrogram(audio);
      assert.deepEqual([s.frames, s.bins], e.spectrogram.shape);
      const worstRel = maxRelError(s.data, f32(join(REF, e.spectrogram.file)));
      worst.spectrogramRel = Math.max(worst.spectrogramRel, worstRel);
      assert.ok(worstRel <= 1e-4, `spectrogram max relative error ${worstRel}`);

      const c = m.compute(audio);
      assert.deepEqual([c.frames, c.bins], e.mfcc.shape);
      const worstAbs = maxAbsError(c.data, f32(join(REF, e.mfcc.file)));
      worst.mfccAbs = Math.max(worst.mfccAbs, worstAbs);
      assert.ok(worstAbs <= 2e-5, `MFCC max abs error ${worstAbs}`);
      worst.compared.add(`${e.wav} ${e.variant}`);
    } finally {
      m.dispose();
    }
  });
}

test('wasm: worst errors against TensorFlow over all 36 reference variants', () => {
  console.log(
    `mfccWasm vs TensorFlow over ${worst.compared.size} entries: spectrogram max rel ${worst.spectrogramRel}, ` +
      `MFCC max abs ${worst.mfccAbs}`,
  );
  // Every variant was compared and passed (the per-clip tests run before this one, in file order).
  assert.equal(worst.compared.size, REF_VARIANTS, 'reference variants compared');
  // The kernel computes TensorFlow's chain in double precision: its spectrogram is TensorFlow's,
  // bit for bit, and its MFCC within float32 rounding (1.5e-8 achieved).
  assert.equal(worst.spectrogramRel, 0, 'spectrogram: not bit-identical to TensorFlow');
  assert.ok(worst.mfccAbs <= 1e-6, `MFCC max abs error ${worst.mfccAbs}`);
});

test('wasm: matches the TypeScript Mfcc on the 63 FSDD fixture clips (8 -> 16 kHz, 1 s)', async () => {
  const listed = readFileSync(join(FSDD, 'clips.txt'), 'utf8').trim().split('\n').sort();
  const picked = readdirSync(FSDD)
    .filter((f) => f.endsWith('.wav'))
    .sort();
  assert.deepEqual(picked, listed, `the WAVs of ${FSDD} are not those of its clips.txt`);
  assert.equal(picked.length, 63);
  const js = await Mfcc.create();
  const wasm = await MfccWasm.create();
  let worstAbs = 0;
  let worstFile = '';
  const out = new Float32Array(98 * 40);
  for (const f of picked) {
    const d = decodeWav(readFileSync(join(FSDD, f)));
    const audio = fitLength(resample(d.channels[0], d.facts.sampleRate, 16000), 16000);
    const a = js.compute(audio);
    const b = wasm.compute(audio, out);
    assert.deepEqual([b.frames, b.bins], [a.frames, a.bins]);
    assert.deepEqual([b.frames, b.bins], [98, 40]);
    for (let i = 0; i < a.data.length; i++) {
      const diff = Math.abs(a.data[i] - b.data[i]);
      if (diff > worstAbs) {
        worstAbs = diff;
        worstFile = f;
      }
    }
  }
  console.log(
    `mfccWasm vs Mfcc (JS) on ${picked.length} FSDD clips: max abs difference ${worstAbs} (${worstFile})`,
  );
  assert.ok(worstAbs <= 1e-4, `max abs difference ${worstAbs} on ${worstFile}`);
  js.dispose();
  wasm.dispose();
});

test('wasm: edge cases (too short, silence, other sizes)', async () => {
  const m = await MfccWasm.create();
  assert.equal(m.compute(new Float32Array(100)).frames, 0);
  assert.equal(m.computeSpectrogram(new Float32Array(479)).frames, 0);
  // Digital silence: every coefficient is the DCT of ln(1e-12), as the JS engine gives.
  const js = await Mfcc.create();
  const z = new Float32Array(16000);
  const a = m.compute(z);
  const b = js.compute(z);
  assert.equal(a.frames, 98);
  for (let i = 0; i < a.data.length; i++) assert.ok(Math.abs(a.data[i] - b.data[i]) <= 1e-4);
  const s = m.computeSpectrogram(z);
  assert.ok(s.data.every((v) => v === 0));
  // A longer clip than the first buffers (they grow), then a short one again.
  const long = new Float32Array(48000);
  for (let i = 0; i < long.length; i++) long[i] = 0.3 * Math.sin((2 * Math.PI * 440 * i) / 16000);
  const la = m.compute(long);
  const lb = js.compute(long);
  assert.equal(la.frames, lb.frames);
  let d = 0;
  for (let i = 0; i < la.data.length; i++) d = Math.max(d, Math.abs(la.data[i] - lb.data[i]));
  assert.ok(d <= 1e-4, `440 Hz tone: max abs difference ${d}`);
  m.dispose();
  js.dispose();
  assert.throws(() => m.compute(z), /dispose/);
  // Non-default configurations: a radix-2 first stage (window 1000 -> FFT 1024, M = 512 = 2 * 4^4;
  // window 256 -> M = 128), the windowed first stage with a full last quarter (window 512), and the
  // plain first stage (window 300 < 3/4 of the 512-point FFT).
  for (const opts of [
    { windowSize: 512, stride: 256 },
    { windowSize: 401, stride: 133, filterbankChannels: 20, coefficientCount: 20 },
    { windowSize: 300, stride: 100, lowerFrequencyHz: 60, upperFrequencyHz: 3800 },
    { windowSize: 1000, stride: 320, filterbankChannels: 26, coefficientCount: 13 },
    { windowSize: 256, stride: 128, filterbankChannels: 41, coefficientCount: 21, upperFrequencyHz: 7600 },
  ]) {
    const w2 = await MfccWasm.create(opts);
    const j2 = await Mfcc.create(opts);
    const x = fitLength(long, 20000);
    const r1 = w2.compute(x);
    const r2 = j2.compute(x);
    assert.deepEqual([r1.frames, r1.bins], [r2.frames, r2.bins]);
    let e = 0;
    for (let i = 0; i < r1.data.length; i++) e = Math.max(e, Math.abs(r1.data[i] - r2.data[i]));
    assert.ok(e <= 1e-4, `${JSON.stringify(opts)}: max abs difference ${e}`);
    w2.dispose();
    j2.dispose();
  }
});

test('wasm: its own ln and cos are accurate to about 1 ulp', () => {
  const ex = new WebAssembly.Instance(new WebAssembly.Module(readFileSync(WASM)), {}).exports as unknown as {
    log(x: number): number;
    log_simd(x: number): number;
    cos(x: number): number;
  };
  let worstLog = 0;
  let worstCos = 0;
  let seed = 12345;
  const rand = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
  for (let i = 0; i < 20000; i++) {
    const x = Math.exp((rand() - 0.5) * 140); // 1e-30 .. 1e30, both sides of 1
    const ref = Math.log(x);
    // Error relative to max(|ln x|, 1): ln x near 0 is held to an absolute 2.2e-16 scale.
    const scale = Math.max(Math.abs(ref), 1);
    worstLog = Math.max(worstLog, Math.abs(ex.log(x) - ref) / scale, Math.abs(ex.log_simd(x) - ref) / scale);
    const t = (rand() - 0.5) * 20;
    worstCos = Math.max(worstCos, Math.abs(ex.cos(t) - Math.cos(t)));
  }
  assert.ok(worstLog <= 4.5e-16, `ln relative error ${worstLog}`);
  assert.ok(worstCos <= 1e-15, `cos absolute error ${worstCos}`);
  assert.equal(ex.log(1), 0);
  assert.ok(Math.abs(ex.log(1e-12) - -27.631021115928547) <= 1e-14);
});

test('wasm float32 path: every coefficient within 1e-4 of TensorFlow on all 36 references, batched or not', async () => {
  const m = await MfccWasm.create();
  let worst = 0;
  let frames = 0;
  const clips: Float32Array[] = [];
  const refs: Float32Array[] = [];
  for (const e of refEntries) {
    const decoded = decodeWav(readFileSync(join(REF, e.wav)));
    const audio = e.variant === 'clip' ? fitLength(decoded.channels[0], 16000) : decoded.channels[0];
    const ref = f32(join(REF, e.mfcc.file));
    const c = m.computeF32(audio);
    assert.deepEqual([c.frames, c.bins], e.mfcc.shape);
    frames += c.frames;
    // TensorFlow's tolerance for these ops: 1e-4 relative (absolute for coefficients below 1).
    for (let i = 0; i < ref.length; i++)
      worst = Math.max(worst, Math.abs(c.data[i] - ref[i]) / Math.max(1, Math.abs(ref[i])));
    if (e.variant === 'clip') {
      clips.push(audio);
      refs.push(c.data.slice());
    }
  }
  console.log(`float32 path vs TensorFlow: worst ${worst}, ${m.f32Fallbacks} of ${frames} frames in double`);
  assert.ok(worst <= 1e-4, `worst relative error ${worst}`);
  // Without the double fallback tones and sweeps would be off by up to 7.5e-3: it must have served.
  assert.ok(m.f32Fallbacks > 0);
  // Batched across the 18 one-second clips (98 frames each: quads straddle clips): the same numbers.
  const batch = m.computeBatchF32(clips);
  assert.equal(batch.frames, 98 * clips.length);
  refs.forEach((r, j) => assert.deepEqual(batch.data.subarray(j * r.length, (j + 1) * r.length), r));
  assert.throws(() => m.computeBatchF32([clips[0], clips[0].subarray(1)]), /different lengths/);
  m.dispose();
});

test('wasm float32 path on speech: within 1e-4 of the double path, and it rarely falls back', async () => {
  const m = await MfccWasm.create();
  const clips = readdirSync(FSDD)
    .filter((f) => f.endsWith('.wav'))
    .sort()
    .map((f) => {
      const d = decodeWav(readFileSync(join(FSDD, f)));
      return fitLength(resample(d.channels[0], d.facts.sampleRate, 16000), 16000);
    });
  const batch = m.computeBatchF32(clips);
  let worst = 0;
  clips.forEach((c, j) => {
    const exact = m.compute(c).data;
    const part = batch.data.subarray(j * exact.length, (j + 1) * exact.length);
    for (let i = 0; i < exact.length; i++)
      worst = Math.max(worst, Math.abs(part[i] - exact[i]) / Math.max(1, Math.abs(exact[i])));
  });
  console.log(`float32 vs double on ${clips.length} FSDD clips: worst ${worst}, fallbacks ${m.f32Fallbacks}`);
  assert.ok(worst <= 1e-4, `worst ${worst}`);
  assert.ok(m.f32Fallbacks <= 0.01 * batch.frames, `${m.f32Fallbacks} of ${batch.frames} frames in double`);
  m.dispose();
});
