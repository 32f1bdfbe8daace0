// `wavebench review` on real data, with the default `speech-commands` model:
// 1. quality: 480 clips of 8 words (yes no up down left right stop go, 60 each) from Speech Commands'
//    official test speakers (never in the model's training or validation data); 23 clips moved to a
//    wrong word's folder, 24 copies planted (12 exact, 12 at gain 0.8 shifted 10 ms, as
//    test/fixtures/review/make_dataset.mjs makes them). Reports precision at 23 of the review's
//    suspects against the baseline a user has without it (classify, then sort by the probability of
//    the folder's label, lowest first), exact/near copy recall and false near pairs, with and without
//    the shift-tolerant near-copy check (--no-shift-check).
// 2. scale: the whole tree (review with and without the shift check, and classify, same run): wall
//    time, CPU seconds (user + system) and peak RSS (/usr/bin/time).
// SPEECH_COMMANDS_TREE: a Speech Commands tree in the speech_commands layout (one folder per word, with its
// testing_list.txt), e.g. the v0.02 release unpacked; the bench reads it and writes only to a temp folder.
// --keep-json OUT: keep the whole tree's review JSON (with the shift check) at OUT, e.g. for
// bench/review/copy_correlation.py, which checks its near pairs on the waveforms.
// Run: npm run build && node bench/review/run.mjs SPEECH_COMMANDS_TREE [--workers N] [--skip-scale] [--keep-json OUT]
import { spawnSync } from 'node:child_process';
import { copyFileSync, readFileSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join, relative, resolve, sep } from 'node:path';
import { machine, machineLine } from '../classify/tensorflow.mjs';
import { plantDataset } from './dataset.mjs';

if (!process.argv[2] || process.argv[2].startsWith('--')) {
  console.error('usage: node bench/review/run.mjs SPEECH_COMMANDS_TREE [--workers N] [--skip-scale]');
  process.exit(2);
}
const tree = resolve(process.argv[2]);
const workers = process.argv.includes('--workers')
  ? process.argv[process.argv.indexOf('--workers') + 1]
  : '2';
const WORDS = ['yes', 'no', 'up', 'down', 'left', 'right', 'stop', 'go'];
const PER_WORD = 60;
const MOVED = 23;
const EXACT = 12;
const NEAR = 12;
const load0 = loadavg();

const { dir, truth, chosen } = plantDataset(tree, WORDS, PER_WORD, MOVED, EXACT, NEAR);
console.error(`dataset: ${chosen.length + EXACT + NEAR} clips in ${dir}`);

function run(args) {
  const t0 = performance.now();
  const r = spawnSync('/usr/bin/time', ['-f', '%M %U %S', process.execPath, 'dist/cli.js', ...args], {
    encoding: 'utf8',
    maxBuffer: 1 << 28,
  });
  const sec = (performance.now() - t0) / 1000;
  if (r.status !== 0) throw new Error(`${args.join(' ')} failed (${r.status}):\n${r.stderr.slice(-2000)}`);
  const [rss, user, sys] = r.stderr.trim().split('\n').pop().split(' ').map(Number);
  return { sec, cpu: user + sys, rssMB: rss / 1024, stdout: r.stdout };
}

const rel = (p) => relative(dir, p).split(sep).join('/');
const reviewJson = join(dir, '..', `${relative(tmpdir(), dir)}-review.json`);
const extra = process.argv.includes('--dims')
  ? ['--dims', process.argv[process.argv.indexOf('--dims') + 1]]
  : [];
const review = run(['review', dir, '--workers', workers, '--json', reviewJson, ...extra]);
const r = JSON.parse(readFileSync(reviewJson, 'utf8'));
const noShiftJson = `${reviewJson}.noshift.json`;
const reviewNoShift = run([
  'review',
  dir,
  '--workers',
  workers,
  '--json',
  noShiftJson,
  '--no-shift-check',
  ...extra,
]);
const r0 = JSON.parse(readFileSync(noShiftJson, 'utf8'));
rmSync(noShiftJson, { force: true });
const classifyJson = `${reviewJson}.classify.json`;
run(['classify', dir, '--workers', workers, '--top-k', '12', '--json', classifyJson]);
const rows = JSON.parse(readFileSync(classifyJson, 'utf8')).rows;

const moved = new Set(truth.moved.keys());
const precision = (ranked, k) => ranked.slice(0, k).filter((p) => moved.has(p)).length;
const ours = r.suspects.map((s) => rel(s.path));
// Baseline: every clip ranked by the probability of its folder's label, lowest first.
const base = rows
  .filter((x) => !x.error && x.label)
  .map((x) => ({ p: x.top_k.find((t) => t.label === x.label).probability, path: rel(x.path) }))
  .sort((a, b) => a.p - b.p)
  .map((x) => x.path);
const planted = new Set([...truth.exact, ...truth.near].map((p) => [...p].sort().join('|')));
/** Copies found and near pairs reported (all, not planted) by a review `x`; `check`: only groups it found. */
function copies(x, check) {
  const groups = x.duplicates
    .filter((g) => !check || g.found?.includes(check))
    .map((g) => ({ kind: g.kind, paths: g.paths.map(rel) }));
  const found = (pairs, kind) =>
    pairs.filter((pair) => groups.some((g) => g.kind === kind && pair.every((p) => g.paths.includes(p))))
      .length;
  let pairs = 0;
  let falsePairs = 0;
  for (const g of groups.filter((y) => y.kind === 'near'))
    for (let a = 0; a < g.paths.length; a++)
      for (let b = a + 1; b < g.paths.length; b++) {
        pairs++;
        if (!planted.has([g.paths[a], g.paths[b]].sort().join('|'))) falsePairs++;
      }
  return { exact: found(truth.exact, 'exact'), near: found(truth.near, 'near'), pairs, falsePairs };
}
const withShift = copies(r);
const noShift = copies(r0);
const byShift = copies(r, 'shift');
const byEmbedding = copies(r, 'embedding');
const cpuLine = (x) =>
  `${x.sec.toFixed(1)} s wall, ${x.cpu.toFixed(1)} s CPU, ${x.rssMB.toFixed(0)} MB peak RSS`;

const lines = [];
lines.push(`# review bench, ${new Date().toISOString()}`);
lines.push(
  `quality: ${chosen.length} test-speaker clips of ${WORDS.length} words + ${EXACT + NEAR} copies, ${MOVED} moved (model speech-commands, out-of-sample)`,
);
lines.push(
  `  precision at ${MOVED}: review ${precision(ours, MOVED)}/${MOVED}, baseline (sort by p(folder label)) ${precision(base, MOVED)}/${MOVED}; ` +
    `moved clips among all ${ours.length} suspects: ${ours.filter((p) => moved.has(p)).length}/${MOVED}`,
);
const nd = r.nearDuplicates;
lines.push(
  `  copies: exact ${withShift.exact}/${EXACT}, near ${withShift.near}/${NEAR}; near pairs reported ${withShift.pairs}, not planted ${withShift.falsePairs} ` +
    `(embedding threshold ${nd.threshold.toFixed(4)} = ${nd.rule}; median NN ${nd.medianNearestDistance.toFixed(4)}; ` +
    `shift threshold ${nd.shift?.threshold.toFixed(4)} over ${nd.shift?.measured}/${nd.shift?.pairs} candidate pairs)`,
);
lines.push(
  `  groups found by the shift check: near ${byShift.near}/${NEAR}, ${byShift.falsePairs} false pairs; by the embedding: near ${byEmbedding.near}/${NEAR}, ${byEmbedding.falsePairs} false; ` +
    `review --no-shift-check: near ${noShift.near}/${NEAR}, ${noShift.falsePairs} false pairs`,
);
lines.push(
  `  outliers: ${r.outliers.length}; embedding: ${r.embedding.source}, kept ${r.embedding.keptLength} (${(100 * r.embedding.energyKept).toFixed(1)}% energy)`,
);
lines.push(
  `  review ${cpuLine(review)} (shift check ${r.shiftCheck?.timeSec.toFixed(2)} s, ${r.shiftCheck?.computed} feature matrices computed); --no-shift-check ${cpuLine(reviewNoShift)}`,
);
rmSync(dir, { recursive: true, force: true });

if (!process.argv.includes('--skip-scale')) {
  const n = spawnSync('find', [tree, '-name', '*.wav'], { encoding: 'utf8', maxBuffer: 1 << 28 })
    .stdout.split('\n')
    .filter(Boolean).length;
  const out = `${reviewJson}.large.json`;
  const rv = run(['review', tree, '--workers', workers, '--json', out]);
  const big = JSON.parse(readFileSync(out, 'utf8'));
  if (process.argv.includes('--keep-json'))
    copyFileSync(out, process.argv[process.argv.indexOf('--keep-json') + 1]);
  const rv0 = run(['review', tree, '--workers', workers, '--json', out, '--no-shift-check']);
  const big0 = JSON.parse(readFileSync(out, 'utf8'));
  const cl = run(['classify', tree, '--workers', workers]);
  lines.push(`scale: ${n} clips (the whole tree), ${workers} workers`);
  lines.push(
    `  review ${cpuLine(rv)} (neighbours: ${big.nearDuplicates.neighbours}; shift check ${big.shiftCheck?.timeSec.toFixed(1)} s in the job, ` +
      `${big.nearDuplicates.shift?.pairs} candidate pairs, ${big.shiftCheck?.computed} feature matrices computed); ` +
      `--no-shift-check ${cpuLine(rv0)}; ratio with/without ${(rv.sec / rv0.sec).toFixed(2)}x wall, ${(rv.cpu / rv0.cpu).toFixed(2)}x CPU, ${(rv.rssMB / rv0.rssMB).toFixed(2)}x memory; ` +
      `classify ${cpuLine(cl)}; review/classify ${(rv.sec / cl.sec).toFixed(2)}x wall`,
  );
  const nearOf = (x) => x.duplicates.filter((g) => g.kind === 'near');
  lines.push(
    `  found: ${big.suspects.length} suspects, ${big.duplicates.length} duplicate groups (${big.duplicates.filter((g) => g.kind === 'exact').length} exact; near ${nearOf(big).length}, ` +
      `${nearOf(big).filter((g) => g.found?.includes('shift')).length} by the shift check, shift threshold ${big.nearDuplicates.shift?.threshold.toFixed(4)}; ` +
      `without it near ${nearOf(big0).length}), ${big.outliers.length} outliers`,
  );
  for (const g of nearOf(big))
    lines.push(
      `    near [${g.found.join('+')}] embedding ${g.distance.toFixed(4)}${g.shiftDistance !== undefined ? `, shift ${g.shiftDistance.toFixed(4)}` : ''}: ${g.paths.map((p) => relative(tree, p)).join(' ')}`,
    );
  rmSync(out, { force: true });
}
lines.push(machineLine(machine(load0)));
rmSync(reviewJson, { force: true });
rmSync(classifyJson, { force: true });
console.log(lines.join('\n'));
