// 100,000 1-s clips classified end to end, measured (not extrapolated): the `wavebench classify` CLI
// (its worker pool, decode, features, inference, summary and JSON export) against TensorFlow Python's
// pipeline (bench/classify/tf_classify.py: decode_wav, audio_ops, Keras predict, batch 32) on the same
// files and the same default model, in one run. The clips are bench:dataset's generated dataset
// (35 label folders of 16 kHz 16-bit clips; made by bench/dataset/run.mjs if missing).
// Every file is read once, untimed, before the first run, so that neither side pays for a cold page
// cache the other then finds warm (3.2 GB); the two sides then alternate for ROUNDS rounds (default 2,
// the first round Wavebench first, the next TensorFlow first, and so on) and every round is printed.
// Run: npm run bench:classify:100k      (needs `npm run build`; about 5 min here)
// (WAVEBENCH_BENCH_ROUNDS, WAVEBENCH_BENCH_WORKERS change the defaults).
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import { machine, machineLine, runTensorFlow } from './tensorflow.mjs';

const WORKERS = Number(process.env.WAVEBENCH_BENCH_WORKERS ?? 2);
const ROUNDS = Number(process.env.WAVEBENCH_BENCH_ROUNDS ?? 2);
const out = resolve('bench/results');
const data = join(out, 'gen-dataset');
const MODEL = resolve('models/digits');
if (!existsSync(join(data, '.generated'))) {
  console.error('generating the 100,000-clip dataset with bench/dataset/run.mjs ...');
  const g = spawnSync(process.execPath, ['--import', 'tsx', 'bench/dataset/run.mjs'], { stdio: 'inherit' });
  if (g.status !== 0) process.exit(g.status ?? 1);
}
if (!existsSync('dist/cli.js')) throw new Error('dist/cli.js is missing: run npm run build first');

const files = [];
for (const label of readdirSync(data, { withFileTypes: true })) {
  if (!label.isDirectory()) continue;
  for (const f of readdirSync(join(data, label.name)))
    if (f.endsWith('.wav')) files.push(join(data, label.name, f));
}
const list = join(out, 'gen-dataset.txt');
writeFileSync(list, files.join('\n') + '\n');
const load0 = loadavg();

// Page cache: read everything once (not timed, not part of either side).
const tw = performance.now();
let bytes = 0;
for (const f of files) bytes += readFileSync(f).length;
console.error(
  `read every file once to warm the page cache: ${(bytes / 1e9).toFixed(2)} GB in ${((performance.now() - tw) / 1000).toFixed(1)} s`,
);

/** Runs a command to completion; its wall time and stdout (throws with stderr if it fails). */
function timed(cmd, args) {
  const t0 = performance.now();
  const r = spawnSync(cmd, args, { encoding: 'utf8', maxBuffer: 1 << 28 });
  const sec = (performance.now() - t0) / 1000;
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed (${r.status}):\n${r.stderr}`);
  return { sec, stdout: r.stdout };
}

const jsonOut = join(out, 'classify-100k-rows.json');
function runWavebench() {
  const run = timed('node', [
    'dist/cli.js',
    'classify',
    data,
    '--workers',
    String(WORKERS),
    '--json',
    jsonOut,
  ]);
  const report = JSON.parse(readFileSync(jsonOut, 'utf8'));
  const rows = report.rows;
  return {
    workers: WORKERS,
    wallSec: run.sec,
    runSec: report.timeSec,
    rows: rows.length,
    errors: rows.filter((r) => r.error).length,
    clipsPerSec: rows.length / run.sec,
  };
}
function runTf() {
  const tf = runTensorFlow(MODEL, list);
  return { ...tf.result, wallSecIncludingImport: tf.wallSec };
}

const f = (x, d = 0) => Number(x).toFixed(d);
const rounds = [];
for (let i = 0; i < ROUNDS; i++) {
  let w, t;
  if (i % 2 === 0) {
    w = runWavebench();
    t = runTf();
  } else {
    t = runTf();
    w = runWavebench();
  }
  const r = { order: i % 2 === 0 ? 'wavebench first' : 'tensorflow first', wavebenchCli: w, tensorflow: t };
  r.ratio = w.clipsPerSec / t.clips_per_sec;
  rounds.push(r);
  console.error(
    `round ${i + 1}/${ROUNDS} (${r.order}): Wavebench ${f(w.wallSec, 1)} s wall, TensorFlow ${f(t.run_seconds, 1)} s timed, ratio ${f(r.ratio, 2)}`,
  );
}
const result = { machine: machine(load0), clips: files.length, rounds };
writeFileSync(join(out, 'classify-100k.json'), JSON.stringify(result, null, 1));
console.log(`| ${f(files.length)} clips, default model | round | wall s | clips/s |`);
console.log('|---|---|---|---|');
rounds.forEach((r, i) => {
  const w = r.wavebenchCli;
  const t = r.tensorflow;
  console.log(
    `| wavebench classify (CLI, ${WORKERS} workers; start-up, scan and JSON export included; its own run time ${f(w.runSec, 1)} s) | ${i + 1} | ${f(w.wallSec, 1)} | ${f(w.clipsPerSec)} |`,
  );
  console.log(
    `| TensorFlow ${t.version} Python (timed part; process wall ${f(t.wallSecIncludingImport, 1)} s with import) | ${i + 1} | ${f(t.run_seconds, 1)} | ${f(t.clips_per_sec)} |`,
  );
});
const errors = rounds.map((r) => r.wavebenchCli.errors).join('/');
console.log(
  `ratios (Wavebench clips/s over TensorFlow's), by round: ${rounds.map((r) => f(r.ratio, 2)).join(', ')}; errors: ${errors}`,
);
console.log(machineLine(result.machine));
