import { basename, extname } from 'node:path';
import * as vscode from 'vscode';
import type { LabelFile } from './truthView';
import { parseTruth } from '../model/streaming/truth';

/** Label files larger than this are not read (a label track of a day of speech is about 100 KB). */
export const TRUTH_BYTES_LIMIT = 1024 * 1024;

/** A label file found beside a recording: its words for this recording and the lines not used. */
export interface BesideTruth extends LabelFile {
  uri: vscode.Uri;
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
      path: uri.scheme === 'file' ? uri.fsPath : uri.toString(),
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
    const path = uri.scheme === 'file' ? uri.fsPath : uri.toString();
    if (parsed.format !== 'csv') return { uri, path, words: parsed.words, problems: parsed.problems };
    // A CSV may list several recordings: the rows of this one (its `file` relative to the CSV's folder).
    const mine = parsed.words.filter(
      (w) => vscode.Uri.joinPath(dir, w.file!).toString() === recording.toString(),
    );
    return { uri, path, words: mine, problems: parsed.problems };
  }
  return undefined;
}

/**
 * Calls `changed` when the recording's label file (`NAME.txt` or `NAME.csv` beside it) is created,
 * changed or deleted: the editor reads it again. Files on disk only (other file systems are not watched).
 */
export function watchTruthBeside(recording: vscode.Uri, changed: () => void): vscode.Disposable {
  if (recording.scheme !== 'file') return new vscode.Disposable(() => undefined);
  const name = basename(recording.path);
  const stem = name.slice(0, name.length - extname(name).length);
  const w = vscode.workspace.createFileSystemWatcher(
    // Glob characters in the name stand for themselves.
    new vscode.RelativePattern(
      vscode.Uri.joinPath(recording, '..'),
      `${stem.replace(/[[\]{}*?]/g, (c) => `[${c}]`)}.{txt,csv}`,
    ),
  );
  return vscode.Disposable.from(w, w.onDidChange(changed), w.onDidCreate(changed), w.onDidDelete(changed));
}
