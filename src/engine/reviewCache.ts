import { createHash } from 'node:crypto';
import { mkdir, readFile, rename, stat, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { scanInputs } from '../dataset/scan';
import type { FileClassification } from '../model/classifier';
import { ResultIndex, type ResultIndexJson } from './resultIndex';
import type { ReviewReport } from './reviewJob';

/** Bytes of embeddings kept on disk (about 43,000 clips at 1,536 float32 values). */
export const REVIEW_CACHE_BYTES = 256 * 1024 * 1024;
/** Whole reviews kept (the newest folders x models). */
export const REVIEW_CACHE_REPORTS = 8;

const CLIPS = 'review-clips.json';
const VECTORS = 'review-clips.f32';
const REPORTS = 'review-reports.json';
/** The ReviewReport's shape, in each stored review's key: a review of an older shape is made again (2: UMAP map with labels). */
const REPORT_FORMAT = 2;

interface ClipsJson {
  version: 1;
  rows: ResultIndexJson;
  /** Key and length of each vector, in the order they sit in the .f32 file. */
  vectors: [string, number][];
  bytes: number;
}

interface StoredReport {
  key: string;
  fingerprint: string;
  report: ReviewReport;
}

/**
 * What a review of `folder` read, in one hash: every audio file the scan finds (path, size, mtime),
 * the scan's problems and the split lists. Taken before a run, so a file changed during the run makes
 * the next lookup miss (never the reverse).
 */
export async function folderFingerprint(folder: string): Promise<string> {
  const root = resolve(folder);
  const scan = await scanInputs([root]);
  const h = createHash('sha1');
  const paths = [
    ...scan.files.map((f) => f.path),
    join(root, 'validation_list.txt'),
    join(root, 'testing_list.txt'),
  ];
  for (let i = 0; i < paths.length; i += 64) {
    const stats = await Promise.all(paths.slice(i, i + 64).map((p) => stat(p).catch(() => undefined)));
    stats.forEach((s, k) => h.update(`${paths[i + k]}\0${s ? `${s.size}\0${s.mtimeMs}` : '-'}\n`));
  }
  for (const p of scan.problems) h.update(`!${p.path}\0${p.error}\n`);
  return h.digest('hex');
}

/**
 * The review's cache, beside the classify cache (same keys: a file's size/mtime as the worker read it
 * finds its content hash; results are per model hash + content hash), plus what classify does not keep:
 * each clip's embedding (so a second review skips the model pass) and the newest whole reviews (so an
 * unchanged folder is answered without one). Bounded: REVIEW_CACHE_BYTES of embeddings, the newest
 * kept; REVIEW_CACHE_REPORTS reviews. Plain Node: the extension keeps it in its global storage.
 */
export class ReviewCache {
  private rows = new ResultIndex();
  private vectors = new Map<string, Float32Array>();
  private reports: StoredReport[] = [];
  private loaded: Promise<void> | undefined;

  constructor(
    private readonly dir: string,
    private readonly maxBytes = REVIEW_CACHE_BYTES,
  ) {}

  private load(): Promise<void> {
    this.loaded ??= this.read();
    return this.loaded;
  }

  private async read(): Promise<void> {
    try {
      const j = JSON.parse(await readFile(join(this.dir, CLIPS), 'utf8')) as Partial<ClipsJson>;
      const bin = await readFile(join(this.dir, VECTORS));
      this.rows = ResultIndex.fromJSON(j.rows);
      // A vector file that does not match its table (an interrupted save) is dropped whole.
      if (j.version === 1 && Array.isArray(j.vectors) && j.bytes === bin.byteLength) {
        const all = new Float32Array(bin.buffer.slice(bin.byteOffset, bin.byteOffset + bin.byteLength));
        let at = 0;
        for (const [key, n] of j.vectors) {
          if (typeof key !== 'string' || !Number.isInteger(n) || n <= 0 || at + n > all.length) break;
          this.vectors.set(key, all.subarray(at, at + n));
          at += n;
        }
      }
    } catch {
      // no cache yet, or an unreadable one: start empty
    }
    try {
      const r = JSON.parse(await readFile(join(this.dir, REPORTS), 'utf8')) as unknown;
      if (Array.isArray(r))
        this.reports = r.filter(
          (x: Partial<StoredReport>) =>
            typeof x?.key === 'string' && typeof x.fingerprint === 'string' && typeof x.report === 'object',
        ) as StoredReport[];
    } catch {
      // none yet
    }
  }

  /** Cached rows of these files for a model, each with its embedding (files without one are left out). */
  async lookup(paths: string[], modelHash: string): Promise<Map<string, FileClassification>> {
    await this.load();
    const out = new Map<string, FileClassification>();
    for (const [p, r] of await this.rows.lookup(paths, modelHash)) {
      const v = this.vectors.get(`${modelHash}:${r.contentHash}`);
      if (v) out.set(p, { ...r, embedding: v });
    }
    return out;
  }

  /** Records fresh rows with their embeddings (errors are not kept). */
  async store(rows: FileClassification[], modelHash: string): Promise<void> {
    await this.load();
    this.rows.store(rows, modelHash);
    for (const r of rows) {
      if (r.error || !r.contentHash || !r.embedding) continue;
      const key = `${modelHash}:${r.contentHash}`;
      this.vectors.delete(key); // re-inserted: the newest, kept longest
      this.vectors.set(key, Float32Array.from(r.embedding));
    }
  }

  /** The stored review of `folder` under this model, if the folder's fingerprint is unchanged. */
  async report(folder: string, modelHash: string, fingerprint: string): Promise<ReviewReport | undefined> {
    await this.load();
    const key = `${resolve(folder)}\0${modelHash}\0${REPORT_FORMAT}`;
    return this.reports.find((r) => r.key === key && r.fingerprint === fingerprint)?.report;
  }

  /** Keeps a finished review (a cancelled one is not kept). */
  async putReport(report: ReviewReport, fingerprint: string): Promise<void> {
    await this.load();
    if (report.cancelled) return;
    const key = `${resolve(report.folder)}\0${report.model.hash}\0${REPORT_FORMAT}`;
    this.reports = this.reports.filter((r) => r.key !== key);
    this.reports.push({ key, fingerprint, report });
    this.reports = this.reports.slice(-REVIEW_CACHE_REPORTS);
  }

  /** Writes the cache (the newest embeddings up to the byte bound); each file replaced atomically. */
  async save(): Promise<void> {
    await this.load();
    const keep: [string, Float32Array][] = [];
    let bytes = 0;
    for (const kv of [...this.vectors].reverse()) {
      if (bytes + kv[1].byteLength > this.maxBytes) break;
      keep.push(kv);
      bytes += kv[1].byteLength;
    }
    keep.reverse();
    this.vectors = new Map(keep);
    const bin = Buffer.alloc(bytes);
    let at = 0;
    for (const [, v] of keep) {
      bin.set(new Uint8Array(v.buffer, v.byteOffset, v.byteLength), at);
      at += v.byteLength;
    }
    const table: ClipsJson = {
      version: 1,
      rows: this.rows.toJSON(Math.max(keep.length, 1) * 4),
      vectors: keep.map(([k, v]) => [k, v.length]),
      bytes,
    };
    await mkdir(this.dir, { recursive: true });
    await this.replace(VECTORS, bin);
    await this.replace(CLIPS, JSON.stringify(table));
    await this.replace(REPORTS, JSON.stringify(this.reports));
  }

  private async replace(name: string, data: string | Buffer): Promise<void> {
    const tmp = join(this.dir, `${name}.${process.pid}.tmp`);
    await writeFile(tmp, data);
    await rename(tmp, join(this.dir, name));
  }
}
