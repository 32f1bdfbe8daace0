// Dataset-inspection benchmark: scanInputs + indexFiles (single thread, main thread) +
// buildDatasetView over N generated 1-s 16 kHz clips in 35 label folders, with two baselines from the
// same run: `find DIR -name '*.wav' | wc -l` and a plain sequential read of every file (fs/promises
// readFile and readFileSync), so the cost of indexing over just reading the bytes is known.
//
// Usage: node --import tsx bench/dataset/run.mjs [N]   (N defaults to 100000)
// The clips go to bench/results/gen-dataset/ (git-ignored) and are reused while N is unchanged.
// Figures are printed and written to bench/results/dataset-scan.json. Reads are warm-cache: the
// files were just written or read, and the raw-read baseline runs first, so both sides see the
// same page cache.
import { execSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { scanInputs } from '../../src/dataset/scan.ts';
import { indexFiles } from '../../src/dataset/indexFile.ts';
import { buildDatasetView } from '../../src/dataset/inspect.ts';
import { createHash } from 'node:crypto';
import { readWavHeader, decodeFrames } from '../../src/audio/wavDecode.ts';
import { mixdown } from '../../src/audio/mixdown.ts';
import { channelStats } from '../../src/audio/stats.ts';
import { pcm16MonoHeader } from '../wavHeader.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const resultsDir = resolve(here, '..', 'results');
const dataDir = join(resultsDir, 'gen-dataset');
const marker = join(dataDir, '.generated');

// speech_commands v2's 35 words.
const LABELS =
  'backward bed bird cat dog down eight five follow forward four go happy house learn left marvin nine no off on one right seven sheila six stop three tree two up visual wow yes zero'.split(
    ' ',
  );

/** A 1-s 16 kHz 16-bit mono WAV of a sine (44-byte header + 32000 data bytes). */
function sineWav(freq, amp) {
  const rate = 16000;
  const n = rate;
  const b = Buffer.alloc(44 + 2 * n);
  pcm16MonoHeader(rate, 2 * n).copy(b);
  for (let i = 0; i < n; i++)
    b.writeInt16LE(Math.round(32767 * amp * Math.sin((2 * Math.PI * freq * i) / rate)), 44 + 2 * i);
  return b;
}

async function generate(n) {
  if (existsSync(marker) && readFileSync(marker, 'utf8').trim() === String(n)) return 0;
  rmSync(dataDir, { recursive: true, force: true });
  for (const l of LABELS) mkdirSync(join(dataDir, l), { recursive: true });
  // A few distinct buffers; each file gets its index written into 4 sample bytes so every hash differs
  // without computing 100k sines.
  const bases = [220, 330, 440, 550, 660, 770, 880, 990].map((f, i) => sineWav(f, 0.2 + 0.05 * i));
  const t0 = performance.now();
  let next = 0;
  const worker = async () => {
    for (let i = next++; i < n; i = next++) {
      const b = Buffer.from(bases[i % bases.length]);
      b.writeUInt32LE(i, 44 + 2 * 8000);
      const speaker = (i >>> 2).toString(16).padStart(8, '0');
      await writeFile(join(dataDir, LABELS[i % LABELS.length], `${speaker}_nohash_${i & 3}.wav`), b);
    }
  };
  await Promise.all(Array.from({ length: 32 }, worker));
  writeFileSync(marker, `${n}\n`);
  return (performance.now() - t0) / 1000;
}

const n = Number(process.argv[2] ?? 100000);
if (!Number.isInteger(n) || n < 1) throw new Error('N must be a positive integer');
const genSec = await generate(n);

const cpu = os.cpus()[0]?.model ?? 'unknown';
const nproc = os.availableParallelism?.() ?? os.cpus().length;
const sec = (t0) => (performance.now() - t0) / 1000;
// CPU seconds of this process next to wall seconds: the machine may be shared, and CPU time is what
// extrapolates to a worker pool.
const cpuSec = (c0) => {
  const c = process.cpuUsage(c0);
  return (c.user + c.system) / 1e6;
};
const loadBefore = os.loadavg()[0];

let t = performance.now();
const findCount = Number(execSync(`find '${dataDir}' -name '*.wav' | wc -l`, { encoding: 'utf8' }).trim());
const findSec = sec(t);

t = performance.now();
const scan = await scanInputs([dataDir]);
const scanSec = sec(t);
const paths = scan.files.map((f) => f.path);

// Two raw baselines: fs/promises readFile (several libuv round trips per file) and readFileSync
// (the I/O indexFiles itself does; the index/raw ratio is taken against this one).
t = performance.now();
for (const p of paths) await readFile(p);
const rawAsyncSec = sec(t);
t = performance.now();
let rawBytes = 0;
for (const p of paths) rawBytes += readFileSync(p).length;
const rawSec = sec(t);

t = performance.now();
let c = process.cpuUsage();
const records = await indexFiles(paths);
const indexSec = sec(t);
const indexCpuSec = cpuSec(c);

// Where the index time goes, on a sample: the same steps as indexFileSync, timed one by one.
const sample = paths.slice(0, Math.min(paths.length, 5000));
const stage = { read: 0, sha1: 0, header: 0, decodeMix: 0, stats: 0 };
for (const p of sample) {
  let a = performance.now();
  const b = readFileSync(p);
  let z = performance.now();
  stage.read += z - a;
  a = z;
  createHash('sha1').update(b).digest('hex');
  z = performance.now();
  stage.sha1 += z - a;
  a = z;
  const h = readWavHeader(b);
  z = performance.now();
  stage.header += z - a;
  a = z;
  const x = mixdown(decodeFrames(b, h));
  z = performance.now();
  stage.decodeMix += z - a;
  a = z;
  channelStats(x, { sampleRate: h.facts.sampleRate });
  stage.stats += performance.now() - a;
}
for (const k of Object.keys(stage)) stage[k] = +((stage[k] / sample.length) * 1000).toFixed(1);

t = performance.now();
c = process.cpuUsage();
const view = buildDatasetView(dataDir, records, scan.background, {}, 0);
const buildSec = sec(t);
const buildCpuSec = cpuSec(c);
const jsonBytes = JSON.stringify(view).length;

const perFileUs = (s) => ((s / paths.length) * 1e6).toFixed(1);
const result = {
  date: new Date().toISOString(),
  machine: {
    cpu,
    nproc,
    node: process.version,
    platform: `${os.platform()} ${os.release()}`,
    loadavg1mBefore: +loadBefore.toFixed(2),
    loadavg1mAfter: +os.loadavg()[0].toFixed(2),
  },
  files: paths.length,
  findCount,
  mb: +(rawBytes / 1e6).toFixed(1),
  generateSec: +genSec.toFixed(2),
  findSec: +findSec.toFixed(3),
  scanSec: +scanSec.toFixed(3),
  rawReadAsyncSec: +rawAsyncSec.toFixed(3),
  rawReadSec: +rawSec.toFixed(3),
  indexSec: +indexSec.toFixed(3),
  indexCpuSec: +indexCpuSec.toFixed(3),
  buildViewSec: +buildSec.toFixed(3),
  buildViewCpuSec: +buildCpuSec.toFixed(3),
  indexStageUsPerFile: stage,
  indexUsPerFile: +perFileUs(indexSec),
  indexCpuUsPerFile: +perFileUs(indexCpuSec),
  rawReadUsPerFile: +perFileUs(rawSec),
  indexOverRawRead: +(indexSec / rawSec).toFixed(2),
  viewJsonMB: +(jsonBytes / 1e6).toFixed(2),
  errors: records.filter((r) => r.error).length,
  problems: view.problems.length,
};
writeFileSync(join(resultsDir, 'dataset-scan.json'), JSON.stringify(result, null, 1) + '\n');

console.log(
  `machine: ${cpu}, nproc ${nproc}, node ${process.version}, load average (1 min) ${result.machine.loadavg1mBefore} before, ${result.machine.loadavg1mAfter} after`,
);
console.log(
  `dataset: ${paths.length} files (find counts ${findCount}), ${result.mb} MB in ${LABELS.length} labels` +
    (genSec ? `, generated in ${genSec.toFixed(1)} s` : ' (reused)'),
);
console.log(`find | wc -l           ${findSec.toFixed(3)} s`);
console.log(`scanInputs             ${scanSec.toFixed(3)} s`);
console.log(`await readFile all    ${rawAsyncSec.toFixed(3)} s   ${perFileUs(rawAsyncSec)} us/file`);
console.log(`readFileSync all      ${rawSec.toFixed(3)} s   ${perFileUs(rawSec)} us/file`);
console.log(
  `indexFiles (1 thread)  ${indexSec.toFixed(3)} s   ${perFileUs(indexSec)} us/file   ${result.indexOverRawRead}x raw read`,
);
console.log(`  CPU time of indexFiles ${indexCpuSec.toFixed(3)} s   ${perFileUs(indexCpuSec)} us/file`);
console.log(`  per stage (us/file, first ${sample.length} files): ${JSON.stringify(stage)}`);
console.log(
  `buildDatasetView       ${buildSec.toFixed(3)} s   CPU ${buildCpuSec.toFixed(3)} s   (view JSON ${result.viewJsonMB} MB)`,
);
console.log(`records with errors: ${result.errors}, problems: ${result.problems}`);
