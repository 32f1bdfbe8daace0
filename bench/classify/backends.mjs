// Backends side by side: a cold `wavebench classify` (dist/cli.js) of a folder of N clips with a
// TF.js layers model (default: the bundled speech-commands) on TF.js WASM and natively (the graph
// lowered to ONNX, run by the pool's onnxruntime child), for each thread split given: workers W
// and onnxruntime intra-op threads T. Alternating rounds in one run; each run is timed as a whole
// cold process under /usr/bin/time (wall, and CPU seconds of the process and its reaped children:
// the onnxruntime child is reaped before the CLI exits). Medians over the rounds, ratios to WASM
// with the same workers. The clips are samples/speech-commands repeated (copied to bench/results).
// Run: npm run build && node bench/classify/backends.mjs [N=1000] [ROUNDS=3] [SPLITS=1x1,2x1,1x2]
// (SPLITS: WORKERSxORT_THREADS for the native runs; WASM runs once per distinct worker count.)
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import { machine, machineLine, median } from './tensorflow.mjs';

const N = Number(process.argv[2] ?? 1000);
const ROUNDS = Number(process.argv[3] ?? 3);
const SPLITS = (process.argv[4] ?? '1x1,2x1,1x2').split(',').map((s) => s.split('x').map(Number));
const MODEL = process.env.WAVEBENCH_BENCH_MODEL ?? 'speech-commands';
const SRC = resolve('samples/speech-commands');

const wavs = (d) =>
  readdirSync(d).flatMap((n) => {
    const p = join(d, n);
    return statSync(p).isDirectory() ? wavs(p) : n.endsWith('.wav') ? [p] : [];
  });
const src = wavs(SRC).sort();
const dir = resolve('bench/results/backend-clips');
rmSync(dir, { recursive: true, force: true });
mkdirSync(dir, { recursive: true });
for (let i = 0; i < N; i++) copyFileSync(src[i % src.length], join(dir, `${String(i).padStart(5, '0')}.wav`));

const run = (backend, workers, threads) => {
  const env = { ...process.env, WAVEBENCH_ORT_THREADS: String(threads ?? '') };
  const args = ['-f', 'TIME %e %U %S %M', process.execPath, 'dist/cli.js', 'classify', dir];
  args.push('--model', MODEL, '--workers', String(workers), '--backend', backend);
  const r = spawnSync('/usr/bin/time', args, { encoding: 'utf8', env, maxBuffer: 1 << 26 });
  const m = /TIME (\S+) (\S+) (\S+) (\S+)\s*$/.exec(r.stderr);
  if (r.status !== 0 || !m)
    throw new Error(`classify --backend ${backend} failed (${r.status}):\n${r.stderr.slice(-1500)}`);
  const [wall, user, sys, rss] = m.slice(1).map(Number);
  return { wall, cpu: user + sys, rssMB: rss / 1024, ran: /^backend: (.*)$/m.exec(r.stdout)?.[1] };
};

const load0 = loadavg();
const configs = [
  ...[...new Set(SPLITS.map(([w]) => w))].map((w) => ({
    name: `wasm, ${w} worker(s)`,
    backend: 'wasm',
    workers: w,
  })),
  ...SPLITS.map(([w, t]) => ({
    name: `native, ${w} worker(s) + ${t} ort thread(s)`,
    backend: 'native',
    workers: w,
    threads: t,
  })),
];
const results = new Map(configs.map((c) => [c.name, []]));
for (let round = 0; round < ROUNDS; round++)
  for (const c of configs) {
    const r = run(c.backend, c.workers, c.threads);
    results.get(c.name).push(r);
    console.log(
      `round ${round + 1} ${c.name}: ${r.wall.toFixed(2)} s wall, ${r.cpu.toFixed(2)} s CPU, ${r.rssMB.toFixed(0)} MB (${r.ran})`,
    );
  }
console.log(`\n${N} clips, ${MODEL}, cold classify, medians of ${ROUNDS} rounds:`);
for (const c of configs) {
  const rs = results.get(c.name);
  const wall = median(rs.map((r) => r.wall));
  const cpu = median(rs.map((r) => r.cpu));
  const base = results.get(`wasm, ${c.workers} worker(s)`);
  const bw = median(base.map((r) => r.wall));
  const bc = median(base.map((r) => r.cpu));
  console.log(
    `  ${c.name.padEnd(40)} ${wall.toFixed(2)} s wall (${(N / wall).toFixed(0)} clips/s), ${cpu.toFixed(2)} s CPU; ` +
      `vs wasm with ${c.workers} worker(s): ${(bw / wall).toFixed(2)}x wall, ${(bc / cpu).toFixed(2)}x CPU`,
  );
}
console.log(machineLine(machine(load0)));
