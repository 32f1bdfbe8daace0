// Dataset inspection: speech_commands' split hash against Python's, and a generated dataset whose
// report is checked against expectations worked out by hand from how it was made.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { WaveFile } from 'wavefile';
import { IndexCache, indexFiles } from '../../../src/dataset/indexFile';
import { buildDatasetView, readSplitLists } from '../../../src/dataset/inspect';
import { scanInputs } from '../../../src/dataset/scan';
import { speakerOf, splitPercentage, whichSet } from '../../../src/dataset/splits';
import { runInspectCommand } from '../../../src/cli/commands/inspect';

interface Expected {
  settings: { validation: number; testing: number }[];
  cases: { name: string; percentage: number; sets: string[] }[];
}
const expected: Expected = JSON.parse(
  readFileSync(join(__dirname, '../../fixtures/splits/expected.json'), 'utf8'),
);
const expectedSet = (name: string) => expected.cases.find((c) => c.name === name)!.sets[0];

test('whichSet equals speech_commands input_data.which_set (Python hashlib reference)', () => {
  assert.ok(expected.cases.length >= 200);
  for (const c of expected.cases) {
    // Bit-exact, not close: the same double operations on the same integer.
    assert.equal(splitPercentage(c.name), c.percentage, c.name);
    expected.settings.forEach((s, i) =>
      assert.equal(whichSet(c.name, s.validation, s.testing), c.sets[i], `${c.name} ${JSON.stringify(s)}`),
    );
  }
  assert.equal(whichSet('0a7c2a8d_nohash_0.wav'), whichSet('other/0a7c2a8d_nohash_7.wav'));
});

test('speakerOf: before _nohash_, else FSDD DIGIT_SPEAKER_INDEX, else none', () => {
  assert.equal(speakerOf('yes/0a7c2a8d_nohash_0.wav'), '0a7c2a8d');
  assert.equal(speakerOf('3_jackson_12.wav'), 'jackson');
  assert.equal(speakerOf('/data/7/3_theo_0.WAV'), 'theo');
  assert.equal(speakerOf('clip.wav'), undefined);
  assert.equal(speakerOf('a_b_c.wav'), undefined);
  assert.equal(speakerOf('_nohash_0.wav'), undefined);
});

/** 16-bit PCM mono WAV bytes of `samples` (integers). */
function wav(samples: number[] | Int16Array, rate = 16000): Uint8Array {
  const w = new WaveFile();
  w.fromScratch(1, rate, '16', Array.from(samples));
  return w.toBuffer();
}
function sine(freq: number, amp: number, seconds = 1, rate = 16000, dc = 0): Int16Array {
  const n = Math.round(seconds * rate);
  const x = new Int16Array(n);
  for (let i = 0; i < n; i++)
    x[i] = Math.round(32767 * (amp * Math.sin((2 * Math.PI * freq * i) / rate) + dc));
  return x;
}

/** The generated dataset; every fact the tests expect follows from these lines. */
function makeDataset(): string {
  const root = mkdtempSync(join(tmpdir(), 'wb-dataset-'));
  for (const d of ['yes', 'no', '_background_noise_']) mkdirSync(join(root, d));
  const put = (rel: string, bytes: Uint8Array | string) => writeFileSync(join(root, rel), bytes);
  put('loose.wav', wav(sine(200, 0.5)));
  put('yes/aaa_nohash_0.wav', wav(sine(440, 0.5)));
  put('yes/bbb_nohash_0.wav', wav(sine(500, 0.5)));
  put('yes/spk1_nohash_0.wav', wav(sine(600, 0.5)));
  put('yes/silent_nohash_0.wav', wav(new Int16Array(16000)));
  put('yes/dc_nohash_0.wav', wav(sine(440, 0.3, 1, 16000, 0.05))); // mean 0.05 > 0.01
  put('yes/empty_nohash_0.wav', wav([]));
  put('no/ccc_nohash_0.wav', wav(sine(300, 0.5)));
  copyFileSync(join(root, 'no/ccc_nohash_0.wav'), join(root, 'yes/dup_nohash_0.wav'));
  put('no/spk1_nohash_1.wav', wav(sine(700, 0.5)));
  // A full-scale square wave: every sample at +-32767 (|x| >= 0.9999), balanced so no DC.
  put(
    'no/clipped_nohash_0.wav',
    wav(Int16Array.from({ length: 16000 }, (_, i) => ((i >> 4) & 1 ? 32767 : -32767))),
  );
  put('no/short_nohash_0.wav', wav(sine(440, 0.5, 0.5)));
  put('no/rate8k_nohash_0.wav', wav(sine(440, 0.5, 1, 8000), 8000));
  put('no/broken_nohash_0.wav', 'RIFF\x10\x00\x00\x00JUNKJUNKJUNK');
  put('_background_noise_/noise.wav', wav(sine(100, 0.1, 2)));
  put('validation_list.txt', 'yes/spk1_nohash_0.wav\nno/short_nohash_0.wav\n');
  put('testing_list.txt', 'yes/aaa_nohash_0.wav\r\nno/ccc_nohash_0.wav\r\n');
  return root;
}

const root = makeDataset();
const temps = [root];
after(() => temps.forEach((d) => rmSync(d, { recursive: true, force: true })));
const p = (rel: string) => join(root, rel);
const sha1 = (path: string) => createHash('sha1').update(readFileSync(path)).digest('hex');

async function inspect(withLists: boolean) {
  const scan = await scanInputs([root]);
  const records = await indexFiles(scan.files.map((f) => f.path));
  const lists = withLists ? await readSplitLists(root) : undefined;
  return { records, view: buildDatasetView(root, records, scan.background, { lists }, 0.5) };
}

test('indexFiles: hash, format and mono levels per file; a failure stays in its record', async () => {
  const [good, broken, missing] = await indexFiles([
    p('yes/aaa_nohash_0.wav'),
    p('no/broken_nohash_0.wav'),
    p('no/nothing.wav'),
  ]);
  const { createHash } = await import('node:crypto');
  assert.equal(
    good.hash,
    createHash('sha1')
      .update(readFileSync(p('yes/aaa_nohash_0.wav')))
      .digest('hex'),
  );
  assert.equal(good.size, statSync(p('yes/aaa_nohash_0.wav')).size);
  assert.deepEqual(
    [good.format, good.sampleRate, good.bitsPerSample, good.channels, good.frames, good.durationSec],
    ['pcm', 16000, 16, 1, 16000, 1],
  );
  // 0.5-amplitude sine over whole cycles: peak 0.5, RMS 0.5/sqrt(2), no DC, nothing clipped or silent.
  assert.ok(Math.abs(good.peak! - 0.5) < 1e-3 && Math.abs(good.rms! - 0.5 / Math.SQRT2) < 1e-3);
  assert.ok(Math.abs(good.dcOffset!) < 1e-4);
  assert.deepEqual([good.clippedRatio, good.silenceRatio, good.error], [0, 0, undefined]);
  assert.match(broken.error!, /^not a WAVE file/);
  assert.equal(broken.hash.length, 40);
  assert.deepEqual(missing, {
    path: p('no/nothing.wav'),
    size: 0,
    mtimeMs: 0,
    hash: '',
    error: 'no such file',
  });
});

/** Every clip of the inspected fixture dataset: [label folder ('' at the top), file name]. */
const FIXTURE_CLIPS: [string, string][] = [
  ['', 'loose.wav'],
  ...['aaa', 'bbb', 'dc', 'dup', 'empty', 'silent', 'spk1'].map((n): [string, string] => [
    'yes',
    `${n}_nohash_0.wav`,
  ]),
  ...[
    'broken_nohash_0',
    'ccc_nohash_0',
    'clipped_nohash_0',
    'rate8k_nohash_0',
    'short_nohash_0',
    'spk1_nohash_1',
  ].map((n): [string, string] => ['no', `${n}.wav`]),
];

test('buildDatasetView with validation/testing lists: labels, formats, splits, leakage, problems, duplicates', async () => {
  const { view: v } = await inspect(true);
  const bytes = FIXTURE_CLIPS.reduce(
    (s, [label, name]) => s + statSync(p(label ? `${label}/${name}` : name)).size,
    0,
  );
  // 12 readable non-empty files: 11 of 1 s and one of 0.5 s; the empty one adds 0.
  assert.deepEqual(v.totals, { files: 14, bytes, durationSec: 11.5, readable: 13 });
  assert.deepEqual(v.background, [p('_background_noise_/noise.wav')]);
  assert.deepEqual(
    v.labels.map((l) => [l.label, l.count, [...l.durations].sort()]),
    [
      ['(none)', 1, [1]],
      ['no', 6, [0.5, 1, 1, 1, 1]],
      ['yes', 7, [0, 1, 1, 1, 1, 1, 1]],
    ],
  );
  assert.deepEqual(
    v.formats.map((f) => [f.key, f.count]),
    [
      ['16000 Hz · 16-bit pcm · mono', 12],
      ['8000 Hz · 16-bit pcm · mono', 1],
    ],
  );
  assert.deepEqual(v.formats[1].examples, [p('no/rate8k_nohash_0.wav')]);
  assert.deepEqual(v.oddFormats, [
    { path: p('no/rate8k_nohash_0.wav'), format: '8000 Hz · 16-bit pcm · mono' },
  ]);
  assert.equal(v.splitSource, 'lists');
  assert.deepEqual(v.splits, [
    { name: 'training', total: 10, perLabel: { '(none)': 1, no: 4, yes: 5 } },
    { name: 'validation', total: 2, perLabel: { '(none)': 0, no: 1, yes: 1 } },
    { name: 'testing', total: 2, perLabel: { '(none)': 0, no: 1, yes: 1 } },
  ]);
  assert.deepEqual(v.leakage, [{ speaker: 'spk1', splits: ['training', 'validation'], files: 2 }]);
  assert.deepEqual(
    v.problems.map((x) => [x.path.slice(root.length + 1), x.kind]),
    [
      ['no/broken_nohash_0.wav', 'unreadable'],
      ['no/ccc_nohash_0.wav', 'duplicate'],
      ['no/clipped_nohash_0.wav', 'clipped'],
      ['no/rate8k_nohash_0.wav', 'sample-rate'],
      ['no/short_nohash_0.wav', 'duration'],
      ['yes/dc_nohash_0.wav', 'dc-offset'],
      ['yes/dup_nohash_0.wav', 'duplicate'],
      ['yes/empty_nohash_0.wav', 'empty'],
      ['yes/silent_nohash_0.wav', 'silent'],
    ],
  );
  assert.match(v.problems[0].message, /^not a WAVE file/);
  assert.deepEqual(v.duplicates, [
    {
      hash: sha1(p('yes/dup_nohash_0.wav')),
      paths: [p('no/ccc_nohash_0.wav'), p('yes/dup_nohash_0.wav')],
      labels: ['no', 'yes'],
      splits: ['training', 'testing'],
    },
  ]);
});

test('buildDatasetView without lists: the hash split of every file as Python assigns it', async () => {
  const { view: v } = await inspect(false);
  assert.equal(v.splitSource, 'hash');
  assert.deepEqual(v.splitPercent, { validation: 10, testing: 10 });
  const want: Record<string, Record<string, number>> = { training: {}, validation: {}, testing: {} };
  for (const s of Object.values(want)) for (const l of ['(none)', 'no', 'yes']) s[l] = 0;
  for (const [label, name] of FIXTURE_CLIPS) want[expectedSet(name)][label || '(none)']++;
  for (const s of v.splits) assert.deepEqual(s.perLabel, want[s.name], s.name);
  // spk1's files share one hash name, so the hash split never separates them.
  assert.deepEqual(v.leakage, []);
});

test('hash split of FSDD names: a speaker whose files fall in several splits is leakage', () => {
  // Records only (no files): buildDatasetView is pure. FSDD hashes the whole name, so speakers spread.
  const fsdd = expected.cases.filter((c) => /^\d_[a-z]+_\d+\.wav$/.test(c.name));
  const records = fsdd.map((c) => ({
    path: join('/data/fsdd', c.name[0], c.name),
    size: 100,
    mtimeMs: 0,
    hash: c.name,
    format: 'pcm',
    sampleRate: 8000,
    bitsPerSample: 16,
    channels: 1,
    frames: 4000,
    durationSec: 0.5,
    peak: 0.5,
    rms: 0.2,
    dcOffset: 0,
    clippedRatio: 0,
    silenceRatio: 0,
  }));
  const v = buildDatasetView('/data/fsdd', records, [], { expectedDurationSec: 0.5 }, 0);
  const want = new Map<string, { sets: Set<string>; files: number }>();
  for (const c of fsdd) {
    const spk = c.name.split('_')[1];
    const e = want.get(spk) ?? { sets: new Set<string>(), files: 0 };
    e.sets.add(c.sets[0]);
    e.files++;
    want.set(spk, e);
  }
  const leaking = [...want].filter(([, e]) => e.sets.size > 1);
  assert.ok(leaking.length > 0);
  assert.deepEqual(
    v.leakage.map((l) => [l.speaker, [...l.splits].sort(), l.files]).sort(),
    leaking.map(([s, e]) => [s, [...e.sets].sort(), e.files]).sort(),
  );
  assert.deepEqual(v.problems, []);
  assert.deepEqual(
    v.labels.map((l) => l.label),
    ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'],
  );
});

test('IndexCache: JSON round trip, validity by (size, mtimeMs)', async () => {
  const { records } = await inspect(false);
  const cache = new IndexCache();
  for (const r of records) cache.set(r);
  const back = IndexCache.fromJSON(JSON.parse(JSON.stringify(cache)));
  assert.equal(back.size, records.length);
  for (const r of records) {
    assert.deepEqual(back.get(r.path), r);
    assert.equal(back.needs(r.path, r.size, r.mtimeMs), false);
    assert.equal(back.needs(r.path, r.size, r.mtimeMs + 1), true);
    assert.equal(back.needs(r.path, r.size + 1, r.mtimeMs), true);
  }
  assert.equal(back.needs(p('new.wav'), 1, 1), true);
  assert.equal(IndexCache.fromJSON({ version: 2, records }).size, 0);
  assert.equal(IndexCache.fromJSON(null).size, 0);
});

async function capture(f: () => Promise<number>): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const { log, error } = console;
  console.log = (...a: unknown[]) => out.push(a.join(' '));
  console.error = (...a: unknown[]) => err.push(a.join(' '));
  try {
    return { code: await f(), out: out.join('\n'), err: err.join('\n') };
  } finally {
    console.log = log;
    console.error = error;
  }
}

test('inspect CLI: summary, --json output, exit codes', async () => {
  const out = mkdtempSync(join(tmpdir(), 'wb-inspect-'));
  temps.push(out);
  const json = join(out, 'view.json');
  const r = await capture(() => runInspectCommand([root, '--json', json]));
  assert.equal(r.code, 0, r.err);
  assert.match(r.out, /files: 14 \(13 readable\)/);
  assert.match(
    r.out,
    /problems: 9 \(unreadable 1, empty 1, silent 1, clipped 1, dc-offset 1, duration 1, sample-rate 1, duplicate 2\)/,
  );
  assert.match(r.out, /spk1: 2 files in training, validation/);
  const v = JSON.parse(readFileSync(json, 'utf8'));
  assert.equal(v.totals.files, 14);
  assert.equal(v.splitSource, 'lists');
  const missing = await capture(() => runInspectCommand([join(root, 'nope')]));
  assert.equal(missing.code, 2);
  assert.match(missing.err, /no such folder/);
  const bad = await capture(() => runInspectCommand([root, '--validation-percent', '150']));
  assert.equal(bad.code, 2);
});
