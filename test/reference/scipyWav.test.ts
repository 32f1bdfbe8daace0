// scipy's own odd and broken WAV files (scipy/io/tests/data): each is read as scipy reads it (per
// channel: the first 16 samples, the sum and an index-weighted sum of scipy's samples, so a channel swap
// or a shifted frame fails; peak and RMS) or refused with a WavError; expected.json was made by
// scipy.io.wavfile (make_expected.py).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { decodeWav, WavError } from '../../src/audio/wavDecode';
import { channelStats } from '../../src/audio/stats';

const DIR = join(__dirname, '../fixtures/scipy-wav');
interface Samples {
  sampleRate: number;
  channels: number;
  frames: number;
  peak: number[];
  rms: number[];
  first: number[][];
  sum: number[];
  weightedSum: number[];
}
interface Expected extends Partial<Samples> {
  file: string;
  ok: boolean;
  error?: string;
  header: { fmt?: { formatName?: string } };
  /** scipy's samples of a file it refuses only for a block align too small, read with channels x bits. */
  repaired?: Samples;
}

/** Float32 holds a normalised sample to 2^-24 relative; 64-bit containers are read from their top 32 bits. */
const near = (a: number, b: number, n = 1) => Math.abs(a - b) <= 1e-7 * n * Math.max(1, Math.abs(b));

/** The decoded channels against scipy's: rate, shape, per-channel checksums, peak and RMS. */
function assertSamples(decoded: ReturnType<typeof decodeWav>, e: Samples): void {
  assert.equal(decoded.facts.sampleRate, e.sampleRate);
  assert.equal(decoded.facts.channels, e.channels);
  assert.equal(decoded.facts.frames, e.frames);
  decoded.channels.forEach((c, i) => {
    e.first[i].forEach((v, k) => assert.ok(near(c[k], v), `ch${i}[${k}] ${c[k]} vs scipy ${v}`));
    let sum = 0;
    let weighted = 0;
    for (let k = 0; k < c.length; k++) {
      sum += c[k];
      weighted += (k + 1) * c[k];
    }
    weighted /= Math.max(1, c.length);
    assert.ok(near(sum, e.sum[i], c.length), `ch${i} sum ${sum} vs scipy ${e.sum[i]}`);
    assert.ok(
      near(weighted, e.weightedSum[i], c.length),
      `ch${i} weighted ${weighted} vs ${e.weightedSum[i]}`,
    );
    const s = channelStats(c);
    assert.ok(Math.abs(s.peak - e.peak[i]) <= 1e-6, `ch${i} peak ${s.peak} vs ${e.peak[i]}`);
    assert.ok(Math.abs(s.rms - e.rms[i]) <= 1e-6, `ch${i} rms ${s.rms} vs ${e.rms[i]}`);
  });
}
const expected: { files: Expected[] } = JSON.parse(readFileSync(join(DIR, 'expected.json'), 'utf8'));

test('all 22 scipy files are covered', () => {
  assert.equal(expected.files.length, 22);
  // 18 read by scipy, 1 more read as scipy reads it once its block align is trusted to channels x bits.
  assert.equal(expected.files.filter((e) => e.ok).length, 18);
  assert.deepEqual(
    expected.files.filter((e) => e.repaired).map((e) => e.file),
    ['test-8000Hz-le-3ch-5S-24bit-inconsistent.wav'],
  );
});

for (const e of expected.files) {
  const what = e.ok
    ? 'read as scipy reads it'
    : e.repaired
      ? 'read as scipy reads it with channels x bits, with a warning'
      : `scipy refuses (${e.error})`;
  test(`${e.file}: ${what}`, () => {
    const bytes = readFileSync(join(DIR, e.file));
    let decoded: ReturnType<typeof decodeWav> | undefined;
    let reason: string | undefined;
    try {
      decoded = decodeWav(bytes);
    } catch (err) {
      assert.ok(err instanceof WavError, `not a WavError: ${err}`);
      reason = err.reason;
    }
    if (e.ok) {
      assert.ok(decoded, `refused: ${reason}`);
      assertSamples(decoded, e as Samples);
    } else if (e.repaired) {
      // scipy refuses the header (byte rate != rate x block align); channels, bits and byte rate agree.
      assert.ok(decoded, `refused: ${reason}`);
      assertSamples(decoded, e.repaired);
      assert.deepEqual(decoded.warnings, [
        'block align 4 is too small for 3 channels of 24 bits; read as 9-byte frames, as channels, bits and the byte rate 72000 agree',
      ]);
    } else if (decoded) {
      // scipy refuses G.711; this decoder reads it (checked against wavefile in wavDecode.test.ts).
      assert.ok(
        ['MULAW', 'ALAW'].includes(e.header.fmt?.formatName ?? ''),
        `decoded a file scipy refuses: ${e.error}`,
      );
      assert.ok(decoded.facts.frames > 0);
    } else {
      assert.ok(reason && reason.length > 8, `unclear reason: ${reason}`);
    }
  });
}

test('a block align too small is refused when the byte rate does not agree with channels and bits either', () => {
  const bytes = new Uint8Array(readFileSync(join(DIR, 'test-8000Hz-le-3ch-5S-24bit-inconsistent.wav')));
  const dv = new DataView(bytes.buffer);
  assert.equal(dv.getUint32(28, true), 72000); // fmt at 12: byte rate at 12 + 8 + 8
  dv.setUint32(28, 32000, true); // now rate x block align: the header agrees with itself, not with the bits
  assert.throws(
    () => decodeWav(bytes),
    (err: unknown) =>
      err instanceof WavError &&
      err.reason ===
        'inconsistent fmt chunk: block align 4 is too small for 3 channels of 24 bits (and the byte rate 32000 is not 8000 x 9 either)',
  );
});
