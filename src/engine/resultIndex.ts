import { stat } from 'node:fs/promises';
import type { FileClassification } from '../model/classifier';

interface Entry {
  size: number;
  mtimeMs: number;
  contentHash: string;
}

/** Serialised form of a ResultIndex. */
export interface ResultIndexJson {
  index: [string, Entry][];
  results: [string, FileClassification][];
}

/**
 * Classification results by file content hash + model hash, with a (path, size, mtime) index that
 * finds a file's content hash without reading it again. Keyed by what was read: the size and mtime
 * stored with a path are those the worker took with fstat on the descriptor it read (before the
 * read, checked unchanged after), never a stat taken later, so a file replaced while it was being
 * classified is classified again next time instead of inheriting the old file's answer.
 * Plain Node: the extension persists it (ResultCache), tests drive it directly.
 */
export class ResultIndex {
  private index = new Map<string, Entry>();
  private results = new Map<string, FileClassification>();

  /** The cached results of these files for a model (none for new, changed or replaced files). */
  async lookup(paths: string[], modelHash: string): Promise<Map<string, FileClassification>> {
    const out = new Map<string, FileClassification>();
    for (const p of paths) {
      const e = this.index.get(p);
      if (!e) continue;
      try {
        const st = await stat(p);
        if (!st.isFile() || st.size !== e.size || st.mtimeMs !== e.mtimeMs) continue;
      } catch {
        continue;
      }
      const r = this.results.get(`${modelHash}:${e.contentHash}`);
      if (r) out.set(p, { ...r, path: p });
    }
    return out;
  }

  /** Records fresh results (errors are not cached: a fixed file must be tried again). */
  store(rows: FileClassification[], modelHash: string): void {
    for (const r of rows) {
      if (r.error || !r.contentHash || r.fileSize === undefined || r.fileMtimeMs === undefined) continue;
      this.index.set(r.path, { size: r.fileSize, mtimeMs: r.fileMtimeMs, contentHash: r.contentHash });
      // Embeddings are not kept: 6 KB a clip (1,536 floats) would make the cache file gigabytes.
      const kept = { ...r, path: '' };
      delete kept.embedding;
      this.results.set(`${modelHash}:${r.contentHash}`, kept);
    }
  }

  /** Plain JSON, the newest `maxResults` results kept. */
  toJSON(maxResults = 200_000): ResultIndexJson {
    return { index: [...this.index], results: [...this.results].slice(-maxResults) };
  }

  /** Rebuilds an index from `toJSON()` output; malformed entries are dropped, never thrown. */
  static fromJSON(json: unknown): ResultIndex {
    const x = new ResultIndex();
    const j = json as Partial<ResultIndexJson> | null;
    if (!j || !Array.isArray(j.index) || !Array.isArray(j.results)) return x;
    const num = (v: unknown) => typeof v === 'number' && Number.isFinite(v);
    for (const kv of j.index) {
      if (!Array.isArray(kv) || typeof kv[0] !== 'string') continue;
      const e = kv[1] as Partial<Entry> | null;
      if (e && num(e.size) && num(e.mtimeMs) && typeof e.contentHash === 'string' && e.contentHash)
        x.index.set(kv[0], { size: e.size!, mtimeMs: e.mtimeMs!, contentHash: e.contentHash });
    }
    for (const kv of j.results) {
      if (!Array.isArray(kv) || typeof kv[0] !== 'string') continue;
      const r = kv[1] as Partial<FileClassification> | null;
      if (
        r &&
        typeof r === 'object' &&
        Array.isArray(r.probabilities) &&
        r.probabilities.every(num) &&
        Array.isArray(r.top) &&
        r.top.every((t) => t && typeof t.label === 'string' && num(t.probability))
      )
        x.results.set(kv[0], r as FileClassification);
    }
    return x;
  }
}
