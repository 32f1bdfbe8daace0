import { basename, dirname, resolve } from 'node:path';
import { ModelError } from './metadata';
import { ModelFileError, readModelFile } from './modelFiles';

/**
 * A file of the model folder `dir`, read through readModelFile (inside the folder after symlinks,
 * a regular file, at most `maxBytes`), its failure one ModelError naming the folder:
 * "model DIR: WHAT FILE REASON". Every model format reads its files through this.
 */
export async function readModelFileOr(
  dir: string,
  file: string,
  what: string,
  maxBytes: number,
): Promise<Buffer> {
  try {
    return await readModelFile(dir, file, maxBytes);
  } catch (e) {
    if (e instanceof ModelFileError) throw new ModelError(dir, `${what} ${e.file} ${e.reason}`);
    throw e;
  }
}

/**
 * A file the user names directly (a `.pb` given as the model, a `--labels` file): the same checks
 * with its own folder as the boundary, so a FIFO or a device is refused, never read; the error names
 * the file. ENOENT reads `missing` ("no such labels file", "no such file").
 */
export async function readNamedFile(path: string, maxBytes: number, missing: string): Promise<Buffer> {
  const full = resolve(path);
  try {
    return await readModelFile(dirname(full), basename(full), maxBytes);
  } catch (e) {
    if (e instanceof ModelFileError) throw new ModelError(path, e.code === 'ENOENT' ? missing : e.reason);
    throw e;
  }
}
