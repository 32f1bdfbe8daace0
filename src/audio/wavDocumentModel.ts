import { decodeCompressed, sniffReader } from './audioDecode';
import { afterId3v2, readAllBytes, readBytes, type ByteSource } from './byteSource';
import { CompressedSource, DECODE_BLOCK, readerOf } from './compressedSource';
import { DecodedSource } from './decodedSource';
import { mixdown } from './mixdown';
import { Spectrogram } from './spectrogram';
import { arrayReader, spectrogramFrameStarts, spectrogramRange, type SampleReader } from './spectrogramRange';
import { StatsAccumulator, type ChannelStats } from './stats';
import { waveformOverview } from './waveformOverview';
import { WavSource } from './wavSource';

/**
 * Bounds of what one view may cost, by bytes and counts, never by seconds: a file's rate and
 * channel count come from its header and can be anything the decoder accepts.
 */
export const VIEW_LIMITS: ViewLimits = {
  /** Files with at most this many samples (frames x channels) are decoded whole; larger ones go by ranges. */
  wholeDecodeSamples: 16 << 20,
  /** Channels drawn (waveform, levels); a file with more shows its first ones and says so. */
  channelsShown: 8,
  /** Columns of a waveform view. */
  columns: 4000,
  /** Columns of the whole-file overview. */
  overviewColumns: 1600,
  /** Spectrogram frames per view. */
  spectrogramFrames: 1200,
  /** Longest spectrogram window, in samples (30 ms at 192 kHz is 5,760). */
  spectrogramWindow: 8192,
  /** Bytes read for one view (waveform or spectrogram): beyond it, views decimate. */
  viewReadBytes: 32 << 20,
  /** Longest playback chunk in seconds, and in mono samples sent. */
  audioChunkSec: 60,
  audioChunkSamples: 4 << 20,
};

/** The bounds a model works within (tests lower them to exercise range reads on small files). */
export interface ViewLimits {
  wholeDecodeSamples: number;
  channelsShown: number;
  columns: number;
  overviewColumns: number;
  spectrogramFrames: number;
  spectrogramWindow: number;
  viewReadBytes: number;
  audioChunkSec: number;
  audioChunkSamples: number;
}

/**
 * A view of a long range of a compressed file is made of sparse decodes, each from the frame before
 * it (a few ms each): at most SPARSE_READS of them, SPARSE_DECODE_FRAMES frames per waveform column.
 * Its waveform has that many columns and its spectrogram that many frames until the overview pass
 * (one streamed decode) gives the exact whole-file waveform.
 */
const SPARSE_READS = 256;
const SPARSE_DECODE_FRAMES = 1024;

/** Min/max per column and channel: `min[ch * columns + c]`. */
export interface WaveformRange {
  startSec: number;
  endSec: number;
  columns: number;
  channels: number;
  min: Float32Array;
  max: Float32Array;
  /** True when the columns come from sampled parts of each column (a range too wide to read whole). */
  decimated?: boolean;
}

/** Spectrogram frames of a range: `db[frame * bins + bin]`, frame i centred at `times[i]`. */
export interface SpectrogramRangeView {
  startSec: number;
  endSec: number;
  frames: number;
  bins: number;
  maxHz: number;
  db: Float32Array;
  times: Float32Array;
}

/** Per-channel levels and the whole-file waveform, from one pass over the file. */
export interface Overview {
  stats: ChannelStats[];
  waveform: WaveformRange;
}

/**
 * A WAV as the editor shows it, in plain Node: header facts, the whole-file overview (levels and
 * waveform, one bounded streaming pass), waveform and spectrogram ranges, playback chunks. Small
 * files are decoded whole; others are read by ranges through a WavSource. Owns what it allocates
 * (its spectrogram's FFT buffers, the source's handle): `dispose()` releases them. On a reload the
 * owner builds a new model and disposes the old one; this object never changes file.
 */
export class WavDocumentModel {
  private overviewP: Promise<Overview> | undefined;
  private overviewDone: Overview | undefined;
  private spec: Promise<Spectrogram> | undefined;
  private disposed = false;

  private constructor(
    readonly source: WavSource | CompressedSource | DecodedSource,
    /** Decoded channels (only the shown ones) and their mono mix: small files only. */
    private readonly channels: Float32Array[] | undefined,
    private readonly monoWhole: Float32Array | undefined,
    private readonly limits: ViewLimits,
  ) {}

  /** Reads the header (and a small file's samples). Throws WavError with the decoder's reason. */
  static async open(bytes: ByteSource, limits: Partial<ViewLimits> = {}): Promise<WavDocumentModel> {
    const lim = { ...VIEW_LIMITS, ...limits };
    const kind = await sniffReader(readerOf(bytes));
    // A FLAC stream after an ID3v2 tag is read from after it (offsets counted from there).
    if (kind === 'flac') bytes = await afterId3v2(bytes);
    const reader = readerOf(bytes);
    // WAV, FLAC, MP3 and Ogg: a long file is read by ranges (decoded from the nearest frame or page).
    let source: WavSource | CompressedSource | undefined;
    if (kind === 'wav') source = await WavSource.open(bytes);
    else if (kind === 'ogg') source = await CompressedSource.openOgg(bytes);
    else if (kind === 'mp3' || (await flacTotalKnown(bytes)))
      source = await CompressedSource.open(kind, bytes);
    if (!source) {
      // Ogg files not read by ranges (several streams, chained, no end page) and FLAC without a total
      // sample count are decoded whole, up to MAX_WHOLE_DECODE_SAMPLES (longer ones are refused
      // with one line).
      const d = await decodeCompressed(kind as Exclude<typeof kind, 'wav'>, reader);
      // The file's bytes, for the worker that classifies it: read after the decode, not before, so a
      // file the decoder refuses from its header (too long to decode whole) is never read whole.
      const file = await readAllBytes(bytes);
      await bytes.close();
      const decoded = new DecodedSource(d.facts, d.warnings, d.channels, file);
      return new WavDocumentModel(decoded, d.channels, mixdown(d.channels), lim);
    }
    const f = source.facts;
    if (f.frames * f.channels > lim.wholeDecodeSamples)
      return new WavDocumentModel(source, undefined, undefined, lim);
    const all: Float32Array[][] = [];
    for await (const c of source.chunks()) all.push(c.channels);
    const channels = Array.from({ length: f.channels }, (_, ch) => {
      const out = new Float32Array(f.frames);
      let o = 0;
      for (const part of all) {
        out.set(part[ch], o);
        o += part[ch].length;
      }
      return out;
    });
    return new WavDocumentModel(source, channels, mixdown(channels), lim);
  }

  get facts() {
    return this.source.facts;
  }

  get warnings(): string[] {
    return this.source.header.warnings;
  }

  /** Decoded whole (small file): views never read the file again. */
  get whole(): boolean {
    return !!this.channels;
  }

  /** The mono mix of a small file (sent with the first view for playback), else undefined. */
  get mono(): Float32Array | undefined {
    return this.monoWhole;
  }

  /** Channels drawn: the first this.limits.channelsShown. */
  get channelsShown(): number {
    return Math.min(this.facts.channels, this.limits.channelsShown);
  }

  /** `length` mono samples from `start`, zero outside the file. */
  read(start: number, length: number): Promise<Float32Array> | Float32Array {
    if (this.monoWhole) return arrayReader(this.monoWhole)(start, length);
    return this.source.mono(start, length);
  }

  /** Levels of the shown channels and the whole-file waveform: one streaming pass, started once and shared. */
  overview(silenceThresholdDb: number): Promise<Overview> {
    this.overviewP ??= this.scan(silenceThresholdDb).then((o) => (this.overviewDone = o));
    return this.overviewP;
  }

  private async scan(silenceThresholdDb: number): Promise<Overview> {
    const f = this.facts;
    const shown = this.channelsShown;
    const cols = this.limits.overviewColumns;
    const accs = Array.from(
      { length: shown },
      () => new StatsAccumulator({ sampleRate: f.sampleRate, silenceThresholdDb }),
    );
    const min = new Float32Array(cols * shown).fill(Infinity);
    const max = new Float32Array(cols * shown).fill(-Infinity);
    const perCol = Math.max(1e-9, f.frames / cols);
    const take = (s: number, x: Float32Array, ch: number) => {
      accs[ch].add(x);
      for (let c = Math.floor(s / perCol); c < cols && c * perCol < s + x.length; c++) {
        const a = Math.max(0, Math.ceil(c * perCol) - s);
        const b = Math.min(x.length, Math.ceil((c + 1) * perCol) - s);
        let lo = min[ch * cols + c];
        let hi = max[ch * cols + c];
        for (let i = a; i < b; i++) {
          const v = x[i];
          if (v < lo) lo = v;
          if (v > hi) hi = v;
        }
        min[ch * cols + c] = lo;
        max[ch * cols + c] = hi;
      }
    };
    if (this.channels) {
      for (let ch = 0; ch < shown; ch++) take(0, this.channels[ch], ch);
    } else {
      // 4-MB pieces: with the decoded floats of the piece in hand and the next being read, about 25 MB live.
      const piece = Math.max(1, Math.floor((4 << 20) / f.blockAlign));
      for await (const { start, channels } of this.source.chunks(piece)) {
        if (this.disposed) break;
        for (let ch = 0; ch < shown; ch++) take(start, channels[ch], ch);
        await new Promise((r) => setImmediate(r)); // let the host breathe between pieces
      }
    }
    for (let c = 0; c < min.length; c++) if (min[c] === Infinity) min[c] = max[c] = 0;
    return {
      stats: accs.map((a) => a.result()),
      waveform: { startSec: 0, endSec: f.durationSec, columns: cols, channels: shown, min, max },
    };
  }

  /** Clamps a requested range to the file. */
  private clamp(startSec: number, endSec: number, columns: number): { s0: number; s1: number; cols: number } {
    const d = this.facts.durationSec;
    const s0 = Math.max(0, Math.min(startSec, d));
    const s1 = Math.max(s0, Math.min(endSec, d));
    return { s0, s1, cols: Math.max(1, Math.min(this.limits.columns, Math.round(columns))) };
  }

  /**
   * Waveform min/max per column over [startSec, endSec) of the shown channels. Reads at most
   * this.limits.viewReadBytes: a wider range of a large file comes from the overview when that is
   * fine enough, else from an evenly spaced part of each column (decimated).
   */
  async waveform(startSec: number, endSec: number, columns: number): Promise<WaveformRange> {
    const { s0, s1, cols: asked } = this.clamp(startSec, endSec, columns);
    const f = this.facts;
    const rate = f.sampleRate;
    const shown = this.channelsShown;
    const sparse = this.sparse(s0, s1);
    const cols = sparse ? Math.min(asked, SPARSE_READS) : asked;
    const min = new Float32Array(cols * shown);
    const max = new Float32Array(cols * shown);
    const view: WaveformRange = { startSec: s0, endSec: s1, columns: cols, channels: shown, min, max };
    const a = Math.floor(s0 * rate);
    const b = Math.min(f.frames, Math.ceil(s1 * rate));
    const per = (ch: number) =>
      [min.subarray(ch * cols, (ch + 1) * cols), max.subarray(ch * cols, (ch + 1) * cols)] as const;
    const plan = this.waveformPlan(s0, s1, cols);
    if (this.channels) {
      for (let ch = 0; ch < shown; ch++) waveformOverview(this.channels[ch], a, b, cols, ...per(ch));
      return view;
    }
    if (plan === 'read') {
      const data = await this.framesBounded(a, b - a);
      for (let ch = 0; ch < shown; ch++) waveformOverview(data[ch], 0, data[ch].length, cols, ...per(ch));
      return view;
    }
    const o = this.overviewDone;
    if (o && plan === 'overview') {
      const oc = o.waveform.columns;
      // The overview's columns are at least as fine as these: exact min/max, nothing read.
      for (let c = 0; c < cols; c++) {
        const ca = Math.floor(((s0 + ((s1 - s0) * c) / cols) / f.durationSec) * oc);
        const cb = Math.max(ca + 1, Math.floor(((s0 + ((s1 - s0) * (c + 1)) / cols) / f.durationSec) * oc));
        for (let ch = 0; ch < shown; ch++) {
          let lo = Infinity;
          let hi = -Infinity;
          for (let k = ca; k < cb && k < oc; k++) {
            lo = Math.min(lo, o.waveform.min[ch * oc + k]);
            hi = Math.max(hi, o.waveform.max[ch * oc + k]);
          }
          min[ch * cols + c] = lo === Infinity ? 0 : lo;
          max[ch * cols + c] = hi === -Infinity ? 0 : hi;
        }
      }
      return view;
    }
    // Decimate: from each column, read only the frames the byte budget allows.
    const cap = sparse ? SPARSE_DECODE_FRAMES : Infinity;
    const budget = Math.max(1, Math.min(cap, Math.floor(this.limits.viewReadBytes / cols / f.blockAlign)));
    for (let c = 0; c < cols; c++) {
      const ca = a + Math.floor(((b - a) * c) / cols);
      const cb = a + Math.floor(((b - a) * (c + 1)) / cols);
      const n = Math.max(1, Math.min(budget, cb - ca));
      const data = await this.framesBounded(ca, n);
      for (let ch = 0; ch < shown; ch++) minMaxInto(data[ch], min, max, ch * cols + c);
    }
    view.decimated = true;
    return view;
  }

  /**
   * How a waveform of `cols` columns over [s0, s1) is made: from the samples in memory, by reading
   * the range (within the view budget), from the overview (when its columns are as fine), or
   * decimated (an evenly spaced part of each column).
   */
  private waveformPlan(s0: number, s1: number, cols: number): 'memory' | 'read' | 'overview' | 'decimate' {
    if (this.channels) return 'memory';
    const f = this.facts;
    const n = Math.min(f.frames, Math.ceil(s1 * f.sampleRate)) - Math.floor(s0 * f.sampleRate);
    if (n * f.blockAlign <= this.limits.viewReadBytes) return 'read';
    const oc = this.overviewDone?.waveform.columns ?? 0;
    return oc && n / cols >= f.frames / oc ? 'overview' : 'decimate';
  }

  /**
   * The waveform and spectrogram of a range, as the editor asks for them together (its first
   * message asks for the whole file). When the waveform would be decimated (a range too long for
   * the view budget, the overview not yet as fine), each spectrogram window is read once and its
   * waveform column is the min/max of the same samples: one read per column instead of two, and
   * nothing read beyond the windows (a 1-hour WAV's first view reads 6 MB, not 38). The
   * spectrogram is the one `spectrogram()` gives; the waveform is marked decimated.
   */
  async views(
    startSec: number,
    endSec: number,
    columns: number,
  ): Promise<{ waveform: WaveformRange; spectrogram: SpectrogramRangeView }> {
    const { s0, s1, cols: asked } = this.clamp(startSec, endSec, columns);
    const sparse = this.sparse(s0, s1);
    const spec = await this.spectrogramFor();
    const starts = this.spectrogramStarts(spec, s0, s1, asked);
    if (
      this.waveformPlan(s0, s1, sparse ? Math.min(asked, SPARSE_READS) : asked) !== 'decimate' ||
      !starts.length
    )
      return {
        waveform: await this.waveform(startSec, endSec, columns),
        spectrogram: await this.spectrogram(startSec, endSec, columns),
      };
    const shown = this.channelsShown;
    const cols = starts.length;
    const min = new Float32Array(cols * shown);
    const max = new Float32Array(cols * shown);
    const windows = new Map<number, Float32Array>();
    // Windows farther apart than a decoded block share none: each is decoded alone, not as blocks.
    const once = sparse && cols > 1 && starts[1] - starts[0] > DECODE_BLOCK;
    for (let c = 0; c < cols; c++) {
      const { channels, mono } = await this.windowAt(starts[c], spec.windowSize, once);
      windows.set(starts[c], mono);
      for (let ch = 0; ch < shown; ch++) minMaxInto(channels[ch], min, max, ch * cols + c);
    }
    const waveform: WaveformRange = { startSec: s0, endSec: s1, columns: cols, channels: shown, min, max };
    waveform.decimated = true;
    return { waveform, spectrogram: this.spectrogramOf(spec, windows, s0, s1, cols) };
  }

  /**
   * `n` frames from `start` (within the file): the shown channels and the mono mix of all of them.
   * `once`: a compressed file's sparse read, decoded on its own (a block cache would only churn).
   */
  private async windowAt(
    start: number,
    n: number,
    once: boolean,
  ): Promise<{ channels: Float32Array[]; mono: Float32Array }> {
    const shown = this.channelsShown;
    const channels = Array.from({ length: shown }, () => new Float32Array(n));
    const mono = new Float32Array(n);
    const step = this.source.maxFramesPerRead;
    for (let s = 0; s < n; s += step) {
      const k = Math.min(step, n - s);
      const part =
        once && this.source instanceof CompressedSource
          ? await this.source.framesOnce(start + s, k)
          : await this.source.frames(start + s, k);
      for (let ch = 0; ch < shown; ch++) channels[ch].set(part[ch], s);
      mono.set(mixdown(part), s);
    }
    return { channels, mono };
  }

  /** True for a range of a compressed file too long to decode within the view budget (read sparsely). */
  private sparse(s0: number, s1: number): boolean {
    const f = this.facts;
    return (
      this.source instanceof CompressedSource &&
      (s1 - s0) * f.sampleRate * f.blockAlign > this.limits.viewReadBytes
    );
  }

  /** Frames of the shown channels over any length, read in MAX_READ_BYTES pieces (caller bounds the total). */
  private async framesBounded(start: number, n: number): Promise<Float32Array[]> {
    const shown = this.channelsShown;
    const out = Array.from({ length: shown }, () => new Float32Array(Math.max(0, n)));
    const step = this.source.maxFramesPerRead;
    for (let s = 0; s < n; s += step) {
      const part = await this.source.frames(start + s, Math.min(step, n - s));
      for (let ch = 0; ch < shown; ch++) out[ch].set(part[ch], s);
    }
    return out;
  }

  /** The spectrogram this file's rate calls for: a 30-ms window (capped), 10-ms hop; made once per model. */
  private spectrogramFor(): Promise<Spectrogram> {
    const rate = this.facts.sampleRate;
    this.spec ??= Spectrogram.create({
      windowSize: Math.max(32, Math.min(this.limits.spectrogramWindow, Math.round(rate * 0.03))),
      stride: Math.max(1, Math.round(rate * 0.01)),
    });
    return this.spec;
  }

  /**
   * Spectrogram frames over [startSec, endSec): every hop when short, evenly spread frames when long,
   * at most this.limits.spectrogramFrames and as many as the byte budget allows.
   */
  async spectrogram(startSec: number, endSec: number, columns: number): Promise<SpectrogramRangeView> {
    const { s0, s1, cols } = this.clamp(startSec, endSec, columns);
    const spec = await this.spectrogramFor();
    // Fetch the windows first (they come from disk), then transform them.
    const starts = this.spectrogramStarts(spec, s0, s1, cols);
    const windows = new Map<number, Float32Array>();
    if (!this.monoWhole)
      for (const st of starts) windows.set(st, await this.source.mono(st, spec.windowSize));
    return this.spectrogramOf(spec, windows, s0, s1, starts.length);
  }

  /** Where the spectrogram of [s0, s1) at `cols` columns reads its windows (as many as the budgets allow). */
  private spectrogramStarts(spec: Spectrogram, s0: number, s1: number, cols: number): number[] {
    const f = this.facts;
    const perWindow = spec.windowSize * (this.channels ? 4 : f.blockAlign);
    const affordable = Math.floor(this.limits.viewReadBytes / perWindow);
    const sparse = this.sparse(s0, s1) ? SPARSE_READS : Infinity;
    const maxFrames = Math.min(this.limits.spectrogramFrames, cols, affordable, sparse);
    return maxFrames > 0 ? spectrogramFrameStarts(spec, f.frames, f.sampleRate, s0, s1, maxFrames) : [];
  }

  /** The spectrogram view of `frames` frames over [s0, s1), its windows read (or the mono mix in memory). */
  private spectrogramOf(
    spec: Spectrogram,
    windows: Map<number, Float32Array>,
    s0: number,
    s1: number,
    frames: number,
  ): SpectrogramRangeView {
    const f = this.facts;
    const reader: SampleReader = this.monoWhole
      ? arrayReader(this.monoWhole)
      : (st, len) => windows.get(st) ?? new Float32Array(len);
    const r =
      frames > 0
        ? spectrogramRange(spec, reader, f.frames, f.sampleRate, s0, s1, frames)
        : { frames: 0, bins: spec.bins, db: new Float32Array(0), times: new Float32Array(0) };
    return { startSec: s0, endSec: s1, maxHz: f.sampleRate / 2, ...r };
  }

  /** Mono samples for playback from `startSec`: at most this.limits.audioChunkSec and audioChunkSamples. */
  async audio(startSec: number, durationSec: number): Promise<{ startSec: number; samples: Float32Array }> {
    const f = this.facts;
    const start = Math.max(0, Math.min(f.frames, Math.floor(startSec * f.sampleRate)));
    const want = Math.floor(Math.min(durationSec, this.limits.audioChunkSec) * f.sampleRate);
    const n = Math.max(0, Math.min(f.frames - start, want, this.limits.audioChunkSamples));
    const bytesPerFrame = this.channels ? 0 : f.blockAlign;
    // A read for a chunk is bounded too: samples x bytes per frame never above the view budget.
    const m = bytesPerFrame ? Math.min(n, Math.floor(this.limits.viewReadBytes / bytesPerFrame)) : n;
    return {
      startSec: start / f.sampleRate,
      samples: Float32Array.from(await this.read(start, Math.max(0, m))),
    };
  }

  /** Releases the spectrogram's buffers and the file handle; an overview scan under way stops. */
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    void this.spec?.then(
      (s) => s.dispose(),
      () => undefined,
    );
    void this.source.close();
  }
}

/** True when a FLAC file's STREAMINFO gives its length (what reading it by ranges needs). */
async function flacTotalKnown(src: ByteSource): Promise<boolean> {
  // 'fLaC', a 4-byte block header, then STREAMINFO: the 36-bit total at its bytes 13 (low 4 bits) to 17.
  const b = await readBytes(src, 0, 26);
  return b.length === 26 && ((b[21] & 0x0f) | b[22] | b[23] | b[24] | b[25]) !== 0;
}

/** Min and max of `x` into `min[at]` and `max[at]` (0 and 0 for no samples). */
function minMaxInto(x: Float32Array, min: Float32Array, max: Float32Array, at: number): void {
  let lo = 0;
  let hi = 0;
  if (x.length) {
    lo = hi = x[0];
    for (let i = 1; i < x.length; i++) {
      const v = x[i];
      if (v < lo) lo = v;
      if (v > hi) hi = v;
    }
  }
  min[at] = lo;
  max[at] = hi;
}
