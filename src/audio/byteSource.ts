import { constants } from 'node:fs';
import { open } from 'node:fs/promises';
import { id3v2Size } from './sniff';

/**
 * Random access to a file's bytes: what the WAV document model reads through (a file handle, an
 * in-memory buffer, VS Code's file system), so the model itself runs in plain Node and in tests.
 */
export interface ByteSource {
  /** Bytes in the file when it was opened. */
  readonly size: number;
  /** Fills `buffer` from `offset`; resolves to the bytes read (fewer at the end of the file). */
  read(offset: number, buffer: Uint8Array): Promise<number>;
  /** Releases the handle, if any. */
  close(): Promise<void>;
}

/** Bytes read by readAllBytes at a time. */
const READ_ALL_PIECE = 16 << 20;

/** The whole file's bytes, read in pieces of at most 16 MB (callers check `size` first); fewer if it shrank. */
export async function readAllBytes(src: ByteSource): Promise<Uint8Array> {
  const out = new Uint8Array(src.size);
  let got = 0;
  while (got < out.length) {
    const n = await src.read(got, out.subarray(got, Math.min(out.length, got + READ_ALL_PIECE)));
    if (!n) break;
    got += n;
  }
  return got === out.length ? out : out.slice(0, got);
}

/** `length` bytes at `offset` (fewer at the end of the file). */
export async function readBytes(src: ByteSource, offset: number, length: number): Promise<Uint8Array> {
  const b = new Uint8Array(Math.max(0, Math.min(length, src.size - offset)));
  return b.subarray(0, await src.read(offset, b));
}

/**
 * The bytes of `src` after an ID3v2 tag at its start (a FLAC stream behind one), offsets and size
 * counted from there; `src` itself when it has none.
 */
export async function afterId3v2(src: ByteSource): Promise<ByteSource> {
  const skip = id3v2Size(await readBytes(src, 0, 10));
  if (!skip) return src;
  return {
    size: Math.max(0, src.size - skip),
    read: (offset, buffer) => src.read(offset + skip, buffer),
    close: () => src.close(),
  };
}

/** A source over bytes already in memory. */
export function memorySource(bytes: Uint8Array): ByteSource {
  return {
    size: bytes.length,
    read: async (offset, buffer) => {
      const part = bytes.subarray(
        Math.min(offset, bytes.length),
        Math.min(offset + buffer.length, bytes.length),
      );
      buffer.set(part);
      return part.length;
    },
    close: async () => undefined,
  };
}

/** A path that is not a regular file (a FIFO, a device, a folder): refused before anything is read. */
export class NotAFileError extends Error {}

/**
 * Opens a regular file for range reads. Opened non-blocking and checked with fstat on the same
 * handle: a FIFO named `x.wav` is refused at once instead of blocking a libuv thread forever.
 */
export async function openFileSource(path: string): Promise<ByteSource> {
  const fh = await open(path, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
  try {
    const st = await fh.stat();
    if (!st.isFile()) throw new NotAFileError('not a regular file');
    const size = st.size;
    return {
      size,
      read: async (offset, buffer) => {
        let got = 0;
        while (got < buffer.length) {
          const { bytesRead } = await fh.read(buffer, got, buffer.length - got, offset + got);
          if (!bytesRead) break;
          got += bytesRead;
        }
        return got;
      },
      close: () => fh.close().catch(() => undefined),
    };
  } catch (e) {
    await fh.close().catch(() => undefined);
    throw e;
  }
}
