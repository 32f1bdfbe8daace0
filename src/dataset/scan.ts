import { readdir, stat } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';

/** A WAV file found in the inputs, with the folder name that may be its label. */
export interface FoundFile {
  path: string;
  /** Name of the folder that holds the file. */
  parent?: string;
  /**
   * True when that folder is one the user named (the root itself, or the folder of a file given
   * directly): its name is a label only if the model knows it, never `_unknown_`.
   */
  named?: boolean;
}

/** What scanning the inputs found. */
export interface ScanResult {
  files: FoundFile[];
  /** Files under `_background_noise_` folders: long noise recordings, not clips. */
  background: string[];
  /** Inputs that do not exist or cannot be read. */
  problems: { path: string; error: string }[];
}

const WAV = /\.(wav|wave)$/i;
export const BACKGROUND_FOLDER = '_background_noise_';

/**
 * Finds WAV files under files and folders. Each file gets the name of the folder that holds it as
 * `parent`, marked `named` when that folder is the given root or the folder of a file given directly
 * (so `classify data/yes` scores its clips as "yes", while `classify recordings/` stays unlabelled).
 * Files in `_background_noise_` are listed apart. Symlinked folders are not followed (no cycles).
 * Only regular files are taken: inside folders anything else is skipped (Dirent types), a named
 * input that is a FIFO or device is a problem.
 */
export async function scanInputs(inputs: string[]): Promise<ScanResult> {
  const out: ScanResult = { files: [], background: [], problems: [] };
  const seen = new Set<string>();
  const add = (path: string, parent: string | undefined, named: boolean) => {
    if (seen.has(path)) return;
    seen.add(path);
    if (parent === BACKGROUND_FOLDER) out.background.push(path);
    else out.files.push({ path, parent, named });
  };
  const walk = async (dir: string, root: string): Promise<void> => {
    let entries;
    try {
      entries = await readdir(dir, { withFileTypes: true });
    } catch (e) {
      out.problems.push({ path: dir, error: `cannot read folder (${(e as NodeJS.ErrnoException).code})` });
      return;
    }
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const e of entries) {
      const p = join(dir, e.name);
      if (e.isDirectory()) await walk(p, root);
      else if (e.isFile() && WAV.test(e.name)) add(p, basename(dir), dir === root);
    }
  };
  for (const input of inputs) {
    const p = resolve(input);
    let st;
    try {
      st = await stat(p);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      out.problems.push({
        path: input,
        error: code === 'ENOENT' ? 'no such file or folder' : `cannot read (${code})`,
      });
      continue;
    }
    if (st.isDirectory()) await walk(p, p);
    else if (st.isFile()) add(p, basename(dirname(p)), true);
    else
      // A FIFO, device or socket named .wav: refused here, never opened (a FIFO would block the reader).
      out.problems.push({
        path: input,
        error: `not a regular file (${st.isFIFO() ? 'a FIFO' : 'a device or socket'})`,
      });
  }
  return out;
}

/**
 * The true label of a file for a model: its folder name if the model knows it; `_unknown_` for another
 * label folder inside a dataset when the model has that label (speech_commands' convention); else
 * none (not scored). A folder the user named (`named`) is a label only if the model knows it.
 */
export function labelFor(parent: string | undefined, labels: string[], named = false): string | undefined {
  if (!parent) return undefined;
  if (labels.includes(parent)) return parent;
  if (!named && labels.includes('_unknown_') && !parent.startsWith('.')) return '_unknown_';
  return undefined;
}
