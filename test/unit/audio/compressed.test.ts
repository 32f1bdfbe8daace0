// Compressed formats against ffmpeg's decodes of the same files (test/fixtures/compressed, made by
// make_fixtures.sh), sample by sample. FLAC: the exact integers. Lossy codecs: the same decoder
// algorithms, so differences are float rounding; measured maxima over these fixtures: MP3 (mpg123 vs
// ffmpeg's mp3float) 1.2e-6, Vorbis (libvorbis vs ffmpeg's vorbis) 2.4e-7, Opus (libopus, float
// build here, vs ffmpeg's libopus) 1.5e-5 (3.3e-8 rms). The tolerance, 1e-4, is ~7x the largest of
// them and ~100x below what the coding itself changes (the clips against their sources: 1e-2 rms).
// A decode shifted by one sample (a left-in decoder delay or pre-skip) fails it: each test checks so.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { decodeAudio } from '../../../src/audio/audioDecode';
import { decodeWav } from '../../../src/audio/wavDecode';
import { decodeAnyToRate, decodeToRate } from '../../../src/audio/load';
import { FeatureExtractor } from '../../../src/audio/features';
import { memorySource } from '../../../src/audio/byteSource';
import { WavDocumentModel } from '../../../src/audio/wavDocumentModel';
import { openFrameReader } from '../../../src/audio/audioFile';
import { WavFile } from '../../../src/audio/wavFile';
import { tempDir } from '../tempDir';

const D = 'test/fixtures/compressed';
const file = (f: string) => readFileSync(join(D, f));
const LOSSY_TOL = 1e-4;

/** ffmpeg's interleaved reference as per-channel float in [-1, 1]. */
function reference(f: string, channels: number, type: 's16' | 's32' | 'f32'): Float32Array[] {
  const b = file(f);
  const all =
    type === 's16'
      ? Float32Array.from(new Int16Array(b.buffer, b.byteOffset, b.length / 2), (v) => v / 32768)
      : type === 's32'
        ? Float32Array.from(new Int32Array(b.buffer, b.byteOffset, b.length / 4), (v) => v / 2 ** 31)
        : new Float32Array(b.buffer.slice(b.byteOffset, b.byteOffset + b.length));
  return Array.from({ length: channels }, (_, c) =>
    Float32Array.from({ length: all.length / channels }, (_, i) => all[i * channels + c]),
  );
}

function maxDiff(a: Float32Array, b: Float32Array, shift = 0): number {
  let m = 0;
  for (let i = Math.max(0, -shift); i < b.length && i + shift < a.length; i++)
    m = Math.max(m, Math.abs(a[i + shift] - b[i]));
  return m;
}

// Odd ones (make_odd_flac.sh): after an ID3v2 tag, and in Ogg pages (Ogg FLAC).
const flac: [string, number, 's16' | 's32', number, number, 'FLAC' | 'Ogg'][] = [
  ['speech.flac', 1, 's16', 16, 16000, 'FLAC'],
  ['stereo24.flac', 2, 's32', 24, 44100, 'FLAC'],
  ['full24.flac', 1, 's32', 24, 48000, 'FLAC'],
  ['id3.flac', 1, 's16', 16, 16000, 'FLAC'],
  ['ogg_flac.oga', 2, 's32', 24, 44100, 'Ogg'],
];
for (const [f, ch, type, bits, rate, container] of flac) {
  test(`${f}: bit-exact with ffmpeg (${bits}-bit, ${ch} ch)`, async () => {
    const d = await decodeAudio(file(f));
    const ref = reference(`${f}.${type}`, ch, type);
    assert.equal(d.facts.container, container);
    assert.equal(d.facts.bitsPerSample, bits);
    assert.equal(d.facts.sampleRate, rate);
    assert.equal(d.channels.length, ch);
    assert.deepEqual(d.warnings, []);
    for (let c = 0; c < ch; c++) {
      assert.equal(d.channels[c].length, ref[c].length);
      assert.deepEqual(d.channels[c], ref[c]);
    }
  });
}

test('a 16-bit FLAC gives the same samples and features as the WAV it was made from', async () => {
  const wav = decodeToRate('speech.wav', file('speech.wav'));
  const fl = await decodeAnyToRate('speech.flac', file('speech.flac'));
  assert.deepEqual(fl.samples, wav.samples);
  const fx = await FeatureExtractor.create({ type: 'mfcc' });
  assert.deepEqual(fx.compute(fl.samples).data, fx.compute(wav.samples).data);
});

test('20- and 32-bit FLAC are refused with one line: the decoder does not give them exactly', async () => {
  await assert.rejects(decodeAudio(file('mono20.flac')), /unsupported FLAC sample size: 20 bits/);
  await assert.rejects(decodeAudio(file('mono32.flac')), /unsupported FLAC sample size: 32 bits/);
});

test('FLAC after an ID3v2 tag, in the editor and by ranges: the tag is skipped, however long', async () => {
  // A tag longer than the bytes first read for the headers (a cover picture, say).
  const plain = file('speech.flac');
  const body = new Uint8Array(300_000);
  const n = body.length;
  const tag = [0x49, 0x44, 0x33, 4, 0, 0, (n >> 21) & 127, (n >> 14) & 127, (n >> 7) & 127, n & 127];
  const tagged = Buffer.concat([Buffer.from(tag), body, plain]);
  const ref = reference('speech.flac.s16', 1, 's16')[0];
  assert.deepEqual((await decodeAudio(tagged)).channels[0], ref);
  const whole = await WavDocumentModel.open(memorySource(tagged));
  const long = await WavDocumentModel.open(memorySource(tagged), { wholeDecodeSamples: 1000 });
  assert.equal(whole.whole, true);
  assert.equal(long.whole, false);
  assert.deepEqual(await long.read(5000, 3000), ref.subarray(5000, 8000));
  assert.deepEqual(await whole.read(5000, 3000), ref.subarray(5000, 8000));
  whole.dispose();
  long.dispose();
  // evaluate's reader of long recordings (openFrameReader) skips it too.
  const path = join(tempDir('wb-id3-'), 'tagged.flac');
  writeFileSync(path, tagged);
  const wf = WavFile.openSync(path);
  const reader = await openFrameReader(wf);
  assert.deepEqual((await reader.frames(5000, 3000))[0], ref.subarray(5000, 8000));
  await reader.close();
  wf.close();
});

const lossy: [string, number, number, string][] = [
  ['speech.mp3', 1, 16000, 'mp3'],
  ['stereo_vbr.mp3', 2, 44100, 'mp3'],
  ['speech.ogg', 1, 16000, 'vorbis'],
  ['stereo.ogg', 2, 44100, 'vorbis'],
  ['speech.opus', 1, 48000, 'opus'],
];
for (const [f, ch, rate, format] of lossy) {
  test(`${f}: ${format} aligned with ffmpeg's decode, within ${LOSSY_TOL}`, async () => {
    const d = await decodeAudio(file(f));
    const ref = reference(`${f}.f32`, ch, 'f32');
    assert.equal(d.facts.format, format);
    assert.equal(d.facts.sampleRate, rate);
    assert.equal(d.channels.length, ch, 'channel count (mono stays mono)');
    let shifted = 0;
    // The source's length (delay and padding removed, the end trimmed to the last granule). ffmpeg
    // trims stereo.ogg's end 12 samples later than its last granule says: compared over the source's length.
    const sourceLength = ch === 2 ? 8820 : rate;
    for (let c = 0; c < ch; c++) {
      assert.equal(d.channels[c].length, sourceLength, 'length (delay and padding removed)');
      if (f !== 'stereo.ogg') assert.equal(ref[c].length, sourceLength);
      const e = maxDiff(d.channels[c], ref[c]);
      assert.ok(e <= LOSSY_TOL, `channel ${c}: max difference ${e}`);
      shifted = Math.max(shifted, maxDiff(d.channels[c], ref[c], 1));
    }
    // The same comparison catches a one-sample misalignment.
    assert.ok(shifted > 50 * LOSSY_TOL, `one-sample shift: ${shifted}`);
  });
}

test('MP3 facts: LAME gapless values, bitrate, VBR', async () => {
  const cbr = await decodeAudio(file('speech.mp3'));
  assert.equal(cbr.facts.codec?.bitrateKbps, 48);
  assert.equal(cbr.facts.codec?.vbr, false);
  assert.ok((cbr.facts.codec?.encoderDelay ?? 0) > 0);
  assert.equal(cbr.facts.frames, 16000);
  const vbr = await decodeAudio(file('stereo_vbr.mp3'));
  assert.equal(vbr.facts.codec?.vbr, true);
  assert.equal(vbr.facts.frames, 8820);
  assert.equal(vbr.facts.codec?.declaredFrames, 8820);
});

test('Opus: pre-skip read and removed, 48 kHz resampled to 16 kHz by resample.ts', async () => {
  const d = await decodeAudio(file('speech.opus'));
  assert.equal(d.facts.codec?.preSkip, 312);
  assert.equal(d.facts.codec?.inputRate, 16000);
  const a = await decodeAnyToRate('speech.opus', file('speech.opus'), 16000);
  assert.equal(a.samples.length, 16000);
});

test('Ogg with two logical streams: the first audio stream, said in a warning', async () => {
  const d = await decodeAudio(file('two_streams.ogg'));
  const ref = reference('two_streams.ogg.f32', 1, 'f32');
  assert.equal(d.channels.length, 1);
  // The source's 16,000 samples; ffmpeg's decode of this two-stream file stops 256 samples short of
  // the stream's last granule, so the comparison runs over its length (aligned at lag 0).
  assert.equal(d.channels[0].length, 16000);
  assert.equal(ref[0].length, 15744);
  assert.ok(maxDiff(d.channels[0], ref[0]) <= LOSSY_TOL);
  assert.ok(maxDiff(d.channels[0], ref[0], 1) > 100 * LOSSY_TOL);
  assert.ok(
    d.warnings.some((w) => /2 logical streams: only the first audio stream/.test(w)),
    String(d.warnings),
  );
});

test('chained Ogg: the first link, said in a warning', async () => {
  const d = await decodeAudio(file('chained.opus'));
  assert.equal(d.channels[0].length, 48000);
  assert.ok(
    d.warnings.some((w) => /chains 2 streams/.test(w)),
    String(d.warnings),
  );
});

test('sniffed by content: a FLAC named .wav decodes as FLAC; M4A is refused naming its format', async () => {
  const d = await decodeAnyToRate('x.wav', file('speech.flac'));
  assert.equal(d.facts.container, 'FLAC');
  await assert.rejects(decodeAudio(file('refused.m4a')), /^WavError: unsupported format: MP4\/M4A/);
  assert.deepEqual(decodeWav(file('speech.wav')).channels, (await decodeAudio(file('speech.wav'))).channels);
});

test('the editor document model serves a FLAC and an MP3: facts, overview, waveform, spectrogram, playback', async () => {
  const { WavDocumentModel } = await import('../../../src/audio/wavDocumentModel');
  const { memorySource } = await import('../../../src/audio/byteSource');
  for (const [f, format] of [
    ['speech.flac', 'flac'],
    ['stereo_vbr.mp3', 'mp3'],
  ]) {
    const m = await WavDocumentModel.open(memorySource(file(f)));
    try {
      const whole = await decodeAudio(file(f));
      assert.equal(m.facts.format, format);
      assert.equal(m.facts.frames, whole.channels[0].length);
      const o = await m.overview(-60);
      assert.equal(o.stats.length, whole.channels.length);
      const w = await m.waveform(0, m.facts.durationSec, 100);
      assert.ok(Math.max(...w.max) > 0.05);
      const sp = await m.spectrogram(0, m.facts.durationSec, 50);
      assert.ok(sp.frames > 0);
      const a = await m.audio(0, 10);
      assert.equal(a.samples.length, m.facts.frames);
    } finally {
      m.dispose();
    }
  }
});

test('a whole decode beyond its sample limit is refused with one line, before decoding when the header tells', async () => {
  const { decodeCompressed, memoryReader } = await import('../../../src/audio/audioDecode');
  // long.mp3 declares 64,000 frames in its Xing header; long.opus declares none (found while decoding).
  await assert.rejects(
    decodeCompressed('mp3', memoryReader(file('long.mp3')), 1000),
    /^WavError: too long to decode whole \(4\.0 s of 1-channel MP3, more than 1000 samples\)$/,
  );
  await assert.rejects(
    decodeCompressed('ogg', memoryReader(file('long.opus')), 1000),
    /too long to decode whole/,
  );
});
