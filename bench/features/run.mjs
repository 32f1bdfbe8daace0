// Feature-extraction benchmark: this project's WAV decode + fitLength + MFCC (TypeScript sources, one
// core, main thread) side by side with TensorFlow's decode_wav + AudioSpectrogram + Mfcc ops
// (bench/features/tf_features.py, --threads 1) on the same 1-s 16 kHz clips.
//
// Usage: node --import tsx bench/features/run.mjs [--n 500] [--seconds 10] [--part-seconds 5]
//                                                  [--tf-seconds 10] [--no-tf] [--profile]
// (plain `node bench/features/run.mjs`, i.e. `npm run bench`, also works: it re-runs itself under --import tsx.)
// Clips are made once with sox into bench/results/clips16k/ (git-ignored) from $WAVEBENCH_FSDD (a folder
// of FSDD recordings, e.g. the dataset's recordings/ for 2,500 clips), by default the 63 FSDD clips of
// test/fixtures/fsdd (fewer than --n: the timed loops cycle over them); figures go to
// bench/results/features.json. --profile adds a per-stage timing of Mfcc.compute. Production's float32
// WASM kernel (FeatureExtractor, one clip a call and 32 a call) is timed in the same run as the float64
// one (--float64) and the JS engine, with their ratios.
import { execFile, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const execFileP = promisify(execFile);
const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '..', '..');
const resultsDir = join(root, 'bench', 'results');
const clipsDir = join(resultsDir, 'clips16k');
const listFile = join(clipsDir, 'list.txt');
const sourceDir = resolve(process.env.WAVEBENCH_FSDD ?? join(root, 'test', 'fixtures', 'fsdd'));

function parseArgs(argv) {
  const a = { n: 500, seconds: 10, partSeconds: 5, tfSeconds: 10, tf: true, profile: false };
  for (let i = 0; i < argv.length; i++) {
    const k = argv[i];
    const next = () => Number(argv[++i]);
    if (k === '--n') a.n = next();
    else if (k === '--seconds') a.seconds = next();
    else if (k === '--part-seconds') a.partSeconds = next();
    else if (k === '--tf-seconds') a.tfSeconds = next();
    else if (k === '--no-tf') a.tf = false;
    else if (k === '--profile') a.profile = true;
    else throw new Error(`unknown argument ${k}`);
  }
  return a;
}

/** Imports the TypeScript engine (node must run with `--import tsx`; see reexecWithTsx). */
async function loadEngine() {
  const [{ decodeWav }, { fitLength }, { Mfcc }, { FeatureExtractor }] = await Promise.all([
    import('../../src/audio/wavDecode.ts'),
    import('../../src/audio/fitLength.ts'),
    import('../../src/audio/mfcc.ts'),
    import('../../src/audio/features.ts'),
  ]);
  return { decodeWav, fitLength, Mfcc, FeatureExtractor };
}

/**
 * Plain `node bench/features/run.mjs` (what `npm run bench` runs) cannot import .ts, and tsx's
 * register() API fails on Node 20 here (ERR_REQUIRE_CYCLE_MODULE): run this script again in a child
 * node with `--import tsx` and return its exit code. Returns undefined when tsx is already loaded.
 */
function reexecWithTsx() {
  const flags = [...process.execArgv, process.env.NODE_OPTIONS ?? ''].join(' ');
  if (/\btsx\b/.test(flags)) return undefined;
  const child = spawnSync(
    process.execPath,
    ['--import', 'tsx', ...process.execArgv, fileURLToPath(import.meta.url), ...process.argv.slice(2)],
    { stdio: 'inherit', cwd: process.cwd() },
  );
  return child.status ?? 1;
}

const load = () => os.loadavg().map((x) => Math.round(x * 100) / 100);
const r2 = (x) => Math.round(x * 100) / 100;

/** 1-s 16 kHz mono 16-bit copies of n clips spread evenly over the sorted FSDD list (made once). */
async function makeClips(n) {
  if (!existsSync(sourceDir))
    throw new Error(`WAVEBENCH_FSDD: no folder ${sourceDir} (a folder of FSDD WAVs)`);
  mkdirSync(clipsDir, { recursive: true });
  const all = readdirSync(sourceDir)
    .filter((f) => f.endsWith('.wav'))
    .sort();
  if (all.length === 0) throw new Error(`no WAV files in ${sourceDir}`);
  const count = Math.min(n, all.length);
  const picked = [];
  for (let i = 0; i < count; i++) picked.push(all[Math.floor((i * all.length) / count)]);
  const todo = picked.filter((f) => !existsSync(join(clipsDir, f)));
  let made = 0;
  const worker = async () => {
    while (todo.length) {
      const f = todo.pop();
      const args = [
        join(sourceDir, f),
        '-r',
        '16000',
        '-b',
        '16',
        join(clipsDir, f),
        'pad',
        '0',
        '1',
        'trim',
        '0',
        '1',
      ];
      await execFileP('sox', args);
      made++;
    }
  };
  await Promise.all([worker(), worker()]);
  const paths = picked.map((f) => join(clipsDir, f));
  writeFileSync(listFile, paths.join('\n') + '\n');
  return { paths, made };
}

/** Runs `step(i)` over clip indices, at least one full pass, then until `seconds` have passed. */
function timeLoop(count, seconds, step) {
  for (let i = 0; i < Math.min(count, 50); i++) step(i); // warm-up
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
  const cpu = (c.user + c.system) / 1e6; // process CPU time (all threads) while timing
  return {
    processed: n,
    seconds: Math.round(dt * 1000) / 1000,
    clipsPerSec: r2(n / dt),
    usPerClip: r2((dt * 1e6) / n),
    cpuSeconds: Math.round(cpu * 1000) / 1000,
    // Throughput per CPU-second: less sensitive to other work on a shared machine than wall time.
    clipsPerCpuSec: r2(n / cpu),
  };
}

function runTf(seconds) {
  return new Promise((resolvePromise, reject) => {
    const args = [
      join(here, 'tf_features.py'),
      '--list',
      listFile,
      '--seconds',
      String(seconds),
      '--threads',
      '1',
    ];
    const p = spawn('python3', args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    p.stdout.on('data', (d) => (out += d));
    p.stderr.on('data', (d) => (err += d));
    p.on('close', (code) => {
      const line = out.trim().split('\n').pop();
      if (code !== 0 || !line) reject(new Error(`tf_features.py exited ${code}: ${err.slice(-2000)}`));
      else resolvePromise(JSON.parse(line));
    });
  });
}

/** Per-stage cost of Mfcc.compute, by running each stage alone over every frame of every clip. */
function profileStages(m, clips, seconds) {
  const spec = m.spectrogram;
  const fb = m.filterbank;
  const dct = m.dct;
  const frames = m.frameCount(16000);
  const stride = spec.stride;
  const row = new Float32Array(spec.bins);
  const mel = new Float64Array(fb.channels);
  const out = new Float32Array(dct.coefficientCount);
  const nb = fb.binsPerBand();
  let sink = 0;
  const stage = (fn) => {
    const r = timeLoop(clips.length, seconds, (i) => {
      const s = clips[i];
      for (let f = 0; f < frames; f++) fn(s, f * stride);
    });
    return r2((r.usPerClip * 1000) / frames); // ns per frame
  };
  // Prepare one realistic mel row for the log/DCT stages (they don't depend on the FFT path here).
  const res = {
    fftFloat32_nsPerFrame: stage((s, st) => {
      sink += spec.powerFrame(s, st, row, 0);
    }),
    fftExact64_nsPerFrame: stage((s, st) => {
      spec.powerFrameExact(s, st, row, 0);
    }),
    filterbank_nsPerFrame: stage(() => {
      fb.apply(row, 0, mel);
    }),
    boundCheck_nsPerFrame: stage(() => {
      let sum = 0;
      for (let c = 0; c < mel.length; c++) sum += nb[c] / Math.max(mel[c], 1e-12);
      sink += sum;
    }),
    log_nsPerFrame: stage(() => {
      for (let c = 0; c < mel.length; c++) sink += Math.log(mel[c] + c + 1);
    }),
    dct_nsPerFrame: stage(() => {
      dct.apply(mel, out, 0);
    }),
  };
  res.sink = sink === 42 ? 1 : 0;
  return res;
}

async function main() {
  const args = parseArgs(process.argv.slice(2));
  const loadStart = load();
  const startedAt = new Date().toISOString();
  const { decodeWav, fitLength, Mfcc, FeatureExtractor } = await loadEngine();

  const { paths, made } = await makeClips(args.n);
  const bytes = paths.map((p) => new Uint8Array(readFileSync(p)));
  const totalBytes = bytes.reduce((s, b) => s + b.length, 0);
  console.error(`${paths.length} clips (${made} made now), ${(totalBytes / 1e6).toFixed(1)} MB in memory`);

  const m = await Mfcc.create();
  const out = new Float32Array(m.frameCount(16000) * m.coefficientCount);
  let sink = 0;

  // 1. Full pipeline: decode + fitLength + MFCC, reusing one output buffer.
  const e0 = m.exactFrames;
  const t0 = m.totalFrames;
  const loadPipelineStart = load();
  const pipeline = timeLoop(bytes.length, args.seconds, (i) => {
    const w = decodeWav(bytes[i]);
    const s = fitLength(w.channels[0], 16000);
    const r = m.compute(s, out);
    sink += r.data[0];
  });
  const exactFrames = m.exactFrames - e0;
  const totalFrames = m.totalFrames - t0;
  console.error(`pipeline: ${pipeline.clipsPerSec} clips/s`);

  // 1b. FeatureExtractor's MFCC on the float64 WASM kernel (--float64; production before 2026-12-08).
  const fx64 = await FeatureExtractor.create({ type: 'mfcc' }, { mfccPrecision: 'float64' });
  const wasmPipeline = timeLoop(bytes.length, args.seconds, (i) => {
    const w = decodeWav(bytes[i]);
    const s = fitLength(w.channels[0], 16000);
    sink += fx64.compute(s, out).data[0];
  });
  console.error(`WASM float64 pipeline: ${wasmPipeline.clipsPerSec} clips/s`);

  // 1c. The production path: FeatureExtractor's MFCC on the float32 kernel, one clip a call (the
  // editor, features, a long file's span) ...
  const fx = await FeatureExtractor.create({ type: 'mfcc' });
  const f0 = fx.f32Fallbacks;
  const wasmF32Single = timeLoop(bytes.length, args.seconds, (i) => {
    const w = decodeWav(bytes[i]);
    sink += fx.compute(fitLength(w.channels[0], 16000), out).data[0];
  });
  console.error(`WASM float32 pipeline, one clip a call: ${wasmF32Single.clipsPerSec} clips/s`);

  // 1d. ... and batched BATCH clips a call (FeatureExtractor.computeBatch: classify's InputQueue).
  const BATCH = 32;
  const batchOut = new Float32Array(BATCH * out.length);
  const batches = timeLoop(Math.ceil(bytes.length / BATCH), args.seconds, (b) => {
    const clips = [];
    for (let j = 0; j < BATCH; j++) {
      const w = decodeWav(bytes[(b * BATCH + j) % bytes.length]);
      clips.push(fitLength(w.channels[0], 16000));
    }
    fx.computeBatch(clips, batchOut);
    sink += batchOut[0];
  });
  const scale = (x) => r2(x * BATCH);
  const wasmF32Pipeline = {
    ...batches,
    processed: batches.processed * BATCH,
    clipsPerSec: scale(batches.clipsPerSec),
    usPerClip: r2(batches.usPerClip / BATCH),
    clipsPerCpuSec: scale(batches.clipsPerCpuSec),
  };
  const f32Frames = (wasmF32Single.processed + wasmF32Pipeline.processed) * m.frameCount(16000);
  const doubleFallbackShare = Math.round(((fx.f32Fallbacks - f0) / f32Frames) * 1e5) / 1e5;
  console.error(`WASM float32 batched pipeline: ${wasmF32Pipeline.clipsPerSec} clips/s`);

  // 2. Decode only.
  const decode = timeLoop(bytes.length, args.partSeconds, (i) => {
    sink += decodeWav(bytes[i]).channels[0][100];
  });
  console.error(`decode only: ${decode.clipsPerSec} clips/s`);

  // 3. MFCC only (samples decoded and fitted beforehand).
  const samples = bytes.map((b) => fitLength(decodeWav(b).channels[0], 16000, new Float32Array(16000)));
  const mfccOnly = timeLoop(samples.length, args.partSeconds, (i) => {
    sink += m.compute(samples[i], out).data[0];
  });
  console.error(`MFCC only: ${mfccOnly.clipsPerSec} clips/s`);

  const profile = args.profile ? profileStages(m, samples, Math.max(1, args.partSeconds / 2)) : undefined;
  if (profile) console.error('stages (ns/frame):', profile);
  const loadEngineEnd = load();

  // 4. TensorFlow, same list, one thread.
  let tf;
  if (args.tf) {
    console.error('running tf_features.py --threads 1 ...');
    tf = await runTf(args.tfSeconds);
  }
  const loadEnd = load();

  let cpuModel = 'unknown';
  try {
    cpuModel = /model name\s*:\s*(.*)/.exec(readFileSync('/proc/cpuinfo', 'utf8'))?.[1] ?? cpuModel;
  } catch {
    // not Linux
  }
  const nproc = (await execFileP('nproc')).stdout.trim();
  const tfBest = tf ? Math.max(tf.mode_eager_clips_per_sec, tf.mode_function_clips_per_sec) : undefined;
  const result = {
    startedAt,
    clips: paths.length,
    listFile,
    engine: {
      wasmF32Pipeline,
      wasmF32Single,
      doubleFallbackShare,
      wasmPipeline,
      pipeline,
      decodeOnly: decode,
      mfccOnly,
      exactFrames,
      totalFrames,
      exactFrameRatio: totalFrames ? Math.round((exactFrames / totalFrames) * 1e5) / 1e5 : 0,
      stageProfile: profile,
    },
    tensorflow: tf,
    ratioEngineOverTfBest: tfBest ? r2(wasmF32Pipeline.clipsPerSec / tfBest) : undefined,
    ratioWasmOverJs: r2(wasmPipeline.clipsPerSec / pipeline.clipsPerSec),
    ratioF32OverF64Wasm: r2(wasmF32Pipeline.clipsPerSec / wasmPipeline.clipsPerSec),
    machine: {
      nproc: Number(nproc),
      cpuModel,
      node: process.version,
      tensorflow: tf?.version,
      loadAverage: {
        start: loadStart,
        enginePipelineStart: loadPipelineStart,
        engineEnd: loadEngineEnd,
        end: loadEnd,
      },
    },
    checksum: sink,
  };
  mkdirSync(resultsDir, { recursive: true });
  writeFileSync(join(resultsDir, 'features.json'), JSON.stringify(result, null, 2) + '\n');

  const fmt = (x) => (x === undefined ? 'n/a' : String(x));
  const lines = [
    `| figure | value |`,
    `| --- | --- |`,
    `| Wavebench decode+fitLength+MFCC, float32 WASM kernel batched ${BATCH} clips a call (production; 1 core) | ${wasmF32Pipeline.clipsPerSec} clips/s (${wasmF32Pipeline.usPerClip} us/clip; ${wasmF32Pipeline.clipsPerCpuSec} per CPU-s) |`,
    `| same, one clip a call | ${wasmF32Single.clipsPerSec} clips/s (${wasmF32Single.usPerClip} us/clip; ${wasmF32Single.clipsPerCpuSec} per CPU-s); frames recomputed in double: ${doubleFallbackShare} |`,
    `| same, float64 WASM kernel (--float64) | ${wasmPipeline.clipsPerSec} clips/s (${wasmPipeline.usPerClip} us/clip; ${wasmPipeline.clipsPerCpuSec} per CPU-s) |`,
    `| ratio float32 batched / float64 | ${result.ratioF32OverF64Wasm} (per CPU-s: ${r2(wasmF32Pipeline.clipsPerCpuSec / wasmPipeline.clipsPerCpuSec)}) |`,
    `| same with the JS engine (PFFFT + float64 fallback) | ${pipeline.clipsPerSec} clips/s (${pipeline.usPerClip} us/clip; ${pipeline.clipsPerCpuSec} per CPU-s) |`,
    `| ratio float64 WASM / JS | ${result.ratioWasmOverJs} |`,
    `| decode only | ${decode.clipsPerSec} clips/s (${decode.usPerClip} us/clip) |`,
    `| JS MFCC only | ${mfccOnly.clipsPerSec} clips/s (${mfccOnly.usPerClip} us/clip) |`,
    `| JS engine: float64 fallback frames / all frames | ${exactFrames} / ${totalFrames} = ${result.engine.exactFrameRatio} |`,
    `| TF eager (--threads 1) | ${fmt(tf?.mode_eager_clips_per_sec)} clips/s |`,
    `| TF tf.function (--threads 1) | ${fmt(tf?.mode_function_clips_per_sec)} clips/s |`,
    `| ratio Wavebench (float32 batched) / TF(best) | ${fmt(result.ratioEngineOverTfBest)} |`,
    `| machine | nproc ${nproc}, ${cpuModel}, node ${process.version}, TF ${fmt(tf?.version)} |`,
    `| load average (1/5/15 min) | start ${loadStart.join(' ')}; end ${loadEnd.join(' ')} |`,
  ];
  console.log(lines.join('\n'));
}

const reexecStatus = reexecWithTsx();
if (reexecStatus !== undefined) process.exit(reexecStatus);
main().catch((e) => {
  console.error(e);
  process.exit(1);
});
