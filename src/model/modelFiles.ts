import { constants, readdirSync } from 'node:fs';
import { open, realpath } from 'node:fs/promises';
import { isAbsolute, relative, resolve, sep } from 'node:path';

/**
 * A model folder is a boundary: every file a model names (model.json, weight shards, metadata,
 * labels, and the files of other model formats) is read through `readModelFile`, which
 * - refuses absolute paths and any path whose real location (symlinks resolved) is outside the
 *   folder's real location (`../x`, a symlink to /etc/passwd or to a shard elsewhere);
 * - reads regular files only (no /dev/zero, no FIFO that would hang, no directory), opened with
 *   O_NONBLOCK so that even opening a FIFO cannot block, and checked with fstat on the open
 *   descriptor (what is read is what was checked);
 * - reads at most `maxBytes` (a file larger is refused before any byte is read).
 * Errors are ModelFileError with a short reason; the loader adds the folder (ModelError).
 */
export class ModelFileError extends Error {
  constructor(
    readonly file: string,
    readonly reason: string,
    readonly code?: string,
  ) {
    super(`${file}: ${reason}`);
    this.name = 'ModelFileError';
  }
}

/** Size limits of model files: the largest small-classifier files with a wide margin. */
export const MODEL_FILE_LIMITS = {
  /** model.json (a topology: a few hundred KB for the largest Keras graphs). */
  json: 64 * 1024 * 1024,
  /** metadata.json / labels.txt. */
  metadata: 16 * 1024 * 1024,
  /** All weights of one model together (a keyword-spotting net is < 10 MB; a large one 500 MB). */
  weights: 1024 * 1024 * 1024,
};

/** The files of folder `dir` whose name ends in `ext` (any case), sorted; none if it cannot be listed. */
export function filesEnding(dir: string, ext: string): string[] {
  try {
    return readdirSync(dir)
      .filter((f) => f.toLowerCase().endsWith(ext))
      .sort();
  } catch {
    return [];
  }
}

/** A resolved path inside `dir`, or a ModelFileError. Does not touch the file system. */
export function containedPath(dir: string, relPath: string): string {
  if (typeof relPath !== 'string' || !relPath || relPath.includes('\0'))
    throw new ModelFileError(String(relPath), 'is not a file name');
  if (isAbsolute(relPath) || /^[a-zA-Z]:/.test(relPath))
    throw new ModelFileError(relPath, 'is an absolute path (a model may only name files inside its folder)');
  const full = resolve(dir, relPath);
  const rel = relative(resolve(dir), full);
  if (!rel || rel === '..' || rel.startsWith('..' + sep) || isAbsolute(rel))
    throw new ModelFileError(relPath, 'is outside the model folder');
  return full;
}

/**
 * Reads `relPath` of the model folder `dir` (see the class comment): contained, regular, at most
 * `maxBytes`. ENOENT is reported with code 'ENOENT' so callers can fall back (labels.txt).
 */
export async function readModelFile(dir: string, relPath: string, maxBytes: number): Promise<Buffer> {
  const full = containedPath(dir, relPath);
  let realDir: string;
  let realFile: string;
  try {
    realDir = await realpath(dir);
    realFile = await realpath(full);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new ModelFileError(relPath, code === 'ENOENT' ? 'is missing' : `cannot be read (${code})`, code);
  }
  const rel = relative(realDir, realFile);
  // A link to the folder itself is inside it, but it is not a file.
  if (!rel) throw new ModelFileError(relPath, 'is not a regular file');
  if (rel === '..' || rel.startsWith('..' + sep) || isAbsolute(rel))
    throw new ModelFileError(relPath, 'is a link to a file outside the model folder');
  let fh;
  try {
    fh = await open(realFile, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new ModelFileError(relPath, `cannot be read (${code})`, code);
  }
  try {
    const st = await fh.stat();
    if (!st.isFile()) throw new ModelFileError(relPath, 'is not a regular file');
    if (st.size > maxBytes)
      throw new ModelFileError(relPath, `is too large (${st.size} bytes, limit ${maxBytes})`);
    const buf = Buffer.alloc(st.size);
    let off = 0;
    while (off < st.size) {
      const { bytesRead } = await fh.read(buf, off, st.size - off, off);
      if (!bytesRead) break;
      off += bytesRead;
    }
    if (off !== st.size)
      throw new ModelFileError(relPath, `changed while being read (${off} of ${st.size} bytes)`);
    return buf;
  } finally {
    await fh.close();
  }
}

/**
 * The model folder a `wavebench.modelPath` setting names: absolute paths as they are; a relative
 * path resolves against the first workspace folder only when the workspace is trusted (an
 * untrusted workspace must not choose which files a user-level relative path reaches). Returns
 * undefined when a relative path cannot be resolved (untrusted or no folder): use the default.
 */
export function resolveModelSetting(
  setting: string,
  workspaceFolder: string | undefined,
  trusted: boolean,
): string | undefined {
  const p = setting.trim();
  if (!p) return undefined;
  if (isAbsolute(p)) return p;
  if (!trusted || !workspaceFolder) return undefined;
  return resolve(workspaceFolder, p);
}
