// The editor's document model in plain Node: range reads at the file's edges, a file that changes
// size, a one-hour file's overview in bounded memory, views bounded whatever the channel count, FIFOs refused.
import { SNIFF_BYTES } from '../../../src/audio/sniff';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { WaveFile } from 'wavefile';
import { memorySource, NotAFileError, openFileSource, type ByteSource } from '../../../src/audio/byteSource';
import { WavError } from '../../../src/audio/wavDecode';
import { WavDocumentModel } from '../../../src/audio/wavDocumentModel';
import { waveformOverview } from '../../../src/audio/waveformOverview';
import { MAX_READ_BYTES } from '../../../src/audio/wavSource';

/** 16-bit PCM WAV bytes of `samples` (int16 values) at `rate`, `channels` interleaved. */
function wav(samples: number[][], rate = 16000): Uint8Array {
  const w = new WaveFile();
  w.fromScratch(samples.length, rate, '16', samples.length === 1 ? samples[0] : samples);
  return w.toBuffer();
}

/** A ramp -16000..16000 over n samples: every column's min/max is known. */
const ramp = (n: number) => Array.from({ length: n }, (_, i) => Math.round(-16000 + (32000 * i) / (n - 1)));

for (const mode of ['decoded whole', 'read by ranges'] as const) {
  test(`${mode}: waveform and spectrogram ranges at the file's edges`, async () => {
    const x = ramp(16000);
    const m = await WavDocumentModel.open(
      memorySource(wav([x])),
      mode === 'read by ranges' ? { wholeDecodeSamples: 0 } : {},
    );
    assert.equal(m.whole, mode === 'decoded whole');
    const f32 = Float32Array.from(x, (v) => v / 32768);
    // Before the start and past the end: clamped to [0, duration].
    const w = await m.waveform(-1, 0.25, 50);
    assert.equal(w.startSec, 0);
    assert.equal(w.endSec, 0.25);
    const ref = waveformOverview(f32, 0, 4000, 50);
    assert.deepEqual(Array.from(w.min), Array.from(ref.min));
    assert.deepEqual(Array.from(w.max), Array.from(ref.max));
    const tail = await m.waveform(0.9, 5, 10);
    assert.equal(tail.endSec, 1);
    const refTail = waveformOverview(f32, 14400, 16000, 10);
    assert.deepEqual(Array.from(tail.max), Array.from(refTail.max));
    assert.equal(tail.max[9], f32[15999]);
    // Mono reads straddling the edges are zero outside the file.
    const r = await m.read(-3, 6);
    assert.deepEqual(Array.from(r), [0, 0, 0, f32[0], f32[1], f32[2]]);
    const e = await m.read(15998, 4);
    assert.deepEqual(Array.from(e), [f32[15998], f32[15999], 0, 0]);
    // The spectrogram's last frame lies inside the file, whatever range was asked for.
    const s = await m.spectrogram(0.5, 9, 400);
    assert.ok(s.frames > 0);
    const times = new Float32Array(s.times);
    assert.ok(times[s.frames - 1] <= 1, `last frame at ${times[s.frames - 1]}`);
    assert.equal(s.endSec, 1);
    m.dispose();
  });
}

test('a file that shrinks after opening: the missing part reads as silence; a new model sees the new size', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'wb-doc-'));
  const p = join(dir, 'a.wav');
  const bytes = wav([ramp(16000)]);
  writeFileSync(p, bytes);
  const m = await WavDocumentModel.open(await openFileSource(p), { wholeDecodeSamples: 0 });
  assert.equal(m.facts.frames, 16000);
  truncateSync(p, 44 + 8000 * 2);
  const w = await m.waveform(0.75, 1, 4);
  assert.deepEqual(Array.from(w.max), [0, 0, 0, 0], 'frames past the new end read as zero');
  const head = await m.read(7998, 4);
  assert.ok(head[0] !== 0 && head[1] !== 0 && head[2] === 0 && head[3] === 0);
  m.dispose();
  const again = await WavDocumentModel.open(await openFileSource(p));
  assert.equal(again.facts.frames, 8000);
  again.dispose();
});

/** A one-hour 16-kHz mono 16-bit WAV generated on read (a 1 kHz sine at half scale): nothing on disk. */
function hourSource(onRead: (bytes: number) => void): ByteSource {
  const rate = 16000;
  const frames = 3600 * rate;
  const header = Buffer.from(wav([[0]]).subarray(0, 44));
  header.writeUInt32LE(36 + frames * 2, 4);
  header.writeUInt32LE(frames * 2, 40);
  const size = 44 + frames * 2;
  return {
    size,
    read: async (offset, buffer) => {
      onRead(buffer.length);
      const n = Math.max(0, Math.min(buffer.length, size - offset));
      const dv = new DataView(buffer.buffer, buffer.byteOffset, buffer.byteLength);
      for (let i = 0; i < n; i++) {
        const at = offset + i;
        if (at < 44) buffer[i] = header[at];
        else if ((at - 44) % 2 === 0 && i + 1 < n) {
          const k = (at - 44) / 2;
          dv.setInt16(i, Math.round(16384 * Math.sin((2 * Math.PI * 1000 * k) / rate)), true);
          i++;
        }
      }
      return n;
    },
    close: async () => undefined,
  };
}

test("a one-hour file's overview streams it in bounded pieces (memory measured, not timed)", async () => {
  let largest = 0;
  let total = 0;
  let peakArrayBuffers = 0;
  // Live memory, not garbage: collect before each measurement (at every read, about ten of them).
  setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc') as () => void;
  gc();
  const base = process.memoryUsage().arrayBuffers;
  const m = await WavDocumentModel.open(
    hourSource((n) => {
      largest = Math.max(largest, n);
      total += n;
      gc();
      peakArrayBuffers = Math.max(peakArrayBuffers, process.memoryUsage().arrayBuffers - base);
    }),
  );
  assert.equal(m.whole, false, 'not decoded whole');
  assert.equal(m.facts.durationSec, 3600);
  const o = await m.overview(-60);
  assert.ok(largest <= MAX_READ_BYTES, `largest read ${largest}`);
  // The first bytes sniffed (WAV or compressed?), the header prefix once, then every data byte once.
  assert.ok(total <= SNIFF_BYTES + 2 * 3600 * 16000 + (1 << 20) + 44, `read ${total} bytes`);
  // Decoded whole it would hold 230 MB of float32 (57.6 M samples); the scan holds a few pieces.
  assert.ok(
    peakArrayBuffers < 64 << 20,
    `array buffers grew by ${(peakArrayBuffers / 2 ** 20).toFixed(0)} MB`,
  );
  assert.ok(
    Math.abs(o.stats[0].peakDbfs - 20 * Math.log10(16384 / 32768)) < 0.01,
    `peak ${o.stats[0].peakDbfs}`,
  );
  assert.equal(o.waveform.columns, 1600);
  // A zoomed-out view of the whole hour after the scan comes from the overview: nothing more is read.
  const before = total;
  const w = await m.waveform(0, 3600, 800);
  assert.equal(total, before);
  assert.ok(Math.abs(w.max[400] - 0.5) < 1e-3);
  m.dispose();
});

test('a zoomed-out view of a large file decimates within its byte budget instead of reading the range', async () => {
  let total = 0;
  const m = await WavDocumentModel.open(
    hourSource((n) => (total += n)),
    { viewReadBytes: 1 << 20 },
  );
  const before = total;
  const w = await m.waveform(0, 1800, 500);
  assert.equal(w.decimated, true);
  assert.ok(total - before <= (1 << 20) + 500 * 2, `read ${total - before} bytes for the view`);
  assert.ok(w.max[250] > 0.45 && w.max[250] <= 0.5);
  m.dispose();
});

test("a one-hour WAV's first view reads only its spectrogram windows, its waveform drawn from them", async () => {
  let total = 0;
  const m = await WavDocumentModel.open(hourSource((n) => (total += n)));
  const apart = await WavDocumentModel.open(hourSource(() => undefined));
  const before = total;
  const v = await m.views(0, 3600, 1600);
  const s = await apart.spectrogram(0, 3600, 1600);
  assert.deepEqual(v.spectrogram.db, s.db);
  assert.deepEqual(v.spectrogram.times, s.times);
  // 1,200 windows of 480 samples (2 bytes each); the waveform on its own would read 32 MB more.
  assert.equal(v.spectrogram.frames, 1200);
  assert.equal(total - before, 1200 * 480 * 2);
  assert.equal(v.waveform.columns, 1200);
  assert.equal(v.waveform.decimated, true);
  // A 1-kHz sine at half scale: each 30-ms window holds its peaks.
  for (let c = 0; c < v.waveform.columns; c++)
    assert.ok(v.waveform.max[c] > 0.49 && v.waveform.min[c] < -0.49, `column ${c}`);
  m.dispose();
  apart.dispose();
});

test('65,535 channels: views carry only the shown channels, their bytes bounded', async () => {
  // 8-bit samples: a header's blockAlign is 16 bits, so 65,535 channels fit only at one byte each.
  const channels = 65535;
  const frames = 4;
  const blockAlign = channels;
  const b = Buffer.alloc(44 + frames * blockAlign);
  b.write('RIFF', 0);
  b.writeUInt32LE(36 + frames * blockAlign, 4);
  b.write('WAVEfmt ', 8);
  b.writeUInt32LE(16, 16);
  b.writeUInt16LE(1, 20);
  b.writeUInt16LE(channels, 22);
  b.writeUInt32LE(16000, 24);
  b.writeUInt32LE(16000 * blockAlign, 28);
  b.writeUInt16LE(blockAlign, 32);
  b.writeUInt16LE(8, 34);
  b.write('data', 36);
  b.writeUInt32LE(frames * blockAlign, 40);
  let m: WavDocumentModel;
  try {
    m = await WavDocumentModel.open(memorySource(b));
  } catch (e) {
    // The decoder may refuse such a channel count outright (one clear reason): also bounded.
    assert.ok(e instanceof WavError, String(e));
    return;
  }
  assert.equal(m.channelsShown, 8);
  const w = await m.waveform(0, 1, 4000);
  assert.equal(w.channels, 8);
  assert.equal(w.min.byteLength + w.max.byteLength, 2 * 4000 * 8 * 4);
  const o = await m.overview(-60);
  assert.equal(o.stats.length, 8);
  m.dispose();
});

test('a FIFO named .wav is refused at once, not read', { timeout: 20_000 }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'wb-fifo-'));
  const p = join(dir, 'pipe.wav');
  execFileSync('mkfifo', [p]);
  await assert.rejects(
    openFileSource(p),
    (e) => e instanceof NotAFileError && /not a regular file/.test(e.message),
  );
  // Four at once (the editor's old failure exhausted libuv's four threads): all refused.
  const all = await Promise.allSettled([1, 2, 3, 4].map(() => openFileSource(p)));
  assert.ok(all.every((r) => r.status === 'rejected'));
});
