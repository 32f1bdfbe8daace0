import { stat } from 'node:fs/promises';
import * as vscode from 'vscode';
import type { FileClassification } from '../model/classifier';

interface Entry {
  size: number;
  mtimeMs: number;
  contentHash: string;
}

/**
 * Classification results cached by file content hash + model hash, in the extension's storage
 * (never in the dataset). A (path, size, mtime) index finds a file's content hash without reading
 * it again, so a second run over a folder only reads and classifies new or changed files.
 */
export class ResultCache {
  private index = new Map<string, Entry>();
  private results = new Map<string, FileClassification>();
  private loaded = false;

  constructor(private readonly storage: vscode.Uri) {}

  private file(name: string): vscode.Uri {
    return vscode.Uri.joinPath(this.storage, name);
  }

  private async load(): Promise<void> {
    if (this.loaded) return;
    this.loaded = true;
    try {
      const raw = JSON.parse(
        Buffer.from(await vscode.workspace.fs.readFile(this.file('results-cache.json'))).toString('utf8'),
      );
      this.index = new Map(raw.index);
      this.results = new Map(raw.results);
    } catch {
      // no cache yet, or an unreadable one: start empty
    }
  }

  /** Saves the cache (at most 200k results kept, the newest). */
  async save(): Promise<void> {
    await vscode.workspace.fs.createDirectory(this.storage);
    const results = [...this.results].slice(-200_000);
    const data = JSON.stringify({ index: [...this.index], results });
    await vscode.workspace.fs.writeFile(this.file('results-cache.json'), Buffer.from(data));
  }

  /** The cached results of these files for a model (undefined for new or changed files). */
  async lookup(paths: string[], modelHash: string): Promise<Map<string, FileClassification>> {
    await this.load();
    const out = new Map<string, FileClassification>();
    for (const p of paths) {
      const e = this.index.get(p);
      if (!e) continue;
      try {
        const st = await stat(p);
        if (st.size !== e.size || st.mtimeMs !== e.mtimeMs) continue;
      } catch {
        continue;
      }
      const r = this.results.get(`${modelHash}:${e.contentHash}`);
      if (r) out.set(p, { ...r, path: p });
    }
    return out;
  }

  /** Records fresh results (errors are not cached: a fixed file must be tried again). */
  async store(rows: FileClassification[], modelHash: string): Promise<void> {
    await this.load();
    for (const r of rows) {
      if (r.error) continue;
      try {
        // The worker hashed the bytes it read; only the (size, mtime) index needs the file system.
        const contentHash = r.contentHash;
        if (!contentHash) continue;
        const st = await stat(r.path);
        this.index.set(r.path, { size: st.size, mtimeMs: st.mtimeMs, contentHash });
        this.results.set(`${modelHash}:${contentHash}`, { ...r, path: '' });
      } catch {
        // vanished meanwhile: nothing to cache
      }
    }
  }
}
