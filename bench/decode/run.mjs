// Decode benchmark: decoded samples per second (frames x channels) of FLAC, MP3, Ogg Vorbis and Opus
// through Wavebench's decoding layer (src/audio/audioDecode.ts, wasm-audio-decoders underneath, one
// core, main thread), side by side with the WAV reader on the same audio in the same run; plus the
// bytes the decoders add to a bundle (esbuild metafile of audioDecode.ts).
//
// Usage: node --import tsx bench/decode/run.mjs [--seconds 60] [--runs 3]
// Inputs are made once with ffmpeg/flac/lame/oggenc/opusenc into bench/results/decode/ (git-ignored):
// a stereo 44.1 kHz 16-bit signal (speech clips from samples/ looped over noise), encoded with each
// tool's defaults (FLAC -5, LAME 128 kbit/s CBR, oggenc -q 3, opusenc 96 kbit/s stereo).
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';
import { decodeAudio } from '../../src/audio/audioDecode.ts';
import { openFileSource } from '../../src/audio/byteSource.ts';
import { WavDocumentModel } from '../../src/audio/wavDocumentModel.ts';

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '..', '..');
const out = join(root, 'bench', 'results', 'decode');
const args = { seconds: 60, runs: 3 };
for (let i = 2; i < process.argv.length; i += 2) {
  const k = process.argv[i].replace(/^--/, '');
  if (!(k in args)) throw new Error(`unknown argument ${process.argv[i]}`);
  args[k] = Number(process.argv[i + 1]);
}

mkdirSync(out, { recursive: true });
const wav = join(out, `src${args.seconds}.wav`);
const run = (cmd, a) => execFileSync(cmd, a, { stdio: ['ignore', 'ignore', 'inherit'] });
if (!existsSync(wav)) {
  const speech = join(root, 'test', 'fixtures', 'compressed', 'speech.wav');
  run('ffmpeg', [
    '-v',
    'error',
    '-y',
    '-stream_loop',
    '-1',
    '-i',
    speech,
    '-f',
    'lavfi',
    '-i',
    `anoisesrc=d=${args.seconds}:r=44100:a=0.05:seed=1`,
    '-filter_complex',
    '[0]aresample=44100,pan=stereo|c0=c0|c1=0.5*c0[s];[s][1]amix=inputs=2:duration=shortest',
    '-t',
    String(args.seconds),
    '-c:a',
    'pcm_s16le',
    wav,
  ]);
}
const files = {
  wav,
  flac: join(out, `src${args.seconds}.flac`),
  mp3: join(out, `src${args.seconds}.mp3`),
  ogg: join(out, `src${args.seconds}.ogg`),
  opus: join(out, `src${args.seconds}.opus`),
};
if (!existsSync(files.flac)) run('flac', ['-s', '-f', '-5', wav, '-o', files.flac]);
if (!existsSync(files.mp3)) run('lame', ['--quiet', '-b', '128', wav, files.mp3]);
if (!existsSync(files.ogg)) run('oggenc', ['-Q', '-q', '3', wav, '-o', files.ogg]);
if (!existsSync(files.opus)) run('opusenc', ['--quiet', '--bitrate', '96', wav, files.opus]);

const rows = [];
for (const [name, path] of Object.entries(files)) {
  const bytes = readFileSync(path);
  let best = Infinity;
  let samples = 0;
  for (let r = 0; r < args.runs; r++) {
    const t = performance.now();
    const d = await decodeAudio(bytes);
    best = Math.min(best, (performance.now() - t) / 1000);
    samples = d.channels.length * d.channels[0].length;
  }
  rows.push({
    format: name,
    bytes: statSync(path).size,
    samples,
    seconds: best,
    samplesPerSec: samples / best,
  });
}
const base = rows[0].samplesPerSec;
console.log(
  `machine: ${os.cpus()[0].model}, ${os.cpus().length} cores, node ${process.version}; ${args.seconds} s stereo 44.1 kHz, best of ${args.runs}`,
);
console.log('format  file bytes   decoded samples/s   x real time   vs WAV');
for (const r of rows) {
  const rt = r.samplesPerSec / (2 * 44100);
  r.realTime = rt;
  r.vsWav = r.samplesPerSec / base;
  console.log(
    `${r.format.padEnd(6)}  ${String(r.bytes).padStart(10)}   ${(r.samplesPerSec / 1e6).toFixed(1).padStart(10)} M/s   ${rt.toFixed(0).padStart(10)}x   ${r.vsWav.toFixed(3)}`,
  );
}

// The editor's first view, as the host computes it (WavDocumentModel.open, then the whole-file
// waveform at 1,600 columns and the spectrogram, as WavEditorSession.initMessage asks): compressed
// files are decoded whole on open, so this is the decode plus the views.
console.log('editor model: open + first view (waveform + spectrogram of the whole file), best of runs');
for (const [name, path] of Object.entries(files)) {
  let best = Infinity;
  for (let r = 0; r < args.runs; r++) {
    const t = performance.now();
    const m = await WavDocumentModel.open(await openFileSource(path));
    await m.waveform(0, m.facts.durationSec, 1600);
    await m.spectrogram(0, m.facts.durationSec, 1600);
    best = Math.min(best, performance.now() - t);
    m.dispose();
  }
  rows.find((r) => r.format === name).firstViewMs = best;
  console.log(`${name.padEnd(6)}  ${best.toFixed(0).padStart(6)} ms`);
}

// Bundle bytes of the decoders: every input of an esbuild bundle of audioDecode.ts under their packages.
const meta = (
  await esbuild.build({
    entryPoints: [join(root, 'src', 'audio', 'audioDecode.ts')],
    bundle: true,
    platform: 'node',
    format: 'cjs',
    write: false,
    metafile: true,
    logLevel: 'silent',
    external: ['@wasm-audio-decoders/opus-ml'], // as esbuild.mjs
  })
).metafile;
const pkgs =
  /node_modules\/(@wasm-audio-decoders\/[^/]+|mpg123-decoder|ogg-opus-decoder|opus-decoder|codec-parser)\//;
const byPkg = {};
for (const [p, o] of Object.entries(Object.values(meta.outputs)[0].inputs)) {
  const m = p.match(pkgs);
  if (m) byPkg[m[1]] = (byPkg[m[1]] ?? 0) + o.bytesInOutput;
}
const total = Object.values(byPkg).reduce((a, b) => a + b, 0);
console.log(`bundle bytes added by the decoders: ${(total / 1024).toFixed(0)} KB`, byPkg);
writeFileSync(
  join(root, 'bench', 'results', 'decode.json'),
  JSON.stringify({ args, rows, bundle: byPkg }, null, 1),
);
