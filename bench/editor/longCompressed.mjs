// First view of 1-hour files in the editor's document model (src/audio/wavDocumentModel.ts, plain
// Node, one core): a 128 kbit/s MP3, a FLAC (with and without SEEKTABLE), an Ogg Vorbis and an
// Opus side by side with the WAV they were encoded from, in the same run. "First view" is what the editor's first message needs
// (src/vscode/wavEditorSession.ts, rangeViews): open (header, MP3 frame index) and model.views(0,
// duration, 1600), the whole-file waveform and spectrogram before the overview pass; CPU (user +
// system, all threads: the machine is shared, so CPU is the honest figure) and wall. Baseline in
// the same run: the same view asked as waveform() then spectrogram() apart (each its own reads, as
// the editor did before). Then the overview pass itself (levels and the exact whole-file waveform,
// streamed), and range reads (200 random 1-s reads) in decoded samples per second. Each file and
// mode runs in its own process (a cold start, as in a fresh extension host; peak RSS is that
// process's), 3 runs, median.
//
// Usage: node --import tsx bench/editor/longCompressed.mjs [--runs 3] [--first-only]
// (--first-only: open and first view only, no overview pass or range reads: minutes shorter)
// Inputs (made once, ~1 GB, in $TMPDIR/wavebench-long/, not committed): a 44.1 kHz stereo 16-bit
// hour of speech clips (samples/) looped over noise; FLAC -5 (a seek point every 10 s, flac's
// default) and --no-seektable; LAME 128 kbit/s CBR; oggenc -q 3 (about 80 kbit/s on this input);
// opusenc 64 kbit/s.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, statSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { openFileSource } from '../../src/audio/byteSource.ts';
import { WavDocumentModel } from '../../src/audio/wavDocumentModel.ts';

const dir = join(os.tmpdir(), 'wavebench-long');

const cpuMs = (u) => (u.user + u.system) / 1000;

async function one(path, mode) {
  const apart = mode === 'apart';
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const m = await WavDocumentModel.open(await openFileSource(path));
  const tOpen = performance.now() - t0;
  const cOpen = cpuMs(process.cpuUsage(c0));
  const d = m.facts.durationSec;
  if (apart) {
    await m.waveform(0, d, 1600);
    await m.spectrogram(0, d, 1600);
  } else await m.views(0, d, 1600);
  const tFirst = performance.now() - t0;
  const cFirst = cpuMs(process.cpuUsage(c0));
  const rssFirst = process.resourceUsage().maxRSS * 1024;
  if (apart) {
    m.dispose();
    return { tFirst, cFirst };
  }
  if (mode === 'first') {
    m.dispose();
    return { tOpen, cOpen, tFirst, cFirst, rssFirst, tOverview: NaN, rangeRate: NaN, rssPeak: NaN };
  }
  const t1 = performance.now();
  await m.overview(-60);
  const tOverview = performance.now() - t1;
  let x = 7;
  const rand = () => (x = (x * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  const t2 = performance.now();
  const per = m.facts.sampleRate;
  for (let i = 0; i < 200; i++) await m.source.frames(Math.floor(rand() * (m.facts.frames - per)), per);
  const rangeRate = (200 * per * m.facts.channels) / ((performance.now() - t2) / 1000);
  m.dispose();
  return {
    tOpen,
    cOpen,
    tFirst,
    cFirst,
    rssFirst,
    tOverview,
    rangeRate,
    rssPeak: process.resourceUsage().maxRSS * 1024,
  };
}

if (process.argv[2] === '--one') {
  process.stdout.write(JSON.stringify(await one(process.argv[3], process.argv[4])));
  process.exit(0);
}

const runs = Number(process.argv[process.argv.indexOf('--runs') + 1] || 3) || 3;
mkdirSync(dir, { recursive: true });
const wav = join(dir, 'hour.wav');
const sh = (cmd, args) => execFileSync(cmd, args, { stdio: 'inherit' });
if (!existsSync(wav))
  sh('ffmpeg', [
    ...['-v', 'error', '-y', '-stream_loop', '-1', '-i', 'samples/speech-commands/yes/3df9a3d4_nohash_1.wav'],
    ...['-f', 'lavfi', '-i', 'anoisesrc=d=3600:r=44100:a=0.02:seed=3'],
    ...['-filter_complex', '[0]aresample=44100,atrim=0:3600[s];[s][1]amix=inputs=2:normalize=0'],
    ...['-ac', '2', '-t', '3600', '-c:a', 'pcm_s16le', wav],
  ]);
const files = {
  'WAV 44.1 kHz stereo': wav,
  'FLAC -5 (SEEKTABLE)': join(dir, 'hour.flac'),
  'FLAC -5, no SEEKTABLE': join(dir, 'hour_noseek.flac'),
  'MP3 128 kbit/s CBR': join(dir, 'hour.mp3'),
  'Ogg Vorbis -q 3': join(dir, 'hour.ogg'),
  'Opus 64 kbit/s': join(dir, 'hour.opus'),
};
if (!existsSync(files['FLAC -5 (SEEKTABLE)']))
  sh('flac', ['-s', '-f', wav, '-o', files['FLAC -5 (SEEKTABLE)']]);
if (!existsSync(files['FLAC -5, no SEEKTABLE']))
  sh('flac', ['-s', '-f', '--no-seektable', wav, '-o', files['FLAC -5, no SEEKTABLE']]);
if (!existsSync(files['MP3 128 kbit/s CBR']))
  sh('lame', ['--quiet', '-b', '128', wav, files['MP3 128 kbit/s CBR']]);
if (!existsSync(files['Ogg Vorbis -q 3']))
  sh('oggenc', ['-Q', '-q', '3', wav, '-o', files['Ogg Vorbis -q 3']]);
if (!existsSync(files['Opus 64 kbit/s']))
  sh('opusenc', ['--quiet', '--bitrate', '64', wav, files['Opus 64 kbit/s']]);

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const load0 = os.loadavg();
const rows = [];
const child = (path, mode) =>
  JSON.parse(
    execFileSync(process.execPath, ['--import', 'tsx', process.argv[1], '--one', path, mode], {
      encoding: 'utf8',
    }),
  );
for (const [name, path] of Object.entries(files)) {
  const rs = [];
  const ap = [];
  for (let r = 0; r < runs; r++) {
    rs.push(child(path, process.argv.includes('--first-only') ? 'first' : 'views'));
    ap.push(child(path, 'apart'));
  }
  const med = (k) => median(rs.map((x) => x[k]));
  rows.push({
    name,
    mb: statSync(path).size / 1e6,
    ...Object.fromEntries(Object.keys(rs[0]).map((k) => [k, med(k)])),
    cApart: median(ap.map((x) => x.cFirst)),
    tApart: median(ap.map((x) => x.tFirst)),
  });
}
const load1 = os.loadavg();
const base = rows[0];
console.log(
  '| 1-hour file | MB | open CPU/wall (ms) | first view CPU/wall (ms) | CPU vs WAV | apart (baseline) CPU/wall (ms) | RSS at first view (MB) | overview pass (s) | peak RSS (MB) | range reads (M samples/s) |',
);
console.log('|---|---|---|---|---|---|---|---|---|---|');
// Columns --first-only does not measure are shown as '-'.
const fix = (v, d = 1) => (Number.isFinite(v) ? v.toFixed(d) : '-');
const ms = (c, t) => `${c.toFixed(0)} / ${t.toFixed(0)}`;
for (const r of rows)
  console.log(
    `| ${r.name} | ${r.mb.toFixed(0)} | ${ms(r.cOpen, r.tOpen)} | ${ms(r.cFirst, r.tFirst)} | ${(r.cFirst / base.cFirst).toFixed(2)}x | ` +
      `${ms(r.cApart, r.tApart)} | ${(r.rssFirst / 1e6).toFixed(0)} | ${fix(r.tOverview / 1000)} | ` +
      `${fix(r.rssPeak / 1e6, 0)} | ${fix(r.rangeRate / 1e6)} |`,
  );
console.log(
  `median of ${runs} runs, one process each; machine: ${os.cpus()[0]?.model}, ${os.cpus().length} cores, ` +
    `load ${load0.map((x) => x.toFixed(1)).join(' ')} before, ${load1.map((x) => x.toFixed(1)).join(' ')} after; node ${process.version}`,
);
