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

/** Audio files by name (WAV, FLAC, MP3, Ogg Vorbis, Opus); the content is sniffed when read. */
const WAV = /\.(wav|wave|flac|mp3|ogg|oga|opus)$/i;
export const BACKGROUND_FOLDER = '_background_noise_';

/**
 * Finds WAV files under files and folders. Each file gets the name of the folder that holds it as
 * `parent`, marked `named` when that folder is the given root or the folder of a file given directly
 * (so `classify data/yes` scores its clips as "yes", while `classify recordings/` stays unlabelled).
 * Files in `_background_noise_` are listed apart. Symlinks to files are read as those files; symlinked
 * folders are not followed (no cycles); a symlink loop, a broken link to a .wav and a name that is not
 * UTF-8 are each one problem, and the scan goes on. Only regular files are taken: inside folders
 * anything else is skipped (Dirent types), a named input that is a FIFO or device is a problem.
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
    let raw;
    try {
      // Names as bytes: a name that is not UTF-8 cannot round-trip through a string path.
      raw = await readdir(dir, { withFileTypes: true, encoding: 'buffer' });
    } catch (e) {
      out.problems.push({ path: dir, error: `cannot read folder (${(e as NodeJS.ErrnoException).code})` });
      return;
    }
    const entries = raw.map((e) => ({ e, name: e.name.toString('utf8') }));
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const { e, name } of entries) {
      const wav = WAV.test(name);
      if (!Buffer.from(name, 'utf8').equals(e.name)) {
        if (wav || e.isDirectory())
          out.problems.push({
            path: join(dir, bytesShown(e.name)),
            error: `${e.isDirectory() ? 'folder' : 'file'} name is not valid UTF-8: skipped (rename it)`,
          });
        continue;
      }
      const p = join(dir, name);
      if (e.isDirectory()) await walk(p, root);
      else if (e.isFile()) {
        if (wav) add(p, basename(dir), dir === root);
      } else if (e.isSymbolicLink()) {
        // A link to a file is read as that file; linked folders are not followed (no cycles).
        try {
          if ((await stat(p)).isFile() && wav) add(p, basename(dir), dir === root);
        } catch (err) {
          const code = (err as NodeJS.ErrnoException).code;
          if (code === 'ELOOP') out.problems.push({ path: p, error: 'symlink loop (ELOOP): skipped' });
          else if (wav) out.problems.push({ path: p, error: `broken symlink (${code}): skipped` });
        }
      }
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
        error:
          code === 'ENOENT'
            ? 'no such file or folder'
            : code === 'ELOOP'
              ? 'symlink loop (ELOOP)'
              : `cannot read (${code})`,
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

/** A file name's bytes for display: ASCII as is, every other byte as \xNN (the name is not UTF-8). */
function bytesShown(name: Buffer): string {
  let s = '';
  for (const b of name)
    s += b >= 0x20 && b < 0x7f ? String.fromCharCode(b) : `\\x${b.toString(16).padStart(2, '0')}`;
  return s;
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
