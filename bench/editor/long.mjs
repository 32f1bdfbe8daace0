// Long-file check: makes a 1-hour 48 kHz stereo WAV (691 MB, sox, cached in bench/results/) and opens
// it in the Wavebench editor inside the offline VS Code; prints when each part was sent and painted.
// Run: npm run build && node bench/editor/long.mjs
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import { runSuite } from '../../test/runVsCode.mjs';

const dir = resolve('bench/results');
mkdirSync(dir, { recursive: true });
const wav = join(dir, 'hour.wav');
if (!existsSync(wav)) {
  execFileSync('sox', [
    '-V1',
    '-n',
    '-r',
    '48000',
    '-c',
    '2',
    '-b',
    '16',
    wav,
    'synth',
    '3600',
    'sine',
    '300-3000',
    'vol',
    '0.3',
  ]);
}
const out = join(dir, 'long-file.json');
const load0 = loadavg();
const r = await runSuite({
  files: 'longFile.bench.js',
  timeoutSec: 900,
  resultsDir: join(dir, 'long-run'),
  env: { WAVEBENCH_LONG_WAV: wav, WAVEBENCH_BENCH_OUT: out },
});
if (!r.ok) {
  console.error('long-file run failed:', r.reason ?? '');
  process.exit(1);
}
const t = JSON.parse(readFileSync(out, 'utf8'));
const s = (k) => (t[k] === undefined ? 'n/a' : `${(t[k] / 1000).toFixed(1)} s`);
console.log('| 1-hour 48 kHz stereo WAV (691 MB), seconds after the open command | |');
console.log('|---|---|');
console.log(`| first view sent (coarse spectrogram, model input) | ${s('sent:init')} |`);
console.log(`| first view painted | ${s('init')} |`);
console.log(`| levels and whole-file waveform sent (one pass) | ${s('sent:overview')} |`);
console.log(`| predictions over time painted (14,397 windows) | ${s('predictions')} |`);
console.log(
  `machine: ${cpus()[0]?.model}, ${cpus().length} cores, load ${load0.map((x) => x.toFixed(1)).join(' ')}`,
);
