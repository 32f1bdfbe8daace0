// Review Labels in a real VS Code: the review service (cached results), the queue page, a relabel
// confirmed and undone with `undo`. Works on a copy of samples/digits in a temp folder (never the samples).
import * as assert from 'node:assert';
import { cpSync, existsSync, readdirSync, readFileSync, renameSync, statSync } from 'node:fs';
import { basename, dirname, join, relative, sep } from 'node:path';
import * as vscode from 'vscode';
import type { ReviewReport } from '../../src/engine/reviewJob';
import { sleep } from './screenshot';
import { api, removeTemps, shots, tempDir, until } from './suiteHelpers';

const labelOf = (p: string) => basename(dirname(p));

/** Every file under `dir` with its size and mtime. */
function listing(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .sort()
    .map((f) => {
      const st = statSync(join(dir, f));
      return `${f} ${st.size} ${st.mtimeMs}`;
    });
}

/** A copy of samples/digits (the workspace's digits folder) in a new temp folder. */
function digitsCopy(): string {
  const ws = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
  assert.ok(ws, 'no workspace folder');
  const dir = tempDir('wb-review-');
  cpSync(join(ws, 'digits'), join(dir, 'digits'), { recursive: true });
  return join(dir, 'digits');
}

suite('Review', function () {
  this.timeout(240_000);
  // The digits model (trained on FSDD, as samples/digits): the planted mislabel is found with it.
  suiteSetup(async () => {
    const a = await api();
    a.models.useModel(a.models.bundled.find((m) => m.name === 'digits')?.dir);
  });
  suiteTeardown(async () => {
    (await api()).models.useModel(undefined);
    removeTemps();
  });

  test('wavebench.reviewResults reviews a folder once, then answers from the cache', async () => {
    const a = await api();
    const folder = digitsCopy();
    const uri = vscode.Uri.file(folder);
    const first = await vscode.commands.executeCommand<ReviewReport>('wavebench.reviewResults', uri);
    assert.ok(first && !first.cancelled, 'no review');
    assert.strictEqual(first.folder, folder);
    assert.ok(first.clips >= 100, `${first.clips} clips`);
    const second = await vscode.commands.executeCommand<ReviewReport>('wavebench.reviewResults', uri);
    assert.strictEqual(second, first, 'the second call reviewed again');
    assert.strictEqual(a.reviews.latest(folder), first);
  });

  test('Review Labels shows the queue; a confirmed relabel moves the clip, Undo moves it back', async () => {
    const a = await api();
    const rec = a.recorder();
    const folder = digitsCopy();
    // One clip of 'one' filed under 'two': the review must doubt it.
    const planted = join(folder, 'two', '1_george_11.wav');
    renameSync(join(folder, 'one', '1_george_11.wav'), planted);
    const uri = vscode.Uri.file(folder);
    const report = await vscode.commands.executeCommand<ReviewReport>('wavebench.reviewLabels', uri);
    assert.ok(report, 'no review');
    assert.ok(
      report.suspects.some((s) => s.path === planted && s.suggested === 'one'),
      `the planted clip is not a suspect: ${JSON.stringify(report.suspects.slice(0, 5))}`,
    );
    const panel = a.reviewPanels.of(folder);
    assert.ok(panel, 'no review page');
    await until('the queue painted', () => rec.find({ panel: 'review', dir: 'in', type: 'painted' }));
    await until('the first clip sent', () => rec.find({ panel: 'review', dir: 'out', type: 'clip' }));
    await sleep(500);
    await shots('review-queue');

    const first = report.suspects[0];
    const target = join(folder, first.suggested, basename(first.path));
    const asked: string[] = [];
    a.relabeller.confirm = async (message) => {
      asked.push(message);
      return 'move';
    };
    panel.pressKey('a');
    await until('the page told of the move', () =>
      rec.find({ panel: 'review', dir: 'out', type: 'relabelled' }),
    );
    assert.ok(existsSync(target) && !existsSync(first.path), `${first.path} was not moved to ${target}`);
    const rel = (p: string) => relative(folder, p).split(sep).join('/');
    assert.deepStrictEqual(asked, [`Move ${rel(first.path)} to ${first.suggested}/?`]);
    const logged = () => readFileSync(join(folder, 'relabel.csv'), 'utf8').trim().split('\n');
    assert.strictEqual(logged()[0], 'path,from,to,score,time');
    assert.match(logged()[1], new RegExp(`^${rel(first.path)},${labelOf(first.path)},${first.suggested},`));

    // VS Code's Undo, in the moved clip's editor, moves it back.
    await vscode.commands.executeCommand('vscode.openWith', vscode.Uri.file(target), 'wavebench.wav');
    await vscode.commands.executeCommand('undo');
    await until('the clip back', () => existsSync(first.path) && !existsSync(target));
    await until('the page told of the undo', () =>
      rec.find({ panel: 'review', dir: 'out', type: 'relabelUndone' }),
    );
    assert.match(logged()[2], new RegExp(`^${rel(target)},${first.suggested},${labelOf(first.path)},`));

    // Export: a keep and the CSV, with no file moved.
    const before = listing(folder);
    const out = join(tempDir('wb-export-'), 'decisions.csv');
    a.saveTarget = async () => vscode.Uri.file(out);
    panel.pressKey('k');
    panel.pressKey('e');
    await until('the decisions written', () => existsSync(out));
    const lines = readFileSync(out, 'utf8').trim().split('\n');
    assert.strictEqual(lines.length, 2, lines.join('\n'));
    assert.match(lines[1], /^[^,]+,(\w+),\1,/, 'a keep: from = to');
    assert.deepStrictEqual(listing(folder), before, 'the export moved or changed a clip');

    // U in the queue undoes the shown clip's move the same way (VS Code's undo stack).
    const moves = () => rec.messages().filter((m) => m.panel === 'review' && m.type === 'relabelled').length;
    panel.pressKey('a');
    await until('the second move', () => moves() === 2);
    assert.ok(existsSync(target) && !existsSync(first.path));
    panel.pressKey('u');
    await until('the clip back after U', () => existsSync(first.path) && !existsSync(target));
    assert.strictEqual(asked.length, 2, 'each move was confirmed');
  });

  test('wavebench.reviewClips opens a queue of just the given clips, in that order', async () => {
    const a = await api();
    const folder = digitsCopy();
    const paths = [join(folder, 'two', '2_george_21.wav'), join(folder, 'one', '1_george_16.wav')];
    const r = await vscode.commands.executeCommand<ReviewReport>(
      'wavebench.reviewClips',
      vscode.Uri.file(folder),
      paths,
    );
    assert.ok(r && !r.cancelled);
    assert.deepStrictEqual(a.reviewPanels.of(folder)?.selected, paths);
    await until('the selection page painted', () =>
      a
        .recorder()
        .messages()
        .filter((m) => m.panel === 'review' && m.type === 'painted').length >= 2
        ? true
        : undefined,
    );
    await sleep(500);
    await shots('review-selection');
  });
});
