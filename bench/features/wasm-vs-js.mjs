// MFCC throughput, TypeScript engine (src/audio/mfcc.ts: float32 PFFFT + double fallback) against the
// C/WebAssembly engine (src/audio/mfccWasm.ts, src/audio/native/mfcc.wasm: double throughout), side by side in one
// run on the same 1-s 16 kHz clips, one core (main thread). Decoding is done once beforehand: only
// `compute` is timed, into a reused output buffer. The two engines alternate in short rounds so that
// a change of machine load hits both; the figures are the median and the best round of each, in clips
// per wall second and per CPU second of this process (the latter less sensitive to other work on a
// shared machine). The ratio is of the medians.
//
// Usage: node --import tsx bench/features/wasm-vs-js.mjs [--n 500] [--seconds 1.5] [--rounds 10] [--json FILE]
// Clips: bench/results/clips16k/list.txt when present (made by bench/features/run.mjs), else made
// here with sox (8 -> 16 kHz, padded/cut to 1 s) from $WAVEBENCH_FSDD (a folder of FSDD recordings, e.g.
// the dataset's recordings/ for 2,500 clips), by default the 63 FSDD clips of test/fixtures/fsdd.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '..', '..');
const clipsDir = join(root, 'bench', 'results', 'clips16k');
const listFile = join(clipsDir, 'list.txt');
const sourceDir = resolve(process.env.WAVEBENCH_FSDD ?? join(root, 'test', 'fixtures', 'fsdd'));

function parseArgs(argv) {
  const a = { n: 500, seconds: 1.5, rounds: 10, json: undefined };
  for (let i = 0; i < argv.length; i++) {
    const k = argv[i];
    if (k === '--n') a.n = Number(argv[++i]);
    else if (k === '--seconds') a.seconds = Number(argv[++i]);
    else if (k === '--rounds') a.rounds = Number(argv[++i]);
    else if (k === '--json') a.json = argv[++i];
    else throw new Error(`unknown argument ${k}`);
  }
  return a;
}

const r2 = (x) => Math.round(x * 100) / 100;

/** Paths of n 1-s 16 kHz clips: the shared list when present, else made here with sox. */
function clipPaths(n) {
  if (existsSync(listFile)) {
    const paths = readFileSync(listFile, 'utf8').trim().split('\n').filter(Boolean);
    if (paths.length >= n && paths.slice(0, n).every((p) => existsSync(p))) return paths.slice(0, n);
  }
  const dir = join(root, 'bench', 'results', 'clips16k-wasm');
  mkdirSync(dir, { recursive: true });
  if (!existsSync(sourceDir))
    throw new Error(`WAVEBENCH_FSDD: no folder ${sourceDir} (a folder of FSDD WAVs)`);
  const all = readdirSync(sourceDir)
    .filter((f) => f.endsWith('.wav'))
    .sort();
  if (!all.length) throw new Error(`no WAV files in ${sourceDir}`);
  const count = Math.min(n, all.length);
  const out = [];
  for (let i = 0; i < count; i++) {
    const f = all[Math.floor((i * all.length) / count)];
    const p = join(dir, f);
    if (!existsSync(p)) {
      execFileSync('sox', [
        join(sourceDir, f),
        '-r',
        '16000',
        '-b',
        '16',
        p,
        'pad',
        '0',
        '1',
        'trim',
        '0',
        '1',
      ]);
    }
    out.push(p);
  }
  return out;
}

/** Runs step over the clips for at least one pass and `seconds`; clips per wall second and per CPU second. */
function timeLoop(count, seconds, step) {
  let n = 0;
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const deadline = t0 + seconds * 1000;
  for (;;) {
    step(n % count);
    n++;
    if (n >= count && (n & 15) === 0 && performance.now() >= deadline) break;
  }
  const dt = (performance.now() - t0) / 1000;
  const c = process.cpuUsage(c0);
  const cpu = (c.user + c.system) / 1e6;
  return { clips: n, seconds: dt, cpuSeconds: cpu };
}

function cpuModel() {
  try {
    const m = readFileSync('/proc/cpuinfo', 'utf8').match(/^model name\s*:\s*(.*)$/m);
    if (m) return m[1].trim();
  } catch {
    // not Linux
  }
  return os.cpus()[0]?.model ?? 'unknown';
}

async function main() {
  const a = parseArgs(process.argv.slice(2));
  const [{ decodeWav }, { fitLength }, { Mfcc }, { MfccWasm }] = await Promise.all([
    import('../../src/audio/wavDecode.ts'),
    import('../../src/audio/fitLength.ts'),
    import('../../src/audio/mfcc.ts'),
    import('../../src/audio/mfccWasm.ts'),
  ]);
  const paths = clipPaths(a.n);
  const clips = paths.map((p) => fitLength(decodeWav(readFileSync(p)).channels[0], 16000));
  const js = await Mfcc.create();
  const wasm = await MfccWasm.create();
  const out = new Float32Array(js.frameCount(16000) * 40);

  // Same numbers first (a bench of a wrong engine is worthless).
  let maxDiff = 0;
  const o2 = new Float32Array(out.length);
  for (const c of clips) {
    js.compute(c, out);
    wasm.compute(c, o2);
    for (let i = 0; i < out.length; i++) maxDiff = Math.max(maxDiff, Math.abs(out[i] - o2[i]));
  }

  const engines = {
    js: (i) => js.compute(clips[i], out),
    wasm: (i) => wasm.compute(clips[i], out),
  };
  for (const f of Object.values(engines)) for (let i = 0; i < Math.min(clips.length, 100); i++) f(i); // warm-up
  const rounds = { js: [], wasm: [] };
  const loads = [os.loadavg()];
  for (let r = 0; r < a.rounds; r++) {
    for (const [name, f] of Object.entries(engines)) rounds[name].push(timeLoop(clips.length, a.seconds, f));
    loads.push(os.loadavg());
  }
  const median = (xs) => {
    const v = [...xs].sort((x, y) => x - y);
    return v.length % 2 ? v[(v.length - 1) / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
  };
  const fig = (rs) => {
    const wall = rs.map((t) => t.clips / t.seconds);
    const cpu = rs.map((t) => t.clips / t.cpuSeconds);
    return {
      clipsPerSec: r2(median(wall)),
      clipsPerSecBest: r2(Math.max(...wall)),
      clipsPerCpuSec: r2(median(cpu)),
      clipsPerCpuSecBest: r2(Math.max(...cpu)),
      usPerClip: r2(1e6 / median(wall)),
      clips: rs.reduce((s, t) => s + t.clips, 0),
      rounds: rs.length,
    };
  };
  const totals = { js: fig(rounds.js), wasm: fig(rounds.wasm) };
  const res = {
    date: new Date().toISOString(),
    clips: clips.length,
    clipSource: paths[0] ? dirname(paths[0]) : '',
    framesPerClip: js.frameCount(16000),
    coefficients: 40,
    maxAbsDiffJsVsWasm: maxDiff,
    jsExactFrameShare: r2(js.exactFrames / Math.max(1, js.totalFrames)),
    js: totals.js,
    wasm: totals.wasm,
    ratioWall: r2(totals.wasm.clipsPerSec / totals.js.clipsPerSec),
    ratioCpu: r2(totals.wasm.clipsPerCpuSec / totals.js.clipsPerCpuSec),
    machine: {
      nproc: os.availableParallelism?.() ?? os.cpus().length,
      cpu: cpuModel(),
      loadAverage: loads.map((l) => l.map(r2)),
      node: process.version,
    },
  };
  console.log(JSON.stringify(res, null, 2));
  console.log(
    `JS Mfcc ${res.js.clipsPerSec} clips/s, MfccWasm ${res.wasm.clipsPerSec} clips/s (x${res.ratioWall}, medians); ` +
      `per CPU-second ${res.js.clipsPerCpuSec} vs ${res.wasm.clipsPerCpuSec} (x${res.ratioCpu}; best rounds ` +
      `${res.js.clipsPerCpuSecBest} vs ${res.wasm.clipsPerCpuSecBest}); ${res.machine.nproc} x ${res.machine.cpu}, ` +
      `load ${res.machine.loadAverage[0].join(' ')}`,
  );
  if (a.json) writeFileSync(a.json, JSON.stringify(res, null, 2) + '\n');
  js.dispose();
  wasm.dispose();
}

await main();
