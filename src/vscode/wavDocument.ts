import { basename } from 'node:path';
import * as vscode from 'vscode';
import { memorySource, NotAFileError, openFileSource } from '../audio/byteSource';
import { WavError } from '../audio/wavDecode';
import { WavDocumentModel } from '../audio/wavDocumentModel';
import { Disposable } from './dispose';

/**
 * A WAV opened in the Wavebench editor: the VS Code side of a WavDocumentModel. It owns one model
 * at a time and one file watcher (shared by every editor of the document); a change on disk builds
 * a new model, swaps it in, disposes the old one, then fires onDidReload.
 */
export class WavDocument extends Disposable implements vscode.CustomDocument {
  private current: { model?: WavDocumentModel; error?: string } = {};
  private generation = 0;
  private readonly reloaded = this._register(new vscode.EventEmitter<void>());
  /** Fires after a reload swapped in a new model (or error). */
  readonly onDidReload = this.reloaded.event;

  private constructor(readonly uri: vscode.Uri) {
    super();
    this._register({
      dispose: () => {
        this.generation++;
        this.current.model?.dispose();
        this.current = { error: 'closed' };
      },
    });
  }

  /** Opens the document and starts watching its file. */
  static async open(uri: vscode.Uri): Promise<WavDocument> {
    const doc = new WavDocument(uri);
    await doc.reload(false);
    if (uri.scheme === 'file') {
      const w = vscode.workspace.createFileSystemWatcher(
        new vscode.RelativePattern(vscode.Uri.joinPath(uri, '..'), basename(uri.fsPath)),
      );
      const again = () => void doc.reload(true);
      doc._register(w);
      doc._register(w.onDidChange(again));
      doc._register(w.onDidCreate(again));
    }
    return doc;
  }

  /** The model now, or the reason the file cannot be shown. */
  get state(): { model?: WavDocumentModel; error?: string } {
    return this.current;
  }

  /** Builds a new model from the file; only the latest of overlapping reloads is kept. */
  async reload(notify = true): Promise<void> {
    const gen = ++this.generation;
    let next: { model?: WavDocumentModel; error?: string };
    try {
      const source =
        this.uri.scheme === 'file'
          ? await openFileSource(this.uri.fsPath)
          : memorySource(await vscode.workspace.fs.readFile(this.uri));
      try {
        next = { model: await WavDocumentModel.open(source) };
      } catch (e) {
        await source.close();
        throw e;
      }
    } catch (e) {
      next = { error: reason(e) };
    }
    if (gen !== this.generation) {
      next.model?.dispose();
      return;
    }
    const old = this.current.model;
    this.current = next;
    old?.dispose();
    if (notify) this.reloaded.fire();
  }
}

/** One line for a file that cannot be opened. */
function reason(e: unknown): string {
  if (e instanceof WavError || e instanceof NotAFileError)
    return e instanceof WavError ? e.reason : e.message;
  const code = (e as NodeJS.ErrnoException)?.code;
  if (code === 'ENOENT') return 'no such file';
  if (code) return `cannot read (${code})`;
  return e instanceof Error ? e.message : String(e);
}
