// First view of 1-hour files in the editor's document model (src/audio/wavDocumentModel.ts, plain
// Node, one core): a 128 kbit/s MP3, a FLAC (with and without SEEKTABLE), an Ogg Vorbis and an
// Opus side by side with the WAV they were encoded from, in the same run. "First view" is what the editor's first message needs:
// open (header, MP3 frame index), the whole-file waveform (1,600 columns) and the whole-file
// spectrogram (1,600 columns), before the overview pass. Then the overview pass itself (levels and
// the exact whole-file waveform, streamed), and range reads (200 random 1-s reads) in decoded
// samples per second. Each file runs in its own process (peak RSS is that process's), 3 runs, median.
// Wall and CPU time (user + system, the process's) both: on a shared machine wall time includes waits.
//
// Usage: node --import tsx bench/editor/longCompressed.mjs [--runs 3]
// Inputs (made once, ~1 GB, in $TMPDIR/wavebench-long/, not committed): a 44.1 kHz stereo 16-bit
// hour of speech clips (samples/) looped over noise; FLAC -5 (a seek point every 10 s, flac's
// default) and --no-seektable; LAME 128 kbit/s CBR; oggenc -q 3 (about 112 kbit/s); opusenc 64 kbit/s.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, statSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { openFileSource } from '../../src/audio/byteSource.ts';
import { WavDocumentModel } from '../../src/audio/wavDocumentModel.ts';

const dir = join(os.tmpdir(), 'wavebench-long');

/** CPU milliseconds (user + system) of this process so far. */
const cpu = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};

async function one(path) {
  const c0 = cpu();
  const t0 = performance.now();
  const m = await WavDocumentModel.open(await openFileSource(path));
  const tOpen = performance.now() - t0;
  const d = m.facts.durationSec;
  await m.waveform(0, d, 1600);
  await m.spectrogram(0, d, 1600);
  const tFirst = performance.now() - t0;
  const cFirst = cpu() - c0;
  const rssFirst = process.resourceUsage().maxRSS * 1024;
  const t1 = performance.now();
  await m.overview(-60);
  const tOverview = performance.now() - t1;
  let x = 7;
  const rand = () => (x = (x * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  const t2 = performance.now();
  const c2 = cpu();
  const per = m.facts.sampleRate;
  for (let i = 0; i < 200; i++) await m.source.frames(Math.floor(rand() * (m.facts.frames - per)), per);
  const rangeRate = (200 * per * m.facts.channels) / ((performance.now() - t2) / 1000);
  const rangeCpuRate = (200 * per * m.facts.channels) / ((cpu() - c2) / 1000);
  m.dispose();
  return {
    tOpen,
    tFirst,
    cFirst,
    rssFirst,
    tOverview,
    rangeRate,
    rangeCpuRate,
    rssPeak: process.resourceUsage().maxRSS * 1024,
  };
}

if (process.argv[2] === '--one') {
  process.stdout.write(JSON.stringify(await one(process.argv[3])));
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
for (const [name, path] of Object.entries(files)) {
  const rs = [];
  for (let r = 0; r < runs; r++) {
    const o = execFileSync(process.execPath, ['--import', 'tsx', process.argv[1], '--one', path], {
      encoding: 'utf8',
    });
    rs.push(JSON.parse(o));
  }
  const med = (k) => median(rs.map((x) => x[k]));
  rows.push({
    name,
    mb: statSync(path).size / 1e6,
    ...Object.fromEntries(Object.keys(rs[0]).map((k) => [k, med(k)])),
  });
}
const base = rows[0];
console.log(
  '| 1-hour file | MB | open (ms) | first view (ms) | CPU (ms) | vs WAV | RSS at first view (MB) | overview pass (s) | peak RSS (MB) | range reads (M samples/s) | per CPU s |',
);
console.log('|---|---|---|---|---|---|---|---|---|---|---|');
for (const r of rows)
  console.log(
    `| ${r.name} | ${r.mb.toFixed(0)} | ${r.tOpen.toFixed(0)} | ${r.tFirst.toFixed(0)} | ${r.cFirst.toFixed(0)} | ${(r.tFirst / base.tFirst).toFixed(2)}x | ` +
      `${(r.rssFirst / 1e6).toFixed(0)} | ${(r.tOverview / 1000).toFixed(1)} | ${(r.rssPeak / 1e6).toFixed(0)} | ${(r.rangeRate / 1e6).toFixed(1)} | ${(r.rangeCpuRate / 1e6).toFixed(1)} |`,
  );
console.log(
  `median of ${runs} runs, one process each; machine: ${os.cpus()[0]?.model}, ${os.cpus().length} cores, ` +
    `load ${load0.map((x) => x.toFixed(1)).join(' ')}, node ${process.version}`,
);
