// Multi-channel input through every path that mixes to mono: features (CLI), classify (CLI, pool
// workers), the dataset index (inspect). Each stereo / 3-channel file has different speech in each
// channel, and is compared with a mono float file holding the expected mix, the average of the
// channels computed here from the samples (read by wavefile, not our decoder). Summing the channels
// instead of averaging, or keeping channel 0 only, fails every one of these.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { WaveFile } from 'wavefile';
import { indexFileSync } from '../../../src/dataset/indexFile';
import { runCli } from '../runCli';

const FIX = join(__dirname, '../../fixtures/tfcompat');
const dir = mkdtempSync(join(tmpdir(), 'wb-mix-'));
test.after(() => rmSync(dir, { recursive: true, force: true }));

/** A 16 kHz 16-bit clip's first second as integers (zero-padded), read by wavefile. */
function int16Of(file: string): Int16Array {
  const w = new WaveFile(readFileSync(join(FIX, file)));
  const s = w.getSamples(false, Int16Array) as unknown as Int16Array;
  const out = new Int16Array(16000);
  out.set(s.subarray(0, 16000));
  return out;
}
const A = int16Of('1_jackson_4.wav');
const B = int16Of('2_lucas_5.wav');
const C = int16Of('3_nicolas_6.wav');

function write(name: string, w: WaveFile): string {
  const p = join(dir, name);
  writeFileSync(p, w.toBuffer());
  return p;
}
function pcm16(name: string, channels: Int16Array[]): string {
  const w = new WaveFile();
  w.fromScratch(
    channels.length,
    16000,
    '16',
    channels.map((c) => Array.from(c)),
  );
  return write(name, w);
}
/** Mono float32: the average of the channels, x / 32768 per sample, in double then rounded once. */
function floatMix(name: string, channels: Int16Array[]): { path: string; mix: Float64Array } {
  const mix = new Float64Array(16000);
  for (let i = 0; i < 16000; i++) {
    let s = 0;
    for (const c of channels) s += c[i] / 32768;
    mix[i] = s / channels.length;
  }
  const w = new WaveFile();
  w.fromScratch(1, 16000, '32f', Array.from(mix));
  return { path: write(name, w), mix };
}

const stereo = pcm16('stereo.wav', [A, B]);
const three = pcm16('three.wav', [A, B, C]);
const mix2 = floatMix('mix2.wav', [A, B]);
const mix3 = floatMix('mix3.wav', [A, B, C]);

async function json(args: string[]) {
  const r = await runCli(args);
  assert.equal(r.code, 0, r.err);
  return JSON.parse(r.out);
}

function maxAbsDiff(a: number[], b: number[]): number {
  assert.equal(a.length, b.length);
  let d = 0;
  for (let i = 0; i < a.length; i++) d = Math.max(d, Math.abs(a[i] - b[i]));
  return d;
}

test('info: each channel is its own (peak and RMS of A, B, C in order)', async () => {
  const j = await json(['info', three, '--json']);
  [A, B, C].forEach((c, k) => {
    let peak = 0;
    let sq = 0;
    for (const v of c) {
      peak = Math.max(peak, Math.abs(v / 32768));
      sq += (v / 32768) ** 2;
    }
    assert.ok(Math.abs(j.peak[k] - peak) < 1e-7, `ch${k} peak ${j.peak[k]} vs ${peak}`);
    assert.ok(Math.abs(j.rms[k] - Math.sqrt(sq / c.length)) < 1e-6, `ch${k} rms`);
  });
});

test('features: a stereo and a 3-channel file give the features of the average of their channels', async () => {
  for (const [multi, mono] of [
    [stereo, mix2.path],
    [three, mix3.path],
  ]) {
    const m = await json(['features', multi, '--json']);
    const r = await json(['features', mono, '--json']);
    assert.equal(m.frames, 98);
    // Identical in practice (0 measured); the 3-channel mix may differ by one float32 rounding.
    const d = maxAbsDiff(m.data, r.data);
    assert.ok(d <= 1e-5, `${multi}: features differ from the averaged mix's by ${d}`);
  }
});

test('classify (pool workers): multi-channel files are classified as the average of their channels', async () => {
  const j = await json([
    'classify',
    stereo,
    three,
    mix2.path,
    mix3.path,
    '--workers',
    '1',
    '--top-k',
    '12',
    '--json',
    '-',
  ]);
  const probs = (p: string) => {
    const r = j.rows.find((x: { path: string }) => x.path === p);
    assert.ok(r && !r.error, `${p}: ${r?.error}`);
    return [...r.top_k]
      .sort((a: { label: string }, b: { label: string }) => (a.label < b.label ? -1 : 1))
      .map((t: { probability: number }) => t.probability);
  };
  for (const [multi, mono] of [
    [stereo, mix2.path],
    [three, mix3.path],
  ]) {
    const d = maxAbsDiff(probs(multi), probs(mono));
    assert.ok(d <= 1e-6, `${multi}: probabilities differ from the averaged mix's by ${d}`);
  }
});

test('dataset index: levels of a multi-channel file are those of the average of its channels', () => {
  for (const [multi, mix] of [
    [stereo, mix2.mix],
    [three, mix3.mix],
  ] as const) {
    const r = indexFileSync(multi);
    assert.equal(r.error, undefined);
    assert.equal(r.channels, multi === stereo ? 2 : 3);
    let peak = 0;
    let sq = 0;
    let sum = 0;
    for (const v of mix) {
      peak = Math.max(peak, Math.abs(v));
      sq += v * v;
      sum += v;
    }
    assert.ok(Math.abs(r.peak! - peak) <= 1e-7, `peak ${r.peak} vs ${peak}`);
    assert.ok(Math.abs(r.rms! - Math.sqrt(sq / mix.length)) <= 1e-7, `rms ${r.rms}`);
    assert.ok(Math.abs(r.dcOffset! - sum / mix.length) <= 1e-7, `dc ${r.dcOffset}`);
  }
});
