import * as vscode from 'vscode';
import { ResultIndex } from '../engine/resultIndex';
import type { FileClassification } from '../model/classifier';

/**
 * Classification results cached by file content hash + model hash (ResultIndex: keyed by the
 * size/mtime of what the worker read), persisted in the extension's storage (never in the dataset).
 * A second run over a folder only reads and classifies new or changed files.
 */
export class ResultCache {
  private cache = new ResultIndex();
  private loaded = false;

  constructor(private readonly storage: vscode.Uri) {}

  private file(name: string): vscode.Uri {
    return vscode.Uri.joinPath(this.storage, name);
  }

  private async load(): Promise<void> {
    if (this.loaded) return;
    this.loaded = true;
    try {
      const raw = await vscode.workspace.fs.readFile(this.file('results-cache.json'));
      this.cache = ResultIndex.fromJSON(JSON.parse(Buffer.from(raw).toString('utf8')));
    } catch {
      // no cache yet, or an unreadable one: start empty
    }
  }

  /** Saves the cache (at most 200k results kept, the newest). */
  async save(): Promise<void> {
    await vscode.workspace.fs.createDirectory(this.storage);
    const data = JSON.stringify(this.cache.toJSON(200_000));
    await vscode.workspace.fs.writeFile(this.file('results-cache.json'), Buffer.from(data));
  }

  /** The cached results of these files for a model (undefined for new or changed files). */
  async lookup(paths: string[], modelHash: string): Promise<Map<string, FileClassification>> {
    await this.load();
    return this.cache.lookup(paths, modelHash);
  }

  /** Records fresh results (errors are not cached: a fixed file must be tried again). */
  async store(rows: FileClassification[], modelHash: string): Promise<void> {
    await this.load();
    this.cache.store(rows, modelHash);
  }
}
