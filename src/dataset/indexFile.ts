import { createHash } from 'node:crypto';
import { channelStats, type ChannelStats } from '../audio/stats';
import { mixdown } from '../audio/mixdown';
import {
  decodeFrames,
  MAX_CHANNELS,
  MAX_SAMPLE_RATE,
  readWavHeader,
  WavError,
  type WavFacts,
} from '../audio/wavDecode';
import { scanAudioFile } from '../audio/audioFile';
import { hashFile, readReason, scanWavFile, WavFile } from '../audio/wavFile';

/**
 * What indexing one file found: identity (size, mtime, content hash) and, when it decodes, its
 * format and the levels of its mono mix (linear, not dB). Plain data: it crosses worker threads and
 * is persisted by `IndexCache`.
 */
export interface IndexRecord {
  path: string;
  size: number;
  mtimeMs: number;
  /** sha1 hex of the file bytes ('' when the file could not be read at all). */
  hash: string;
  /** Why the file cannot be decoded (a WavError reason) or read. */
  error?: string;
  format?: string;
  sampleRate?: number;
  bitsPerSample?: number;
  channels?: number;
  frames?: number;
  durationSec?: number;
  peak?: number;
  rms?: number;
  dcOffset?: number;
  clippedRatio?: number;
  silenceRatio?: number;
  warnings?: string[];
}

/** Files up to this size are read whole (one read, one hash); larger ones are streamed in chunks. */
const WHOLE_READ_BYTES = 32 * 1024 * 1024;

/**
 * Indexes one file: one open (regular files only: a FIFO is refused, never waited on), one fstat,
 * one read, one hash, then header + decode + stats; a file above 32 MB is hashed and measured in
 * bounded chunks instead. Synchronous reads on purpose: this runs in pool workers, where blocking
 * is free, and fs/promises' readFile costs several libuv-pool round trips per file (~4x the time
 * of the sync read for a 32 kB clip).
 */
export function indexFileSync(path: string): IndexRecord {
  return indexWith(path, (file, rec) => {
    file.close();
    return { ...rec, error: 'compressed audio: indexed by indexFile (asynchronous decoders)' };
  });
}

/**
 * indexFileSync for any audio file: WAV synchronously as there; FLAC, MP3, Ogg Vorbis and Opus
 * (sniffed from the content) hashed in chunks and decoded in one streaming pass for their levels.
 */
export async function indexFile(path: string): Promise<IndexRecord> {
  const compressed = async (file: WavFile, rec: IndexRecord): Promise<IndexRecord> => {
    try {
      rec.hash = hashFile(file);
      const s = await scanAudioFile(file, { mono: true });
      recordFacts(rec, s.facts, s.mono, s.warnings);
    } catch (e) {
      rec.error = e instanceof WavError ? e.reason : readReason(e);
    } finally {
      file.close();
    }
    return rec;
  };
  return indexWith(path, compressed);
}

/** Opens, sniffs and indexes a WAV in place; hands a compressed file (still open) to `compressed`. */
function indexWith<T>(path: string, compressed: (file: WavFile, rec: IndexRecord) => T): IndexRecord | T {
  let file: WavFile;
  try {
    file = WavFile.openSync(path);
  } catch (e) {
    return { path, size: 0, mtimeMs: 0, hash: '', error: e instanceof WavError ? e.reason : readReason(e) };
  }
  // size/mtime from fstat on the open descriptor: they describe the bytes that were hashed.
  const rec: IndexRecord = { path, size: file.size, mtimeMs: file.mtimeMs, hash: '' };
  let handedOver = false;
  try {
    if (isCompressed(file)) {
      handedOver = true;
      return compressed(file, rec);
    }
    let f: WavFacts;
    let s: ChannelStats;
    let warnings: string[];
    if (file.size <= WHOLE_READ_BYTES) {
      let bytes: Buffer;
      try {
        bytes = file.readAll(WHOLE_READ_BYTES);
      } catch (e) {
        return { ...rec, error: e instanceof WavError ? e.reason : readReason(e) };
      }
      rec.hash = createHash('sha1').update(bytes).digest('hex');
      const header = readWavHeader(bytes);
      f = header.facts;
      warnings = header.warnings;
      s = channelStats(mixdown(decodeFrames(bytes, header)), { sampleRate: f.sampleRate });
    } else {
      rec.hash = hashFile(file);
      const header = file.readHeader();
      f = header.facts;
      warnings = header.warnings;
      s = scanWavFile(file, header, { mono: true }).mono;
    }
    recordFacts(rec, f, s, warnings);
  } catch (e) {
    rec.error = e instanceof WavError ? e.reason : readReason(e);
  } finally {
    if (!handedOver) file.close();
  }
  return rec;
}

/** True when the file's first bytes are not RIFF/RIFX/RF64 (the sniffer decides what they are). */
function isCompressed(file: WavFile): boolean {
  const id = file.readRange(0, 4).toString('latin1');
  return file.size > 0 && id !== 'RIFF' && id !== 'RIFX' && id !== 'RF64';
}

function recordFacts(rec: IndexRecord, f: WavFacts, s: ChannelStats, warnings: string[]): void {
  Object.assign(rec, {
    format: f.format,
    sampleRate: f.sampleRate,
    bitsPerSample: f.bitsPerSample,
    channels: f.channels,
    frames: f.frames,
    durationSec: f.durationSec,
    peak: s.peak,
    rms: s.rms,
    dcOffset: s.dcOffset,
    clippedRatio: s.clippedRatio,
    silenceRatio: s.silenceRatio,
  });
  if (warnings.length) rec.warnings = warnings;
}

/** Files indexed between two yields to the event loop (so a main-thread caller stays responsive). */
const YIELD_EVERY = 64;

/**
 * Indexes files in order (each independent: a failure is that record's `error`). One file at a time
 * on purpose: parallelism comes from the worker pool, not from piling up reads in one thread.
 */
export async function indexFiles(paths: string[]): Promise<IndexRecord[]> {
  const out: IndexRecord[] = [];
  for (let i = 0; i < paths.length; i++) {
    if (i && i % YIELD_EVERY === 0) await new Promise<void>((r) => setImmediate(r));
    out.push(await indexFile(paths[i]));
  }
  return out;
}

/** Serialised form of an IndexCache. */
export interface IndexCacheJson {
  version: 1;
  records: IndexRecord[];
}

/** Index records by path, valid while the file's (size, mtimeMs) are unchanged. */
export class IndexCache {
  private readonly map = new Map<string, IndexRecord>();

  /** Whether `path` must be (re)indexed: unknown, or its size or mtime changed. */
  needs(path: string, size: number, mtimeMs: number): boolean {
    const r = this.map.get(path);
    return !r || r.size !== size || r.mtimeMs !== mtimeMs;
  }

  /** The cached record of `path`, if any (check `needs` first). */
  get(path: string): IndexRecord | undefined {
    return this.map.get(path);
  }

  /** Stores (or replaces) a record. */
  set(record: IndexRecord): void {
    this.map.set(record.path, record);
  }

  /** Forgets a path (deleted files). */
  delete(path: string): void {
    this.map.delete(path);
  }

  /** Number of cached records. */
  get size(): number {
    return this.map.size;
  }

  /** Plain JSON for the host to persist. */
  toJSON(): IndexCacheJson {
    return { version: 1, records: [...this.map.values()] };
  }

  /** Rebuilds a cache from `toJSON()` output; anything malformed gives an empty (or partial) cache, never a throw. */
  static fromJSON(json: unknown): IndexCache {
    const cache = new IndexCache();
    const j = json as Partial<IndexCacheJson> | null;
    if (!j || j.version !== 1 || !Array.isArray(j.records)) return cache;
    for (const r of j.records) {
      const v = validRecord(r);
      if (v) cache.set(v);
    }
    return cache;
  }
}

const NUMBER_FIELDS = [
  'sampleRate',
  'bitsPerSample',
  'channels',
  'frames',
  'durationSec',
  'peak',
  'rms',
  'dcOffset',
  'clippedRatio',
  'silenceRatio',
] as const;

/**
 * A cached record checked field by field (the cache file is outside our control once written):
 * required identity fields with their types, every optional field of the right type and range,
 * nothing else kept. Undefined when anything is wrong: the file is simply indexed again.
 */
export function validRecord(r: unknown): IndexRecord | undefined {
  if (!r || typeof r !== 'object' || Array.isArray(r)) return undefined;
  const o = r as Record<string, unknown>;
  const finite = (v: unknown) => typeof v === 'number' && Number.isFinite(v);
  if (typeof o.path !== 'string' || !o.path || o.path.includes('\0')) return undefined;
  if (!finite(o.size) || (o.size as number) < 0 || !finite(o.mtimeMs)) return undefined;
  if (typeof o.hash !== 'string' || !/^([0-9a-f]{40})?$/.test(o.hash)) return undefined;
  const out: IndexRecord = {
    path: o.path,
    size: o.size as number,
    mtimeMs: o.mtimeMs as number,
    hash: o.hash,
  };
  if (o.error !== undefined) {
    if (typeof o.error !== 'string') return undefined;
    out.error = o.error;
  }
  if (o.format !== undefined) {
    if (!['pcm', 'float', 'mulaw', 'alaw', 'flac', 'mp3', 'vorbis', 'opus'].includes(o.format as string))
      return undefined;
    out.format = o.format as string;
  }
  for (const k of NUMBER_FIELDS) {
    if (o[k] === undefined) continue;
    if (!finite(o[k])) return undefined;
    out[k] = o[k] as number;
  }
  if (
    out.sampleRate !== undefined &&
    !(Number.isInteger(out.sampleRate) && out.sampleRate > 0 && out.sampleRate <= MAX_SAMPLE_RATE)
  )
    return undefined;
  if (
    out.channels !== undefined &&
    !(Number.isInteger(out.channels) && out.channels >= 1 && out.channels <= MAX_CHANNELS)
  )
    return undefined;
  if (out.frames !== undefined && !(Number.isInteger(out.frames) && out.frames >= 0)) return undefined;
  if (o.warnings !== undefined) {
    if (!Array.isArray(o.warnings) || !o.warnings.every((w) => typeof w === 'string')) return undefined;
    out.warnings = o.warnings as string[];
  }
  // A readable record has its whole format; a partial one would crash the report.
  if (!out.error && out.sampleRate !== undefined) {
    for (const k of NUMBER_FIELDS) if (out[k] === undefined) return undefined;
    if (out.format === undefined) return undefined;
  }
  return out;
}
