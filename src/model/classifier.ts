import * as tf from '@tensorflow/tfjs';
import { createHash } from 'node:crypto';
import { compressedFacts } from '../audio/audioDecode';
import { fileReader, sniffFile, type FrameReader } from '../audio/audioFile';
import { CompressedStream } from '../audio/compressedStream';
import { decodeAnyToRate } from '../audio/load';
import { StreamWindows } from '../audio/streamWindows';
import { mixdown } from '../audio/mixdown';
import { resampledLength, resampleInputRange, resampleRange } from '../audio/resample';
import { hashFile, WavFile } from '../audio/wavFile';
import { WavError } from '../audio/wavDecode';
import { DEFAULT_TOP_K, DEFAULT_WINDOW_STRIDE_MS } from './defaults';
import { ModelInput } from './modelInput';
import { loadModelPackage, type ModelLoadOptions, type ModelPackage } from './modelPackage';
import { DEFAULT_RECOGNIZER, recognize, windowStarts, type Detection } from './windows';

/**
 * Files up to this size are read whole and their windows batched across files; larger ones are
 * streamed window group by window group (classifyLongFile): 32 MB is 17 min of 16-bit 16 kHz mono.
 */
const WHOLE_READ_BYTES = 32 * 1024 * 1024;
/**
 * Compressed files above this size are decoded as a stream (classifyLongCompressed): 2 MB of MP3 at
 * 128 kbit/s is 2 min, 21 MB of decoded float stereo; FLAC expands ~2x, Opus ~30x.
 */
const WHOLE_DECODE_COMPRESSED_BYTES = 2 * 1024 * 1024;

/** A label with its probability. */
export interface Scored {
  label: string;
  probability: number;
}

/** The model's view of one file. */
export interface FileClassification {
  path: string;
  /** Probabilities of the clip: the first window, exactly what decode_wav(desired_samples) feeds TensorFlow. */
  probabilities?: number[];
  top?: Scored[];
  durationSec?: number;
  sampleRate?: number;
  /** For files longer than the model's window: probabilities per sliding window. */
  windows?: { startSec: number; endSec: number; probabilities: number[] }[];
  detections?: Detection[];
  warnings?: string[];
  error?: string;
  /** sha1 of the file's bytes, taken while they are in memory: the result cache's key. */
  contentHash?: string;
  /**
   * Size and mtime of the file the worker read, from fstat on its open descriptor before the read
   * (and checked unchanged after): the cache indexes the result under these, never under a stat
   * taken later, so a file replaced mid-run cannot inherit the old file's answer.
   */
  fileSize?: number;
  fileMtimeMs?: number;
  /** With `embeddings`: the clip's (first window's) embedding, see Classifier.embeddingSource. */
  embedding?: Float32Array;
}

/** Options of a classification. */
export interface ClassifyOptions {
  topK?: number;
  windowStrideMs?: number;
  /** Largest inference batch (default 64). */
  batchSize?: number;
  /** Files larger than this are streamed by window groups (default WHOLE_READ_BYTES, 32 MB). */
  wholeReadBytes?: number;
  /** Also return each clip's (first window's) embedding (classifyFiles). */
  embeddings?: boolean;
  /** Compressed files above this many bytes are decoded as a stream (tests lower it). */
  wholeDecodeCompressedBytes?: number;
}

/** Softmax of each row of `width` values (in float64, stored as float32). */
function softmaxRows(x: Float32Array, width: number): Float32Array {
  const out = new Float32Array(x.length);
  for (let o = 0; o < x.length; o += width) {
    let max = -Infinity;
    for (let i = o; i < o + width; i++) max = Math.max(max, x[i]);
    let sum = 0;
    for (let i = o; i < o + width; i++) sum += Math.exp(x[i] - max);
    for (let i = o; i < o + width; i++) out[i] = Math.exp(x[i] - max) / sum;
  }
  return out;
}

/** Decodes, computes the model's features and runs the model: the whole pipeline for one thread. */
export class Classifier {
  /** Samples of one window at the model's rate. */
  readonly window: number;
  private readonly featureSize: number;

  private constructor(
    readonly model: ModelPackage,
    private readonly input: ModelInput,
  ) {
    this.window = input.window;
    this.featureSize = model.frames * model.bins;
  }

  /** Loads a model folder and builds its input (features, normalisation). */
  static async create(modelDir: string, options: ModelLoadOptions = {}): Promise<Classifier> {
    const model = await loadModelPackage(modelDir, options);
    return new Classifier(model, await ModelInput.create(model.metadata));
  }

  /** The feature engine in use: 'wasm' or 'js' (see FeatureExtractor.engineName). */
  get featureEngine(): 'wasm' | 'js' {
    return this.input.engineName;
  }

  get labels(): string[] {
    return this.model.metadata.labels;
  }

  /** The model's input for one window of audio at the model's rate: features, normalised as metadata says. */
  inputFor(samples: Float32Array, start: number, out: Float32Array, outOffset = 0): void {
    this.input.write(samples, start, out, outOffset);
  }

  /** Features exactly as the model sees them (normalised), for display: [frames][bins]. */
  modelInput(samples: Float32Array): { frames: number; bins: number; data: Float32Array } {
    const data = new Float32Array(this.featureSize);
    this.inputFor(samples, 0, data);
    return { frames: this.model.frames, bins: this.model.bins, data };
  }

  /** The review's shift-check features of one window at the model's rate (ModelInput.matchFeatures). */
  matchFeatures(samples: Float32Array): { frames: number; bins: number; data: Float32Array } {
    return this.input.matchFeatures(samples);
  }

  /** What embeddings are: the input of the model's last dense layer, or its input features without one. */
  get embeddingSource(): string {
    return (
      this.model.embeddingSource ??
      `the model's input features (${this.model.frames} x ${this.model.bins}): no dense layer found in the model`
    );
  }

  /** Runs the model over `count` inputs packed in `inputs`; returns one probability row per input. */
  async predict(inputs: Float32Array, count: number): Promise<Float32Array[]> {
    return (await this.predictWith(inputs, count, false)).probs;
  }

  /**
   * Probabilities and, with `embed`, embeddings (one run of the model when it has a dense layer;
   * its normalised input features otherwise).
   */
  async predictWith(
    inputs: Float32Array,
    count: number,
    embed: boolean,
  ): Promise<{ probs: Float32Array[]; embeddings?: Float32Array[] }> {
    const n = this.labels.length;
    const f = this.featureSize;
    const { shape, flat, both } = await this.outputOf(inputs, count, embed);
    // One row per input, always (checked at load on two windows; a wrong count would give each clip
    // another clip's scores in a folder run).
    if (shape[0] !== count || flat.length !== count * n) {
      both?.embedding.dispose();
      throw new Error(
        `the model gave output of shape [${shape.join(', ')}] for ${count} inputs of ${n} labels`,
      );
    }
    const probs: Float32Array[] = [];
    for (let i = 0; i < count; i++) probs.push(flat.slice(i * n, (i + 1) * n));
    if (!embed) return { probs };
    const embeddings: Float32Array[] = [];
    if (both) {
      const e = (await both.embedding.data()) as Float32Array;
      const d = both.embedding.shape[1]!;
      both.embedding.dispose();
      for (let i = 0; i < count; i++) embeddings.push(e.slice(i * d, (i + 1) * d));
    } else {
      for (let i = 0; i < count; i++) embeddings.push(inputs.slice(i * f, (i + 1) * f));
    }
    return { probs, embeddings };
  }

  /**
   * The model's output for `count` windows as probabilities (metadata.json "output": "logits", e.g.
   * the Keras tutorial's last Dense or a PyTorch classifier: the softmax is ours), and with `embed`
   * the TF.js model's embedding tensor (the caller disposes it).
   */
  private async outputOf(
    inputs: Float32Array,
    count: number,
    embed: boolean,
  ): Promise<{ shape: number[]; flat: Float32Array; both?: { embedding: tf.Tensor } }> {
    const logits = this.model.metadata.output === 'logits';
    // Embeddings come from TF.js (a lowered Keras model keeps its TF.js copy for them).
    if (this.model.run && !(embed && this.model.embed)) {
      const r = await this.model.run(inputs.subarray(0, count * this.featureSize), count);
      return { shape: r.shape, flat: logits ? softmaxRows(r.data, r.shape[r.shape.length - 1]) : r.data };
    }
    const x = tf.tensor(inputs.subarray(0, count * this.featureSize), [count, this.featureSize]);
    const both = embed && this.model.embed ? this.model.embed(x) : undefined;
    const out = both ? both.output : this.model.predict!(x);
    const y = logits ? tf.softmax(out) : out;
    if (y !== out) out.dispose();
    const shape = y.shape;
    const flat = (await y.data()) as Float32Array;
    x.dispose();
    y.dispose();
    return { shape, flat, both };
  }

  /** A streamed file's group of `n` windows; with `embedFor`, the group's first window's embedding goes to that row. */
  private async scoreGroup(
    buf: Float32Array,
    n: number,
    embedFor?: FileClassification,
  ): Promise<Float32Array[]> {
    const r = await this.predictWith(buf, n, !!embedFor);
    if (embedFor && r.embeddings) embedFor.embedding = r.embeddings[0];
    return r.probs;
  }

  /** Classifies audio already at the model's rate: the clip, and windows over time if it is longer. */
  async classifySamples(
    samples: Float32Array,
    options: ClassifyOptions = {},
  ): Promise<Omit<FileClassification, 'path'>> {
    const rate = this.model.metadata.sampleRate;
    const stride = Math.max(
      1,
      Math.round(((options.windowStrideMs ?? DEFAULT_WINDOW_STRIDE_MS) * rate) / 1000),
    );
    const starts = windowStarts(samples.length, this.window, stride);
    const batch = options.batchSize ?? 64;
    const buf = new Float32Array(Math.min(batch, starts.length) * this.featureSize);
    const probs: Float32Array[] = [];
    for (let i = 0; i < starts.length; i += batch) {
      const n = Math.min(batch, starts.length - i);
      this.input.writeMany(Array<Float32Array>(n).fill(samples), starts.slice(i, i + n), buf);
      probs.push(...(await this.predict(buf, n)));
    }
    return this.describe(samples.length, starts, probs, options);
  }

  /** The result of a file from its window probabilities (n: samples at the model rate). */
  private describe(
    n: number,
    starts: number[],
    probs: Float32Array[],
    options: ClassifyOptions,
  ): Omit<FileClassification, 'path'> {
    const rate = this.model.metadata.sampleRate;
    for (const p of probs) {
      if (!p.every(Number.isFinite)) throw new Error('the model gave a non-finite probability');
    }
    const r: Omit<FileClassification, 'path'> = {
      probabilities: Array.from(probs[0]),
      top: topK(this.labels, probs[0], options.topK ?? DEFAULT_TOP_K),
    };
    if (starts.length > 1 || n > this.window) {
      r.windows = starts.map((s, i) => ({
        startSec: s / rate,
        endSec: (s + this.window) / rate,
        probabilities: Array.from(probs[i]),
      }));
      r.detections = recognize(
        this.labels,
        starts.map((s) => ((s + this.window) / rate) * 1000),
        probs,
        DEFAULT_RECOGNIZER,
      );
    }
    return r;
  }

  /**
   * Classifies files: decode, resample, features in this thread, inference in batches across files.
   * Each file's failure is its own row; the others go on.
   */
  async classifyFiles(paths: string[], options: ClassifyOptions = {}): Promise<FileClassification[]> {
    const rate = this.model.metadata.sampleRate;
    const stride = Math.max(
      1,
      Math.round(((options.windowStrideMs ?? DEFAULT_WINDOW_STRIDE_MS) * rate) / 1000),
    );
    const results: FileClassification[] = [];
    const jobs: { result: FileClassification; n: number; starts: number[]; offset: number }[] = [];
    const inputs: Float32Array[] = [];
    let total = 0;
    // Features in batches across files: the float32 MFCC kernel's SIMD lanes run across clips.
    const queue = this.input.queue();
    for (const path of paths) {
      const result: FileClassification = { path };
      results.push(result);
      let file: WavFile | undefined;
      try {
        file = WavFile.openSync(path);
        result.fileSize = file.size;
        result.fileMtimeMs = file.mtimeMs;
        const kind = await sniffFile(file);
        if (
          kind !== 'wav' &&
          file.size > (options.wholeDecodeCompressedBytes ?? WHOLE_DECODE_COMPRESSED_BYTES)
        ) {
          await this.classifyLongCompressed(file, kind, result, stride, options);
          continue;
        }
        if (kind === 'wav' && file.size > (options.wholeReadBytes ?? WHOLE_READ_BYTES)) {
          await this.classifyLongFile(file, result, stride, options);
          continue;
        }
        // Synchronous on purpose: this runs in a pool worker thread, and a promise round trip
        // through libuv's thread pool per 32-KB clip cost more than the read itself.
        const bytes = file.readAll(file.size);
        file.checkUnchanged();
        result.contentHash = createHash('sha1').update(bytes).digest('hex');
        const audio = await decodeAnyToRate(path, bytes, rate);
        result.durationSec = audio.facts.durationSec;
        result.sampleRate = audio.facts.sampleRate;
        if (audio.warnings.length) result.warnings = audio.warnings;
        if (audio.facts.frames === 0) throw new WavError('no audio (0 frames)');
        const starts = windowStarts(audio.samples.length, this.window, stride);
        const buf = new Float32Array(starts.length * this.featureSize);
        const f = this.featureSize;
        starts.forEach((s, j) => queue.add(audio.samples, s, buf.subarray(j * f, (j + 1) * f)));
        jobs.push({ result, n: audio.samples.length, starts, offset: total });
        inputs.push(buf);
        total += starts.length;
      } catch (e) {
        result.error = e instanceof WavError ? e.reason : (e as Error).message;
      } finally {
        file?.close();
      }
    }
    queue.flush();
    const all = new Float32Array(total * this.featureSize);
    let o = 0;
    for (const b of inputs) {
      all.set(b, o);
      o += b.length;
    }
    const batch = options.batchSize ?? 64;
    const probs: Float32Array[] = [];
    const firstWindows = new Map(jobs.map((j) => [j.offset, j.result]));
    for (let i = 0; i < total; i += batch) {
      const n = Math.min(batch, total - i);
      const r = await this.predictWith(all.subarray(i * this.featureSize), n, !!options.embeddings);
      probs.push(...r.probs);
      r.embeddings?.forEach((e, k) => {
        const owner = firstWindows.get(i + k);
        if (owner) owner.embedding = e;
      });
    }
    for (const j of jobs) {
      try {
        Object.assign(
          j.result,
          this.describe(j.n, j.starts, probs.slice(j.offset, j.offset + j.starts.length), options),
        );
      } catch (e) {
        j.result.error = (e as Error).message;
      }
    }
    return results;
  }

  /** A file too large to read whole: its windows scored group by group (scoreWindowGroups). */
  private async classifyLongFile(
    file: WavFile,
    result: FileClassification,
    stride: number,
    options: ClassifyOptions,
  ): Promise<void> {
    const rate = this.model.metadata.sampleRate;
    const header = file.readHeader();
    const { facts } = header;
    result.durationSec = facts.durationSec;
    result.sampleRate = facts.sampleRate;
    if (header.warnings.length) result.warnings = header.warnings;
    if (facts.frames === 0) throw new WavError('no audio (0 frames)');
    const n = resampledLength(facts.frames, facts.sampleRate, rate);
    const starts = windowStarts(n, this.window, stride);
    const probs: Float32Array[] = [];
    await this.scoreWindowGroups(
      { facts, frames: (s, k) => file.frames(header, s, k) },
      n,
      (i) => starts[i],
      0,
      starts.length,
      options.batchSize ?? 64,
      (g) => probs.push(...g),
      options.embeddings ? result : undefined,
    );
    result.contentHash = hashFile(file);
    file.checkUnchanged();
    Object.assign(result, this.describe(n, starts, probs, options));
  }

  /**
   * Windows `from`..`to`-1 of a file (window i starting at sample `startOf(i)` of the file at the
   * model's rate, n samples long there), scored group by group of `batch` windows: each group's audio
   * read, mixed and resampled from just the bytes it needs (resampleRange gives exactly the samples a
   * whole-file resample would), so memory is bounded by a group, not by the file's length.
   * `onGroup` gets each group's probabilities in order.
   */
  async scoreWindowGroups(
    audio: Pick<FrameReader, 'facts' | 'frames'>,
    n: number,
    startOf: (i: number) => number,
    from: number,
    to: number,
    batch: number,
    onGroup: (probs: Float32Array[], first: number) => void,
    /** Receives the first group's first window's embedding (review's copies and outliers). */
    embedFor?: FileClassification,
  ): Promise<void> {
    const { facts } = audio;
    const rate = this.model.metadata.sampleRate;
    const buf = new Float32Array(Math.min(batch, Math.max(1, to - from)) * this.featureSize);
    for (let i = from; i < to; i += batch) {
      const m = Math.min(batch, to - i);
      const k0 = startOf(i);
      const k1 = Math.min(n, startOf(i + m - 1) + this.window);
      const need = resampleInputRange(k0, k1, facts.frames, facts.sampleRate, rate);
      const mono = mixdown(await audio.frames(need.first, need.end - need.first));
      const seg = resampleRange(mono, need.first, facts.frames, facts.sampleRate, rate, k0, k1);
      this.writeGroup(
        seg,
        Int32Array.from({ length: m }, (_, j) => startOf(i + j) - k0),
        buf,
      );
      onGroup(await this.scoreGroup(buf, m, i === from ? embedFor : undefined), i);
    }
  }

  /**
   * The inputs of a group's windows (starting at `starts` of `seg`) into `buf`: from the span's shared
   * feature frames where the front end allows (ModelInput.writeShared), else window by window.
   */
  private writeGroup(seg: Float32Array, starts: Int32Array, buf: Float32Array): void {
    if (this.input.writeShared(seg, starts, buf)) return;
    this.input.writeMany(Array<Float32Array>(starts.length).fill(seg), starts, buf);
  }

  /**
   * A long compressed file: decoded piece by piece (never whole), mixed down, and its windows scored
   * group by group as the audio arrives (StreamWindows: the same windows and samples as a whole
   * decode), then hashed in a second, chunked read of its bytes. Memory is one decoded piece and one
   * group, whatever the length.
   */
  private async classifyLongCompressed(
    file: WavFile,
    kind: 'flac' | 'mp3' | 'ogg',
    result: FileClassification,
    stride: number,
    options: ClassifyOptions,
  ): Promise<void> {
    const rate = this.model.metadata.sampleRate;
    const s = await CompressedStream.open(kind, fileReader(file));
    try {
      const batch = options.batchSize ?? 64;
      const probs: Float32Array[] = [];
      const buf = new Float32Array(batch * this.featureSize);
      const win = new StreamWindows(
        s.header.sampleRate,
        rate,
        this.window,
        stride,
        batch,
        (n) => windowStarts(n, this.window, stride),
        async (starts, seg, k0) => {
          this.writeGroup(
            seg,
            Int32Array.from(starts, (st) => st - k0),
            buf,
          );
          const first = !probs.length && options.embeddings ? result : undefined;
          probs.push(...(await this.scoreGroup(buf, starts.length, first)));
        },
      );
      for (let p = await s.next(); p; p = await s.next()) if (p[0]?.length) await win.push(mixdown(p));
      const { n, starts } = await win.end();
      const facts = compressedFacts(s.header, s.decodedFrames);
      result.durationSec = facts.durationSec;
      result.sampleRate = facts.sampleRate;
      if (s.allWarnings.length) result.warnings = s.allWarnings;
      result.contentHash = hashFile(file);
      file.checkUnchanged();
      Object.assign(result, this.describe(n, starts, probs, options));
    } finally {
      s.free();
    }
  }

  /** Frees the model and WASM buffers. */
  dispose(): void {
    this.model.dispose();
    this.input.dispose();
  }
}

/** The k most probable labels, best first. */
export function topK(labels: string[], p: Float32Array | number[], k: number): Scored[] {
  return labels
    .map((label, i) => ({ label, probability: p[i] }))
    .sort((a, b) => b.probability - a.probability)
    .slice(0, Math.max(1, k));
}
