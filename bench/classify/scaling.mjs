// How the classify pipeline scales from one worker to two, and how much CPU the whole process uses
// meanwhile (workers + main thread): 2,500 16-kHz FSDD copies (made by `npm run bench:classify`),
// one untimed pass, then PASSES timed passes, for 1, 2, 1, 2 workers.
// Run: node --import tsx bench/classify/scaling.mjs
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { loadavg } from 'node:os';
import { machine, machineLine } from './tensorflow.mjs';

const { runClassifyJob } = await import('../../src/engine/classifyJob.ts');
const { WorkerPool } = await import('../../src/engine/pool.ts');

const MODEL = resolve('models/digits');
const DIR = resolve('bench/results/clips16k-all');
const PASSES = Number(process.env.WAVEBENCH_BENCH_PASSES ?? 3);
if (!existsSync(DIR)) throw new Error(`${DIR} is missing: run npm run bench:classify once first`);
const load0 = loadavg();

console.log('| workers | clips/s | process CPU (cores) |');
console.log('|---|---|---|');
for (const workers of [1, 2, 1, 2]) {
  const pool = new WorkerPool({ size: workers });
  await pool.model({ dir: MODEL });
  await runClassifyJob([DIR], { modelDir: MODEL, pool, batchFiles: 32 });
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  let clips = 0;
  for (let i = 0; i < PASSES; i++) {
    clips += (await runClassifyJob([DIR], { modelDir: MODEL, pool, batchFiles: 32 })).rows.length;
  }
  const sec = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  console.log(
    `| ${workers} | ${(clips / sec).toFixed(0)} | ${((cpu.user + cpu.system) / 1e6 / sec).toFixed(2)} |`,
  );
  await pool.dispose();
}
console.log(machineLine(machine(load0)));
