// The decoder against files written by an independent writer (wavefile) and against hand-built
// headers for layouts it does not write (RF64, odd chunks, truncation).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { WaveFile } from 'wavefile';
import { decodeWav, WavError } from '../../../src/audio/wavDecode';

const RATE = 8000;
const N = 800;
/** A 440 Hz sine at amplitude `a` in [-1, 1]. */
function sine(a = 0.5, f = 440, phase = 0): Float64Array {
  return Float64Array.from({ length: N }, (_, i) => a * Math.sin((2 * Math.PI * f * i) / RATE + phase));
}

function toInt(x: Float64Array, bits: number): number[] {
  const s = 2 ** (bits - 1);
  return Array.from(x, (v) => Math.max(-s, Math.min(s - 1, Math.round(v * s))));
}

function maxErr(a: Float32Array, b: Float64Array): number {
  let m = 0;
  for (let i = 0; i < b.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}

const cases: {
  depth: string;
  samples: (x: Float64Array) => number[];
  tol: number;
  format: string;
  bits: number;
}[] = [
  { depth: '8', samples: (x) => toInt(x, 8).map((v) => v + 128), tol: 1 / 128, format: 'pcm', bits: 8 },
  { depth: '16', samples: (x) => toInt(x, 16), tol: 1 / 32768, format: 'pcm', bits: 16 },
  { depth: '24', samples: (x) => toInt(x, 24), tol: 1 / 8388608, format: 'pcm', bits: 24 },
  { depth: '32', samples: (x) => toInt(x, 32), tol: 1e-7, format: 'pcm', bits: 32 },
  { depth: '32f', samples: (x) => Array.from(x), tol: 1e-7, format: 'float', bits: 32 },
  { depth: '64', samples: (x) => Array.from(x), tol: 1e-7, format: 'float', bits: 64 },
];

for (const c of cases) {
  for (const rifx of [false, true]) {
    test(`decodes ${c.depth}-bit ${c.format} stereo ${rifx ? 'RIFX' : 'RIFF'}`, () => {
      const l = sine(0.5);
      const r = sine(0.25, 1000, 1);
      const wav = new WaveFile();
      wav.fromScratch(2, RATE, c.depth, [c.samples(l), c.samples(r)]);
      if (rifx) wav.toRIFX();
      const d = decodeWav(wav.toBuffer());
      assert.equal(d.facts.container, rifx ? 'RIFX' : 'RIFF');
      assert.equal(d.facts.format, c.format);
      assert.equal(d.facts.bitsPerSample, c.bits);
      assert.equal(d.facts.channels, 2);
      assert.equal(d.facts.sampleRate, RATE);
      assert.equal(d.facts.frames, N);
      assert.ok(maxErr(d.channels[0], l) <= c.tol, `left error ${maxErr(d.channels[0], l)}`);
      assert.ok(maxErr(d.channels[1], r) <= c.tol, `right error ${maxErr(d.channels[1], r)}`);
      assert.deepEqual(d.warnings, []);
    });
  }
}

test('decodes mu-law and A-law exactly as wavefile expands them to 16-bit', () => {
  for (const [conv, back, fmt] of [
    ['toMuLaw', 'fromMuLaw', 'mulaw'],
    ['toALaw', 'fromALaw', 'alaw'],
  ] as const) {
    const x = sine(0.9);
    const wav = new WaveFile();
    wav.fromScratch(1, RATE, '16', toInt(x, 16));
    wav[conv]();
    const bytes = wav.toBuffer();
    const d = decodeWav(bytes);
    assert.equal(d.facts.format, fmt);
    assert.equal(d.facts.bitsPerSample, 8);
    const ref = new WaveFile(bytes);
    ref[back]('16');
    const expected = ref.getSamples(false, Float64Array) as unknown as Float64Array;
    for (let i = 0; i < N; i++) assert.equal(d.channels[0][i] * 32768, expected[i], `${fmt} sample ${i}`);
  }
});

/** Builds a RIFF file from chunks, optionally RF64 with a ds64 chunk. */
function riff(chunks: [string, Uint8Array][], rf64 = false): Uint8Array {
  const parts: number[] = [];
  const push32 = (v: number) => parts.push(v & 255, (v >>> 8) & 255, (v >>> 16) & 255, (v >>> 24) & 255);
  const pushStr = (s: string) => [...s].forEach((ch) => parts.push(ch.charCodeAt(0)));
  pushStr(rf64 ? 'RF64' : 'RIFF');
  push32(0);
  pushStr('WAVE');
  for (const [id, body] of chunks) {
    pushStr(id);
    push32(rf64 && id === 'data' ? 0xffffffff : body.length);
    parts.push(...body);
    if (body.length & 1) parts.push(0);
  }
  const out = Uint8Array.from(parts);
  new DataView(out.buffer).setUint32(4, rf64 ? 0xffffffff : out.length - 8, true);
  return out;
}

function fmtChunk(tag: number, channels: number, rate: number, bits: number, extensible = false): Uint8Array {
  const b = new Uint8Array(extensible ? 40 : 16);
  const dv = new DataView(b.buffer);
  const ba = channels * Math.ceil(bits / 8);
  dv.setUint16(0, extensible ? 0xfffe : tag, true);
  dv.setUint16(2, channels, true);
  dv.setUint32(4, rate, true);
  dv.setUint32(8, rate * ba, true);
  dv.setUint16(12, ba, true);
  dv.setUint16(14, bits, true);
  if (extensible) {
    dv.setUint16(16, 22, true);
    dv.setUint16(18, bits, true);
    dv.setUint32(20, 3, true);
    dv.setUint16(24, tag, true); // subformat GUID starts with the format tag
    b.set([0, 0, 0, 0, 0x10, 0, 0x80, 0, 0, 0xaa, 0, 0x38, 0x9b, 0x71], 26);
  }
  return b;
}

function pcm16(values: number[]): Uint8Array {
  const b = new Uint8Array(values.length * 2);
  const dv = new DataView(b.buffer);
  values.forEach((v, i) => dv.setInt16(2 * i, v, true));
  return b;
}

test('reads RF64 with its ds64 data size', () => {
  const data = pcm16([0, 16384, -16384, 32767]);
  const ds64 = new Uint8Array(28);
  new DataView(ds64.buffer).setUint32(8, data.length, true);
  const d = decodeWav(
    riff(
      [
        ['ds64', ds64],
        ['fmt ', fmtChunk(1, 1, 16000, 16)],
        ['data', data],
      ],
      true,
    ),
  );
  assert.equal(d.facts.container, 'RF64');
  assert.deepEqual(Array.from(d.channels[0]), [0, 0.5, -0.5, 32767 / 32768]);
});

test('reads WAVE_FORMAT_EXTENSIBLE, LIST/fact/cue chunks, odd padding and chunks after data', () => {
  const list = new Uint8Array([...'INFOISFT'].map((c) => c.charCodeAt(0)).concat([3, 0, 0, 0, 65, 66, 0, 0]));
  const d = decodeWav(
    riff([
      ['fmt ', fmtChunk(1, 1, 16000, 16, true)],
      ['LIST', list],
      ['fact', new Uint8Array(4)],
      ['junk', new Uint8Array(3)],
      ['data', pcm16([100, -100])],
      ['cue ', new Uint8Array(4)],
    ]),
  );
  assert.equal(d.facts.extensible, true);
  assert.equal(d.facts.format, 'pcm');
  assert.deepEqual(d.facts.chunks, ['fmt', 'LIST', 'fact', 'junk', 'data', 'cue']);
  assert.deepEqual(Array.from(d.channels[0]), [100 / 32768, -100 / 32768]);
});

test('a truncated data chunk is read as far as it goes, with a warning', () => {
  const full = riff([
    ['fmt ', fmtChunk(1, 1, 16000, 16)],
    ['data', pcm16(Array(2000).fill(1000))],
  ]);
  const cut = full.subarray(0, 44 + 1000);
  const d = decodeWav(cut);
  assert.equal(d.facts.frames, 500);
  assert.ok(d.warnings.includes('data chunk truncated: 1000 of 4000 bytes'), d.warnings.join('; '));
});

function reason(bytes: Uint8Array): string {
  try {
    decodeWav(bytes);
  } catch (e) {
    assert.ok(e instanceof WavError, `not a WavError: ${e}`);
    return e.reason;
  }
  return 'decoded';
}

test('broken files are refused with a clear reason', () => {
  assert.equal(reason(new Uint8Array(0)), 'empty file (0 bytes)');
  assert.equal(
    reason(new TextEncoder().encode('ID3\x03 some mp3 bytes')),
    "not a RIFF/WAVE file (starts with 'ID3\x03')".replace("'ID3\x03'", 'bytes "ID3\\u0003"'),
  );
  assert.equal(reason(riff([['fmt ', fmtChunk(1, 1, 16000, 16)]])), 'no data chunk');
  assert.equal(reason(riff([['data', pcm16([1, 2])]])), 'no fmt chunk before the end of the file');
  assert.equal(
    reason(
      riff([
        ['fmt ', fmtChunk(0x11, 1, 16000, 4)],
        ['data', new Uint8Array(8)],
      ]),
    ),
    'unsupported encoding: IMA ADPCM (format tag 0x0011)',
  );
  assert.equal(
    reason(
      riff([
        ['fmt ', fmtChunk(1, 0, 16000, 16)],
        ['data', new Uint8Array(8)],
      ]),
    ),
    'fmt chunk says 0 channels',
  );
  assert.equal(
    reason(
      riff([
        ['fmt ', fmtChunk(3, 1, 16000, 16)],
        ['data', new Uint8Array(8)],
      ]),
    ),
    'unsupported float sample size: 16 bits',
  );
  const ok = riff([
    ['fmt ', fmtChunk(1, 1, 16000, 16)],
    ['data', pcm16([1, 2])],
  ]);
  assert.equal(reason(ok.subarray(0, 30)), 'fmt chunk truncated: 10 of 16 bytes');
  const avi = ok.slice();
  avi.set([65, 86, 73, 32], 8);
  assert.equal(reason(avi), "not a WAVE file (RIFF form type 'AVI ')");
});

test('never throws anything but WavError on random bytes and cut-offs (no hang)', () => {
  const base = riff([
    ['fmt ', fmtChunk(1, 2, 16000, 16)],
    ['LIST', new Uint8Array(9)],
    ['data', pcm16(Array(64).fill(7))],
  ]);
  let seed = 12345;
  const rnd = () => (seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32;
  for (let trial = 0; trial < 3000; trial++) {
    const b = base.slice(0, 1 + Math.floor(rnd() * base.length));
    for (let k = 0; k < 3; k++) b[Math.floor(rnd() * b.length)] = Math.floor(rnd() * 256);
    try {
      const d = decodeWav(b);
      for (const c of d.channels) assert.ok(c.every((v) => Number.isFinite(v) || Number.isNaN(v)));
    } catch (e) {
      assert.ok(e instanceof WavError, `trial ${trial}: ${(e as Error).stack}`);
    }
  }
});
