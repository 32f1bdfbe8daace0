// Odd names and odd samples through the CLI (in-process, stdout/stderr captured): control characters
// in file, folder, label and model names are printed escaped, never raw; NaN/Inf float samples are
// reported as such (info warns, classify gives an error row); a symlink loop and a file name that is
// not UTF-8 are one clear line each, and the batch goes on.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  copyFileSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { WaveFile } from 'wavefile';
import { printable } from '../../../src/cli/output';
import { bundledModelDir } from '../../../src/model/bundled';
import { runCli as run } from '../runCli';

const dir = mkdtempSync(join(tmpdir(), 'wb-text-'));
test.after(() => rmSync(dir, { recursive: true, force: true }));
const SAMPLES = join(__dirname, '../../../samples/digits');
const aClip = (label: string) => join(SAMPLES, label, readdirSync(join(SAMPLES, label)).sort()[0]);

/** Any control character but the newline that separates lines (C0, DEL, C1, ESC sequences). */
// eslint-disable-next-line no-control-regex
const RAW_CONTROL = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/;

function floatWav(path: string, samples: number[]): void {
  const w = new WaveFile();
  w.fromScratch(1, 16000, '32f', samples);
  writeFileSync(path, w.toBuffer());
}

test('printable: control characters become escapes, everything else is kept', () => {
  assert.equal(
    printable('a\x1b[31mb\nc\rd\te\x07\x7f\x9b\u202ef/é.wav'),
    'a\\x1b[31mb\\nc\\rd\\te\\x07\\x7f\\x9b\\u202ef/é.wav',
  );
  assert.equal(printable('plain/path.wav'), 'plain/path.wav');
});

test('control characters in file, folder, label and model names are escaped in info, classify and inspect', async () => {
  // A copy of the bundled model whose name and one label hold an OSC title sequence and a newline.
  const model = join(dir, 'model');
  mkdirSync(model);
  const bundled = bundledModelDir(join(__dirname, '../..', '..'), 'digits');
  for (const f of readdirSync(bundled)) copyFileSync(join(bundled, f), join(model, f));
  const meta = JSON.parse(readFileSync(join(model, 'metadata.json'), 'utf8'));
  const evilLabel = 'o\nne\x1b[2J';
  meta.name = 'digits\x1b]0;owned\x07';
  meta.labels[meta.labels.indexOf('one')] = evilLabel;
  writeFileSync(join(model, 'metadata.json'), JSON.stringify(meta));
  const ds = join(dir, 'ds');
  mkdirSync(join(ds, evilLabel), { recursive: true });
  mkdirSync(join(ds, 'two'));
  const evilFile = join(ds, evilLabel, 'x\x1b[31mred\nline.wav');
  copyFileSync(aClip('one'), evilFile);
  copyFileSync(aClip('two'), join(ds, 'two', 'b.wav'));
  writeFileSync(join(ds, 'two', 'bad\x1b[1m.wav'), 'not a wav file at all');

  const info = await run(['info', evilFile]);
  assert.equal(info.code, 0);
  assert.doesNotMatch(info.out + info.err, RAW_CONTROL);
  assert.ok(info.out.startsWith(printable(evilFile) + ': RIFF pcm'), info.out);
  assert.ok(printable(evilFile).endsWith('x\\x1b[31mred\\nline.wav'));
  const bad = await run(['info', join(ds, 'two', 'bad\x1b[1m.wav')]);
  assert.equal(
    bad.err,
    `wavebench: ${join(ds, 'two', 'bad\\x1b[1m.wav')}: not a WAV, FLAC, MP3, Ogg Vorbis or Opus file (starts with 'not ')`,
  );

  const c = await run(['classify', ds, '--model', model, '--workers', '1']);
  assert.equal(c.code, 0, c.err);
  assert.doesNotMatch(c.out + c.err, RAW_CONTROL);
  assert.ok(c.out.includes('model: digits\\x1b]0;owned\\x07 ('), c.out);
  assert.ok(c.out.includes('o\\nne\\x1b[2J'), 'the label, escaped, in the per-class table');
  assert.ok(!c.out.includes('o\nne'), 'a raw newline inside the label');
  assert.ok(
    c.out.includes(`  ${join(ds, 'two', 'bad\\x1b[1m.wav')}: not a WAV, FLAC, MP3, Ogg Vorbis or Opus file`),
    c.out,
  );
  assert.match(c.out, /files: 3, scored: 2, unlabelled: 0, errors: 1/);

  const i = await run(['inspect', ds]);
  assert.equal(i.code, 0, i.err);
  assert.doesNotMatch(i.out + i.err, RAW_CONTROL);
  assert.ok(i.out.includes('o\\nne\\x1b[2J'), i.out);
  assert.ok(i.out.includes('two/bad\\x1b[1m.wav: unreadable'), i.out);
});

test('NaN and Inf float samples: info warns and shows them, classify gives an error row, features refuses', async () => {
  const folder = join(dir, 'nan');
  mkdirSync(folder);
  const nanFile = join(folder, 'nan.wav');
  const x = Array.from({ length: 16000 }, (_, i) => 0.3 * Math.sin(i / 5));
  x[100] = NaN;
  x[200] = NaN;
  x[300] = Infinity;
  floatWav(nanFile, x);
  copyFileSync(aClip('one'), join(folder, 'ok.wav'));

  const info = await run(['info', nanFile]);
  assert.equal(info.code, 0);
  assert.match(info.out, /ch0: peak inf dBFS, RMS NaN dBFS/);
  assert.match(info.out, /\n {2}warning: the float data holds 2 NaN and 1 infinite samples$/);
  const j = JSON.parse((await run(['info', nanFile, '--json'])).out);
  assert.deepEqual(j.warnings, ['the float data holds 2 NaN and 1 infinite samples']);

  const why = 'the float data holds 2 NaN and 1 infinite samples: cannot compute features';
  const c = await run(['classify', folder, '--workers', '1', '--json', '-']);
  assert.equal(c.code, 0, c.err);
  const rows = JSON.parse(c.out).rows as { path: string; predicted: string | null; error?: string }[];
  const nanRow = rows.find((r) => r.path === nanFile)!;
  assert.equal(nanRow.error, why);
  assert.equal(nanRow.predicted, null); // not a confident _silence_
  assert.ok(rows.find((r) => r.path.endsWith('ok.wav'))!.predicted);
  assert.match(c.err, /errors: 1/);

  const f = await run(['features', nanFile]);
  assert.equal(f.code, 2);
  assert.equal(f.err, `wavebench: ${nanFile}: ${why}`);
});

test('a symlink loop and a file name that is not UTF-8: one line each, the other files are classified', async () => {
  const folder = join(dir, 'links');
  mkdirSync(folder);
  copyFileSync(aClip('one'), join(folder, 'real.wav'));
  symlinkSync('real.wav', join(folder, 'alias.wav')); // a link to a file: read as that file
  symlinkSync('self.wav', join(folder, 'self.wav')); // a loop of one
  symlinkSync('ping.wav', join(folder, 'pong.wav'));
  symlinkSync('pong.wav', join(folder, 'ping.wav')); // a loop of two
  writeFileSync(Buffer.from(`${folder}/caf\xe9.wav`, 'latin1'), readFileSync(aClip('two'))); // Latin-1 é

  const c = await run(['classify', folder, '--workers', '1']);
  assert.equal(c.code, 0, c.err);
  assert.match(c.out, /files: 2, scored: 0, unlabelled: 2, errors: 0/);
  const lines = c.out.split('\n');
  const about = (s: string) => lines.filter((l) => l.includes(s));
  assert.deepEqual(about('ping.wav'), [`  ${join(folder, 'ping.wav')}: symlink loop (ELOOP): skipped`]);
  assert.deepEqual(about('pong.wav'), [`  ${join(folder, 'pong.wav')}: symlink loop (ELOOP): skipped`]);
  assert.deepEqual(about('self.wav'), [`  ${join(folder, 'self.wav')}: symlink loop (ELOOP): skipped`]);
  assert.deepEqual(about('caf'), [
    `  ${join(folder, 'caf\\xe9.wav')}: file name is not valid UTF-8: skipped (rename it)`,
  ]);
  assert.equal(about('alias.wav').length, 1); // listed with its prediction
  assert.equal(about('real.wav').length, 1);

  const direct = await run(['info', join(folder, 'self.wav')]);
  assert.equal(direct.code, 2);
  assert.match(direct.err, /^wavebench: .*self\.wav: ELOOP: too many symbolic links/);
  const i = await run(['inspect', folder]);
  assert.equal(i.code, 0, i.err);
  assert.match(i.out, /files: 2 \(2 readable\)/);
  assert.ok(
    i.out.includes(`  ${join(folder, 'caf\\xe9.wav')}: file name is not valid UTF-8: skipped (rename it)`),
  );
  assert.ok(i.out.includes(`  ${join(folder, 'self.wav')}: symlink loop (ELOOP): skipped`));
});
