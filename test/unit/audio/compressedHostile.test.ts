// Hostile compressed files, made at test time from the committed fixtures: each gives one line
// naming the file through the CLI (`info`), or decodes with a warning that says what is missing;
// a batch (`classify` over a folder) goes on and lists them. Nothing decoded before a corruption
// point is passed off as the whole file.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCli } from '../runCli';
import { tempDir } from '../tempDir';

const D = 'test/fixtures/compressed';
const fixture = (f: string) => new Uint8Array(readFileSync(join(D, f)));

function flipAt(b: Uint8Array, at: number): Uint8Array {
  const c = b.slice();
  c[at] ^= 0x55;
  return c;
}

/** Bytes from `at` replaced by a deterministic pseudo-random pattern. */
function garbageFrom(b: Uint8Array, at: number): Uint8Array {
  const c = b.slice();
  for (let i = at; i < c.length; i++) c[i] = (i * 7919) & 255;
  return c;
}

const flac = fixture('speech.flac');
const hugeBlock = flac.slice();
hugeBlock[8 + 2] = 0xff; // STREAMINFO max block size 65535 (the largest a FLAC frame may claim)
hugeBlock[8 + 3] = 0xff;
const lyingTotal = flac.slice();
lyingTotal[8 + 16] = 0x7f; // STREAMINFO total samples far above what the file holds
const zeroRate = flac.slice();
zeroRate[8 + 10] = zeroRate[8 + 11] = 0;
zeroRate[8 + 12] &= 0x0f;
const mp3 = fixture('speech.mp3');
const ogg = fixture('speech.ogg');

/** name, bytes, expected: an error line (RegExp on the reason) or a warning (RegExp) with audio decoded. */
const cases: [string, Uint8Array, { error?: RegExp; warning?: RegExp; frames?: number }][] = [
  [
    'truncated.flac',
    flac.subarray(0, Math.floor(flac.length * 0.6)),
    { warning: /^incomplete: decoded \d+ of the 16000 frames/ },
  ],
  ['metadata-only.flac', flac.subarray(0, 30), { error: /^FLAC file too short for its STREAMINFO/ }],
  [
    'garbage.flac',
    garbageFrom(flac, Math.floor(flac.length / 2)),
    { error: /^no FLAC audio frames could be decoded \(0 frames\)$/ },
  ],
  ['zero-rate.flac', zeroRate, { error: /^FLAC STREAMINFO says a sample rate of 0 Hz$/ }],
  ['huge-block.flac', hugeBlock, { frames: 16000 }],
  ['lying-total.flac', lyingTotal, { warning: /^incomplete: decoded 16000 of the \d+ frames/ }],
  [
    'truncated.mp3',
    mp3.subarray(0, Math.floor(mp3.length * 0.5)),
    { warning: /^incomplete: decoded \d+ of the 16000 frames/ },
  ],
  [
    'id3-only.mp3',
    new Uint8Array([0x49, 0x44, 0x33, 3, 0, 0, 0, 0, 0, 4, 0, 0, 0, 0]),
    { error: /no audio frames \(0 frames\)/ },
  ],
  [
    'tag-frame-only.mp3',
    mp3.subarray(0, 216),
    { error: /^no MP3 audio frames could be decoded \(0 frames\)$/ },
  ],
  ['garbage.mp3', garbageFrom(mp3, Math.floor(mp3.length / 2)), { error: /^corrupt MP3 data near byte \d+/ }],
  [
    'bad-crc.ogg',
    flipAt(ogg, Math.floor(ogg.length * 0.7)),
    { error: /^corrupt Ogg page at byte \d+ \(wrong CRC\)/ },
  ],
  ['garbage.ogg', garbageFrom(ogg, Math.floor(ogg.length / 2)), { error: /^corrupt Ogg (page|stream)/ }],
  [
    'truncated.ogg',
    ogg.subarray(0, Math.floor(ogg.length * 0.6)),
    { error: /0 frames\); truncated: the last \d+ bytes are an incomplete Ogg page/ },
  ],
  ['refused.mp3', fixture('refused.m4a'), { error: /^unsupported format: MP4\/M4A \(AAC or ALAC\)$/ }],
  [
    'asf.ogg',
    new Uint8Array([0x30, 0x26, 0xb2, 0x75, 0x8e, 0x66, 0xcf, 0x11, 0, 0, 0, 0]),
    { error: /^unsupported format: WMA \(ASF\)$/ },
  ],
];

const dir = tempDir('wb-compressed-hostile-');
for (const [name, bytes] of cases) writeFileSync(join(dir, name), bytes);

for (const [name, , want] of cases) {
  test(`${name}: ${want.error ? 'one line naming the file' : 'decoded, saying what is missing'}`, async () => {
    const path = join(dir, name);
    const r = await runCli(['info', path, '--json']);
    const j = JSON.parse(r.out);
    if (want.error) {
      assert.equal(r.code, 2);
      assert.equal(r.err.split('\n').length, 1, r.err);
      assert.ok(r.err.startsWith(`wavebench: ${path}: `), r.err);
      assert.match(j.error, want.error);
    } else {
      assert.equal(r.code, 0, r.err);
      assert.equal(r.err, '');
      if (want.warning)
        assert.ok(
          j.warnings.some((w: string) => want.warning!.test(w)),
          JSON.stringify(j.warnings),
        );
      else assert.deepEqual(j.warnings, []);
      if (want.frames) assert.equal(j.frames, want.frames);
      // What was decoded is what is reported: never the header's claim.
      if (want.warning) assert.ok(j.frames < j.codec.declaredFrames);
    }
  });
}

test('classify over a folder of all of them goes on and lists each failure on one line', async () => {
  const folder = join(tempDir('wb-compressed-batch-'), 'yes');
  mkdirSync(folder);
  for (const [name, bytes] of cases) writeFileSync(join(folder, name), bytes);
  writeFileSync(join(folder, 'good.opus'), fixture('speech.opus'));
  const out = join(folder, '..', 'out.json');
  await runCli(['classify', folder, '--json', out, '--workers', '1']);
  const j = JSON.parse(readFileSync(out, 'utf8'));
  const rows = (j.files ?? j.rows ?? j) as { path: string; error?: string }[];
  const failed = cases.filter(([, , w]) => w.error).map(([n]) => n);
  for (const n of failed) {
    const row = rows.find((x) => x.path.endsWith(`/${n}`));
    assert.ok(row?.error, `${n}: ${JSON.stringify(row)}`);
  }
  const good = rows.find((x) => x.path.endsWith('/good.opus'));
  assert.ok(good && !good.error, JSON.stringify(good));
});
