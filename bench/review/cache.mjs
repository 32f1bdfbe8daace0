// The extension's review cache (src/engine/reviewCache.ts, as ReviewService uses it), side by side in
// one run on one folder-per-label tree:
//   cold     - no cache: every clip through the model (embed task), then the rows + embeddings saved;
//   clips    - the cache read back from disk, the review recomputed without a model pass (what happens
//              when a file of the folder changed: the whole-review entry misses, the clip rows hit);
//   review   - the folder unchanged: its fingerprint (scan + stat) finds the saved whole review.
// Prints wall times, the ratios to cold, the cache's size on disk and the machine. Reads the tree only
// (with --fsdd it first copies FSDD's flat recordings/ into digit folders in a temp folder).
// Run: node bench/review/cache.mjs TREE [--model digits|speech-commands|DIR] [--workers N] [--fsdd]
//   TREE: a folder-per-label tree, or with --fsdd the Free Spoken Digit Dataset's flat recordings/ folder
//   (git clone of Jakobovski/free-spoken-digit-dataset).
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { machine, machineLine, underTsx } from '../classify/tensorflow.mjs';

underTsx();
const { folderFingerprint, ReviewCache } = await import('../../src/engine/reviewCache.ts');
const { runReviewJob } = await import('../../src/engine/reviewJob.ts');
const { bundledModel, bundledModelDir } = await import('../../src/model/bundled.ts');

const args = process.argv.slice(2);
if (!args[0] || args[0].startsWith('--')) {
  console.error('usage: node bench/review/cache.mjs TREE [--model NAME|DIR] [--workers N] [--fsdd]');
  process.exit(2);
}
const opt = (name, d) => (args.includes(name) ? args[args.indexOf(name) + 1] : d);
const modelArg = opt('--model', 'digits');
const bundled = bundledModel(modelArg);
const modelDir = bundled ? bundledModelDir(resolve('.'), modelArg) : resolve(modelArg);
const workers = Number(opt('--workers', '1'));
const load0 = loadavg();
const temp = mkdtempSync(join(tmpdir(), 'wb-review-cache-'));
process.on('exit', () => rmSync(temp, { recursive: true, force: true }));

let tree = resolve(args[0]);
if (args.includes('--fsdd')) {
  const digits = ['zero', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine'];
  const out = join(temp, 'tree');
  for (const f of readdirSync(tree).filter((f) => /^\d_.*\.wav$/.test(f))) {
    mkdirSync(join(out, digits[Number(f[0])]), { recursive: true });
    copyFileSync(join(tree, f), join(out, digits[Number(f[0])], f));
  }
  tree = out;
}
const cacheDir = join(temp, 'cache');

async function review(useCache) {
  const cache = new ReviewCache(cacheDir); // read back from disk each time
  let known = new Map();
  let fresh = [];
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  let setup = 0;
  const r = await runReviewJob(tree, {
    modelDir,
    bundled,
    workers,
    prepare: async (paths) => {
      setup = (performance.now() - t0) / 1000;
      if (useCache && hash) known = await cache.lookup(paths, hash);
    },
    cached: (p) => known.get(p),
    onFresh: (rows) => fresh.push(...rows),
  });
  const fingerprint = await folderFingerprint(tree);
  await cache.store(fresh, r.model.hash);
  await cache.putReport(r, fingerprint);
  await cache.save();
  return {
    r,
    sec: (performance.now() - t0) / 1000,
    cpu: cpuSec(c0),
    setup,
    fresh: fresh.length,
    hits: known.size,
  };
}

/** CPU seconds of the process (all its threads: getrusage) since `c0`. */
const cpuSec = (c0) => {
  const c = process.cpuUsage(c0);
  return (c.user + c.system) / 1e6;
};

let hash = '';
const cold = await review(false);
hash = cold.r.model.hash;
const clips = await review(true);
const t0 = performance.now();
const c0 = process.cpuUsage();
const fp = await folderFingerprint(tree);
const whole = await new ReviewCache(cacheDir).report(tree, hash, fp);
const wholeSec = (performance.now() - t0) / 1000;
const wholeCpu = cpuSec(c0);
if (!whole) throw new Error('the whole review was not found in the cache');
const same = JSON.stringify({ ...clips.r, timeSec: 0 }) === JSON.stringify({ ...cold.r, timeSec: 0 });
const size = readdirSync(cacheDir).reduce((n, f) => n + statSync(join(cacheDir, f)).size, 0);

console.log(
  `review cache, ${cold.r.clips} clips of ${tree}, model ${cold.r.model.name}, ${workers} worker(s)`,
);
const line = (what, x) =>
  `  ${what}: ${x.sec.toFixed(2)} s wall (${(x.sec / cold.sec).toFixed(3)} x cold; ` +
  `${x.setup.toFixed(2)} s of it scan + worker start + model load), ` +
  `${x.cpu.toFixed(2)} s CPU (${(x.cpu / cold.cpu).toFixed(3)} x cold)`;
console.log(line(`cold   (model pass, ${cold.fresh} clips)`, cold));
console.log(line(`clips  (${clips.hits} rows from disk, ${clips.fresh} classified)`, clips));
console.log(`         findings identical to cold: ${same}`);
console.log(
  `  review (folder unchanged: fingerprint + lookup): ${wholeSec.toFixed(3)} s wall ` +
    `(${(wholeSec / cold.sec).toFixed(4)} x cold), ${wholeCpu.toFixed(2)} s CPU (${(wholeCpu / cold.cpu).toFixed(4)} x cold)`,
);
console.log(
  `  cache on disk: ${(size / 1e6).toFixed(1)} MB (${(size / cold.r.clips / 1024).toFixed(1)} KB a clip)`,
);
console.log(machineLine(machine(load0)));
