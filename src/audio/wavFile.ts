import { createHash, type Hash } from 'node:crypto';
import { closeSync, constants, fstatSync, openSync, readSync } from 'node:fs';
import { mixdown } from './mixdown';
import { StatsAccumulator, type ChannelStats } from './stats';
import {
  countNonFinite,
  decodeFrames,
  describeNonFinite,
  readWavHeader,
  WavError,
  type WavHeader,
} from './wavDecode';

/**
 * A WAV file on disk, read by ranges (synchronously: its users are pool workers and the CLI, where
 * blocking costs nothing and libuv round trips cost a lot). Where every path enters:
 * - opened with O_NONBLOCK, so that a FIFO named .wav cannot hang the open, then fstat on the
 *   descriptor: anything but a regular file is refused with one line (never read);
 * - size and mtime are taken from that descriptor before any byte is read, and `checkUnchanged`
 *   compares them again after: what a cache stores is the identity of the bytes that were decoded;
 * - long files are never read whole: `forEachChunk` decodes bounded chunks of frames.
 */
export class WavFile {
  private constructor(
    readonly path: string,
    private fd: number,
    readonly size: number,
    readonly mtimeMs: number,
  ) {}

  /** Opens a regular file; WavError for anything else (FIFO, device, folder) or an unreadable path. */
  static openSync(path: string): WavFile {
    let fd: number;
    try {
      fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
    } catch (e) {
      throw new WavError(readReason(e));
    }
    try {
      const st = fstatSync(fd);
      if (st.isDirectory()) throw new WavError('is a directory');
      if (!st.isFile()) throw new WavError(`not a regular file (${kindOf(st)})`);
      return new WavFile(path, fd, st.size, st.mtimeMs);
    } catch (e) {
      closeSync(fd);
      throw e instanceof WavError ? e : new WavError(readReason(e));
    }
  }

  /** `length` bytes from `offset` (fewer at the end of the file). */
  readRange(offset: number, length: number): Buffer {
    const buf = Buffer.allocUnsafe(Math.max(0, Math.min(length, this.size - offset)));
    let got = 0;
    while (got < buf.length) {
      const n = readSync(this.fd, buf, got, buf.length - got, offset + got);
      if (!n) break;
      got += n;
    }
    return got === buf.length ? buf : buf.subarray(0, got);
  }

  /** The whole file, when it is at most `maxBytes` (a WavError otherwise). */
  readAll(maxBytes: number): Buffer {
    if (this.size > maxBytes)
      throw new WavError(`file too large to read whole (${this.size} bytes, limit ${maxBytes})`);
    const b = this.readRange(0, this.size);
    if (b.length !== this.size) throw new WavError('file changed while being read');
    return b;
  }

  /** The header, parsed from the file's first bytes (up to 16 MB of chunks before the data). */
  readHeader(): WavHeader {
    let prefix = Math.min(this.size, 64 * 1024);
    for (;;) {
      try {
        return readWavHeader(this.readRange(0, prefix), this.size);
      } catch (e) {
        const more = Math.min(this.size, 16 * 1024 * 1024);
        if (!(e instanceof WavError) || prefix >= more) throw e;
        prefix = more;
      }
    }
  }

  /** Decodes frames [start, start + count) of every channel, reading only their bytes. */
  frames(header: WavHeader, start: number, count: number): Float32Array[] {
    const ba = header.facts.blockAlign;
    const a = Math.max(0, Math.min(start, header.facts.frames));
    const n = Math.max(0, Math.min(count, header.facts.frames - a));
    const buf = this.readRange(header.dataOffset + a * ba, n * ba);
    const got = Math.floor(buf.length / ba);
    return decodeFrames(buf, { ...header, dataOffset: 0, facts: { ...header.facts, frames: got } }, 0, got);
  }

  /**
   * Streams the data in chunks of at most `chunkBytes` (whole frames): `fn` gets each chunk's
   * channels and its first frame. Peak memory is one chunk, whatever the file's length.
   */
  forEachChunk(
    header: WavHeader,
    fn: (channels: Float32Array[], firstFrame: number) => void,
    chunkBytes = 4 * 1024 * 1024,
  ): void {
    const per = Math.max(1, Math.floor(chunkBytes / header.facts.blockAlign));
    for (let f = 0; f < header.facts.frames; f += per) fn(this.frames(header, f, per), f);
  }

  /** Throws a WavError when the file's size or mtime differ from those taken at open. */
  checkUnchanged(): void {
    const st = fstatSync(this.fd);
    if (st.size !== this.size || st.mtimeMs !== this.mtimeMs)
      throw new WavError('file changed while being read');
  }

  close(): void {
    if (this.fd >= 0) closeSync(this.fd);
    this.fd = -1;
  }
}

/** What a streaming pass over a file finds: the header, per-channel and mono statistics, the hash. */
export interface WavScan {
  header: WavHeader;
  channels: ChannelStats[];
  mono: ChannelStats;
}

/**
 * Statistics of every channel (`perChannel`) and/or of the mono mix (`mono`) in one streaming
 * pass over bounded chunks: `info` needs the channels, the index only the mix.
 */
export function scanWavFile(
  file: WavFile,
  header: WavHeader,
  want: { perChannel?: boolean; mono?: boolean } = { perChannel: true, mono: true },
): WavScan {
  const rate = header.facts.sampleRate;
  const chans = Array.from(
    { length: want.perChannel ? header.facts.channels : 0 },
    () => new StatsAccumulator({ sampleRate: rate }),
  );
  const mono = new StatsAccumulator({ sampleRate: rate });
  // Float data can hold NaN/Inf: counted chunk by chunk and warned like decodeWav does for a whole file.
  const float = header.facts.format === 'float';
  const bad = { nan: 0, infinite: 0 };
  file.forEachChunk(header, (c) => {
    for (let i = 0; i < chans.length; i++) chans[i].add(c[i]);
    if (want.mono) mono.add(mixdown(c));
    if (float) {
      const n = countNonFinite(c);
      bad.nan += n.nan;
      bad.infinite += n.infinite;
    }
  });
  const summary = describeNonFinite(bad);
  if (summary) header.warnings.push(`the float data holds ${summary}`);
  return { header, channels: chans.map((a) => a.result()), mono: mono.result() };
}

/** sha1 of a whole file, read in chunks (the content hash of the caches). */
export function hashFile(file: WavFile, algorithm = 'sha1', chunkBytes = 4 * 1024 * 1024): string {
  const h: Hash = createHash(algorithm);
  for (let o = 0; o < file.size; o += chunkBytes) h.update(file.readRange(o, chunkBytes));
  return h.digest('hex');
}

/** A read error as a short reason, like the CLI prints them. */
export function readReason(e: unknown): string {
  const code = (e as NodeJS.ErrnoException)?.code;
  if (code === 'ENOENT') return 'no such file';
  if (code === 'EISDIR') return 'is a directory';
  if (code === 'EACCES') return 'permission denied';
  if (code === 'ELOOP') return 'ELOOP: too many symbolic links (a symlink loop)';
  if (code) return `cannot read (${code})`;
  return e instanceof Error ? e.message : String(e);
}

function kindOf(st: import('node:fs').Stats): string {
  if (st.isFIFO()) return 'a FIFO';
  if (st.isCharacterDevice() || st.isBlockDevice()) return 'a device';
  if (st.isSocket()) return 'a socket';
  return 'not a file';
}
