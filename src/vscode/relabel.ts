import { existsSync } from 'node:fs';
import { appendFile, stat } from 'node:fs/promises';
import { basename, join, relative, sep } from 'node:path';
import * as vscode from 'vscode';
import { RELABEL_CSV_HEADER, relabelCsvLine, type RelabelEntry } from '../dataset/relabelLog';
import { Disposable } from './dispose';
import { labelOf } from './reviewView';

/** The relabel log's name, beside the dataset's lists (validation_list.txt, testing_list.txt). */
export const RELABEL_LOG = 'relabel.csv';

/** The user's answer to a move: once, for the rest of the session, or no. */
export type ConfirmChoice = 'move' | 'always' | undefined;

/** A move this session made (and can see undone). */
interface Move {
  root: string;
  from: string;
  to: string;
  fromLabel: string;
  toLabel: string;
}

/** What a relabel did. */
export type RelabelResult =
  { newPath: string; from: string; to: string; time: string } | { declined: string };

const rel = (root: string, p: string) => relative(root, p).split(sep).join('/');

/**
 * Moves clips to another label's folder, only after the user confirmed each move (or chose "don't ask
 * again" for the session), only in a trusted workspace, never over an existing file. Each move is a
 * vscode.WorkspaceEdit renameFile, so VS Code's Undo (in the moved clip's editor) moves it back, and
 * is logged to relabel.csv in the dataset folder (path,from,to,score,time); an undo is logged too, as
 * the move back.
 */
export class Relabeller extends Disposable {
  private ask = true;
  /** Moves by where the clip went. */
  private readonly moves = new Map<string, Move>();
  private readonly undone = this._register(new vscode.EventEmitter<Move>());
  /** Fires when a move of this session was undone (the clip is back at `from`). */
  readonly onDidUndo = this.undone.event;

  /** The confirmation: a modal dialog (integration tests replace it through the extension's API). */
  confirm = async (message: string, detail: string): Promise<ConfirmChoice> => {
    const move = 'Move';
    const always = 'Move, Don’t Ask Again This Session';
    const c = await vscode.window.showWarningMessage(message, { modal: true, detail }, move, always);
    return c === move ? 'move' : c === always ? 'always' : undefined;
  };

  constructor() {
    super();
    this._register(
      vscode.workspace.onDidRenameFiles((e) => {
        for (const f of e.files) {
          const m = this.moves.get(f.oldUri.fsPath);
          if (!m || f.newUri.fsPath !== m.from) continue;
          this.moves.delete(m.to);
          const time = new Date().toISOString();
          const back = { path: rel(m.root, m.to), from: m.toLabel, to: m.fromLabel, time };
          void this.log(m.root, back).then(() => this.undone.fire(m));
        }
      }),
    );
  }

  /** Moves `path` (a clip under `root`) to `root/<to>/`, after confirmation. */
  async relabel(root: string, path: string, to: string, score?: number): Promise<RelabelResult> {
    if (!vscode.workspace.isTrusted)
      return { declined: 'the workspace is not trusted: Wavebench moves no file in it' };
    const from = labelOf(path);
    if (!to || to === '.' || to === '..' || /[\\/]/.test(to)) return { declined: `'${to}' is not a label` };
    if (to === from) return { declined: `it is already in ${to}/` };
    const r = rel(root, path);
    if (r.startsWith('..')) return { declined: 'it is not in the reviewed folder' };
    const target = join(root, to, basename(path));
    if (!(await stat(path).catch(() => undefined))?.isFile()) return { declined: 'it is no longer there' };
    if (existsSync(target)) return { declined: `${rel(root, target)} already exists` };
    if (this.ask) {
      const c = await this.confirm(
        `Move ${r} to ${to}/?`,
        `From ${from}/ to ${to}/ in ${root}. A WorkspaceEdit: Undo in the clip's editor moves it back. ` +
          `Logged to ${RELABEL_LOG} in that folder.`,
      );
      if (!c) return { declined: 'not confirmed' };
      if (c === 'always') this.ask = false;
    }
    const edit = new vscode.WorkspaceEdit();
    edit.renameFile(vscode.Uri.file(path), vscode.Uri.file(target), { overwrite: false });
    if (!(await vscode.workspace.applyEdit(edit))) return { declined: 'VS Code did not apply the move' };
    const time = new Date().toISOString();
    this.moves.set(target, { root, from: path, to: target, fromLabel: from, toLabel: to });
    await this.log(root, { path: r, from, to, score, time });
    return { newPath: target, from, to, time };
  }

  /**
   * Undoes the move that put a clip at `path` through VS Code's undo stack: the clip opens in the
   * Wavebench editor, where Undo applies to it, and `undo` runs there.
   */
  async undo(path: string): Promise<boolean> {
    if (!this.moves.has(path)) return false;
    await vscode.commands.executeCommand('vscode.openWith', vscode.Uri.file(path), 'wavebench.wav', {
      preview: true,
      viewColumn: vscode.ViewColumn.Beside,
    });
    await vscode.commands.executeCommand('undo');
    return true;
  }

  private async log(root: string, e: RelabelEntry): Promise<void> {
    const file = join(root, RELABEL_LOG);
    try {
      const head = existsSync(file) ? '' : RELABEL_CSV_HEADER + '\n';
      await appendFile(file, head + relabelCsvLine(e) + '\n');
    } catch (err) {
      void vscode.window.showErrorMessage(
        `Wavebench: ${file}: cannot log the move (${(err as Error).message})`,
      );
    }
  }
}
