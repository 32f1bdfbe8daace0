// Long compressed files read by ranges: any range, decoded from the nearest frame before it, equals
// the same samples of the whole-file decode (itself checked against ffmpeg in compressed.test.ts):
// FLAC and Ogg Vorbis bit for bit, MP3 within the lossy tolerance of compressed.test.ts, Opus within
// OPUS_TOL. Fixtures and the script that made them: test/fixtures/compressed/make_range_fixtures.sh.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { decodeCompressed, memoryReader } from '../../../src/audio/audioDecode';
import { memorySource, type ByteSource } from '../../../src/audio/byteSource';
import { readFlacHeader, readMp3Header } from '../../../src/audio/codecHeaders';
import { CompressedSource } from '../../../src/audio/compressedSource';
import { FlacRanges } from '../../../src/audio/flacRanges';
import { Mp3Ranges, type RangeDecoder } from '../../../src/audio/mp3Ranges';
import { OggRanges } from '../../../src/audio/oggRanges';
import { WavDocumentModel } from '../../../src/audio/wavDocumentModel';

const D = 'test/fixtures/compressed';
const LOSSY_TOL = 1e-4;
/**
 * Opus after OPUS_PREROLL (600 ms): measured equal to the whole decode on both Opus fixtures; the
 * tolerance leaves room for float rounding only. With a shorter pre-roll the same ranges are off by
 * up to 6.1e-5 (500 ms, mono SILK), 1.1e-3 (400 ms) and 9.8e-4 (80 ms, RFC 7845's minimum), and one
 * placed a sample off by at least 8.7e-3 (every 3,000-sample stretch of these noisy fixtures).
 */
const OPUS_TOL = 1e-6;

type Kind = 'flac' | 'mp3' | 'ogg';
const kindOf = (f: string): Kind => (f.endsWith('.mp3') ? 'mp3' : f.endsWith('.flac') ? 'flac' : 'ogg');
const tolOf = (f: string) => (f.endsWith('.mp3') ? LOSSY_TOL : f.endsWith('.opus') ? OPUS_TOL : 0);
/** A CompressedSource of any of the fixtures (an Ogg one must be read by ranges). */
async function sourceOf(f: string, bytes: Uint8Array): Promise<CompressedSource> {
  const kind = kindOf(f);
  if (kind !== 'ogg') return CompressedSource.open(kind, memorySource(bytes));
  const s = await CompressedSource.openOgg(memorySource(bytes));
  assert.ok(s, `${f} is read by ranges`);
  return s;
}

/** A ByteSource that counts the bytes read (a range must not read the whole file). */
function counted(bytes: Uint8Array): ByteSource & { readBytes: number } {
  const m = memorySource(bytes);
  const s = {
    size: m.size,
    readBytes: 0,
    read: async (o: number, b: Uint8Array) => {
      const n = await m.read(o, b);
      s.readBytes += n;
      return n;
    },
    close: m.close,
  };
  return s;
}

/** Deterministic offsets (a fixed-seed LCG): the same ranges every run. */
function* ranges(total: number, count: number): Generator<[number, number]> {
  let x = 12345;
  const next = () => (x = (x * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  yield [0, 100];
  yield [total - 100, total];
  for (let i = 0; i < count; i++) {
    const a = Math.floor(next() * total);
    yield [a, Math.min(total, a + 1 + Math.floor(next() * 3000))];
  }
}

async function open(f: string, bytes: Uint8Array, src: ByteSource): Promise<RangeDecoder> {
  if (f.endsWith('.mp3')) return Mp3Ranges.open(src, readMp3Header(bytes, bytes.length));
  if (kindOf(f) === 'ogg') {
    // Small pieces, so that the bisection over pages runs many steps on a small file.
    const r = await OggRanges.open(src, bytes, 1024);
    assert.ok(r, `${f} is read by ranges`);
    return r;
  }
  // Small search pieces, so that the interpolation search over frame headers runs on a small file.
  const h = readFlacHeader(bytes, bytes.length);
  return FlacRanges.open(src, h, bytes.subarray(0, h.audioOffset), { piece: 2048, closeEnough: 600 });
}

const files = [
  ...['range_seek.flac', 'range_noseek.flac', 'range_vbr.mp3', 'range_notag.mp3'],
  // Ogg: Vorbis stereo 44.1 kHz, Opus stereo and mono, Vorbis whose granules start at 1,000,000.
  ...['range_vorbis.ogg', 'range_stereo.opus', 'range_mono.opus', 'range_shifted.ogg'],
];
for (const f of files) {
  test(`${f}: ranges at random offsets equal the whole decode's samples`, async () => {
    const bytes = readFileSync(join(D, f));
    const whole = await decodeCompressed(kindOf(f), memoryReader(bytes));
    const src = counted(bytes);
    const r = await open(f, bytes, src);
    try {
      assert.equal(r.frames, whole.facts.frames);
      const tol = tolOf(f);
      for (const [a, b] of ranges(r.frames, 60)) {
        const got = await r.decode(a, b);
        assert.equal(got.length, whole.channels.length);
        for (let ch = 0; ch < got.length; ch++) {
          const want = whole.channels[ch].subarray(a, b);
          assert.equal(got[ch].length, want.length);
          let worst = 0;
          for (let i = 0; i < want.length; i++) worst = Math.max(worst, Math.abs(got[ch][i] - want[i]));
          assert.ok(worst <= tol, `${f} [${a}, ${b}) channel ${ch}: off by ${worst}`);
        }
      }
      // A short range near the end reads a small part of the file, not all of it.
      src.readBytes = 0;
      await r.decode(r.frames - 500, r.frames - 400);
      assert.ok(src.readBytes < bytes.length / 2, `${src.readBytes} of ${bytes.length} bytes read`);
    } finally {
      r.free();
    }
  });
}

test('CompressedSource: cached blocks, long reads and the streamed pass give the whole decode', async () => {
  for (const f of ['range_seek.flac', 'range_vbr.mp3', 'range_vorbis.ogg', 'range_stereo.opus']) {
    const bytes = readFileSync(join(D, f));
    const whole = await decodeCompressed(kindOf(f), memoryReader(bytes));
    const s = await sourceOf(f, bytes);
    const tol = tolOf(f);
    const near = (x: Float32Array, y: Float32Array) =>
      x.length === y.length && x.every((v, i) => Math.abs(v - y[i]) <= tol);
    assert.deepEqual(s.facts, whole.facts);
    const total = s.facts.frames;
    for (const [a, n] of [
      [8000, 400], // inside a block
      [8100, 200], // across two blocks
      [100, total], // longer than a block
      [total - 50, 200], // clipped at the end
    ]) {
      const got = await s.frames(a, n);
      for (let ch = 0; ch < got.length; ch++)
        assert.ok(near(got[ch], whole.channels[ch].subarray(a, Math.min(total, a + n))), `${f} ${a}+${n}`);
    }
    let at = 0;
    for await (const c of s.chunks()) {
      assert.equal(c.start, at);
      assert.ok(near(c.channels[0], whole.channels[0].subarray(at, at + c.channels[0].length)));
      at += c.channels[0].length;
    }
    assert.equal(at, total);
    await s.close();
  }
});

test('the editor model reads a long FLAC, MP3 or Ogg by ranges and shows what the whole decode shows', async () => {
  for (const f of ['range_seek.flac', 'range_vbr.mp3', 'range_vorbis.ogg', 'range_mono.opus']) {
    const bytes = readFileSync(join(D, f));
    const whole = await WavDocumentModel.open(memorySource(bytes));
    const long = await WavDocumentModel.open(memorySource(bytes), { wholeDecodeSamples: 1000 });
    assert.equal(whole.whole, true);
    assert.equal(long.whole, false);
    assert.deepEqual(long.facts, whole.facts);
    const d = whole.facts.durationSec;
    const [w1, w2] = [await whole.waveform(0.5, 0.9, 300), await long.waveform(0.5, 0.9, 300)];
    const tol = tolOf(f);
    assert.ok(w1.max.every((v, i) => Math.abs(v - w2.max[i]) <= tol));
    const [o1, o2] = [await whole.overview(-60), await long.overview(-60)];
    assert.ok(o1.waveform.min.every((v, i) => Math.abs(v - o2.waveform.min[i]) <= tol));
    const [s1, s2] = [await whole.spectrogram(0, d, 200), await long.spectrogram(0, d, 200)];
    assert.deepEqual(s2.times, s1.times);
    // dB of the same windows (lossy: the tolerance on samples moves quiet bins a little).
    let worst = 0;
    for (let i = 0; i < s1.db.length; i++)
      if (s1.db[i] > -80) worst = Math.max(worst, Math.abs(s1.db[i] - s2.db[i]));
    assert.ok(worst <= (tol ? 0.1 : 1e-3), `${f}: spectrogram off by ${worst} dB`);
    whole.dispose();
    long.dispose();
  }
});

test('Ogg: a page with a wrong CRC fails the ranges that need it with one line; the others still read', async () => {
  // range_badpage.opus is range_stereo.opus with one byte of the page at byte 30060 flipped.
  const clean = readFileSync(join(D, 'range_stereo.opus'));
  const bytes = readFileSync(join(D, 'range_badpage.opus'));
  const whole = await decodeCompressed('ogg', memoryReader(clean));
  await assert.rejects(
    decodeCompressed('ogg', memoryReader(bytes)),
    /corrupt Ogg page at byte 30060 \(wrong CRC\)/,
  );
  const r = await OggRanges.open(memorySource(bytes), bytes, 1024);
  assert.ok(r);
  try {
    assert.equal(r.frames, whole.facts.frames);
    let failed = 0;
    let read = 0;
    for (const [a, b] of ranges(r.frames, 60)) {
      let got: Float32Array[];
      try {
        got = await r.decode(a, b);
      } catch (e) {
        assert.equal((e as Error).message, 'corrupt Ogg page at byte 30060 (wrong CRC)');
        failed++;
        continue;
      }
      read++;
      for (let ch = 0; ch < got.length; ch++)
        for (let i = 0; i < b - a; i++)
          assert.ok(Math.abs(got[ch][i] - whole.channels[ch][a + i]) <= OPUS_TOL, `[${a}, ${b}) ${ch} ${i}`);
    }
    // The page sits in the middle (its ranges fail); the start and the end still read.
    await assert.rejects(
      r.decode(r.frames / 2, r.frames / 2 + 100),
      /corrupt Ogg page at byte 30060 \(wrong CRC\)/,
    );
    assert.ok(failed > 0 && read > 50, `${failed} failed, ${read} read`);
  } finally {
    r.free();
  }
});

test('Ogg files not suited to ranges are decoded whole as before (several streams, chained, truncated)', async () => {
  const vorbis = readFileSync(join(D, 'range_vorbis.ogg'));
  const cases: [string, Uint8Array, RegExp][] = [
    ['two_streams.ogg', readFileSync(join(D, 'two_streams.ogg')), /logical streams/],
    ['chained.opus', readFileSync(join(D, 'chained.opus')), /chains/],
    ['truncated.ogg', vorbis.subarray(0, Math.floor(vorbis.length * 0.7)), /truncated/],
  ];
  for (const [name, bytes, warning] of cases) {
    assert.equal(await CompressedSource.openOgg(memorySource(bytes)), undefined, name);
    const m = await WavDocumentModel.open(memorySource(bytes), { wholeDecodeSamples: 1000 });
    assert.equal(m.whole, true, name);
    assert.ok(
      m.warnings.some((w) => warning.test(w)),
      `${name}: ${m.warnings.join('; ')}`,
    );
    m.dispose();
  }
});

test("the editor's combined view of a long range reads each spectrogram window once and draws its waveform column from it", async () => {
  // 300 columns: windows close together, read through the block cache; 10: far apart, each decoded alone.
  for (const f of ['range_seek.flac', 'range_noseek.flac', 'range_vbr.mp3', 'range_notag.mp3'])
    for (const columns of [300, 10]) {
      const bytes = readFileSync(join(D, f));
      const whole = await WavDocumentModel.open(memorySource(bytes));
      // A view budget of a few windows: the whole file is "long", its waveform decimated.
      const src = counted(bytes);
      const lim = { wholeDecodeSamples: 1000, viewReadBytes: 64 << 10 };
      const long = await WavDocumentModel.open(src, lim);
      const sepSrc = counted(bytes);
      const sep = await WavDocumentModel.open(sepSrc, lim);
      const d = whole.facts.durationSec;
      const before = src.readBytes;
      const v = await long.views(0, d, columns);
      const read = src.readBytes - before;
      assert.equal(v.waveform.decimated, true);
      // The spectrogram is the one asked for on its own; its windows are the waveform's columns.
      const sepBefore = sepSrc.readBytes;
      const s = await sep.spectrogram(0, d, columns);
      await sep.waveform(0, d, columns);
      const sepRead = sepSrc.readBytes - sepBefore;
      assert.deepEqual(v.spectrogram.times, s.times);
      assert.equal(v.waveform.columns, s.frames);
      assert.ok(s.frames >= 5, `${f}: ${s.frames} frames`);
      // FLAC bit for bit; MP3 windows decoded from another frame before them within the lossy
      // tolerance, which moves loud bins by far less than 0.1 dB.
      const tol = f.endsWith('.flac') ? 0 : LOSSY_TOL;
      if (!tol) assert.deepEqual(v.spectrogram.db, s.db);
      for (let i = 0; i < s.db.length; i++)
        if (s.db[i] > -80)
          assert.ok(Math.abs(s.db[i] - v.spectrogram.db[i]) <= 0.1, `${f} ${columns}: bin ${i}`);
      // Column c: min/max of the whole decode over frame c's window (FLAC exact, MP3 within the lossy tolerance).
      const rate = whole.facts.sampleRate;
      const win = Math.round(rate * 0.03);
      const chans = whole.channelsShown;
      const all = await Promise.all(
        Array.from({ length: chans }, (_, ch) => whole.source.frames(0, whole.facts.frames, ch)),
      );
      for (let c = 0; c < v.waveform.columns; c++) {
        const st = Math.round(s.times[c] * rate - win / 2);
        for (let ch = 0; ch < chans; ch++) {
          const x = all[ch][0].subarray(st, st + win);
          const [lo, hi] = [Math.min(...x), Math.max(...x)];
          const k = ch * v.waveform.columns + c;
          assert.ok(
            Math.abs(v.waveform.min[k] - lo) <= tol && Math.abs(v.waveform.max[k] - hi) <= tol,
            `${f} column ${c}`,
          );
        }
      }
      // One read per window, none for the waveform: no more than the two views read apart (close
      // windows, through the block cache; far ones each read a search piece, more than this small
      // file's few cached blocks).
      if (columns > 10) assert.ok(read <= sepRead, `${f}: read ${read} bytes, apart ${sepRead}`);
      for (const m of [whole, long, sep]) m.dispose();
    }
});
