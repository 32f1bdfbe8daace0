// The melspectrogram front end against librosa (test/fixtures/melspectrogram/make_reference.py, float64).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { decodeWav } from '../../../src/audio/wavDecode';
import { MelSpectrogram, melDefaults, type MelSpectrogramOptions } from '../../../src/audio/melSpectrogram';
import { RealDft64 } from '../../../src/audio/realDft64';

const DIR = 'test/fixtures/melspectrogram';
interface Case extends MelSpectrogramOptions {
  sampleRate: number;
  wav: string;
  samples: number;
  tailZeros: number;
  frames: number;
  mels: number;
  file: string;
  peak: number;
}
const manifest = JSON.parse(readFileSync(join(DIR, 'manifest.json'), 'utf8')) as { cases: Case[] };

function input(c: Case): Float32Array {
  const d = decodeWav(readFileSync(join('test/fixtures/keras/wav', c.wav)));
  const x = new Float32Array(c.samples + c.tailZeros);
  x.set(d.channels[0].subarray(0, c.samples));
  return x;
}

/** Relative bound, and the absolute floor (times the case's peak |value|) for values near zero. */
const REL = 1e-5;
const ABS = 1e-7;

test('melspectrogram matches librosa within 1e-5 relative on every parameter set', () => {
  assert.equal(manifest.cases.length, 11);
  const seen = new Set<string>();
  for (const c of manifest.cases) {
    const p = melDefaults(c.sampleRate, c); // takes its own fields, ignores the rest
    for (const k of ['center', 'padMode', 'power', 'melScale', 'norm', 'log'] as const)
      seen.add(`${k}=${p[k]}`);
    seen.add(`fMax=${c.fMax === undefined ? 'default' : 'given'}`);
    seen.add(`winLength${p.winLength === p.nFft ? '=' : '!='}nFft`);
    const ref = new Float32Array(readFileSync(join(DIR, c.file)).buffer.slice(0));
    const m = new MelSpectrogram(p).compute(input(c));
    assert.deepEqual([m.frames, m.bins], [c.frames, c.mels], c.file);
    let worst = 0;
    for (let i = 0; i < ref.length; i++) {
      const err = Math.abs(m.data[i] - ref[i]);
      const allowed = Math.max(REL * Math.abs(ref[i]), ABS * c.peak);
      worst = Math.max(worst, err / allowed);
      assert.ok(err <= allowed, `${c.file}[${i}]: ${m.data[i]} vs librosa ${ref[i]}`);
    }
    console.log(`${c.file}: worst error ${worst.toExponential(2)} of the bound`);
  }
  // The cases cover every option value the brief names.
  for (const s of [
    'center=true',
    'center=false',
    'padMode=reflect',
    'padMode=constant',
    'power=1',
    'power=2',
    'melScale=htk',
    'melScale=slaney',
    'norm=slaney',
    'norm=none',
    'log=log',
    'log=db',
    'log=none',
    'fMax=default',
    'fMax=given',
    'winLength!=nFft',
    'winLength=nFft',
  ])
    assert.ok(seen.has(s), s);
});

test('RealDft64 of any length equals the direct DFT', () => {
  for (const n of [2, 3, 5, 12, 255, 400, 512]) {
    const dft = new RealDft64(n);
    const x = Array.from({ length: n }, (_, i) => Math.sin(0.37 * i * i) + 0.1 * i);
    dft.input.set(x);
    const y = dft.run();
    for (let k = 0; k <= Math.floor(n / 2); k++) {
      let re = 0;
      let im = 0;
      for (let t = 0; t < n; t++) {
        re += x[t] * Math.cos((2 * Math.PI * k * t) / n);
        im -= x[t] * Math.sin((2 * Math.PI * k * t) / n);
      }
      assert.ok(
        Math.abs(y[2 * k] - re) < 1e-9 * n && Math.abs(y[2 * k + 1] - im) < 1e-9 * n,
        `n=${n} k=${k}`,
      );
    }
  }
});
