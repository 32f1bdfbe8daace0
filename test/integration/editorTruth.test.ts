// The Wavebench editor on a long recording with its label track beside it, in a real VS Code: the
// page draws the ground-truth lane and colours the detections exactly as `wavebench evaluate`
// counts them at the page's threshold, warns about the label lines it cannot use, and
// `wavebench.openAt` centres it on a time; screenshots zoomed out and in.
import * as assert from 'node:assert';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import type { EvaluateReport } from '../../src/engine/evaluateJob';
import { api, cliJson, openPainted, removeTemps, shots, tempDir, until } from './suiteHelpers';

const FIXTURES = join(__dirname, '..', '..', '..', 'test', 'fixtures', 'streaming');
const COPIES = 6;

/**
 * `COPIES` times rec_a.wav (30 s, 16-bit mono, a 44-byte header) end to end, 3 minutes, and its
 * label track shifted by 30 s each copy, plus two lines the editor must warn about.
 */
function longRecording(dir: string): { wav: string; txt: string } {
  const src = readFileSync(join(FIXTURES, 'rec_a.wav'));
  const data = src.subarray(44);
  const header = Buffer.from(src.subarray(0, 44));
  header.writeUInt32LE(36 + data.length * COPIES, 4);
  header.writeUInt32LE(data.length * COPIES, 40);
  const wav = join(dir, 'long.wav');
  writeFileSync(wav, Buffer.concat([header, ...Array.from({ length: COPIES }, () => data)]));
  const lines = readFileSync(join(FIXTURES, 'rec_a.txt'), 'utf8')
    .split('\n')
    .filter((l) => /^\d/.test(l));
  const shifted = Array.from({ length: COPIES }, (_, k) =>
    lines.map((l) => {
      const [a, b, label] = l.split('\t');
      return `${(Number(a) + 30 * k).toFixed(3)}\t${(Number(b) + 30 * k).toFixed(3)}\t${label}`;
    }),
  ).flat();
  const txt = join(dir, 'long.txt');
  writeFileSync(txt, [...shifted, 'not a label line', '3.0\t3.5\thello'].join('\n') + '\n');
  return { wav, txt };
}

suite('Wavebench editor with a label track', function () {
  this.timeout(400_000);
  suiteTeardown(removeTemps);

  test('draws the truth lane, colours detections as evaluate counts them, and opens at a time', async () => {
    const a = await api();
    const { wav, txt } = longRecording(tempDir('wb-truth-'));
    const key = await openPainted(a, wav);
    const drawn = await until('the truth lane drawn', () =>
      a.recorder().find({ panel: 'editor', dir: 'in', uri: key, type: 'drawn', what: 'truth' }),
    );
    console.log(`[wavebench-tests] truth lane ${JSON.stringify(drawn.detail)}`);
    const d = drawn.detail!;
    // The same recording and label file through the CLI at the page's threshold.
    const ev = cliJson<EvaluateReport>('evaluate', wav, ['--thresholds', String(d.threshold)]);
    assert.strictEqual(ev.recordings.length, 1);
    const [point] = ev.points;
    const [events] = ev.events;
    assert.deepStrictEqual(d, {
      threshold: d.threshold,
      words: ev.words,
      hits: point.hits,
      misses: events.misses.length,
      falseAccepts: point.falseAccepts,
      repeats: point.repeats,
    });
    assert.strictEqual(d.words, 10 * COPIES);
    assert.ok(d.hits > 0 && d.misses > 0 && d.falseAccepts > 0, 'hits, misses and false accepts to colour');
    // One warning a bad line, each naming the file and line, as evaluate lists them.
    const problems = a.recorder().find({ panel: 'editor', dir: 'out', uri: key, type: 'truthProblems' });
    const n = 10 * COPIES;
    assert.deepStrictEqual(problems?.message?.split('\n'), [
      `long.txt: line ${n + 1}: expected start<TAB>end<TAB>label`,
      `long.txt: line ${n + 2}: label 'hello' is not one of the model's keywords (yes, no, up, down, left, right, on, off, stop, go): skipped`,
    ]);
    assert.deepStrictEqual(
      ev.truthProblems.map((p) => `line ${p.line}: ${p.reason}`),
      problems!.message!.split('\n').map((l) => l.slice('long.txt: '.length)),
    );
    await shots('editor-truth');

    // A false accept from evaluate's list, opened as the evaluation page opens it.
    const fa = events.falseAccepts[Math.floor(events.falseAccepts.length / 2)];
    await vscode.commands.executeCommand('wavebench.openAt', vscode.Uri.file(wav), fa.timeSec);
    const seek = await until('the seek shown', () =>
      a.recorder().find({ panel: 'editor', dir: 'in', uri: key, type: 'drawn', what: 'seek' }),
    );
    const s = seek.detail!;
    console.log(`[wavebench-tests] seek to ${fa.timeSec} s: ${JSON.stringify(s)}`);
    assert.strictEqual(s.cursorSec, fa.timeSec);
    assert.ok(Math.abs((s.startSec + s.endSec) / 2 - fa.timeSec) < 1e-6, 'centred');
    assert.ok(Math.abs(s.endSec - s.startSec - 10) < 1e-6, '10 s shown from the whole file');
    // Still one editor for the file: openAt reused it.
    const tabs = vscode.window.tabGroups.all
      .flatMap((g) => g.tabs)
      .filter((t) => t.input instanceof vscode.TabInputCustom && t.input.uri.toString() === key);
    assert.strictEqual(tabs.length, 1);
    await shots('editor-truth-zoomed');

    // The label file edited (only the first 30 s labelled): the editor reads it again by itself.
    const first = readFileSync(txt, 'utf8').split('\n').slice(0, 10);
    writeFileSync(txt, first.join('\n') + '\n');
    const again = await until('the edited label file drawn', () =>
      a
        .recorder()
        .messages()
        .find((m) => m.uri === key && m.type === 'drawn' && m.what === 'truth' && m.detail?.words === 10),
    );
    console.log(`[wavebench-tests] edited label file: ${JSON.stringify(again.detail)}`);
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');

    // Closed: openAt opens it, and the seek waits for the page to show the file.
    await vscode.commands.executeCommand('wavebench.openAt', vscode.Uri.file(wav), 20);
    const reopened = await until('the seek in a new editor', () =>
      a
        .recorder()
        .messages()
        .find((m) => m.uri === key && m.type === 'drawn' && m.what === 'seek' && m.detail?.cursorSec === 20),
    );
    assert.deepStrictEqual(reopened.detail, { cursorSec: 20, startSec: 15, endSec: 25 });
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
  });
});
