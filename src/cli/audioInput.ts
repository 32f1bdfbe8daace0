/** Reading one audio file for the single-file commands (info, features, spectrogram), and their errors. */
import { WavFile } from '../audio/wavFile';
import { WavError } from '../audio/wavDecode';

/** The one-line reason for a failure reading PATH. */
export function reasonOf(e: unknown): string {
  if (e instanceof WavError) return e.reason;
  const err = e as NodeJS.ErrnoException;
  if (err && err.code === 'ENOENT') return 'no such file';
  if (err && err.code === 'EISDIR') return 'is a directory';
  if (err && err.code === 'EACCES') return 'permission denied';
  return err instanceof Error ? err.message : String(e);
}

/** Files read whole (features, spectrogram) are at most this large; `info` streams any length. */
const MAX_WHOLE_FILE_BYTES = 512 * 1024 * 1024;

/** The whole file, refused above MAX_WHOLE_FILE_BYTES. */
export async function readBytes(path: string): Promise<Buffer> {
  const file = WavFile.openSync(path);
  try {
    return file.readAll(MAX_WHOLE_FILE_BYTES);
  } finally {
    file.close();
  }
}
