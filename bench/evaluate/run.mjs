// `wavebench evaluate` on a long recording, cold (a fresh process each run): wall time, x real time,
// CPU time and peak RSS, side by side in the same run with the baseline `wavebench classify` of the
// same file at the same 100-ms stride (the long-file path evaluate's scoring replaced: one worker per
// file, every window's features computed alone, every window's probabilities kept).
// The recording (default 10 hours, 16 kHz 16-bit mono: 1.15 GB) is made in a temp folder and removed:
// a 10-minute block of sample clips (samples/speech-commands) at known times over the samples'
// background noise, repeated, with its Audacity label file. The file is read once before timing
// so that neither side pays for a cold page cache.
// Run: npm run build && node bench/evaluate/run.mjs
// Env: WAVEBENCH_BENCH_HOURS (10), WAVEBENCH_BENCH_WORKERS (2), WAVEBENCH_BENCH_BASELINE (1; 0 skips classify).
import { spawnSync } from 'node:child_process';
import {
  closeSync,
  mkdtempSync,
  openSync,
  readFileSync,
  readdirSync,
  rmSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import wavefile from 'wavefile';
import { machine, machineLine } from '../classify/tensorflow.mjs';
import { pcm16MonoHeader } from '../wavHeader.mjs';

const HOURS = Number(process.env.WAVEBENCH_BENCH_HOURS ?? 10);
const WORKERS = String(process.env.WAVEBENCH_BENCH_WORKERS ?? 2);
const BASELINE = process.env.WAVEBENCH_BENCH_BASELINE !== '0';
const RATE = 16000;
const BLOCK_SEC = 600;

/** A clip as float samples (the samples are 16 kHz 16-bit mono). */
function clip(path) {
  const w = new wavefile.WaveFile(readFileSync(path));
  return Float32Array.from(w.getSamples(false, Int16Array), (v) => v / 32768);
}

const root = 'samples/speech-commands';
const words = readdirSync(root).filter((d) => !d.startsWith('_') && !d.includes('.'));
const clips = words.flatMap((w) =>
  readdirSync(join(root, w)).map((f) => ({ word: w, x: clip(join(root, w, f)) })),
);
const noise = readdirSync(join(root, '_silence_')).flatMap((f) =>
  Array.from(clip(join(root, '_silence_', f))),
);

// One block: noise, a word every 3 s (the same block repeated: the work per window does not depend on what is said).
const block = new Int16Array(BLOCK_SEC * RATE);
const labels = [];
let seed = 1;
const rand = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
const mixed = new Float32Array(block.length);
for (let i = 0; i < mixed.length; i++) mixed[i] = 0.3 * noise[i % noise.length];
for (let t = 0.5; t + 1.5 < BLOCK_SEC; t += 3) {
  const c = clips[Math.floor(rand() * clips.length)];
  const at = Math.round(t * RATE);
  for (let i = 0; i < c.x.length; i++) mixed[at + i] += c.x[i];
  labels.push([t, t + c.x.length / RATE, c.word]);
}
for (let i = 0; i < block.length; i++)
  block[i] = Math.max(-32768, Math.min(32767, Math.round(mixed[i] * 32768)));

const dir = mkdtempSync(join(tmpdir(), 'wavebench-bench-evaluate-'));
const wav = join(dir, 'long.wav');
try {
  const blocks = Math.round((HOURS * 3600) / BLOCK_SEC);
  const bytes = blocks * block.length * 2;
  const header = pcm16MonoHeader(RATE, bytes);
  const fd = openSync(wav, 'w');
  writeSync(fd, header);
  const data = Buffer.from(block.buffer);
  const lines = [];
  for (let b = 0; b < blocks; b++) {
    writeSync(fd, data);
    for (const [s, e, w] of labels)
      lines.push(`${(b * BLOCK_SEC + s).toFixed(3)}\t${(b * BLOCK_SEC + e).toFixed(3)}\t${w}`);
  }
  closeSync(fd);
  writeFileSync(join(dir, 'long.txt'), lines.join('\n') + '\n');
  const audioSec = blocks * BLOCK_SEC;
  console.error(
    `recording: ${(audioSec / 3600).toFixed(2)} h, ${(bytes / 1e9).toFixed(2)} GB, ${lines.length} words (${dir})`,
  );
  // Page cache: read once, untimed, for both sides.
  const cat = spawnSync('cat', [wav], { stdio: ['ignore', 'ignore', 'inherit'] });
  if (cat.status !== 0) throw new Error('cannot read the recording back');

  /** A cold CLI run under /usr/bin/time: wall, CPU and peak RSS of the whole process tree's largest. */
  const timed = (args) => {
    const r = spawnSync('/usr/bin/time', ['-f', 'TIME %e %U %S %M', 'node', 'dist/cli.js', ...args], {
      encoding: 'utf8',
      maxBuffer: 1 << 26,
    });
    const m = /TIME (\S+) (\S+) (\S+) (\S+)\s*$/.exec(r.stderr);
    if (r.status !== 0 || !m)
      throw new Error(`${args.join(' ')} failed (${r.status}):\n${r.stderr.slice(-2000)}`);
    const [wall, user, sys, rssKb] = m.slice(1).map(Number);
    return {
      wallSec: wall,
      cpuSec: user + sys,
      peakRssMB: rssKb / 1024,
      xRealTime: audioSec / wall,
      stdout: r.stdout,
    };
  };
  const load0 = loadavg();
  const evaluate = timed(['evaluate', wav, '--workers', WORKERS, '--json', join(dir, 'ev.json')]);
  const report = JSON.parse(readFileSync(join(dir, 'ev.json'), 'utf8'));
  const result = {
    hours: audioSec / 3600,
    windows: report.recordings[0].windows,
    words: report.words,
    workers: Number(WORKERS),
    evaluate: {
      ...evaluate,
      stdout: undefined,
      cpuMsPerAudioMinute: (1000 * evaluate.cpuSec) / (audioSec / 60),
    },
  };
  if (BASELINE) {
    const classify = timed(['classify', wav, '--workers', WORKERS, '--window-stride-ms', '100']);
    result.classify = {
      ...classify,
      stdout: undefined,
      cpuMsPerAudioMinute: (1000 * classify.cpuSec) / (audioSec / 60),
    };
    result.ratio = { wall: classify.wallSec / evaluate.wallSec, cpu: classify.cpuSec / evaluate.cpuSec };
  }
  result.machine = machine(load0);
  console.log(JSON.stringify(result, null, 1));
  const f = (r) =>
    `${r.wallSec.toFixed(1)} s wall (${r.xRealTime.toFixed(0)}x real time), ${r.cpuSec.toFixed(1)} s CPU, peak RSS ${r.peakRssMB.toFixed(0)} MB`;
  console.error(`evaluate: ${f(evaluate)}`);
  if (result.classify)
    console.error(
      `classify (baseline): ${f(result.classify)}; ratio ${result.ratio.wall.toFixed(2)}x wall, ${result.ratio.cpu.toFixed(2)}x CPU`,
    );
  console.error(machineLine(result.machine));
} finally {
  rmSync(dir, { recursive: true, force: true });
}
