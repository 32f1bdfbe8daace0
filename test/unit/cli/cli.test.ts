// The CLI's three feature commands, run in-process through main() with stdout/stderr captured.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PNG } from 'pngjs';
import { REF } from '../../reference/tfReferenceData';
import { tempDir } from '../tempDir';
import { runCli as run } from '../runCli';

test('info --json: facts and linear levels; a bad file gives exit 2, its error, and the others still reported', async () => {
  const dir = tempDir('wb-cli-');
  const bad = join(dir, 'bad.wav');
  writeFileSync(bad, 'not a wav file at all');
  const good = join(REF, 'wav/sine440_1s.wav');
  const r = await run(['info', good, bad, '--json']);
  assert.equal(r.code, 2);
  assert.equal(
    r.err,
    `wavebench: ${bad}: not a WAV, FLAC, MP3, Ogg Vorbis or Opus file (starts with 'not ')`,
  );
  const [g, b] = JSON.parse(r.out);
  assert.equal(g.path, good);
  assert.deepEqual(
    [g.format, g.bitsPerSample, g.sampleRate, g.channels, g.frames, g.durationSec],
    ['pcm', 16, 16000, 1, 16000, 1],
  );
  // sox wrote a 0.5-amplitude sine: peak 0.5, RMS 0.5/sqrt(2), within 16-bit rounding.
  assert.ok(
    Math.abs(g.peak[0] - 0.5) < 1e-3 && Math.abs(g.rms[0] - 0.5 / Math.SQRT2) < 1e-3,
    `${g.peak} ${g.rms}`,
  );
  assert.deepEqual(b, {
    path: bad,
    error: "not a WAV, FLAC, MP3, Ogg Vorbis or Opus file (starts with 'not ')",
  });
});

test('features --clip --json equals TensorFlow on a short clip (zero-padded to 1 s)', async () => {
  const r = await run(['features', join(REF, 'wav/short_0.4s.wav'), '--clip', '--json']);
  assert.equal(r.code, 0);
  const j = JSON.parse(r.out);
  assert.deepEqual([j.type, j.frames, j.bins, j.data.length], ['mfcc', 98, 40, 98 * 40]);
  const b = readFileSync(join(REF, 'out/short_0.4s.clip.mfcc.f32'));
  const ref = new Float32Array(b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength));
  let worst = 0;
  for (let i = 0; i < ref.length; i++) worst = Math.max(worst, Math.abs(ref[i] - j.data[i]));
  assert.ok(worst <= 1e-3, `max abs error ${worst}`);
  const s = JSON.parse(
    (await run(['features', join(REF, 'wav/short_0.4s.wav'), '--type', 'spectrogram', '--json'])).out,
  );
  assert.deepEqual([s.frames, s.bins], [38, 257]);
  assert.equal((await run(['features', 'x.wav', '--type', 'nope'])).code, 2);
});

test('spectrogram writes a real PNG: one column per frame, one row per bin', async () => {
  const out = join(tempDir('wb-cli-'), 's.png');
  const r = await run([
    'spectrogram',
    '--input_wav',
    join(REF, 'wav/word_yes.wav'),
    '--output_png',
    out,
    '--colormap',
    'magma',
  ]);
  assert.equal(r.code, 0, r.err);
  const png = PNG.sync.read(readFileSync(out));
  assert.deepEqual([png.width, png.height], [98, 257]);
  const m = await run([
    'spectrogram',
    '--input_wav',
    join(REF, 'wav/word_yes.wav'),
    '--output_png',
    out,
    '--mfcc',
  ]);
  assert.equal(m.code, 0);
  assert.deepEqual(
    [PNG.sync.read(readFileSync(out)).width, PNG.sync.read(readFileSync(out)).height],
    [98, 40],
  );
  const e = await run(['spectrogram', '--input_wav', '/nonexistent.wav', '--output_png', out]);
  assert.equal(e.code, 2);
  assert.equal(e.err, 'wavebench: /nonexistent.wav: no such file');
  assert.equal((await run(['spectrogram', '--input_wav', 'a.wav'])).code, 2);
  assert.equal((await run(['bogus'])).code, 2);
});

test('classify: summary and exports on the samples, exit 2 for a bad model or no input', async () => {
  const dir = tempDir('wb-cli-');
  const samples = join(__dirname, '../../../samples/digits');
  const csv = join(dir, 'out.csv');
  const json = join(dir, 'out.json');
  const r = await run([
    'classify',
    join(samples, 'one'),
    join(samples, 'two'),
    '--model',
    'digits',
    '--workers',
    '1',
    '--csv',
    csv,
    '--json',
    json,
  ]);
  assert.equal(r.code, 0, r.err);
  assert.match(r.out, /files: 20, scored: 20, unlabelled: 0, errors: 0/);
  assert.match(r.out, /confusion matrix \(rows: true label, columns: predicted\)/);
  const lines = readFileSync(csv, 'utf8').trimEnd().split('\n');
  assert.equal(lines[0], 'path,label,predicted,probability,correct,top_k,error');
  assert.equal(lines.length, 21);
  const j = JSON.parse(readFileSync(json, 'utf8'));
  assert.equal(j.rows.length, 20);
  assert.equal(j.metrics.scored, 20);

  const badModel = await run(['classify', samples, '--model', dir]);
  assert.equal(badModel.code, 2);
  assert.match(badModel.err, /wavebench: model .*: neither metadata.json nor labels.txt found/);
  const none = await run(['classify', join(dir, 'nothing-here')]);
  assert.equal(none.code, 2);
  assert.match(none.err, /no such file or folder/);
  assert.equal((await run(['classify', samples, '--top-k', '0'])).code, 2);
});

test('models: lists every bundled model with labels, size and test figures; --model takes a name', async () => {
  const r = await run(['models']);
  assert.equal(r.code, 0, r.err);
  assert.match(r.out, /^speech-commands \(default\): /m);
  assert.match(r.out, /^digits: /m);
  assert.match(
    r.out,
    /labels \(12\): _silence_, _unknown_, yes, no, up, down, left, right, on, off, stop, go/,
  );
  assert.match(r.out, /labels \(12\): _silence_, _unknown_, zero, one, two/);
  assert.match(r.out, /test: \d+\.\d% top-1 on \d+ clips \(Speech Commands v0\.02 test speakers/);
  const j = JSON.parse((await run(['models', '--json'])).out);
  assert.deepEqual(
    j.map((m: { name: string }) => m.name),
    ['speech-commands', 'digits'],
  );
  assert.equal((await run(['models', 'extra'])).code, 2);
  // a bundled name resolves to its folder; an unknown name is a (missing) folder
  const samples = join(__dirname, '../../../samples/speech-commands');
  const byName = await run([
    'classify',
    join(samples, 'yes'),
    '--model',
    'speech-commands',
    '--workers',
    '1',
  ]);
  assert.equal(byName.code, 0, byName.err);
  assert.match(byName.out, /^model: speech-commands \(/m);
  const missing = await run(['classify', samples, '--model', 'no-such-model']);
  assert.equal(missing.code, 2);
  assert.match(missing.err, /wavebench: model .*no-such-model: no such file or folder/);
});
