// False-accept snippets: written by writeSnippets (the `snippets` job), read back with the repo's WAV
// reader, against the recording's own samples (written by an independent writer, wavefile).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { WaveFile } from 'wavefile';
import { WavFile } from '../../../src/audio/wavFile';
import { exportFalseAccepts } from '../../../src/engine/snippetJob';
import type { WorkerPool } from '../../../src/engine/pool';
import { snippetName, writeSnippets, type SnippetInput } from '../../../src/engine/snippets';
import { tempDir } from '../tempDir';

/** A recording of `seconds` at `rate`: channel c's sample i is a deterministic 16-bit value. */
function recording(dir: string, name: string, rate: number, seconds: number, channels = 1): Int16Array[] {
  const n = rate * seconds;
  const data = Array.from({ length: channels }, (_, c) =>
    Int16Array.from({ length: n }, (_, i) => ((i * 7919 + c * 104729) % 65536) - 32768),
  );
  const w = new WaveFile();
  w.fromScratch(channels, rate, '16', channels === 1 ? data[0] : data);
  writeFileSync(join(dir, name), w.toBuffer());
  return data;
}

/** A WAV file's channels, decoded by the repo's reader, and its rate. */
function read(path: string): { rate: number; channels: Float32Array[] } {
  const f = WavFile.openSync(path);
  try {
    const h = f.readHeader();
    assert.equal(h.facts.bitsPerSample, 16);
    return { rate: h.facts.sampleRate, channels: f.frames(h, 0, h.facts.frames) };
  } finally {
    f.close();
  }
}

test('a snippet is the window ending at the detection (plus the margin), sample for sample', () => {
  const dir = tempDir('wb-snip-');
  const out = tempDir('wb-snip-out-');
  const src = recording(dir, 'rec one.wav', 16000, 3)[0];
  const input: SnippetInput = {
    path: join(dir, 'rec one.wav'),
    events: [
      { label: 'yes', timeSec: 1.5 },
      { label: 'no/x', timeSec: 2.25 },
    ],
    dir: out,
    windowMs: 1000,
    marginMs: 100,
  };
  const r = writeSnippets(input);
  assert.deepEqual(r.problems, []);
  assert.deepEqual(r.written, [join(out, 'rec_one_1500ms_yes.wav'), join(out, 'rec_one_2250ms_no_x.wav')]);
  // [1.5 - 1.0 - 0.1, 1.5 + 0.1] s = samples [6400, 25600) at 16 kHz.
  const a = read(r.written[0]);
  assert.equal(a.rate, 16000);
  assert.equal(a.channels.length, 1);
  assert.deepEqual(
    Array.from(a.channels[0], (x) => Math.round(x * 32768)),
    Array.from(src.subarray(6400, 25600)),
  );
  // Cut at the recording's end: [1.15, 2.35] s -> [18400, 37600).
  const b = read(r.written[1]);
  assert.deepEqual(
    Array.from(b.channels[0], (x) => Math.round(x * 32768)),
    Array.from(src.subarray(18400, 37600)),
  );
  const end = writeSnippets({ ...input, events: [{ label: 'go', timeSec: 2.95 }] });
  const c = read(end.written[0]);
  assert.equal(c.channels[0].length, 48000 - Math.round(1.85 * 16000));
});

test('a stereo recording gives mono snippets: the channels mean, at the recording rate', () => {
  const dir = tempDir('wb-snip-');
  const [l, rr] = recording(dir, 's.wav', 8000, 2, 2);
  const r = writeSnippets({
    path: join(dir, 's.wav'),
    events: [{ label: 'up', timeSec: 1 }],
    dir,
    windowMs: 500,
    marginMs: 0,
  });
  const s = read(r.written[0]);
  assert.equal(s.rate, 8000);
  assert.equal(s.channels.length, 1);
  const want = Array.from({ length: 4000 }, (_, i) => Math.round((l[4000 + i] + rr[4000 + i]) / 2));
  const got = Array.from(s.channels[0], (x) => Math.round(x * 32768));
  // Means of two 16-bit values end in .5 half the time: rounding may go either way by one step.
  assert.equal(got.length, want.length);
  for (let i = 0; i < got.length; i++)
    assert.ok(Math.abs(got[i] - want[i]) <= 1, `sample ${i}: ${got[i]} vs ${want[i]}`);
});

test('existing files are never overwritten: a suffix is added', () => {
  const dir = tempDir('wb-snip-');
  recording(dir, 'r.wav', 16000, 2);
  const input = {
    path: join(dir, 'r.wav'),
    events: [{ label: 'on', timeSec: 1.2 }],
    dir,
    windowMs: 1000,
    marginMs: 0,
  };
  writeFileSync(join(dir, 'r_1200ms_on.wav'), 'mine');
  const first = writeSnippets(input);
  const second = writeSnippets(input);
  assert.deepEqual(first.written, [join(dir, 'r_1200ms_on-1.wav')]);
  assert.deepEqual(second.written, [join(dir, 'r_1200ms_on-2.wav')]);
  assert.equal(readFileSync(join(dir, 'r_1200ms_on.wav'), 'utf8'), 'mine');
  assert.deepEqual(read(first.written[0]).channels, read(second.written[0]).channels);
});

test('an unreadable recording is one problem line; the others are still written', async () => {
  const dir = tempDir('wb-snip-');
  const out = tempDir('wb-snip-out-');
  recording(dir, 'good.wav', 16000, 2);
  writeFileSync(join(dir, 'bad.wav'), 'RIFF\x24\x00\x00\x00WAVEjunk');
  // exportFalseAccepts groups by recording: one task each (here run in-process in place of a worker).
  const tasks: SnippetInput[] = [];
  const pool = {
    run: async (kind: string, i: SnippetInput) => {
      assert.equal(kind, 'snippets');
      tasks.push(i);
      return writeSnippets(i);
    },
  } as unknown as WorkerPool;
  const fa = (file: string, timeSec: number) => ({
    file: join(dir, file),
    label: 'yes',
    timeSec,
    score: 0.9,
  });
  const r = await exportFalseAccepts(pool, [fa('good.wav', 1.1), fa('bad.wav', 1), fa('good.wav', 1.9)], {
    dir: out,
    windowMs: 1000,
  });
  assert.equal(tasks.length, 2);
  assert.equal(r.written.length, 2);
  assert.deepEqual(readdirSync(out).sort(), ['good_1100ms_yes.wav', 'good_1900ms_yes.wav']);
  assert.equal(r.problems.length, 1);
  assert.equal(r.problems[0].path, join(dir, 'bad.wav'));
  assert.ok(r.problems[0].reason.length > 0);
});

test('snippetName: the recording stem, the time in whole ms, a file-safe label', () => {
  assert.equal(snippetName('/d/a.b.wav', { label: 'yes', timeSec: 0.0004 }), 'a.b_0ms_yes.wav');
  assert.equal(snippetName('/d/x.WAV', { label: '../up', timeSec: 12.3456 }), 'x_12346ms_.._up.wav');
});

test('evaluate --export-false-accepts writes the false accepts at the first listed threshold, from the recordings', async () => {
  const { runCli } = await import('../runCli');
  const dir = tempDir('wb-snip-cli-');
  const out = join(dir, 'snips');
  const json = join(dir, 'ev.json');
  const rec = ['rec_a.wav', 'rec_c.wav'].map((f) => join('test/fixtures/streaming', f));
  const args = ['evaluate', ...rec, '--workers', '1', '--thresholds', '0.5,0.9', '--json', json];
  const r = await runCli([...args, '--export-false-accepts', out, '--snippet-margin-ms', '50']);
  assert.equal(r.code, 0, r.err);
  const j = JSON.parse(readFileSync(json, 'utf8'));
  assert.equal(j.windowMs, 1000);
  const fa: { file: string; label: string; timeSec: number }[] = j.events[0].falseAccepts;
  assert.ok(fa.length > 0, 'the fixture has false accepts at 0.5');
  assert.deepEqual(readdirSync(out).sort(), fa.map((f) => snippetName(f.file, f)).sort());
  assert.match(r.out, new RegExp(`false-accept snippets at threshold 0.5: ${fa.length} written`));
  // Each snippet holds the recording's samples over [t - 1050 ms, t + 50 ms].
  for (const f of fa) {
    const whole = read(f.file);
    const s = read(join(out, snippetName(f.file, f)));
    assert.equal(s.rate, whole.rate);
    const from = Math.max(0, Math.round(((f.timeSec * 1000 - 1050) * whole.rate) / 1000));
    const to = Math.min(whole.channels[0].length, Math.round(((f.timeSec * 1000 + 50) * whole.rate) / 1000));
    assert.deepEqual(s.channels[0], whole.channels[0].subarray(from, to));
  }
  // Again into the same folder: nothing overwritten, every name gets a suffix.
  const again = await runCli([...args, '--export-false-accepts', out]);
  assert.equal(again.code, 0, again.err);
  assert.equal(readdirSync(out).length, 2 * fa.length);
  assert.equal(readdirSync(out).filter((n) => n.endsWith('-1.wav')).length, fa.length);
});
