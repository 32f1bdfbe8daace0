// Why planted near copies are missed, and what a second signature or another ranking would do
// (issue 25). On run.mjs's planted dataset (480 test-speaker clips + 24 copies, 23 moved), in-process
// with the product's own code (runReviewJob, EmbeddingReducer, findLabelIssues):
// 1. each planted near pair: its cosine distance on the reduced embedding vs the threshold (0.13 x
//    median NN distance) and vs each member's nearest other clip;
// 2. a shift- and gain-tolerant signature: the MFCC matrices (speech_commands features) without c0
//    (a gain is a constant on log-mel bands, so only c0 moves), cosine distance at the best of
//    -3..3 frame offsets, for the planted near pairs and for every other kNN candidate pair (k 10);
// 3. with --sample N: the same counts on N further clips of the whole tree (every word, all splits,
//    a fixed hash order: genuine repeats of one speaker included) to count false pairs;
// 4. precision at 23 of other rankings of the same probabilities (cleanlab's options).
// Run: node bench/review/nearcopy.mjs SPEECH_COMMANDS_TREE [--workers N] [--sample N]
import { readFileSync, readdirSync, rmSync, mkdirSync, copyFileSync, mkdtempSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { loadavg, tmpdir } from 'node:os';
import { join, relative, resolve, sep } from 'node:path';
import { machine, machineLine, underTsx } from '../classify/tensorflow.mjs';
import { plantDataset } from './dataset.mjs';

underTsx();
const { runReviewJob } = await import('../../src/engine/reviewJob.ts');
const { EmbeddingReducer } = await import('../../src/dataset/embeddingReducer.ts');
const { normalizeRows, cosineDistance, nearestNeighbours } = await import('../../src/dataset/knn.ts');
const { findLabelIssues, normalizedMargin } = await import('../../src/dataset/confidentLearning.ts');
const { FeatureExtractor } = await import('../../src/audio/features.ts');
const { decodeWav } = await import('../../src/audio/wavDecode.ts');
const { bundledModel, bundledModelDir } = await import('../../src/model/bundled.ts');

const args = process.argv.slice(2);
const opt = (name, d) => (args.includes(name) ? args[args.indexOf(name) + 1] : d);
const tree = resolve(args[0]);
const workers = Number(opt('--workers', '1'));
const sample = Number(opt('--sample', '0'));
const load0 = loadavg();
const WORDS = ['yes', 'no', 'up', 'down', 'left', 'right', 'stop', 'go'];
const MOVED = 23;
const bundled = bundledModel('speech-commands');
const modelDir = bundledModelDir(resolve('.'), 'speech-commands');
const fx = await FeatureExtractor.create();

/** Reviews `dir` in-process; returns the report, its clips' paths (relative), embeddings (reduced, unit) and probabilities. */
async function review(dir) {
  const rows = [];
  const report = await runReviewJob(dir, {
    modelDir,
    bundled,
    workers,
    map: 'none',
    onFresh: (r) => rows.push(...r),
  });
  const ok = rows.filter((r) => r.embedding && !r.error);
  const reducer = new EmbeddingReducer(ok.length);
  ok.forEach((r, i) => reducer.add(i, r.embedding));
  const emb = reducer.finish();
  normalizeRows(emb, reducer.dim);
  const paths = ok.map((r) => relative(dir, r.path).split(sep).join('/'));
  return { report, paths, emb, dim: reducer.dim, rows: ok };
}

/** A clip's samples (mono, 16 kHz). */
const samples = (path) => decodeWav(readFileSync(path)).channels[0];

/** MFCC c1..c39 of a clip's samples fitted to 1 s (the model's input). */
function features(x) {
  const s = new Float32Array(16000);
  s.set(x.subarray(0, 16000));
  const m = fx.compute(s);
  const out = new Float32Array(m.frames * (m.bins - 1));
  for (let f = 0; f < m.frames; f++)
    for (let b = 1; b < m.bins; b++) out[f * (m.bins - 1) + b - 1] = m.data[f * m.bins + b];
  return { frames: m.frames, bins: m.bins - 1, data: out };
}

/** `x` at `gain`, `shift` samples later (as nearCopy, without the int16 rounding). */
function shifted(x, gain, shift) {
  const y = new Float32Array(x.length);
  for (let i = shift; i < x.length; i++) y[i] = gain * x[i - shift];
  return y;
}

/** Cosine distance of two feature matrices over their overlapping frames, at the best of -3..3 frame offsets. */
function shiftDistance(a, b) {
  let best = Infinity;
  for (let o = -3; o <= 3; o++) {
    let ab = 0;
    let aa = 0;
    let bb = 0;
    for (let f = Math.max(0, -o); f < a.frames && f + o < b.frames; f++)
      for (let k = 0; k < a.bins; k++) {
        const x = a.data[f * a.bins + k];
        const y = b.data[(f + o) * b.bins + k];
        ab += x * y;
        aa += x * x;
        bb += y * y;
      }
    best = Math.min(best, 1 - ab / Math.sqrt(aa * bb));
  }
  return best;
}

const q = (xs, p) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(p * xs.length))];
const f4 = (x) => x.toFixed(4);

/** kNN candidate pairs (k 10, the review's) with their embedding and shift distances. */
function candidates(r, dir) {
  const all = Int32Array.from(r.paths, (_, i) => i);
  const nn = nearestNeighbours(r.emb, r.dim, all, 10);
  const hash = r.rows.map((x) => x.contentHash);
  const feat = new Map();
  const fe = (i) => feat.get(i) ?? feat.set(i, features(samples(join(dir, r.paths[i])))).get(i);
  const seen = new Set();
  const pairs = [];
  for (let i = 0; i < all.length; i++)
    for (let j = 0; j < nn.k; j++) {
      const b = nn.index[i * nn.k + j];
      if (b < 0) continue;
      const key = i < b ? `${i}|${b}` : `${b}|${i}`;
      if (seen.has(key) || hash[i] === hash[b]) continue;
      seen.add(key);
      pairs.push({ a: i, b, emb: nn.distance[i * nn.k + j], shift: shiftDistance(fe(i), fe(b)) });
    }
  return pairs;
}

/** 0.13 x the median of each clip's smallest shift distance to its kNN candidates (cleanlab's rule on this signature). */
function relativeShiftThreshold(pairs, n) {
  const best = new Float64Array(n).fill(Infinity);
  for (const p of pairs) {
    best[p.a] = Math.min(best[p.a], p.shift);
    best[p.b] = Math.min(best[p.b], p.shift);
  }
  return 0.13 * q([...best].filter(Number.isFinite), 0.5);
}

const speaker = (p) => p.split('/').pop().split('_nohash_')[0];
const lines = [`# near-copy diagnosis, ${new Date().toISOString()}`];

// 1-2. The planted dataset.
const { dir, truth } = plantDataset(tree, WORDS, 60, MOVED, 12, 12);
const r = await review(dir);
const thr = r.report.nearDuplicates.threshold;
const idx = new Map(r.paths.map((p, i) => [p, i]));
const planted = new Set(truth.near.map(([a, b]) => [idx.get(a), idx.get(b)].sort((x, y) => x - y).join('|')));
const exactOf = new Set(truth.exact.flat().map((p) => idx.get(p)));
lines.push(
  `planted: ${r.paths.length} clips; threshold ${f4(thr)} (median NN ${f4(r.report.nearDuplicates.medianNearestDistance)})`,
);
lines.push(
  "  near pair: embedding distance, each member's nearest other clip (not the partner, not an exact copy), shift distance",
);
const pf = (i) => features(samples(join(dir, r.paths[i])));
const plantedShift = [];
for (const [pa, pb] of truth.near) {
  const a = idx.get(pa);
  const b = idx.get(pb);
  const d = cosineDistance(r.emb, r.dim, a, b);
  const other = (x, partner) => {
    let m = Infinity;
    for (let j = 0; j < r.paths.length; j++)
      if (
        j !== x &&
        j !== partner &&
        !(exactOf.has(j) && exactOf.has(x) && r.rows[j].contentHash === r.rows[x].contentHash)
      )
        m = Math.min(m, cosineDistance(r.emb, r.dim, x, j));
    return m;
  };
  const s = shiftDistance(pf(a), pf(b));
  plantedShift.push(s);
  lines.push(
    `    ${d < thr ? 'found' : 'MISSED'} ${f4(d)} (${(d / thr).toFixed(2)} x thr); nearest others ${f4(other(a, b))} ${f4(other(b, a))}; shift ${f4(s)}  ${pa}`,
  );
}
const cand = candidates(r, dir);
const others = cand.filter((p) => !planted.has([p.a, p.b].sort((x, y) => x - y).join('|')));
const maxPlanted = Math.max(...plantedShift);
const rel0 = relativeShiftThreshold(cand, r.paths.length);
lines.push(
  `  shift distance: planted near pairs max ${f4(maxPlanted)}; other kNN pairs (${others.length}): min ${f4(
    q(
      others.map((p) => p.shift),
      0,
    ),
  )}, 1% ${f4(
    q(
      others.map((p) => p.shift),
      0.01,
    ),
  )}, median ${f4(
    q(
      others.map((p) => p.shift),
      0.5,
    ),
  )}; ` +
    `others below the planted max: ${others.filter((p) => p.shift <= maxPlanted).length}; ` +
    `0.13 x median NN shift distance ${f4(rel0)}: planted under it ${plantedShift.filter((x) => x < rel0).length}/12, others ${others.filter((p) => p.shift < rel0).length}`,
);

// Offsets that are not whole frames (10 ms): the shift distance of the 12 originals to copies made here.
for (const ms of [2.5, 5, 7.5, 10, 30]) {
  const d = truth.near.map(([pa]) => {
    const x = samples(join(dir, pa));
    return shiftDistance(features(x), features(shifted(x, 0.8, Math.round(ms * 16))));
  });
  lines.push(
    `  copies shifted ${ms} ms (gain 0.8): shift distance max ${f4(Math.max(...d))}, median ${f4(q(d, 0.5))}`,
  );
}

// 4. Rankings of the same probabilities.
const labelsOf = r.report.model.labels;
const judged = r.rows
  .map((x, i) => ({ i, y: labelsOf.indexOf(r.paths[i].split('/')[0]) }))
  .filter((x) => x.y >= 0);
const L = Int32Array.from(judged, (x) => x.y);
const P = judged.map((x) => Float64Array.from(r.rows[x.i].probabilities));
const moved = new Set(truth.moved.keys());
const prec = (order) => order.slice(0, MOVED).filter((k) => moved.has(r.paths[judged[k].i])).length;
const issues = findLabelIssues(L, P, labelsOf.length);
const byScore = (ks, score) => [...ks].sort((a, b) => score(a) - score(b));
const sc = (k) => P[k][L[k]];
const nm = (k) => normalizedMargin(P[k], L[k]);
const everyone = judged.map((_, k) => k);
const neq = everyone.filter((k) => P[k].some((v, j) => j !== L[k] && v > P[k][L[k]]));
lines.push(
  `ranking, precision at ${MOVED}: confident learning (${issues.length} issues) by normalized_margin ${prec(issues)}, by self_confidence ${prec(byScore(issues, sc))}; ` +
    `predicted_neq_given (${neq.length}) by normalized_margin ${prec(byScore(neq, nm))}, by self_confidence ${prec(byScore(neq, sc))}; ` +
    `all clips by normalized_margin ${prec(byScore(everyone, nm))}, by self_confidence ${prec(byScore(everyone, sc))}`,
);
rmSync(dir, { recursive: true, force: true });

// 3. A further sample of the whole tree: false pairs of each rule.
if (sample > 0) {
  const key = (s) => createHash('sha1').update(s).digest('hex');
  const words = readdirSync(tree, { withFileTypes: true })
    .filter((d) => d.isDirectory() && !d.name.startsWith('_'))
    .map((d) => d.name);
  const files = words
    .flatMap((w) =>
      readdirSync(join(tree, w))
        .filter((f) => f.endsWith('.wav'))
        .map((f) => `${w}/${f}`),
    )
    .sort((a, b) => key(a).localeCompare(key(b)))
    .slice(0, sample);
  const sdir = mkdtempSync(join(tmpdir(), 'wb-nearcopy-sample-'));
  for (const f of files) {
    mkdirSync(join(sdir, f.split('/')[0]), { recursive: true });
    copyFileSync(join(tree, f), join(sdir, f));
  }
  const s = await review(sdir);
  const st = s.report.nearDuplicates.threshold;
  const c = candidates(s, sdir);
  const same = (p) => speaker(s.paths[p.a]) === speaker(s.paths[p.b]);
  const under = (f) => {
    const x = c.filter(f);
    return `${x.length} (same speaker ${x.filter(same).length})`;
  };
  lines.push(
    `sample: ${s.paths.length} clips of ${words.length} words, threshold ${f4(st)}, ${c.length} kNN pairs`,
  );
  lines.push(`  pairs under the embedding threshold: ${under((p) => p.emb < st)}`);
  const rel = relativeShiftThreshold(c, s.paths.length);
  lines.push(`  0.13 x median NN shift distance ${f4(rel)}: pairs under it ${under((p) => p.shift < rel)}`);
  for (const t of [maxPlanted, 2 * maxPlanted, 0.01, 0.02])
    lines.push(
      `  pairs with shift distance <= ${f4(t)}: ${under((p) => p.shift <= t)}; of them under 1 x median NN: ${under((p) => p.shift <= t && p.emb < st / 0.13)}`,
    );
  for (const p of c.filter((x) => x.emb < st || x.shift < rel))
    lines.push(`    ${s.paths[p.a]} ${s.paths[p.b]}: embedding ${f4(p.emb)}, shift ${f4(p.shift)}`);
  lines.push(
    `  shift distance of kNN pairs: min ${f4(
      q(
        c.map((p) => p.shift),
        0,
      ),
    )}, 0.1% ${f4(
      q(
        c.map((p) => p.shift),
        0.001,
      ),
    )}, 1% ${f4(
      q(
        c.map((p) => p.shift),
        0.01,
      ),
    )}`,
  );
  rmSync(sdir, { recursive: true, force: true });
}
lines.push(machineLine(machine(load0)));
console.log(lines.join('\n'));
