import { MPEGDecoder } from 'mpg123-decoder';
import { readBytes, type ByteSource } from './byteSource';
import { mpegFrame, type StreamHeader } from './codecHeaders';
import { isMpegHeader } from './sniff';
import { WavError } from './wavDecode';

/** Bytes read at a time while indexing the frames. */
const SCAN_BYTES = 1 << 20;
/** mpg123's decoder delay: with a LAME tag, gapless decoding removes it with the encoder delay. */
const MPG123_DELAY = 529;
/**
 * Frames decoded before a range and dropped: the bit reservoir reaches up to 511 bytes back and the
 * overlap one frame. At least this many frames and PREROLL_BYTES of them (measured: 3 frames are
 * still wrong at 128 kbit/s CBR, 4 with VBR; the range tests check random offsets against the whole decode).
 */
const PREROLL_FRAMES = 4;
const PREROLL_BYTES = 2048;

/** One decoded range: every channel, as the whole-file decode has it. */
export interface RangeDecoder {
  /** Frames in the whole decode. */
  readonly frames: number;
  /** Frames [a, b) (0 <= a <= b <= frames) of every channel, equal to the whole decode's. */
  decode(a: number, b: number): Promise<Float32Array[]>;
  free(): void;
}

/**
 * An MP3 read by ranges: every frame header scanned once on open (offsets only, no decoding; the
 * Xing TOC is too coarse to find a frame, so it is not used), then a range decoded from a few frames
 * before it with mpg123 and trimmed to the samples the whole gapless decode has there: frame j's
 * samples start at j x samplesPerFrame - (encoder delay + 529) when a LAME tag gives the delay, at
 * j x samplesPerFrame when none does (mpg123 then trims nothing).
 */
export class Mp3Ranges implements RangeDecoder {
  private constructor(
    private readonly src: ByteSource,
    private readonly header: StreamHeader,
    /** Byte offset of each audio frame, and the end of the last one. */
    private readonly offsets: Float64Array,
    private readonly spf: number,
    private readonly shift: number,
    readonly frames: number,
    private readonly decoder: MPEGDecoder,
  ) {}

  static async open(src: ByteSource, header: StreamHeader): Promise<Mp3Ranges> {
    let offsets = new Float64Array(1 << 16);
    let count = 0;
    const first = await readBytes(src, header.audioOffset, 4);
    if (!isMpegHeader(first, 0)) throw new WavError(`no MPEG frame at byte ${header.audioOffset}`);
    const ref = mpegFrame(first, 0);
    let o = header.audioOffset;
    // One buffer, refilled in place: a fresh 1-MB array per read cost more than the scan itself.
    const buf = new Uint8Array(SCAN_BYTES);
    let bufAt = 0;
    let bufLen = 0;
    // Frame size by header bytes 1-2 for headers of this stream (same version and rate), 0 otherwise:
    // one table lookup per frame (a 1-hour file has 140,000 frames).
    const sizes = new Uint16Array(65536);
    const h = new Uint8Array([0xff, 0, 0, first[3]]);
    for (let k = 0; k < 65536; k++) {
      h[1] = k >> 8;
      h[2] = k & 255;
      if (!isMpegHeader(h, 0) || ((h[1] >> 1) & 3) !== 1) continue;
      const f = mpegFrame(h, 0);
      if (f.rate === ref.rate && f.v1 === ref.v1) sizes[k] = f.size;
    }
    for (;;) {
      if (o + 4 > src.size) break;
      if (o + 4 > bufAt + bufLen) {
        bufAt = o;
        bufLen = await src.read(o, buf);
        if (bufLen < 4) break;
      }
      const i = o - bufAt;
      // Anything but a frame of this stream (an ID3v1 or APE tag, junk) ends the audio.
      const size = buf[i] === 0xff ? sizes[(buf[i + 1] << 8) | buf[i + 2]] : 0;
      if (!size || o + size > src.size) break; // a truncated last frame: mpg123 does not decode it either
      if (count + 1 >= offsets.length) {
        const grown = new Float64Array(offsets.length * 2);
        grown.set(offsets);
        offsets = grown;
      }
      offsets[count++] = o;
      o += size;
    }
    offsets[count] = o;
    if (!count) throw new WavError('no complete MP3 frame');
    const delay = header.encoderDelay;
    const shift = delay === undefined ? 0 : delay + MPG123_DELAY;
    const cut = delay === undefined ? 0 : delay + (header.padding ?? 0);
    const frames = Math.max(0, Math.min(count * ref.spf - cut, header.declaredFrames ?? Infinity));
    const decoder = new MPEGDecoder();
    await decoder.ready;
    return new Mp3Ranges(src, header, offsets.slice(0, count + 1), ref.spf, shift, frames, decoder);
  }

  async decode(a: number, b: number): Promise<Float32Array[]> {
    const chans = this.header.channels;
    const out = Array.from({ length: chans }, () => new Float32Array(Math.max(0, b - a)));
    if (b <= a) return out;
    const count = this.offsets.length - 1;
    const j0 = Math.floor((a + this.shift) / this.spf);
    const j1 = Math.min(count, Math.ceil((b + this.shift) / this.spf));
    let p = j0;
    while (p > 0 && (j0 - p < PREROLL_FRAMES || this.offsets[j0] - this.offsets[p] < PREROLL_BYTES)) p--;
    const bytes = await readBytes(this.src, this.offsets[p], this.offsets[j1] - this.offsets[p]);
    const list: Uint8Array[] = [];
    for (let j = p; j < j1; j++) {
      const s = this.offsets[j] - this.offsets[p];
      list.push(bytes.subarray(s, s + this.offsets[j + 1] - this.offsets[j]));
    }
    // From the first frame, the decode is the whole decode's only from a fresh decoder (no reservoir
    // or overlap left from an earlier range); elsewhere the preroll frames replace what is left.
    if (p === 0) await this.decoder.reset();
    const d = this.decoder.decodeFrames(list);
    if (d.errors.length || d.samplesDecoded !== (j1 - p) * this.spf)
      throw new WavError(
        `corrupt MP3 data near byte ${this.offsets[p]}` +
          (d.errors.length
            ? ` (${d.errors[0].message})`
            : ` (${d.samplesDecoded} samples from ${j1 - p} frames)`),
      );
    // Sample i of the decode is sample p x spf - shift + i of the whole decode.
    const base = p * this.spf - this.shift;
    for (let ch = 0; ch < chans; ch++) out[ch].set(d.channelData[ch].subarray(a - base, b - base));
    return out;
  }

  free(): void {
    this.decoder.free();
  }
}
