// scipy's own odd and broken WAV files (scipy/io/tests/data): each is read as scipy reads it (peak and
// RMS per channel within 1e-3) or refused with a WavError; expected.json was made by scipy.io.wavfile.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { decodeWav, WavError } from '../../src/audio/wavDecode';
import { channelStats } from '../../src/audio/stats';

const DIR = join(__dirname, '../fixtures/scipy-wav');
interface Expected {
  file: string;
  ok: boolean;
  sampleRate?: number;
  channels?: number;
  frames?: number;
  peak?: number[];
  rms?: number[];
  error?: string;
  header: { fmt?: { formatName?: string } };
}
const expected: { files: Expected[] } = JSON.parse(readFileSync(join(DIR, 'expected.json'), 'utf8'));

test('all 22 scipy files are covered', () => assert.equal(expected.files.length, 22));

for (const e of expected.files) {
  test(`${e.file}: ${e.ok ? 'read as scipy reads it' : `scipy refuses (${e.error})`}`, () => {
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
      assert.equal(decoded.facts.sampleRate, e.sampleRate);
      assert.equal(decoded.facts.channels, e.channels);
      assert.equal(decoded.facts.frames, e.frames);
      decoded.channels.forEach((c, i) => {
        const s = channelStats(c);
        assert.ok(Math.abs(s.peak - e.peak![i]) <= 1e-3, `ch${i} peak ${s.peak} vs ${e.peak![i]}`);
        assert.ok(Math.abs(s.rms - e.rms![i]) <= 1e-3, `ch${i} rms ${s.rms} vs ${e.rms![i]}`);
      });
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
