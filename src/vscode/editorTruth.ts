import { basename, extname } from 'node:path';
import * as vscode from 'vscode';
import type { PoolModelInfo } from '../engine/jobs';
import type { FileClassification } from '../model/classifier';
import { keywordsOf, problemLine } from '../model/streaming/evaluation';
import { DEFAULT_STREAM_RULES } from '../model/streaming/rules';
import { recordingGrid } from '../model/streaming/scoreSegment';
import { trackOfWindows } from '../model/streaming/track';
import { checkWords, parseTruth, type TruthProblem, type TruthWord } from '../model/streaming/truth';
import type { TruthView } from '../protocol/editor';

/** Label files larger than this are not read (a label track of a day of speech is about 100 KB). */
export const TRUTH_BYTES_LIMIT = 1024 * 1024;

/** A label file found beside a recording: its words for this recording and the lines not used. */
export interface BesideTruth {
  uri: vscode.Uri;
  words: TruthWord[];
  problems: TruthProblem[];
}

/**
 * `NAME.txt` beside `NAME.wav` (an Audacity label track, or TensorFlow's `label,onset_ms`), else
 * `NAME.csv` (`file,start,end,label`: the rows naming this recording), as `wavebench evaluate` reads
 * ground truth; undefined when there is none. Problems name the file by its base name (it sits
 * beside the recording).
 */
export async function readTruthBeside(recording: vscode.Uri): Promise<BesideTruth | undefined> {
  const name = basename(recording.path);
  const stem = name.slice(0, name.length - extname(name).length);
  const dir = vscode.Uri.joinPath(recording, '..');
  for (const ext of ['.txt', '.csv']) {
    const uri = vscode.Uri.joinPath(dir, stem + ext);
    const shown = stem + ext;
    let size: number;
    try {
      const st = await vscode.workspace.fs.stat(uri);
      if (st.type & vscode.FileType.Directory) continue;
      size = st.size;
    } catch {
      continue;
    }
    const refuse = (reason: string): BesideTruth => ({
      uri,
      words: [],
      problems: [{ path: shown, line: 0, reason }],
    });
    if (size > TRUTH_BYTES_LIMIT)
      return refuse(`${(size / 1048576).toFixed(1)} MB: a label file over 1 MB is not read`);
    let text: string;
    try {
      text = new TextDecoder('utf-8', { fatal: true }).decode(await vscode.workspace.fs.readFile(uri));
    } catch (e) {
      return refuse(
        e instanceof TypeError ? 'not UTF-8 text: not read' : `cannot read (${(e as Error).message})`,
      );
    }
    const parsed = parseTruth(shown, text);
    if (parsed.format !== 'csv') return { uri, words: parsed.words, problems: parsed.problems };
    // A CSV may list several recordings: the rows of this one (its `file` relative to the CSV's folder).
    const mine = parsed.words.filter(
      (w) => vscode.Uri.joinPath(dir, w.file!).toString() === recording.toString(),
    );
    return { uri, words: mine, problems: parsed.problems };
  }
  return undefined;
}

/**
 * The page's view of a label file against the editor's classification (windows at the
 * evaluation's stride): the words `evaluate` keeps and the track it scores by. Lines not kept are
 * returned as one warning line each.
 */
export function truthView(
  truth: BesideTruth,
  row: FileClassification,
  info: PoolModelInfo,
  facts: { frames: number; sampleRate: number; durationSec: number },
): { view?: TruthView; problems: string[] } {
  const rules = DEFAULT_STREAM_RULES;
  const shown = basename(truth.uri.path);
  const problems = truth.problems.map(problemLine);
  const checked = checkWords(shown, truth.words, keywordsOf(info.labels).keywords, facts.durationSec * 1000);
  problems.push(...checked.problems.map(problemLine));
  const f = info.description?.features as { sampleRate?: number; clipSamples?: number } | undefined;
  if (!f?.sampleRate || !f.clipSamples)
    return { problems: [...problems, `${shown}: the model's clip length is unknown`] };
  const grid = recordingGrid(
    facts.frames,
    facts.sampleRate,
    f.sampleRate,
    f.clipSamples,
    rules.windowStrideMs,
  );
  if (!grid.count)
    return { problems: [...problems, `${shown}: the recording is shorter than one window: not scored`] };
  const probabilities =
    row.windows?.map((w) => w.probabilities) ?? (row.probabilities ? [row.probabilities] : []);
  let track;
  try {
    track = trackOfWindows(grid, probabilities, info.labels, rules.averageMs);
  } catch (e) {
    return { problems: [...problems, `${shown}: ${(e as Error).message}`] };
  }
  const words = [...checked.words]
    .sort((a, b) => a.line - b.line)
    .map((w) => ({ label: w.label, startMs: w.startMs, endMs: w.endMs, line: w.line }));
  return {
    view: {
      path: truth.uri.scheme === 'file' ? truth.uri.fsPath : truth.uri.toString(),
      words,
      rules: { ...rules },
      endMs: track.endMs.buffer as ArrayBuffer,
      label: track.label.buffer as ArrayBuffer,
      score: track.score.buffer as ArrayBuffer,
    },
    problems,
  };
}
