// 100,000 1-s clips classified end to end, measured (not extrapolated): the `wavebench classify` CLI
// (its worker pool, decode, features, inference, summary and JSON export) against TensorFlow Python's
// pipeline (bench/classify/tf_classify.py: decode_wav, audio_ops, Keras predict, batch 32) on the same
// files and the same default model, in one run. The clips are bench:dataset's generated dataset
// (35 label folders of 16 kHz 16-bit clips; made by bench/dataset/scan.mjs if missing).
// Run: npm run bench:classify:100k      (needs `npm run build`; ~5 min here)
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import { machine, machineLine, runTensorFlow } from './tensorflow.mjs';

const WORKERS = Number(process.env.WAVEBENCH_BENCH_WORKERS ?? 2);
const out = resolve('bench/results');
const data = join(out, 'gen-dataset');
const MODEL = resolve('models/digits');
if (!existsSync(join(data, '.generated'))) {
  console.error('generating the 100,000-clip dataset with bench/dataset/scan.mjs ...');
  const g = spawnSync(process.execPath, ['--import', 'tsx', 'bench/dataset/scan.mjs'], { stdio: 'inherit' });
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

/** Runs a command to completion; its wall time and stdout (throws with stderr if it fails). */
function timed(cmd, args) {
  const t0 = performance.now();
  const r = spawnSync(cmd, args, { encoding: 'utf8', maxBuffer: 1 << 28 });
  const sec = (performance.now() - t0) / 1000;
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed (${r.status}):\n${r.stderr}`);
  return { sec, stdout: r.stdout };
}

const jsonOut = join(out, 'classify-100k-rows.json');
const ours = timed('node', [
  'dist/cli.js',
  'classify',
  data,
  '--workers',
  String(WORKERS),
  '--json',
  jsonOut,
]);
const rows = JSON.parse(readFileSync(jsonOut, 'utf8')).rows;
const errors = rows.filter((r) => r.error).length;
const tf = runTensorFlow(MODEL, list);
const tfr = tf.result;
const tfRate = tfr.clips_per_sec;
const result = {
  machine: machine(load0),
  clips: files.length,
  wavebenchCli: {
    workers: WORKERS,
    wallSec: ours.sec,
    rows: rows.length,
    errors,
    clipsPerSec: rows.length / ours.sec,
  },
  tensorflow: { ...tfr, wallSecIncludingImport: tf.wallSec },
  ratio: rows.length / ours.sec / tfRate,
};
writeFileSync(join(out, 'classify-100k.json'), JSON.stringify(result, null, 1));
const f = (x, d = 0) => Number(x).toFixed(d);
console.log(`| ${f(files.length)} clips, default model | wall s | clips/s |`);
console.log('|---|---|---|');
console.log(
  `| wavebench classify (CLI, ${WORKERS} workers, start-up and JSON export included) | ${f(ours.sec, 1)} | ${f(rows.length / ours.sec)} |`,
);
console.log(
  `| TensorFlow ${tfr.version} Python (timed part; process wall ${f(tf.wallSec, 1)} s with import) | ${f(tfr.run_seconds, 1)} | ${f(tfRate)} |`,
);
console.log(`ratio: ${f(result.ratio, 2)}; errors: ${errors}`);
console.log(machineLine(result.machine));
