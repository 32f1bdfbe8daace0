// Classify benchmark: this pipeline (decode, features, inference on the worker pool) against
// TensorFlow Python's (decode_wav, audio_ops, Keras predict, batch 32) on the same model and the same
// 2,500 FSDD clips converted to 16 kHz (TensorFlow's decode_wav does not resample), in one run.
// Also our pipeline on the original 8 kHz files (resampling included). Both sides get one untimed
// warm-up batch (per worker for ours) before the timed run. One pass over 2,500 clips takes about a
// second, too short to compare two pipelines on a shared machine, so each timed run makes PASSES
// passes (default 4) and the two sides alternate for ROUNDS rounds (default 3); the ratio reported is
// the median of the rounds' ratios, every round is printed. Run: npm run bench:classify
// (WAVEBENCH_BENCH_ROUNDS, WAVEBENCH_BENCH_PASSES, WAVEBENCH_BENCH_WORKERS change the defaults).
// Needs WAVEBENCH_FSDD: the FSDD recordings folder (github.com/Jakobovski/free-spoken-digit-dataset,
// recordings/; the figures in README are for its five speakers george, jackson, lucas, nicolas, yweweler).
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import { machine, machineLine, median, runTensorFlow, underTsx } from './tensorflow.mjs';

underTsx();
const { runClassifyJob } = await import('../../src/engine/classifyJob.ts');
const { WorkerPool } = await import('../../src/engine/pool.ts');

if (!process.env.WAVEBENCH_FSDD || !existsSync(process.env.WAVEBENCH_FSDD)) {
  console.error(
    'bench:classify: set WAVEBENCH_FSDD to the FSDD recordings folder ' +
      '(github.com/Jakobovski/free-spoken-digit-dataset, recordings/): ' +
      (process.env.WAVEBENCH_FSDD ? `${process.env.WAVEBENCH_FSDD} does not exist` : 'not set'),
  );
  process.exit(2);
}
const FSDD = resolve(process.env.WAVEBENCH_FSDD);
// The default bundled model (speech-commands; digits has the same network), or WAVEBENCH_BENCH_MODEL.
const MODEL = resolve(process.env.WAVEBENCH_BENCH_MODEL ?? 'models/speech-commands');
const WORKERS = Number(process.env.WAVEBENCH_BENCH_WORKERS ?? 2);
const ROUNDS = Number(process.env.WAVEBENCH_BENCH_ROUNDS ?? 3);
const PASSES = Number(process.env.WAVEBENCH_BENCH_PASSES ?? 4);
const out = resolve('bench/results');
const clips = join(out, 'clips16k-all');
mkdirSync(clips, { recursive: true });
const names = readdirSync(FSDD)
  .filter((f) => f.endsWith('.wav'))
  .sort();
for (const n of names) {
  const dst = join(clips, n);
  if (!existsSync(dst)) execFileSync('sox', ['-V1', join(FSDD, n), '-r', '16000', '-b', '16', dst]);
}
const list = join(out, 'clips16k-all.txt');
writeFileSync(list, names.map((n) => join(clips, n)).join('\n') + '\n');
const load0 = loadavg();

async function ours(dir, passes) {
  const t0 = performance.now();
  const pool = new WorkerPool({ size: WORKERS });
  await pool.model({ dir: MODEL });
  const loadSec = (performance.now() - t0) / 1000;
  // One untimed warm-up batch per worker, as tf_classify.py runs one untimed warm-up batch.
  const warm = readdirSync(dir)
    .filter((f) => f.endsWith('.wav'))
    .slice(0, 32 * WORKERS)
    .map((f) => join(dir, f));
  await Promise.all(
    Array.from({ length: WORKERS }, (_, i) =>
      pool.classify(warm.slice(i * 32, i * 32 + 32), { model: { dir: MODEL } }),
    ),
  );
  const t1 = performance.now();
  let r;
  for (let i = 0; i < passes; i++) r = await runClassifyJob([dir], { modelDir: MODEL, pool, batchFiles: 32 });
  const sec = (performance.now() - t1) / 1000;
  await pool.dispose();
  const digits = ['zero', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine'];
  const correct = r.rows.filter((x) => x.predicted === digits[Number(x.path.split('/').pop()[0])]).length;
  return {
    clips: r.rows.length,
    passes,
    errors: r.counts.errors,
    sec,
    clipsPerSec: (passes * r.rows.length) / sec,
    modelLoadSec: loadSec,
    accuracy: correct / r.rows.length,
  };
}

const rounds = [];
for (let i = 0; i < ROUNDS; i++) {
  const w = await ours(clips, PASSES);
  const t = runTensorFlow(MODEL, list, PASSES).result;
  rounds.push({ wavebench16k: w, tensorflow: t, ratio: w.clipsPerSec / t.clips_per_sec });
  console.error(
    `round ${i + 1}/${ROUNDS}: Wavebench ${w.clipsPerSec.toFixed(0)} clips/s, TensorFlow ${t.clips_per_sec.toFixed(0)} clips/s, ratio ${(w.clipsPerSec / t.clips_per_sec).toFixed(2)}`,
  );
}
const ours8 = await ours(FSDD, PASSES);
const maxRssMb = process.resourceUsage().maxRSS / 1024;
// The round whose ratio is the median one stands for the run in the table.
const mid = rounds.find((r) => r.ratio === median(rounds.map((x) => x.ratio)));
const ours16 = mid.wavebench16k;
const tf = mid.tensorflow;
const tfRate = tf.clips_per_sec;
const result = {
  machine: machine(load0),
  workers: WORKERS,
  passes: PASSES,
  rounds,
  wavebench16k: ours16,
  wavebench8kWithResampling: ours8,
  wavebenchPeakRssMb: maxRssMb,
  tensorflow: tf,
  ratio: mid.ratio,
  extrapolated100kSec: 100000 / ours16.clipsPerSec,
};
writeFileSync(join(out, 'classify.json'), JSON.stringify(result, null, 1));
const f = (x, d = 0) => Number(x).toFixed(d);
console.log(
  `| pipeline (2,500 FSDD clips x ${PASSES} passes, same model; median round of ${ROUNDS}) | clips/s | model load s | accuracy |`,
);
console.log('|---|---|---|---|');
console.log(
  `| Wavebench, ${WORKERS} workers, 16 kHz copies | ${f(ours16.clipsPerSec)} | ${f(ours16.modelLoadSec, 2)} | ${f(ours16.accuracy, 3)} |`,
);
console.log(
  `| Wavebench, ${WORKERS} workers, original 8 kHz (resampled) | ${f(ours8.clipsPerSec)} | ${f(ours8.modelLoadSec, 2)} | ${f(ours8.accuracy, 3)} |`,
);
console.log(
  `| TensorFlow ${tf.version} Python, tf.data + Keras predict batch 32 | ${f(tfRate)} | ${f(tf.model_load_seconds, 2)} | ${f(tf.accuracy ?? NaN, 3)} |`,
);
console.log(
  `ratio Wavebench/TF, median of ${ROUNDS} rounds: ${f(result.ratio, 2)} (rounds: ${rounds.map((r) => f(r.ratio, 2)).join(', ')}); 100,000 clips extrapolated: ${f(result.extrapolated100kSec)} s; peak RSS: Wavebench ${f(maxRssMb)} MB, TF ${f(tf.peak_rss_mb)} MB`,
);
console.log(machineLine(result.machine));
