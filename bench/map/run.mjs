// The dataset map's projection: PCA vs UMAP (umap-js, seeded) vs t-SNE (@keckelt/tsne, exact) on real
// embeddings: the review's (the default speech-commands model's last-dense input, reduced to 128
// values by EmbeddingReducer, unit length) of every clip of a tree.
// Each method runs in its own process under /usr/bin/time (peak RSS; a child that only loads the
// embeddings is the baseline). Reported: wall time, peak RSS, kNN recall@10 (share of each clip's 10
// nearest in the embedding that are among its 10 nearest on the map) and trustworthiness@10
// (Venna & Kaski 2001), both over 1,000 probe clips against exact neighbours in the embedding, and
// label agreement@10 (share of map neighbours with the clip's folder).
// umap: fitted on at most 5,000 clips (a seeded sample), the rest placed among their nearest fitted
// clips; umap-all: fitted on every clip (the quality the sample gives up). t-SNE with --tsne (exact,
// O(N^2): 2,000 clips only).
// Scale: 100,000 rows made from the real embeddings repeated with 2% Gaussian jitter (time and
// memory of the bounded UMAP).
// TREE: a folder of labelled clips (one folder per word), e.g. a Speech Commands tree.
// Run: node bench/map/run.mjs TREE [--workers N] [--skip-scale] [--tsne]
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { machine, machineLine, underTsx } from '../classify/tensorflow.mjs';

underTsx();
const { rng, gaussian } = await import('../../src/dataset/linalg.ts');
const here = dirname(fileURLToPath(import.meta.url));
const out = resolve(here, '..', 'results', 'map');
mkdirSync(out, { recursive: true });
const arg = (name, d) => (process.argv.includes(name) ? process.argv[process.argv.indexOf(name) + 1] : d);

if (process.argv[2] === '--one') {
  // Child: one method on the first N rows (or N jittered rows), coordinates to a file.
  const [, , , method, nArg, file] = process.argv;
  const { data, d } = loadEmbeddings(file);
  const n = Number(nArg);
  const x = rowsOf(data, d, n);
  const rows = Int32Array.from({ length: n }, (_, i) => i);
  const t0 = performance.now();
  let xy;
  if (method === 'load') xy = { x: new Float32Array(n), y: new Float32Array(n) };
  else if (method === 'pca' || method === 'umap' || method === 'umap-all') {
    const { projectMap } = await import('../../src/dataset/mapProjection.ts');
    xy = projectMap(x, d, rows, {
      method: method === 'pca' ? 'pca' : 'auto',
      seed: 1,
      ...(method === 'umap-all' ? { fitMax: n } : {}),
    });
  } else if (method === 'tsne') {
    const { TSNE } = await import('@keckelt/tsne');
    Math.random = rng(1); // the package draws its start from Math.random: seeded here
    const t = new TSNE({ dim: 2, perplexity: 30, epsilon: 10 });
    t.initDataRaw(Array.from({ length: n }, (_, i) => Array.from(x.subarray(i * d, i * d + d))));
    for (let k = 0; k < 1000; k++) t.step();
    const s = t.getSolution();
    xy = { x: Float32Array.from(s, (p) => p[0]), y: Float32Array.from(s, (p) => p[1]) };
  }
  const sec = (performance.now() - t0) / 1000;
  writeFileSync(`${file}.${method}.${n}.xy`, Buffer.from(interleave(xy.x, xy.y).buffer));
  console.log(JSON.stringify({ sec }));
  process.exit(0);
}

if (!process.argv[2] || process.argv[2].startsWith('--')) {
  console.error('usage: node bench/map/run.mjs TREE [--workers N] [--skip-scale] [--tsne]');
  process.exit(2);
}
const tree = resolve(process.argv[2]);
const load0 = loadavg();
const embFile = join(out, `${createHash('sha1').update(tree).digest('hex').slice(0, 12)}.emb`);
if (!existsSync(embFile)) await embed(tree, embFile, Number(arg('--workers', '2')));
const { data, d, labels } = loadEmbeddings(embFile);
const N = labels.length;

/** 100,000 rows: the real ones repeated, each copy jittered (2% of a unit row's length) and re-normed. */
const SCALE = 100_000;
function rowsOf(src, d, n) {
  const total = src.length / d;
  if (n <= total) return src.subarray(0, n * d);
  const g = gaussian(rng(7));
  const x = new Float32Array(n * d);
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let j = 0; j < d; j++) {
      const v = src[(i % total) * d + j] + (i >= total ? (0.02 * g()) / Math.sqrt(d) : 0);
      x[i * d + j] = v;
      s += v * v;
    }
    for (let j = 0; j < d; j++) x[i * d + j] /= Math.sqrt(s) || 1;
  }
  return x;
}

function one(method, n) {
  const r = spawnSync(
    '/usr/bin/time',
    [
      '-f',
      '%M',
      process.execPath,
      '--import',
      'tsx',
      fileURLToPath(import.meta.url),
      '--one',
      method,
      String(n),
      embFile,
    ],
    { encoding: 'utf8', maxBuffer: 1 << 26 },
  );
  if (r.status !== 0) throw new Error(`${method} ${n} failed:\n${r.stderr.slice(-2000)}`);
  const { sec } = JSON.parse(r.stdout.trim().split('\n').pop());
  const rssMB = Number(r.stderr.trim().split('\n').pop()) / 1024;
  const xy = new Float32Array(readFileSync(`${embFile}.${method}.${n}.xy`).buffer.slice(0));
  return { sec, rssMB, xy };
}

const K = 10;
/** Rows 0..n-1 by squared Euclidean distance to row i (a flat array of width w), nearest first, i left out. */
function byDistance(src, w, n, i) {
  const dist = [];
  for (let j = 0; j < n; j++) {
    if (j === i) continue;
    let s = 0;
    for (let t = 0; t < w; t++) {
      const v = src[i * w + t] - src[j * w + t];
      s += v * v;
    }
    dist.push([s, j]);
  }
  return dist.sort((a, b) => a[0] - b[0]).map((x) => x[1]);
}
/** recall@K, trustworthiness@K, label agreement@K over probe rows. */
function quality(xy, n) {
  const probes = Array.from({ length: Math.min(1000, n) }, (_, k) => Math.floor((k * n) / Math.min(1000, n)));
  let recall = 0;
  let penalty = 0;
  let agree = 0;
  for (const i of probes) {
    const order = byDistance(data, d, n, i);
    const hi = new Set(order.slice(0, K));
    const lo = byDistance(xy, 2, n, i).slice(0, K);
    // Rank of j in the embedding, 1 = nearest.
    const rank = new Int32Array(n);
    order.forEach((j, k) => (rank[j] = k + 1));
    for (const j of lo) {
      if (hi.has(j)) recall++;
      else penalty += rank[j] - K;
      if (labels[j] === labels[i]) agree++;
    }
  }
  const m = probes.length;
  // Trustworthiness with the penalty averaged over the probes (the usual normaliser, n replaced by m).
  const trust = 1 - (2 / (m * K * (2 * n - 3 * K - 1))) * penalty;
  return { recall: recall / (m * K), trust, agree: agree / (m * K) };
}

const lines = [`# map projection bench, ${new Date().toISOString()}`];
lines.push(`embeddings: ${N} clips of ${new Set(labels).size} labels, ${d} values (${tree})`);
const base = one('load', N);
lines.push(`baseline (load only): ${base.rssMB.toFixed(0)} MB peak RSS`);
const plan = [
  [2000, ['pca', 'umap', ...(process.argv.includes('--tsne') ? ['tsne'] : [])]],
  [10000, ['pca', 'umap', 'umap-all']],
  [N, ['pca', 'umap']],
];
for (const [n, methods] of plan) {
  for (const m of methods) {
    const r = one(m, n);
    const q = quality(r.xy, n);
    lines.push(
      `n=${n} ${m.padEnd(8)}: ${r.sec.toFixed(1).padStart(6)} s, ${r.rssMB.toFixed(0).padStart(4)} MB peak RSS (+${(r.rssMB - base.rssMB).toFixed(0)}), ` +
        `recall@10 ${q.recall.toFixed(3)}, trustworthiness@10 ${q.trust.toFixed(3)}, label agreement@10 ${q.agree.toFixed(3)}`,
    );
    console.error(lines.at(-1));
  }
}
if (!process.argv.includes('--skip-scale'))
  for (const m of ['pca', 'umap']) {
    const r = one(m, SCALE);
    lines.push(
      `n=${SCALE} (real rows repeated with jitter) ${m}: ${r.sec.toFixed(1)} s, ${r.rssMB.toFixed(0)} MB peak RSS (+${(r.rssMB - base.rssMB).toFixed(0)})`,
    );
    console.error(lines.at(-1));
  }
lines.push(machineLine(machine(load0)));
console.log(lines.join('\n'));
writeFileSync(join(out, 'result.txt'), lines.join('\n') + '\n');

function interleave(x, y) {
  const o = new Float32Array(x.length * 2);
  for (let i = 0; i < x.length; i++) {
    o[2 * i] = x[i];
    o[2 * i + 1] = y[i];
  }
  return o;
}

function loadEmbeddings(file) {
  const meta = JSON.parse(readFileSync(`${file}.json`, 'utf8'));
  const data = new Float32Array(readFileSync(file).buffer.slice(0));
  return { data, d: meta.d, labels: meta.labels };
}

/** The review's embeddings of every clip of `root` (as runReviewJob keeps them), shuffled (seeded). */
async function embed(root, file, workers) {
  const { scanInputs } = await import('../../src/dataset/scan.ts');
  const { WorkerPool } = await import('../../src/engine/pool.ts');
  const { EmbeddingReducer } = await import('../../src/dataset/embeddingReducer.ts');
  const { normalizeRows } = await import('../../src/dataset/knn.ts');
  const { bundledModelDir } = await import('../../src/model/bundled.ts');
  const scan = await scanInputs([root]);
  const files = scan.files.filter((f) => f.parent && f.parent !== '_silence_');
  const random = rng(5);
  for (let i = files.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [files[i], files[j]] = [files[j], files[i]];
  }
  const model = { dir: bundledModelDir(resolve(here, '..', '..')) };
  const pool = new WorkerPool({ size: workers });
  const reducer = new EmbeddingReducer(files.length);
  const row = new Map(files.map((f, i) => [f.path, i]));
  const ok = new Uint8Array(files.length);
  try {
    for (let s = 0; s < files.length; s += 64) {
      const batch = files.slice(s, s + 64).map((f) => f.path);
      const rows = await pool.run('embed', { files: batch, topK: 3, windowStrideMs: 250 }, { model });
      for (const r of rows)
        if (r.embedding && !r.error) {
          reducer.add(row.get(r.path), r.embedding);
          ok[row.get(r.path)] = 1;
        }
      if (s % 1024 === 0) console.error(`embedded ${s + batch.length}/${files.length}`);
    }
  } finally {
    await pool.dispose();
  }
  const all = reducer.finish();
  const dd = reducer.dim;
  const keep = [...ok.keys()].filter((i) => ok[i]);
  const data = new Float32Array(keep.length * dd);
  keep.forEach((i, k) => data.set(all.subarray(i * dd, i * dd + dd), k * dd));
  normalizeRows(data, dd);
  writeFileSync(file, Buffer.from(data.buffer));
  writeFileSync(`${file}.json`, JSON.stringify({ d: dd, labels: keep.map((i) => files[i].parent) }));
}
