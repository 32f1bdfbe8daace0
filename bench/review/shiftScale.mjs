// The cost of the review's shift-tolerant near-copy check (issue 25) as the dataset grows, measured
// rather than guessed: for N clips (default 20,000 and 100,000), each size in its own process,
// 1. N x 128 synthetic unit embeddings (35 "labels": a centre each plus per-clip noise, seeded), the
//    review's kNN search on them (k 10; exact up to 5,000 rows, LSH above) and its candidate pairs;
// 2. the check itself, as the review runs it (measureShiftPairs on a WorkerPool with the bundled
//    speech-commands model): clip i is a symlink, in a temp folder, to real clip i mod M of the tree,
//    so every clip is read, decoded and featurised by the workers as in a real review.
// Prints wall and CPU seconds (the process's, workers included) of each step, feature matrices the
// workers computed (a clip counts again when it left a worker's 32 MB cache), peak RSS, and the
// host's arrays for the check. Reads TREE only; the symlinks go to a temp folder, removed after.
// Run: node bench/review/shiftScale.mjs SPEECH_COMMANDS_TREE [--sizes 20000,100000] [--workers 1]
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { machine, machineLine, underTsx } from '../classify/tensorflow.mjs';

underTsx();
const args = process.argv.slice(2);
const opt = (name, d) => (args.includes(name) ? args[args.indexOf(name) + 1] : d);
const tree = resolve(args[0]);
const workers = Number(opt('--workers', '1'));

if (!args.includes('--one')) {
  const load0 = loadavg();
  const lines = [`# shift-check scale bench, ${new Date().toISOString()}, ${workers} worker(s)`];
  for (const n of opt('--sizes', '20000,100000').split(',')) {
    const r = spawnSync(
      process.execPath,
      [...process.execArgv, process.argv[1], tree, '--one', n, '--workers', String(workers)],
      { encoding: 'utf8', maxBuffer: 1 << 26 },
    );
    if (r.status !== 0) throw new Error(`size ${n} failed:\n${r.stderr.slice(-3000)}`);
    lines.push(r.stdout.trim());
  }
  lines.push(machineLine(machine(load0)));
  console.log(lines.join('\n'));
  process.exit(0);
}

const { nearestNeighbours, normalizeRows } = await import('../../src/dataset/knn.ts');
const { candidatePairs } = await import('../../src/dataset/shiftMatch.ts');
const { measureShiftPairs } = await import('../../src/engine/shiftCheck.ts');
const { WorkerPool } = await import('../../src/engine/pool.ts');
const { bundledModelDir } = await import('../../src/model/bundled.ts');
const { rng, gaussian } = await import('../../src/dataset/linalg.ts');

const n = Number(opt('--one'));
const D = 128;
const LABELS = 35;
const cpu = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
};
const clock = () => ({ wall: performance.now() / 1000, cpu: cpu() });
const since = (t) =>
  `${(performance.now() / 1000 - t.wall).toFixed(1)} s wall, ${(cpu() - t.cpu).toFixed(1)} s CPU`;

// Real clips to link to.
const real = readdirSync(tree, { withFileTypes: true })
  .filter((d) => d.isDirectory() && !d.name.startsWith('_'))
  .flatMap((d) =>
    readdirSync(join(tree, d.name))
      .filter((f) => f.endsWith('.wav'))
      .sort()
      .map((f) => join(tree, d.name, f)),
  );
const dir = mkdtempSync(join(tmpdir(), 'wb-shift-scale-'));
const paths = [];
for (let i = 0; i < n; i++) {
  const sub = join(dir, String(Math.floor(i / 1000)));
  if (i % 1000 === 0) mkdirSync(sub);
  const p = join(sub, `${i}.wav`);
  symlinkSync(real[i % real.length], p);
  paths.push(p);
}

try {
  let t = clock();
  const g = gaussian(rng(25));
  const centres = Float32Array.from({ length: LABELS * D }, () => g());
  const emb = new Float32Array(n * D);
  for (let i = 0; i < n; i++)
    for (let j = 0; j < D; j++) emb[i * D + j] = centres[(i % LABELS) * D + j] + 1.5 * g();
  normalizeRows(emb, D);
  const rows = Int32Array.from({ length: n }, (_, i) => i);
  const nn = nearestNeighbours(emb, D, rows, 10);
  const pairs = candidatePairs(nn, () => false);
  const knnLine = `kNN (${nn.method}) + candidate pairs ${since(t)}`;

  t = clock();
  const pool = new WorkerPool({ size: workers });
  const model = { dir: bundledModelDir(resolve('.'), 'speech-commands') };
  await pool.model(model);
  const startLine = `pool + model ${since(t)}`;
  t = clock();
  const m = await measureShiftPairs(pool, model, paths, pairs);
  const checkWall = performance.now() / 1000 - t.wall;
  const checkLine = since(t);
  await pool.dispose();
  const measured = m.distance.filter((d) => !Number.isNaN(d)).length;
  const hostMB = (pairs.byteLength + m.distance.byteLength) / 2 ** 20;
  console.log(
    `N ${n} (${real.length} real clips linked): ${knnLine}; ${startLine}; ` +
      `shift check ${checkLine} for ${pairs.length / 2} pairs (${measured} measured; ${((1e6 * checkWall) / (pairs.length / 2)).toFixed(0)} us a pair), ` +
      `${m.computed} feature matrices computed (${(m.computed / n).toFixed(2)} a clip); ` +
      `host arrays ${hostMB.toFixed(1)} MB; peak RSS ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB`,
  );
} finally {
  rmSync(dir, { recursive: true, force: true });
}
