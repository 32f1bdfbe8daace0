// The CLI as a real process with its stdout on a pipe: large --json output arrives whole when the
// reader is slow (the process must not exit before stdout drains), a reader that closes early ends
// the CLI quietly (EPIPE: exit 141, no stack trace), and a failed write is the exit code.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { WaveFile } from 'wavefile';

const ROOT = join(__dirname, '../../..');
const CLI = `${JSON.stringify(process.execPath)} --import tsx ${JSON.stringify(join(ROOT, 'src/cli/main.ts'))}`;

const dir = mkdtempSync(join(tmpdir(), 'wb-pipe-'));
test.after(() => rmSync(dir, { recursive: true, force: true }));

/** A 16-bit mono WAV of `seconds` at 16 kHz: a chirp plus noise, so every feature value differs. */
function writeClip(path: string, seconds: number, seed = 1): void {
  const n = Math.round(16000 * seconds);
  const s = new Int16Array(n);
  let r = seed;
  for (let i = 0; i < n; i++) {
    r = (r * 1103515245 + 12345) >>> 0;
    const t = i / 16000;
    s[i] = Math.round(8000 * Math.sin(2 * Math.PI * (200 + 300 * t) * t) + ((r >>> 16) % 2000) - 1000);
  }
  const w = new WaveFile();
  w.fromScratch(1, 16000, '16', Array.from(s));
  writeFileSync(path, w.toBuffer());
}

/** Runs `command | reader` in bash; returns the reader's output, stderr and the CLI's exit code. */
function pipe(command: string, reader: string): { out: string; err: string; code: number } {
  const r = spawnSync('bash', ['-c', `${command} | ${reader}; echo "exit:\${PIPESTATUS[0]}" >&2`], {
    cwd: ROOT,
    encoding: 'utf8',
    maxBuffer: 1 << 28,
  });
  const m = /exit:(\d+)\n?$/.exec(r.stderr);
  assert.ok(m, `no exit status in: ${r.stderr}`);
  return { out: r.stdout, err: r.stderr.slice(0, m.index), code: Number(m[1]) };
}

/** A reader that waits a second before it reads anything, then copies all of it. */
const SLOW_READER = '{ sleep 1; cat; }';

test('features --json of a 10-s clip reaches a reader that waits 1 s, whole (~0.8 MB)', () => {
  const clip = join(dir, 'ten.wav');
  writeClip(clip, 10);
  const r = pipe(`${CLI} features ${clip} --json`, SLOW_READER);
  assert.equal(r.code, 0, r.err);
  assert.equal(r.err, '');
  assert.ok(r.out.length > 256 * 1024, `only ${r.out.length} bytes: not a test of a full pipe`);
  const j = JSON.parse(r.out);
  // 10 s at 16 kHz: 1 + floor((160000 - 480) / 160) = 998 frames of 40 MFCCs.
  assert.deepEqual([j.type, j.frames, j.bins, j.data.length], ['mfcc', 998, 40, 998 * 40]);
  assert.ok(j.data.every(Number.isFinite));
});

/** A folder of 2,000 short clips, made once. */
function manyClips(): string {
  const folder = join(dir, 'many');
  if (existsSync(folder)) return folder;
  mkdirSync(folder);
  for (let i = 0; i < 2000; i++) writeClip(join(folder, `c${String(i).padStart(4, '0')}.wav`), 0.05, i + 1);
  return folder;
}

test('classify --json - of 2,000 clips reaches a reader that waits 1 s, whole; the summary goes to stderr', () => {
  const folder = manyClips();
  const r = pipe(`${CLI} classify ${folder} --workers 1 --json -`, SLOW_READER);
  assert.equal(r.code, 0, r.err);
  const j = JSON.parse(r.out);
  assert.equal(j.rows.length, 2000);
  assert.ok(
    j.rows.every((row: { predicted?: string; error?: string }) => row.predicted && !row.error),
    'a row without a prediction',
  );
  assert.match(r.err, /files: 2000, scored: 0, unlabelled: 2000, errors: 0/);
});

test('a reader that closes early: the CLI ends quietly (exit 141, as SIGPIPE), no stack trace', () => {
  const clip = join(dir, 'ten-b.wav');
  writeClip(clip, 10, 7);
  const r = pipe(`${CLI} features ${clip} --json`, 'head -c 100');
  assert.equal(r.out.length, 100);
  assert.equal(r.err, '');
  assert.equal(r.code, 141);
  // inspect's JSON of 2,000 files is far more than a pipe holds.
  const c = pipe(`${CLI} inspect ${manyClips()} --json -`, 'head -c 10');
  assert.equal(c.out.length, 10);
  assert.doesNotMatch(c.err, /Error|\n\s+at /);
  assert.equal(c.code, 141);
});

test('a write that fails (disk full) is exit code 2 with one line naming the problem', () => {
  const clip = join(dir, 'short.wav');
  writeClip(clip, 1);
  const r = spawnSync('bash', ['-c', `${CLI} info ${clip} > /dev/full`], { cwd: ROOT, encoding: 'utf8' });
  assert.equal(r.status, 2);
  assert.equal(r.stderr, 'wavebench: cannot write the output: ENOSPC\n');
});
