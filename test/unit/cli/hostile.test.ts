// Issue 16: hostile input. One test (or more) per finding, on crafted files made at test time by
// test/fixtures/hostile/makeHostile.ts. Each asserts the outcome (refused with its one-line message,
// or handled); where memory was the failure, the CLI runs in a child process that reports its own
// peak RSS (runMeasured.ts). Where the failure was a hang, the child has a generous time limit that
// only detects the hang (the assertion is on the outcome, never on a duration).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import {
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  copyDigits,
  DIGITS_SHARD,
  makeFifo,
  wavHeader,
  withShardPath,
  writeWav,
} from '../../fixtures/hostile/makeHostile';
import { readWavHeader } from '../../../src/audio/wavDecode';
import {
  filterCacheSize,
  resample,
  resampledLength,
  resampleInputRange,
  resampleRange,
} from '../../../src/audio/resample';
import { loadModelPackage } from '../../../src/model/modelPackage';
import { parseMetadata } from '../../../src/model/metadata';
import { resolveModelSetting } from '../../../src/model/modelFiles';
import { Classifier } from '../../../src/model/classifier';
import { buildDatasetView } from '../../../src/dataset/inspect';
import { IndexCache, type IndexRecord } from '../../../src/dataset/indexFile';
import { scanInputs } from '../../../src/dataset/scan';
import { ResultIndex } from '../../../src/engine/resultIndex';

const ROOT = join(__dirname, '../../..');
const RUNNER = join(ROOT, 'test/fixtures/hostile/runMeasured.ts');
const DIGITS = join(ROOT, 'models/digits');
const tmp = () => mkdtempSync(join(tmpdir(), 'wb-hostile-'));

/** Runs the CLI in a child; its exit code, output and peak RSS (MB). `limitSec` only detects a hang. */
function cli(
  args: string[],
  limitSec = 120,
): { code: number | null; out: string; err: string; maxRssMB: number } {
  const report = join(tmp(), 'report.json');
  const r = spawnSync(process.execPath, ['--import', 'tsx', RUNNER, report, ...args], {
    cwd: ROOT,
    encoding: 'utf8',
    timeout: limitSec * 1000,
    killSignal: 'SIGKILL',
    maxBuffer: 64 * 1024 * 1024,
  });
  let maxRssMB = NaN;
  try {
    maxRssMB = JSON.parse(readFileSync(report, 'utf8')).maxRssMB;
  } catch {
    // killed (a hang, or out of memory): no report
  }
  console.log(
    `# ${args.join(' ').replace(/\/tmp\/[^ ]*\//g, '')}: exit ${r.status}, peak RSS ${maxRssMB.toFixed(0)} MB`,
  );
  return { code: r.status, out: r.stdout, err: r.stderr, maxRssMB };
}

// ---- 1. Limits at the decoder: a 32 KB header claiming 4 GHz, 65,535 channels -------------------

test('1: a header claiming 4,000,000,000 Hz or 65,535 channels is refused by the decoder with one line', () => {
  const dir = tmp();
  const ghz = join(dir, 'ghz.wav');
  writeWav(ghz, { rate: 4_000_000_000, frames: 16_000, fill: (i) => i % 100 });
  const many = join(dir, 'many.wav');
  // 65,535 channels of 8 bits, 4 frames: 262 KB, like the audit's file.
  writeFileSync(
    many,
    Buffer.concat([wavHeader({ rate: 16000, channels: 65535, bits: 8, frames: 4 }), Buffer.alloc(65535 * 4)]),
  );
  assert.throws(() => readWavHeader(readFileSync(ghz)), /sample rate of 4000000000 Hz \(above 20000000 Hz/);
  assert.throws(() => readWavHeader(readFileSync(many)), /65535 channels \(more than 1024/);
  const r = cli(['info', ghz, many]);
  assert.equal(r.code, 2);
  assert.deepEqual(r.err.trim().split('\n'), [
    `wavebench: ${ghz}: fmt chunk says a sample rate of 4000000000 Hz (above 20000000 Hz: not a real recording)`,
    `wavebench: ${many}: fmt chunk says 65535 channels (more than 1024: not a real recording)`,
  ]);
  // A real SDR I/Q rate (2.4 MHz stereo) is still accepted: bounded downstream, not refused.
  const sdr = writeWav(join(dir, 'sdr.wav'), { rate: 2_400_000, channels: 2, frames: 24_000, fill: () => 0 });
  assert.equal(readWavHeader(readFileSync(sdr)).facts.sampleRate, 2_400_000);
});

// ---- 2. Resampler: filter length, output length, cache ------------------------------------------

test('2: rates whose filter or output would take gigabytes are refused in one line, in bounded memory', () => {
  const dir = tmp();
  // 19,999,999 Hz passes the decoder (< 20 MHz) but 16000/19999999 needs a 400-M-tap filter.
  const odd = writeWav(join(dir, 'odd.wav'), { rate: 19_999_999, frames: 16_000, fill: (i) => i % 7 });
  // 1 Hz x 100,000 samples (200 KB): 1.6 G output samples at 16 kHz.
  const slow = writeWav(join(dir, 'slow.wav'), { rate: 1, frames: 100_000, fill: (i) => i % 7 });
  const r = cli(['features', odd]);
  assert.equal(r.code, 2);
  assert.equal(
    r.err.trim(),
    `wavebench: ${odd}: cannot resample 19999999 Hz to 16000 Hz: the ratio 19999999:16000 needs a filter of 399999981 taps (limit 1310721)`,
  );
  assert.ok(r.maxRssMB < 300, `peak RSS ${r.maxRssMB} MB`);
  const s = cli(['features', slow]);
  assert.equal(s.code, 2);
  assert.equal(
    s.err.trim(),
    `wavebench: ${slow}: cannot resample 1 Hz to 16000 Hz in one piece: 1600000000 output samples (limit 67108864, 70 min)`,
  );
  assert.ok(s.maxRssMB < 300, `peak RSS ${s.maxRssMB} MB`);
});

test('2: the filter cache keeps the few most recent rate pairs only', () => {
  const x = new Float32Array(100).fill(0.5);
  for (const rate of [8000, 11025, 22050, 44100, 48000, 32000, 12000, 24000]) resample(x, rate, 16000);
  assert.ok(filterCacheSize() <= 4, `${filterCacheSize()} filters cached`);
});

test('2: resampleRange gives exactly the samples of a whole resample, from only the input it needs', () => {
  const n = 44_100 * 3;
  const x = new Float32Array(n);
  for (let i = 0; i < n; i++) x[i] = Math.sin(i * 0.031) * 0.5 + Math.sin(i * 0.7) * 0.2;
  const whole = resample(x, 44_100, 16_000);
  assert.equal(whole.length, resampledLength(n, 44_100, 16_000));
  for (const [k0, k1] of [
    [0, 500],
    [12_345, 30_000],
    [whole.length - 777, whole.length],
  ]) {
    const need = resampleInputRange(k0, k1, n, 44_100, 16_000);
    const seg = resampleRange(x.slice(need.first, need.end), need.first, n, 44_100, 16_000, k0, k1);
    assert.deepEqual(seg, whole.subarray(k0, k1));
  }
});

// ---- 3. A model folder is a boundary --------------------------------------------------------------

async function loadError(dir: string): Promise<string> {
  try {
    const m = await loadModelPackage(dir);
    m.dispose();
    return 'loaded';
  } catch (e) {
    return (e as Error).message;
  }
}

test('3: a model naming files outside its folder (../, absolute, symlink out, /dev/zero) is refused', async () => {
  const base = tmp();
  // A shard moved outside the folder, named with ../
  const up = copyDigits(join(base, 'up'), { modelJson: withShardPath('../' + DIGITS_SHARD) });
  writeFileSync(join(base, DIGITS_SHARD), readFileSync(join(DIGITS, DIGITS_SHARD)));
  assert.equal(
    await loadError(up),
    `model ${up}: weight shard ../${DIGITS_SHARD} is outside the model folder`,
  );
  const abs = copyDigits(join(base, 'abs'), { modelJson: withShardPath('/dev/zero') });
  assert.equal(
    await loadError(abs),
    `model ${abs}: weight shard /dev/zero is an absolute path (a model may only name files inside its folder)`,
  );
  // A symlink inside the folder pointing out of it (to the real shard, or to /dev/zero).
  const link = copyDigits(join(base, 'link'), { modelJson: withShardPath('w.bin') });
  symlinkSync(join(base, DIGITS_SHARD), join(link, 'w.bin'));
  assert.equal(
    await loadError(link),
    `model ${link}: weight shard w.bin is a link to a file outside the model folder`,
  );
  const zero = copyDigits(join(base, 'zero'), { modelJson: withShardPath('z.bin') });
  symlinkSync('/dev/zero', join(zero, 'z.bin'));
  assert.match(
    await loadError(zero),
    /^model .*zero: weight shard z\.bin is a link to a file outside the model folder$/,
  );
  // metadata.json as a symlink to a file outside is refused the same way.
  const meta = copyDigits(join(base, 'meta'));
  rmSync(join(meta, 'metadata.json'));
  writeFileSync(join(base, 'm.json'), readFileSync(join(DIGITS, 'metadata.json')));
  symlinkSync(join(base, 'm.json'), join(meta, 'metadata.json'));
  assert.equal(
    await loadError(meta),
    `model ${meta}: metadata.json: is a link to a file outside the model folder`,
  );
  // The untouched copy still loads.
  assert.equal(await loadError(copyDigits(join(base, 'ok'))), 'loaded');
});

test('3: a FIFO as a weight shard is refused (never read: it would hang)', () => {
  const base = tmp();
  const dir = copyDigits(join(base, 'fifo'), { modelJson: withShardPath('pipe.bin') });
  makeFifo(join(dir, 'pipe.bin'));
  const wav = writeWav(join(base, 'a.wav'), { rate: 16000, frames: 16000, fill: (i) => (i % 50) * 100 });
  const r = cli(['classify', wav, '--model', dir, '--workers', '1']);
  assert.equal(r.code, 2);
  assert.equal(r.err.trim(), `wavebench: model ${dir}: weight shard pipe.bin is not a regular file`);
});

// ---- 4. metadata.json numbers, one-line load errors ----------------------------------------------

const META = JSON.parse(readFileSync(join(DIGITS, 'metadata.json'), 'utf8'));
const withMeta = (edit: (m: Record<string, unknown> & { features: Record<string, unknown> }) => void) => {
  const m = structuredClone(META);
  edit(m);
  return m;
};

test('4: metadata numbers out of range or not integers are refused, each with its field', () => {
  const cases: [
    string,
    (m: Record<string, unknown> & { features: Record<string, unknown> }) => void,
    RegExp,
  ][] = [
    [
      'sampleRate 1e9',
      (m) => (m.sampleRate = 1e9),
      /"sampleRate" must be an integer from 1000 to 384000 Hz \(got 1000000000\)/,
    ],
    ['sampleRate 16000.5', (m) => (m.sampleRate = 16000.5), /"sampleRate" must be an integer/],
    [
      'filterbankChannels 1e9',
      (m) => (m.features.filterbankChannels = 1e9),
      /"features.filterbankChannels" must be an integer from 1 to 1024/,
    ],
    [
      'binCount 0',
      (m) => (m.features.binCount = 0),
      /"features.binCount" must be an integer from 1 to 4096 \(got 0\)/,
    ],
    ['binCount 20.5', (m) => (m.features.binCount = 20.5), /"features.binCount" must be an integer/],
    ['clipDurationMs 1e9', (m) => (m.clipDurationMs = 1e9), /"clipDurationMs" must be at most 60000/],
    ['windowSizeMs 1e7', (m) => (m.windowSizeMs = 1e7), /"windowSizeMs" must give 2 to 65536 samples/],
    [
      'windowStrideMs 0.001',
      (m) => (m.windowStrideMs = 0.001),
      /"windowStrideMs" must give at least 1 sample/,
    ],
    ['upper > Nyquist', (m) => (m.features.upperFrequencyHz = 9000), /upperFrequencyHz <= sampleRate \/ 2/],
    [
      '20,000 labels',
      (m) => (m.labels = Array.from({ length: 20000 }, (_, i) => `l${i}`)),
      /"labels" has 20000 entries/,
    ],
    ['duplicate labels', (m) => (m.labels = ['a', 'b', 'a']), /"labels" has duplicates/],
    [
      'mean of 1e6 values',
      (m) => (m.features.mean = new Array(1e6).fill(0)),
      /"features.mean" must be an array/,
    ],
  ];
  for (const [name, edit, re] of cases) assert.throws(() => parseMetadata(withMeta(edit)), re, name);
  assert.equal(parseMetadata(META).sampleRate, 16000);
});

test('4: broken weightsManifest, unknown ops and multi-line errors give one line naming the folder', async () => {
  const base = tmp();
  const notIterable = copyDigits(join(base, 'paths'), {
    modelJson: (j) => ((j.weightsManifest as { paths: unknown }[])[0].paths = 7),
  });
  assert.equal(
    await loadError(notIterable),
    `model ${notIterable}: model.json: weightsManifest[0].paths is not an array of file names`,
  );
  const noWeights = copyDigits(join(base, 'weights'), {
    modelJson: (j) => ((j.weightsManifest as unknown[])[0] = null),
  });
  assert.equal(
    await loadError(noWeights),
    `model ${noWeights}: model.json: weightsManifest[0] is not an object`,
  );
  // A graph model with an op TF.js does not know.
  const graphDir = join(ROOT, 'test/fixtures/models/digits-graph');
  const g = JSON.parse(readFileSync(join(graphDir, 'model.json'), 'utf8'));
  const node = (g.modelTopology.node as { op: string }[]).find(
    (n) => n.op !== 'Placeholder' && n.op !== 'Const',
  )!;
  node.op = 'NoSuchOp';
  const unknownOp = join(base, 'op');
  copyDigits(unknownOp);
  writeFileSync(join(unknownOp, 'model.json'), JSON.stringify(g));
  writeFileSync(join(unknownOp, DIGITS_SHARD), readFileSync(join(graphDir, DIGITS_SHARD)));
  writeFileSync(join(unknownOp, 'metadata.json'), readFileSync(join(graphDir, 'metadata.json')));
  const msg = await loadError(unknownOp);
  assert.match(msg, new RegExp(`^model ${unknownOp}: .*NoSuchOp`));
  for (const m of [await loadError(notIterable), msg]) assert.ok(!/[\r\n]/.test(m), m);
});

// ---- 6. `info` streams: a 1-GB file in bounded memory; classify streams long files ---------------

test('6: info on a 1-GB WAV reads it in bounded chunks (peak RSS far below the file size)', () => {
  const dir = tmp();
  const frames = 512 * 1024 * 1024; // 16-bit mono: 1 GiB of data, sparse on disk
  const big = writeWav(join(dir, 'big.wav'), { rate: 16000, frames });
  const r = cli(['info', big, '--json'], 600);
  assert.equal(r.code, 0, r.err);
  const j = JSON.parse(r.out);
  assert.deepEqual(
    [j.frames, j.sampleRate, j.peak[0], j.rms[0], j.silenceRatio[0]],
    [frames, 16000, 0, 0, 1],
  );
  assert.ok(r.maxRssMB < 300, `peak RSS ${r.maxRssMB} MB for a 1-GB file`);
  rmSync(big);
});

test('6: classify streams a long file window group by window group, with the same results as a whole read', async () => {
  const dir = tmp();
  // 100 s of 44.1 kHz stereo (tones and clicks): long enough for many windows, resampled and mixed.
  const f = writeWav(join(dir, 'long.wav'), {
    rate: 44_100,
    channels: 2,
    frames: 44_100 * 100,
    fill: (i) => 8000 * Math.sin(i * 0.05 * (1 + ((i >> 16) % 5))) + (i % 20000 < 50 ? 20000 : 0),
  });
  const c = await Classifier.create(DIGITS);
  const [whole] = await c.classifyFiles([f], { windowStrideMs: 1000 });
  const [streamed] = await c.classifyFiles([f], { windowStrideMs: 1000, wholeReadBytes: 0 });
  c.dispose();
  assert.equal(whole.error, undefined);
  assert.equal(streamed.windows!.length, 100);
  assert.deepEqual(streamed, whole);
  // In a child, a 300-MB file (2.6 h at 16 kHz) is classified in bounded memory.
  const big = writeWav(join(dir, 'big.wav'), { rate: 16000, frames: 150 * 1024 * 1024 });
  const r = cli(['classify', big, '--workers', '1', '--window-stride-ms', '10000'], 600);
  assert.equal(r.code, 0, r.err);
  assert.match(r.out, /files: 1, scored: 0, unlabelled: 1, errors: 0/);
  // Read whole, its samples alone would be 300 MB of bytes + 600 MB of float32 (>= 900 MB). Streamed:
  // 360-380 MB on an idle machine (before and after 2026-12-08's changes alike), 456 MB once in CI
  // on a loaded machine (GC runs later there), so the bound sits between.
  assert.ok(r.maxRssMB < 600, `peak RSS ${r.maxRssMB} MB for a 300-MB file`);
  rmSync(big);
});

// ---- 8. Dataset inspection is linear in the number of clips ---------------------------------------

test('8: 100,000 identical clips are inspected (duplicate groups no longer quadratic)', () => {
  // In a child with a hang guard: the quadratic version needed more than 300 s for this.
  const code = `
    const { buildDatasetView } = require(${JSON.stringify(join(ROOT, 'src/dataset/inspect.ts'))});
    const recs = [];
    for (let i = 0; i < 100000; i++) recs.push({ path: '/d/yes/c' + i + '_nohash_0.wav', size: 32044, mtimeMs: 1,
      hash: 'a'.repeat(40), format: 'pcm', sampleRate: 16000, bitsPerSample: 16, channels: 1, frames: 16000,
      durationSec: 1, peak: 0.5, rms: 0.1, dcOffset: 0, clippedRatio: 0, silenceRatio: 0 });
    const v = buildDatasetView('/d', recs, [], {}, 0);
    process.stdout.write(JSON.stringify({ dups: v.duplicates.length, members: v.duplicates[0].paths.length,
      problems: v.problems.length, first: v.problems[0].message }));`;
  const r = spawnSync(process.execPath, ['--import', 'tsx', '-e', code], {
    encoding: 'utf8',
    timeout: 120_000,
  });
  assert.equal(r.status, 0, `did not finish (${r.signal ?? r.stderr})`);
  const j = JSON.parse(r.stdout);
  assert.deepEqual([j.dups, j.members, j.problems], [1, 100000, 100000]);
  assert.match(j.first, /^same bytes as yes\/c1_nohash_0\.wav \(yes, \w+\), .* and 99996 more$/);
  // The same function in-process on a small group names three others and counts the rest.
  const small: IndexRecord[] = [0, 1, 2, 3, 4].map((i) => ({
    path: `/d/no/x${i}.wav`,
    size: 1,
    mtimeMs: 1,
    hash: 'b'.repeat(40),
  }));
  const v = buildDatasetView('/d', small, [], {}, 0);
  const dup = v.problems.filter((p) => p.kind === 'duplicate').map((p) => p.message);
  assert.equal(dup.length, 5);
  assert.match(dup[2], /^same bytes as no\/x0\.wav .*, no\/x1\.wav .*, no\/x3\.wav .* and 1 more$/);
});

// ---- 9. The cache is keyed by what the worker read ------------------------------------------------

test('9: a file replaced after the worker read it is not served its old answer from the cache', async () => {
  const dir = tmp();
  const f = writeWav(join(dir, 'clip.wav'), {
    rate: 16000,
    frames: 16000,
    fill: (i) => 6000 * Math.sin(i * 0.2),
  });
  const c = await Classifier.create(DIGITS);
  const rows = await c.classifyFiles([f]);
  c.dispose();
  assert.equal(rows[0].fileSize, statSync(f).size);
  // Replaced while the run goes on (after the read, before the results are stored).
  writeWav(f, { rate: 16000, frames: 8000, fill: (i) => 3000 * Math.sin(i * 0.05) });
  const cache = new ResultIndex();
  cache.store(rows, 'model');
  assert.equal((await cache.lookup([f], 'model')).size, 0, 'the replaced file must be classified again');
  // An unchanged file is served from the cache.
  const g = writeWav(join(dir, 'same.wav'), {
    rate: 16000,
    frames: 16000,
    fill: (i) => 6000 * Math.sin(i * 0.3),
  });
  const c2 = await Classifier.create(DIGITS);
  const rows2 = await c2.classifyFiles([g]);
  c2.dispose();
  const cache2 = ResultIndex.fromJSON(
    JSON.parse(
      JSON.stringify(
        (() => {
          const x = new ResultIndex();
          x.store(rows2, 'model');
          return x.toJSON();
        })(),
      ),
    ),
  );
  assert.deepEqual((await cache2.lookup([g], 'model')).get(g)?.top, rows2[0].top);
});

// ---- 10. Regular files only, Ctrl-C, trust, index-cache records -----------------------------------

test('10: a FIFO named .wav is refused by info and classify with one line, never waited on', async () => {
  const dir = tmp();
  const fifo = makeFifo(join(dir, 'pipe.wav'));
  const i = cli(['info', fifo]);
  assert.equal(i.code, 2);
  assert.equal(i.err.trim(), `wavebench: ${fifo}: not a regular file (a FIFO)`);
  const c = cli(['classify', fifo, '--workers', '1']);
  assert.equal(c.code, 2);
  assert.deepEqual(c.err.trim().split('\n'), [
    `wavebench: ${fifo}: not a regular file (a FIFO)`,
    'wavebench: classify: no WAV files found',
  ]);
  const s = await scanInputs([dir, fifo]);
  assert.deepEqual(s.files, []);
});

test('10: the first Ctrl-C cancels classify: partial results written, exit 130', async () => {
  const dir = tmp();
  const data = join(dir, 'one');
  mkdirSync(data);
  const clip = readFileSync(
    join(ROOT, 'samples/digits/one', readdirSync(join(ROOT, 'samples/digits/one'))[0]),
  );
  for (let i = 0; i < 4000; i++) writeFileSync(join(data, `c${i}.wav`), clip);
  const json = join(dir, 'out.json');
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', join(ROOT, 'src/cli/main.ts'), 'classify', data, '--workers', '1', '--json', json],
    {
      cwd: ROOT,
    },
  );
  let err = '';
  let out = '';
  child.stdout.on('data', (d) => (out += d));
  const code = await new Promise<number | null>((resolve) => {
    child.stderr.on('data', (d) => {
      err += d;
      // After the first progress line (classification under way), one Ctrl-C.
      if (/\d+\/4000 clips/.test(err) && !child.killed) child.kill('SIGINT');
    });
    child.on('exit', (c) => resolve(c));
  });
  assert.equal(code, 130, err);
  assert.match(err, /wavebench: classify: interrupted after \d+ files \(partial results written\)/);
  const j = JSON.parse(readFileSync(json, 'utf8'));
  assert.equal(j.cancelled, true);
  assert.ok(j.rows.length > 0 && j.rows.length < 4000, `${j.rows.length} rows`);
  assert.match(out, /\(cancelled\)/);
});

test('10: trust: a relative modelPath never resolves in an untrusted workspace; workers is restricted', () => {
  assert.equal(resolveModelSetting('models/x', '/ws', false), undefined);
  assert.equal(resolveModelSetting('models/x', undefined, true), undefined);
  assert.equal(resolveModelSetting('models/x', '/ws', true), '/ws/models/x');
  assert.equal(resolveModelSetting('/abs/model', '/ws', false), '/abs/model');
  assert.equal(resolveModelSetting('  ', '/ws', true), undefined);
  const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
  assert.deepEqual(pkg.capabilities.untrustedWorkspaces.restrictedConfigurations.sort(), [
    'wavebench.modelPath',
    'wavebench.workers',
  ]);
});

test('10: index-cache records with wrongly typed fields are dropped, field by field', () => {
  const good: IndexRecord = {
    path: '/d/yes/a.wav',
    size: 32044,
    mtimeMs: 5,
    hash: 'c'.repeat(40),
    format: 'pcm',
    sampleRate: 16000,
    bitsPerSample: 16,
    channels: 1,
    frames: 16000,
    durationSec: 1,
    peak: 0.5,
    rms: 0.1,
    dcOffset: 0,
    clippedRatio: 0,
    silenceRatio: 0,
  };
  const bad: unknown[] = [
    { ...good, path: '/d/1', sampleRate: '16000' },
    { ...good, path: '/d/2', channels: 1e9 },
    { ...good, path: '/d/3', peak: 'loud' },
    { ...good, path: '/d/4', format: 42 },
    { ...good, path: '/d/5', warnings: 'not an array' },
    { ...good, path: '/d/6', error: { toString: 1 } },
    { ...good, path: '/d/7', frames: -1 },
    { ...good, path: '/d/8', hash: '<script>' },
    { ...good, path: '/d/9', rms: undefined },
    { ...good, path: '/d/10', durationSec: null },
  ];
  const cache = IndexCache.fromJSON({ version: 1, records: [good, ...bad] });
  assert.equal(cache.size, 1);
  assert.deepEqual(cache.get(good.path), good);
});
