// What the editor colours against a label file equals `wavebench evaluate`'s own output: the
// editor's clip job (the shared pool, the recording as bytes, windows at evaluate's stride), the
// host's truth view (src/vscode/truthView.ts) and the page's outcomes (webview/editor/lanes.ts)
// give, at each threshold, the false accepts, repeats and misses evaluate lists and its hit counts,
// for WAVs with an Audacity or TensorFlow label file beside them and for a stereo 11,025-Hz one
// (mixed and resampled) with its rows of a CSV.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { WorkerPool } from '../../../src/engine/pool';
import { WavFile } from '../../../src/audio/wavFile';
import { parseTruth } from '../../../src/model/streaming/truth';
import { DEFAULT_STREAM_RULES } from '../../../src/model/streaming/rules';
import { truthView } from '../../../src/vscode/truthView';
import { truthOutcomes } from '../../../webview/editor/lanes';
import { evaluationModel, type EvaluateReport } from '../../../src/engine/evaluateJob';
import { runCli } from '../runCli';

const DIR = 'test/fixtures/streaming';
const MODEL = { dir: resolve('models/speech-commands') };
/** 0.015 is below the curve's first point (a repeat there), 0.3 and 0.55 as in reference.json. */
const THRESHOLDS = [0.015, 0.1, 0.3, 0.55];

function facts(path: string) {
  const f = WavFile.openSync(path);
  try {
    return f.readHeader().facts;
  } finally {
    f.close();
  }
}

/** The CLI's JSON for `evaluate ARGS --thresholds ... --json -`. */
async function evaluateCli(args: string[]): Promise<EvaluateReport> {
  const r = await runCli(['evaluate', ...args, '--thresholds', THRESHOLDS.join(','), '--json', '-']);
  assert.equal(r.code, 0, r.err);
  return JSON.parse(r.out) as EvaluateReport;
}

test("the editor's detections, hits, repeats and misses at a threshold are evaluate's", async () => {
  const pool = new WorkerPool({ size: 1 });
  try {
    const info = await pool.model(MODEL);
    const cases = [
      // [recording, its label file's text, the words of that recording (CSV rows), evaluate's args]
      { wav: 'rec_a.wav', truth: 'rec_a.txt', args: [join(DIR, 'rec_a.wav'), join(DIR, 'rec_c.wav')] },
      { wav: 'rec_c.wav', truth: 'rec_c.txt', args: [join(DIR, 'rec_a.wav'), join(DIR, 'rec_c.wav')] },
      {
        wav: 'rec_b.wav',
        truth: 'truth.csv',
        args: [join(DIR, 'rec_b.wav'), '--truth', join(DIR, 'truth.csv')],
      },
    ];
    const cli = new Map<string, EvaluateReport>();
    let hitsChecked = 0;
    for (const c of cases) {
      const key = c.args.join(' ');
      if (!cli.has(key)) cli.set(key, await evaluateCli(c.args));
      const report = cli.get(key)!;
      const path = join(DIR, c.wav);
      const bytes = new Uint8Array(readFileSync(path));
      const { row } = await pool.run(
        'clip',
        { bytes, name: c.wav, topK: 3, windowStrideMs: DEFAULT_STREAM_RULES.windowStrideMs },
        { model: evaluationModel(MODEL), priority: 'interactive', transfer: [bytes.buffer as ArrayBuffer] },
      );
      assert.equal(row.error, undefined);
      const parsed = parseTruth(c.truth, readFileSync(join(DIR, c.truth), 'utf8'));
      const words = parsed.words.filter((w) => !w.file || w.file === c.wav);
      const { view, problems } = truthView(
        { path: join(DIR, c.truth), words, problems: parsed.problems },
        row,
        info,
        facts(path),
      );
      assert.deepEqual(problems, [], `${c.wav}: no label problems`);
      assert.ok(view, `${c.wav}: a truth view`);
      assert.equal(
        new Float64Array(view.endMs).length,
        report.recordings.find((r) => basename(r.path) === c.wav)!.windows,
      );
      for (const t of THRESHOLDS) {
        const out = truthOutcomes(view, info.labels, t);
        const ev = report.events.find((e) => e.threshold === t)!;
        const mine = <T extends { file: string }>(list: T[]) =>
          list.filter((e) => basename(e.file) === c.wav).map(({ file: _f, ...rest }) => rest);
        const det = (o: string) =>
          out.detections
            .filter((d) => d.outcome === o)
            .map((d) => ({ label: d.label, timeSec: d.timeMs / 1000, score: d.score }));
        assert.deepEqual(det('falseAccept'), mine(ev.falseAccepts), `${c.wav} at ${t}: false accepts`);
        assert.deepEqual(det('repeat'), mine(ev.repeats), `${c.wav} at ${t}: repeats`);
        const missed = out.words
          .filter((w) => !w.hit)
          .map((w) => ({ label: w.label, startSec: w.startMs / 1000, endSec: w.endMs / 1000, line: w.line }));
        assert.deepEqual(missed, mine(ev.misses), `${c.wav} at ${t}: misses`);
        assert.equal(out.counts.misses + out.counts.hits, out.counts.words);
        hitsChecked += out.counts.hits;
      }
    }
    // Hits: evaluate gives them summed over its recordings; the editor's per recording add up to them.
    const sum = (r: EvaluateReport) => r.points.reduce((s, p) => s + p.hits, 0);
    assert.equal(
      hitsChecked,
      [...cli.values()].reduce((s, r) => s + sum(r), 0),
    );
    const all = [...cli.values()].flatMap((r) => r.events);
    assert.ok(
      all.some((e) => e.repeats.length),
      'a threshold with a repeat is among those checked',
    );
    assert.ok(
      all.some((e) => e.falseAccepts.length && e.misses.length),
      'and ones with false accepts and misses',
    );
  } finally {
    await pool.dispose();
  }
});
