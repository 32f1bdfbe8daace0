// `wavebench evaluate`'s rules against test/fixtures/streaming/make_reference.py, an independent
// Python implementation of issue 24's rules (brute force over every threshold), on synthetic
// tracks and on recordings built from the sample clips (make_recordings.py) and scored by the model.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { test } from 'node:test';
import { decodeToRate } from '../../../src/audio/load';
import { runEvaluateJob } from '../../../src/engine/evaluateJob';
import { loadMetadata } from '../../../src/model/metadata';
import { ModelInput } from '../../../src/model/modelInput';
import { evaluate, eventsAtThreshold, type ScoredRecording } from '../../../src/model/streaming/evaluation';
import { Smoother, type StreamRules } from '../../../src/model/streaming/rules';
import { runCli } from '../runCli';
import { tempDir } from '../tempDir';

// The reference's window probabilities (dump_probabilities.ts) are TF.js WASM's, compared here at
// 1e-9: these tests check the rules, so the pool's workers run the model on that backend (the native
// backend agrees with it within 1e-5: lowered.test.ts). Each test file runs in its own process.
process.env.WAVEBENCH_BACKEND = 'wasm';

const DIR = 'test/fixtures/streaming';
const ref = JSON.parse(readFileSync(join(DIR, 'reference.json'), 'utf8'));
const syn = JSON.parse(readFileSync(join(DIR, 'synthetic.json'), 'utf8'));

/** Deep comparison: numbers within `tol` (relative), file paths by their base name. */
function close(actual: unknown, expected: unknown, at = '', tol = 1e-9): void {
  if (typeof expected === 'number') {
    assert.equal(typeof actual, 'number', `${at}: ${String(actual)} is not a number`);
    const a = actual as number;
    assert.ok(Math.abs(a - expected) <= tol * Math.max(1, Math.abs(expected)), `${at}: ${a} != ${expected}`);
  } else if (Array.isArray(expected)) {
    assert.ok(Array.isArray(actual), `${at}: not an array`);
    assert.equal((actual as unknown[]).length, expected.length, `${at}: length`);
    expected.forEach((e, i) => close((actual as unknown[])[i], e, `${at}[${i}]`, tol));
  } else if (expected && typeof expected === 'object') {
    for (const [k, v] of Object.entries(expected)) {
      const a = (actual as Record<string, unknown>)[k];
      close(k === 'file' ? basename(a as string) : a, v, `${at}.${k}`, tol);
    }
  } else assert.equal(actual, expected, at);
}

test('synthetic tracks: smoothing, the whole curve, operating points and events equal the Python reference', () => {
  const labels: string[] = syn.labels;
  for (const c of syn.cases) {
    const rules: StreamRules = c.rules;
    const recs: ScoredRecording[] = syn.recordings.map(
      (r: { name: string; durationSec: number; probs: number[][]; words: ScoredRecording['words'] }) => {
        const s = new Smoother(labels, rules.averageMs);
        const n = r.probs.length;
        const track = { endMs: new Float64Array(n), label: new Uint16Array(n), score: new Float64Array(n) };
        r.probs.forEach((p, i) => {
          track.endMs[i] = i * 100 + 1000;
          const b = s.push(track.endMs[i], Float32Array.from(p));
          track.label[i] = b.label;
          track.score[i] = b.score;
        });
        return { path: r.name, durationSec: r.durationSec, track, words: r.words, truthPath: 'x' };
      },
    );
    const curve = evaluate(recs, labels, rules);
    assert.ok(curve.points.length > 50, `a curve worth testing (${curve.points.length} points)`);
    close(curve, c.evaluation, 'curve');
    close(evaluate(recs, labels, rules, [0, 0.35, 0.5, 0.8, 1]), c.atThresholds, 'atThresholds');
    // The evaluation page's lists at any threshold: the reference's events, threshold by threshold.
    for (const [i, e] of c.atThresholds.events.entries())
      close(eventsAtThreshold(recs, labels, rules, e.threshold), e, `eventsAtThreshold[${i}]`);
  }
});

test('evaluate CLI on recordings with label files beside them equals the reference; too short is listed', async () => {
  const out = join(tempDir('wavebench-evaluate-'), 'ev.json');
  const files = ['rec_a.wav', 'rec_c.wav', 'short.wav'].map((f) => join(DIR, f));
  const r = await runCli(['evaluate', ...files, '--workers', '2', '--json', out]);
  assert.equal(r.code, 0, r.err);
  const j = JSON.parse(readFileSync(out, 'utf8'));
  close(j, ref.beside);
  assert.deepEqual(
    j.skipped.map((s: { path: string; reason: string }) => [basename(s.path), s.reason]),
    [['short.wav', 'shorter than one window (1.000 s): not scored']],
  );
  assert.deepEqual(j.truthProblems, []);
  assert.match(r.out, /FRR at a false-accept rate/);
  assert.match(r.out, /short\.wav: shorter than one window/);
});

test('evaluate with --truth CSV on a stereo 11025-Hz recording (mixed, resampled) equals the reference', async () => {
  const r = await runCli([
    'evaluate',
    join(DIR, 'rec_b.wav'),
    '--truth',
    join(DIR, 'truth.csv'),
    '--json',
    '-',
  ]);
  assert.equal(r.code, 0, r.err);
  close(JSON.parse(r.out), ref.csv);
});

test('evaluate --thresholds, and other rules: counts equal the reference', async () => {
  const files = ['rec_a.wav', 'rec_c.wav'].map((f) => join(DIR, f));
  const t = await runCli(['evaluate', ...files, '--thresholds', '0.3,0.55,0.8', '--json', '-']);
  assert.equal(t.code, 0, t.err);
  const j = JSON.parse(t.out);
  close(j, ref.thresholds);
  assert.equal(j.operatingPoints, undefined);
  const o = ref.rules.rules;
  const args = [
    '--average-ms',
    o.averageMs,
    '--suppression-ms',
    o.suppressionMs,
    '--tolerance-ms',
    o.toleranceMs,
  ];
  const r = await runCli(['evaluate', ...files, ...args.map(String), '--json', '-']);
  assert.equal(r.code, 0, r.err);
  close(JSON.parse(r.out), ref.rules.evaluation);
});

test('a recording cut into many segments over two workers scores exactly as one pass', async () => {
  const report = await runEvaluateJob(
    ['rec_a.wav', 'rec_c.wav'].map((f) => join(DIR, f)),
    { modelDir: 'models/speech-commands', workers: 2, segmentWindows: 37 },
  );
  close(report, ref.beside);
});

test('evaluate --csv writes the curve points', async () => {
  const out = join(tempDir('wavebench-evaluate-'), 'ev.csv');
  const r = await runCli([
    'evaluate',
    join(DIR, 'rec_b.wav'),
    '--truth',
    join(DIR, 'truth.csv'),
    '--csv',
    out,
  ]);
  assert.equal(r.code, 0, r.err);
  const lines = readFileSync(out, 'utf8').trim().split('\n');
  assert.equal(lines[0], 'scope,threshold,hits,falseAccepts,repeats,frr,faPerHour');
  const overall = lines.filter((l) => l.startsWith('overall,'));
  assert.equal(overall.length, ref.csv.points.length);
  const p = ref.csv.points[0];
  assert.equal(
    overall[0],
    ['overall', p.threshold, p.hits, p.falseAccepts, p.repeats, p.frr, p.faPerHour].join(','),
  );
});

test('windows sharing the frames of their span get exactly the inputs computed window by window', async () => {
  const md = await loadMetadata('models/speech-commands');
  const input = await ModelInput.create(md);
  const audio = decodeToRate('rec_b', readFileSync(join(DIR, 'rec_b.wav')), md.sampleRate);
  for (const starts of [
    [0, 1600, 3200, 4800],
    [160, 1760, 17760, 40000],
  ]) {
    const shared = new Float32Array(starts.length * input.size);
    assert.ok(input.writeShared(audio.samples, starts, shared));
    const one = new Float32Array(starts.length * input.size);
    starts.forEach((s, j) => input.write(audio.samples, s, one, j * input.size));
    assert.deepEqual(shared, one);
  }
  // Not a whole number of hops apart, past the end, or farther apart than a window (the span would
  // cost more than the windows): not shared (the caller computes window by window).
  assert.equal(input.writeShared(audio.samples, [0, 100], new Float32Array(2 * input.size)), false);
  assert.equal(input.writeShared(audio.samples, [0, 160_000], new Float32Array(2 * input.size)), false);
  assert.equal(
    input.writeShared(audio.samples, [audio.samples.length - 100], new Float32Array(input.size)),
    false,
  );
  input.dispose();
});

test('a FLAC recording scores exactly as its WAV, cut into segments read from any frame; MP3, Ogg Vorbis and Opus as one pass', async () => {
  const run = (files: string[], segmentWindows?: number) =>
    runEvaluateJob(
      files.map((f) => join(DIR, f)),
      { modelDir: 'models/speech-commands', workers: 2, segmentWindows },
    );
  const wav = await run(['rec_c.wav'], 37);
  const flac = await run(['rec_c.flac'], 37);
  // The same samples (FLAC is lossless), so the same scores, curve and operating points.
  const strip = (r: typeof wav) =>
    JSON.parse(JSON.stringify({ ...r, timeSec: 0 }).replace(/[^"]*rec_c\.(wav|flac|mp3|ogg|opus)/g, 'rec_c'));
  assert.deepEqual(strip(flac), strip(wav));
  // Lossy: segments decoded from the nearest frame (MP3) or page (Ogg) give what one pass gives (the
  // samples within 1e-4 of the whole decode for MP3, within 1e-6 for Ogg, compressedRanges.test.ts;
  // scores within 1e-5), and each is scored with rec_c.txt's words.
  for (const f of ['rec_c.mp3', 'rec_c.ogg', 'rec_c.opus']) {
    const [one, cut] = [await run([f]), await run([f], 37)];
    assert.equal(one.recordings.length, 1, f);
    assert.deepEqual(one.skipped, [], f);
    assert.equal(one.recordings[0].words, wav.recordings[0].words, f);
    close(strip(cut), strip(one), f, 1e-5);
  }
});
