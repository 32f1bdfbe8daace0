// ONNX classify benchmark: a cold `wavebench classify` (dist/cli.js: decode, MFCC in the worker, the
// graph in the pool's onnxruntime-node child process) of N clips with test/fixtures/onnx/mfcc_nchw,
// against onnxruntime-python on TensorFlow's MFCC of the same files (ort_classify.py, a tf.data
// pipeline, batch 32), alternating for ROUNDS rounds in one run. Both are timed as whole cold
// processes (start, model load, all clips), and each side's own figure: Python's clips without its
// imports and model load, Wavebench's job time (its summary line). Ratios are medians over the rounds.
// Run: npm run build && node bench/classify/onnx.mjs [N=1000] [ROUNDS=3]
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join, resolve } from 'node:path';

const N = Number(process.argv[2] ?? 1000);
const ROUNDS = Number(process.argv[3] ?? 3);
const MODEL = resolve('test/fixtures/onnx/mfcc_nchw');
const SRC = resolve('test/fixtures/tflite/clips');
const dir = resolve('bench/results/onnx-clips');
mkdirSync(dir, { recursive: true });
const src = readdirSync(SRC).filter((f) => f.endsWith('.wav'));
const files = [];
for (let i = 0; i < N; i++) {
  const f = join(dir, `${String(i).padStart(5, '0')}_${src[i % src.length]}`);
  copyFileSync(join(SRC, src[i % src.length]), f);
  files.push(f);
}
const list = join(resolve('bench/results'), 'onnx-clips.txt');
writeFileSync(list, files.join('\n') + '\n');

const timed = (cmd, args) => {
  const t0 = performance.now();
  const r = spawnSync(cmd, args, { encoding: 'utf8', maxBuffer: 1 << 26 });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')}: exit ${r.status}\n${r.stderr}`);
  return { sec: (performance.now() - t0) / 1000, out: r.stdout };
};

const load0 = loadavg()[0];
const rows = [];
for (let round = 0; round < ROUNDS; round++) {
  const ours = timed(process.execPath, ['dist/cli.js', 'classify', dir, '--model', MODEL]);
  const backend = /^backend: (.*)$/m.exec(ours.out)?.[1];
  // The job's own time (scan, model load in the pool, every clip), from the summary line.
  const job = Number(/, time: ([\d.]+) s/.exec(ours.out)?.[1]);
  const py = timed('python3', ['bench/classify/ort_classify.py', '--model-dir', MODEL, '--list', list]);
  const inner = JSON.parse(py.out.trim().split('\n').pop());
  rows.push({
    ours: ours.sec,
    job,
    python: py.sec,
    pythonInner: inner.sec,
    ratio: py.sec / ours.sec,
    backend,
  });
  console.log(
    `round ${round + 1}: wavebench ${ours.sec.toFixed(2)} s (job ${job.toFixed(2)} s; ${backend}), onnxruntime-python ${py.sec.toFixed(2)} s ` +
      `(of which clips ${inner.sec.toFixed(2)} s), python/wavebench ${(py.sec / ours.sec).toFixed(2)}`,
  );
}
const median = (xs) => xs.sort((a, b) => a - b)[(xs.length - 1) >> 1].toFixed(2);
console.log(
  `${N} clips, median ratios: python/wavebench wall ${median(rows.map((r) => r.ratio))}; ` +
    `python's clips alone (no imports, no model load)/wavebench's job ${median(rows.map((r) => r.pythonInner / r.job))}`,
);
console.log(
  `machine: ${cpus()[0]?.model}, ${cpus().length} cores, node ${process.version}, load ${load0.toFixed(1)} -> ${loadavg()[0].toFixed(1)}`,
);
