import { FLACDecoder } from '@wasm-audio-decoders/flac';
import { OggVorbisDecoder } from '@wasm-audio-decoders/ogg-vorbis';
import { MPEGDecoder } from 'mpg123-decoder';
import { OggOpusDecoder } from 'ogg-opus-decoder';
import { readFlacHeader, readMp3Header, readOpusHead, readVorbisId, type StreamHeader } from './codecHeaders';
import { OggWalker, type OggCodec } from './oggStreams';
import { id3v2Size } from './sniff';
import { WavError } from './wavDecode';

/** Where a stream reads the file from: its size and a read of `length` bytes at `offset` (fewer at the end). */
export interface ByteReader {
  size: number;
  read(offset: number, length: number): Uint8Array | Promise<Uint8Array>;
}

/** Bytes fed to a decoder per step: one step's decoded audio is a few MB at most, whatever the file's length. */
export const STREAM_READ_BYTES = 256 * 1024;
/** Bytes read first to find the headers (FLAC metadata, ID3 tag, the first Ogg pages). */
const HEAD_BYTES = 256 * 1024;

/** The decoders' shared result shape. */
interface Decoded {
  channelData: Float32Array[];
  samplesDecoded: number;
  errors: { message: string; frameNumber?: number; inputBytes?: number }[];
}
interface Decoder {
  ready: Promise<void>;
  decode(b: Uint8Array): Decoded | Promise<Decoded>;
  flush?(): Promise<Decoded>;
  free(): void;
}

/**
 * The FLAC decoder prints its errors with console.error before returning them: in the CLI that would
 * be a second, unformatted line per error. Silenced around the call; the errors are reported by us.
 */
export async function quietly<T>(f: () => T | Promise<T>): Promise<T> {
  const saved = console.error;
  console.error = () => undefined;
  try {
    return await f();
  } finally {
    console.error = saved;
  }
}

/**
 * A compressed file decoded in order, piece by piece (FLAC, MP3, or the first audio stream of an
 * Ogg file: Vorbis or Opus), with the exactness fixes Wavebench needs:
 * - FLAC: @wasm-audio-decoders/flac scales n-bit integers by 1 / (2^(n-1) - 1) (1/32767 for 16 bit);
 *   undone here (round(x * (2^(n-1) - 1)) / 2^(n-1)) so samples equal the WAV reader's x / 2^(n-1)
 *   and features are bit-identical to the source WAV's;
 * - MP3: mpg123 removes the LAME tag's encoder delay and padding itself (checked against ffmpeg's
 *   gapless decode in the tests); it always outputs two channels: a mono file keeps its one;
 * - Opus: pre-skip removed and the end trimmed to the last granule by ogg-opus-decoder; output at
 *   48 kHz (resampled to a model's rate by resample.ts like any other rate);
 * - Ogg: only the first audio stream's pages reach the decoder (oggStreams.ts), CRCs checked.
 * Decoder errors, wrong CRCs and broken headers throw WavError naming the byte: what was decoded
 * before is never returned as the whole file.
 */
export class CompressedStream {
  private offset = 0;
  private frames = 0;
  private ended = false;
  private readonly warnings: string[];

  private constructor(
    private readonly reader: ByteReader,
    readonly header: StreamHeader,
    private readonly decoder: Decoder,
    private readonly walker: OggWalker | undefined,
    private pending: Uint8Array[],
    private readonly flacScale: number,
    private readonly readBytes: number,
  ) {
    this.warnings = [...header.warnings];
  }

  /** Reads the headers and readies the decoder (throws WavError for a broken or unsupported stream). */
  static async open(
    kind: 'flac' | 'mp3' | 'ogg',
    reader: ByteReader,
    readBytes = STREAM_READ_BYTES,
  ): Promise<CompressedStream> {
    let head = await reader.read(0, Math.min(reader.size, HEAD_BYTES));
    const tag = kind === 'flac' ? id3v2Size(head) : 0;
    if (tag) {
      // An ID3v2 tag before a FLAC stream (not in the FLAC format, but written by some taggers):
      // the stream is read from after it, as ffmpeg does.
      const inner = reader;
      reader = { size: Math.max(0, inner.size - tag), read: (o, n) => inner.read(o + tag, n) };
      head = await reader.read(0, Math.min(reader.size, HEAD_BYTES));
    }
    let header: StreamHeader;
    let decoder: Decoder;
    let walker: OggWalker | undefined;
    let pending: Uint8Array[] = [];
    if (kind === 'flac') {
      header = readFlacHeader(head, reader.size);
      decoder = new FLACDecoder();
    } else if (kind === 'mp3') {
      header = readMp3Header(head, reader.size);
      decoder = new MPEGDecoder();
    } else {
      walker = new OggWalker();
      pending = walker.push(head);
      if (!walker.idHeader) {
        if (head.length < reader.size)
          throw new WavError('no Vorbis or Opus stream in the first 256 kB of the Ogg file');
        walker.finish();
        throw new WavError('Ogg file without audio pages');
      }
      header = { ...oggHeader(walker.codec!, walker.idHeader, reader.size), ogg: true, audioOffset: 0 };
      decoder =
        walker.codec === 'opus'
          ? new OggOpusDecoder()
          : walker.codec === 'flac'
            ? new FLACDecoder() // its parser reads Ogg FLAC pages (the granule trims the end)
            : new OggVorbisDecoder();
    }
    await decoder.ready;
    const s = new CompressedStream(
      reader,
      header,
      decoder,
      walker,
      pending,
      header.bitsPerSample ? 2 ** (header.bitsPerSample - 1) : 0,
      readBytes,
    );
    s.offset = walker ? head.length : 0;
    return s;
  }

  /** Frames decoded so far. */
  get decodedFrames(): number {
    return this.frames;
  }

  /**
   * The next decoded piece (one array per channel; may be empty arrays), or undefined at the end.
   * Throws WavError at corrupt data.
   */
  async next(): Promise<Float32Array[] | undefined> {
    if (this.ended) return undefined;
    let input: Uint8Array[];
    if (this.pending.length) {
      input = this.pending;
      this.pending = [];
    } else if (this.offset < this.reader.size && !this.walker?.done) {
      const bytes = await this.reader.read(
        this.offset,
        Math.min(this.readBytes, this.reader.size - this.offset),
      );
      if (!bytes.length) throw new WavError('file changed while being read');
      input = this.walker ? this.walker.push(bytes) : [bytes];
      this.offset += bytes.length;
    } else {
      this.ended = true;
      const last = this.decoder.flush ? this.take(await quietly(() => this.decoder.flush!())) : undefined;
      this.finishChecks();
      return last;
    }
    const pieces: Float32Array[][] = [];
    for (const b of input) pieces.push(this.take(await quietly(() => this.decoder.decode(b))));
    return pieces.length === 1 ? pieces[0] : joinPieces(pieces, this.header.channels);
  }

  private take(d: Decoded): Float32Array[] {
    if (d.errors.length) {
      const e = d.errors[0];
      const at = e.inputBytes !== undefined ? ` near byte ${this.header.audioOffset + e.inputBytes}` : '';
      const before = this.frames
        ? ` after ${(this.frames / this.header.sampleRate).toFixed(2)} s of audio`
        : '';
      throw new WavError(
        `corrupt ${this.header.codec} data${at}${before} (${e.message.replace(/\s+/g, ' ')})`,
      );
    }
    const n = d.samplesDecoded;
    const chans = d.channelData.slice(0, this.header.channels).map((c) => c.subarray(0, n));
    if (n && chans.length < this.header.channels)
      throw new WavError(
        `${this.header.codec} data with ${chans.length} channels where the header says ${this.header.channels}`,
      );
    while (chans.length < this.header.channels) chans.push(new Float32Array(0));
    if (this.flacScale && n) {
      const m = this.flacScale - 1;
      const inv = 1 / this.flacScale;
      for (const c of chans) for (let i = 0; i < n; i++) c[i] = Math.round(c[i] * m) * inv;
    }
    this.frames += n;
    return chans;
  }

  private finishChecks(): void {
    if (this.walker) this.warnings.push(...this.walker.finish());
    if (this.frames === 0) {
      const why = this.warnings.find((w) => w.startsWith('truncated'));
      throw new WavError(
        `no ${this.header.codec} audio frames could be decoded (0 frames)${why ? `; ${why}` : ''}`,
      );
    }
    const declared = this.header.declaredFrames;
    const rate = this.header.sampleRate;
    if (declared && this.frames < declared)
      this.warnings.push(
        `incomplete: decoded ${this.frames} of the ${declared} frames the header declares ` +
          `(${(this.frames / rate).toFixed(2)} of ${(declared / rate).toFixed(2)} s): the rest is missing or corrupt`,
      );
    else if (declared && this.frames > declared)
      this.warnings.push(`the header declares ${declared} frames; ${this.frames} were decoded`);
  }

  /** The header's warnings plus what decoding found (complete once next() returned undefined). */
  get allWarnings(): string[] {
    return this.warnings;
  }

  /** Frees the decoder's WebAssembly memory. */
  free(): void {
    this.decoder.free();
  }
}

/**
 * The stream header of an Ogg stream from its first packet. Ogg FLAC's is 0x7F "FLAC", a version
 * (2 bytes), a header-packet count (2 bytes), then the native "fLaC" signature and STREAMINFO.
 */
function oggHeader(codec: OggCodec, id: Uint8Array, fileSize: number): Omit<StreamHeader, 'audioOffset'> {
  if (codec === 'opus') return readOpusHead(id);
  if (codec === 'vorbis') return readVorbisId(id);
  return readFlacHeader(id.subarray(9), fileSize);
}

/** Concatenates decoded pieces channel by channel. */
export function joinPieces(pieces: Float32Array[][], channels: number): Float32Array[] {
  return Array.from({ length: channels }, (_, ch) => {
    const n = pieces.reduce((a, p) => a + (p[ch]?.length ?? 0), 0);
    const out = new Float32Array(n);
    let o = 0;
    for (const p of pieces) {
      if (!p[ch]) continue;
      out.set(p[ch], o);
      o += p[ch].length;
    }
    return out;
  });
}
