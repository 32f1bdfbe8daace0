// Wavebench in a real VS Code: the editor, Classify Folder, Evaluate Recordings, Inspect Dataset, screenshots of each.
import * as assert from 'node:assert';
import { copyFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import type { ClassifyReport } from '../../src/model/report';
import type { EvaluateReport } from '../../src/engine/evaluateJob';
import type { DatasetView } from '../../src/dataset/datasetView';
import { api, cliJson, openPainted, removeTemps, shots, tempDir, until } from './suiteHelpers';

function workspaceRoot(): string {
  const f = vscode.workspace.workspaceFolders?.[0];
  assert.ok(f, 'no workspace folder');
  return f.uri.fsPath;
}

/** A labelled sample dataset inside the workspace (samples/digits by default). */
function digitsFolder(name = 'digits'): string {
  const root = workspaceRoot();
  const d = join(root, name);
  return statSync(d, { throwIfNoEntry: false })?.isDirectory() ? d : root;
}

function wavsUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? wavsUnder(join(dir, e.name)) : /\.wav$/i.test(e.name) ? [join(dir, e.name)] : [],
  );
}

/** A copy of the dataset's clips under new names in a temp folder (not cached yet): 4 per file. */
function tmpCopy(folder: string): string {
  const dir = tempDir('wb-cancel-');
  for (const [i, f] of wavsUnder(folder).entries()) {
    for (let k = 0; k < 4; k++) copyFileSync(f, join(dir, `c${i}_${k}.wav`));
  }
  return dir;
}

suite('Wavebench', function () {
  this.timeout(180_000);
  suiteTeardown(removeTemps);

  test('opening a WAV shows the Wavebench editor, painted with predictions', async () => {
    const clip = wavsUnder(digitsFolder()).find((p) => /three/.test(p)) ?? wavsUnder(digitsFolder())[0];
    await openPainted(await api(), clip);
    await shots('editor');
  });

  for (const clip of ['speech.mp3', 'speech.flac']) {
    test(`opening ${clip} shows the Wavebench editor, painted with predictions`, async () => {
      // The compressed fixtures (test/fixtures/compressed), copied outside the workspace.
      const src = join(__dirname, '..', '..', '..', 'test', 'fixtures', 'compressed', clip);
      const path = join(tempDir('wb-compressed-'), clip);
      copyFileSync(src, path);
      await openPainted(await api(), path);
      await shots(`editor-${clip.replace('.', '-')}`);
      await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
    });
  }

  test('an undecodable file shows the decoder message, not a blank page', async () => {
    const a = await api();
    const dir = tempDir('wb-bad-');
    const bad = join(dir, 'broken.wav');
    writeFileSync(bad, Buffer.from('RIFF\x24\x00\x00\x00WAVEjunk'));
    const uri = vscode.Uri.file(bad);
    await vscode.commands.executeCommand('vscode.openWith', uri, 'wavebench.wav');
    const sent = await until('decodeError sent', () =>
      a.recorder().find({ panel: 'editor', dir: 'out', uri: uri.toString(), type: 'decodeError' }),
    );
    // The decoder's own reason for these 16 bytes (no chunk fits after the RIFF header), word for word.
    assert.strictEqual(sent.message, 'no fmt chunk and no data chunk');
    await until('error page painted', () =>
      a.recorder().find({ panel: 'editor', dir: 'in', uri: uri.toString(), type: 'painted' }),
    );
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
  });

  test('Classify Folder gives a report with the right counts and opens it', async () => {
    const a = await api();
    // the default model's own samples (samples/speech-commands: every folder one of its labels)
    const folder = digitsFolder('speech-commands');
    const expected = wavsUnder(folder).length;
    const report = (await vscode.commands.executeCommand(
      'wavebench.classifyFolder',
      vscode.Uri.file(folder),
    )) as ClassifyReport;
    assert.ok(report, 'no report');
    assert.strictEqual(report.rows.length, expected);
    assert.strictEqual(report.cancelled, false);
    assert.strictEqual(report.counts.errors, 0, JSON.stringify(report.rows.filter((r) => r.error)));
    // Every sample folder is one of the model's labels: every clip is scored.
    assert.strictEqual(report.counts.scored, expected);
    // The same folder through the CLI (dist/cli.js, the same engine and bundled model, its own
    // process): the same prediction and probability for every clip, the same accuracy.
    const cliReport = cliJson<ClassifyReport>('classify', folder);
    const byCli = new Map(cliReport.rows.map((r) => [r.path, r]));
    assert.strictEqual(byCli.size, expected);
    for (const r of report.rows) {
      const c = byCli.get(r.path);
      assert.ok(c, `${r.path} not classified by the CLI`);
      assert.strictEqual(r.predicted, c.predicted, r.path);
      assert.ok(
        Math.abs(r.probability! - c.probability!) <= 1e-6,
        `${r.path}: ${r.probability} vs ${c.probability}`,
      );
    }
    assert.strictEqual(report.metrics.accuracy, cliReport.metrics.accuracy);
    await until('report painted', () => a.recorder().find({ panel: 'report', type: 'painted' }));
    await shots('report');
    // A second run only classifies new files: everything comes from the cache.
    const again = (await vscode.commands.executeCommand(
      'wavebench.classifyFolder',
      vscode.Uri.file(folder),
    )) as ClassifyReport;
    assert.deepStrictEqual(
      again.rows.map((r) => [r.path, r.predicted]),
      report.rows.map((r) => [r.path, r.predicted]),
    );
    const third = await a.classify([folder], new vscode.CancellationTokenSource().token);
    assert.strictEqual(third.cached, expected, 'every clip answered by the content-hash cache');
  });

  test('cancelling a classification stops it promptly with the partial results', async () => {
    const a = await api();
    const folder = digitsFolder();
    const total = wavsUnder(folder).length;
    // New copies (4 per clip): not in the result cache, so they must really be classified.
    const copies = tmpCopy(folder);
    const source = new vscode.CancellationTokenSource();
    let progressed = 0;
    const started = Date.now();
    const run = await a.classify([copies], source.token, () => {
      if (++progressed === 1) source.cancel();
    });
    const after = Date.now() - started;
    assert.strictEqual(run.report.cancelled, true);
    assert.ok(run.report.rows.length < 4 * total, `rows ${run.report.rows.length} of ${4 * total}`);
    console.log(`[wavebench-tests] cancelled run: ${run.report.rows.length} rows in ${after} ms`);
  });

  test('Evaluate Recordings scores test/fixtures/streaming as the CLI does and paints its page', async () => {
    const a = await api();
    // The streaming fixtures (recordings with their label files), copied outside the workspace.
    const src = join(__dirname, '..', '..', '..', 'test', 'fixtures', 'streaming');
    const dir = tempDir('wb-eval-');
    for (const f of readdirSync(src)) if (/\.(wav|txt)$/.test(f)) copyFileSync(join(src, f), join(dir, f));
    const report = (await vscode.commands.executeCommand(
      'wavebench.evaluateRecordings',
      vscode.Uri.file(dir),
    )) as EvaluateReport;
    assert.ok(report, 'no evaluation');
    assert.strictEqual(report.cancelled, false);
    // rec_a and rec_c have label files; rec_b's truth is only in truth.csv, short.wav is under one window.
    assert.deepStrictEqual(report.recordings.map((r) => r.path.slice(dir.length + 1)).sort(), [
      'rec_a.wav',
      'rec_c.wav',
    ]);
    assert.deepStrictEqual(report.skipped.map((s) => s.path.slice(dir.length + 1)).sort(), [
      'rec_b.wav',
      'short.wav',
    ]);
    // The same folder through the CLI (its own process, the bundled model): the same curve.
    const byCli = cliJson<EvaluateReport>('evaluate', dir);
    assert.strictEqual(report.words, byCli.words);
    assert.deepStrictEqual(report.points, byCli.points);
    assert.deepStrictEqual(report.operatingPoints, byCli.operatingPoints);
    await until('evaluation page painted', () => a.recorder().find({ panel: 'evaluation', type: 'painted' }));
    // Under 12 minutes of audio no operating point has a threshold: the page asks the host for the
    // events at its default threshold (the point nearest 1 FA/h) and the host answers from the kept scores.
    await until('events at the default threshold', () =>
      a.recorder().find({ panel: 'evaluation', dir: 'out', type: 'events' }),
    );
    assert.ok(a.recorder().find({ panel: 'evaluation', dir: 'in', type: 'eventsAt' }));
    await shots('evaluation');
  });

  test('Inspect Dataset lists the labels in the view and the report', async () => {
    const a = await api();
    const folder = digitsFolder();
    const view = (await vscode.commands.executeCommand(
      'wavebench.inspectDataset',
      vscode.Uri.file(folder),
    )) as DatasetView;
    assert.ok(view, 'no dataset view');
    const labels = readdirSync(folder, { withFileTypes: true })
      .filter((e) => e.isDirectory() && !e.name.startsWith('.'))
      .map((e) => e.name)
      .sort();
    assert.deepStrictEqual(view.labels.map((l) => l.label).sort(), labels);
    assert.strictEqual(view.totals.files, wavsUnder(folder).length);
    assert.strictEqual(a.dataset.view, view);
    await until('dataset report painted', () => a.recorder().find({ panel: 'dataset', type: 'painted' }));
    await vscode.commands.executeCommand('wavebench.datasetView.focus');
    await shots('dataset');
  });
});
