import { FeatureExtractor } from '../audio/features';
import { fitLength } from '../audio/fitLength';
import { resample } from '../audio/resample';
import { clipSamples, featureConfigOf, type ModelMetadata } from './metadata';
import { normalize } from './normalize';

/**
 * The model's input for one window of audio, built in one place for the classifier and the editor
 * (no TF.js here): the window fitted to the clip length (zero-padded at the end, as
 * `decode_wav(desired_samples)` does), the metadata's features, then its normalisation. Layout:
 * row-major [frames][bins], which is both the `[1, frames, bins, 1]` and the flattened
 * `[1, frames*bins]` input once the model package reshapes it.
 */
export class ModelInput {
  /** Samples of one window at the model's rate. */
  readonly window: number;
  private readonly scratch: Float32Array;

  private constructor(
    readonly metadata: ModelMetadata,
    private readonly fx: FeatureExtractor,
  ) {
    this.window = clipSamples(metadata);
    this.scratch = new Float32Array(this.window);
  }

  /** Builds the feature extractor the metadata names. */
  static async create(metadata: ModelMetadata): Promise<ModelInput> {
    return new ModelInput(metadata, await FeatureExtractor.create(featureConfigOf(metadata)));
  }

  get frames(): number {
    return this.fx.frameCount(this.window);
  }

  get bins(): number {
    return this.fx.bins;
  }

  /** The feature engine in use: 'wasm' or 'js' (see FeatureExtractor.engineName). */
  get engineName(): 'wasm' | 'js' {
    return this.fx.engineName;
  }

  /** Values of one window's input: frames * bins. */
  get size(): number {
    return this.frames * this.fx.bins;
  }

  /** Writes the input of the window at `start` of `samples` (at the model's rate) into `out` at `outOffset`. */
  write(samples: Float32Array, start: number, out: Float32Array, outOffset = 0): void {
    const w = fitLength(samples.subarray(start, start + this.window), this.window, this.scratch);
    const m = this.fx.compute(w, out.subarray(outOffset, outOffset + this.size));
    normalize(m.data, this.fx.bins, this.metadata.features);
  }

  /**
   * The first window's features for the review's shift-tolerant copy check (dataset/shiftMatch.ts):
   * the front end's output with what a gain change moves taken out. MFCC: c0 dropped (a gain adds a
   * constant to every log-mel band, which only c0 sees); log spectra (logmel, micro, a melspectrogram
   * with a log): each frame's mean over its bins subtracted (the same direction); linear spectra and
   * waveforms kept whole (a gain scales them, which a cosine ignores). Not normalised: a per-bin
   * affine map would reweight the coefficients the rule was measured on (bench/review/nearcopy.mjs).
   */
  matchFeatures(samples: Float32Array): { frames: number; bins: number; data: Float32Array } {
    const w = fitLength(samples.subarray(0, this.window), this.window, this.scratch);
    const m = this.fx.compute(w);
    const { type, mel } = this.metadata.features;
    const bins = m.bins;
    if (type === 'mfcc' && bins > 1) {
      const data = new Float32Array(m.frames * (bins - 1));
      for (let f = 0; f < m.frames; f++)
        data.set(m.data.subarray(f * bins + 1, (f + 1) * bins), f * (bins - 1));
      return { frames: m.frames, bins: bins - 1, data };
    }
    const data = Float32Array.from(m.data.subarray(0, m.frames * bins));
    if (type === 'logmel' || type === 'micro' || (type === 'melspectrogram' && mel?.log !== 'none'))
      for (let o = 0; o < data.length; o += bins) {
        let s = 0;
        for (let b = 0; b < bins; b++) s += data[o + b];
        for (let b = 0; b < bins; b++) data[o + b] -= s / bins;
      }
    return { frames: m.frames, bins, data };
  }

  /**
   * The inputs of many windows (window j starting at `starts[j]` of `sources[j]`), one after another
   * into `out`: the same values as `write` for each, with the MFCC of the whole batch in one call of
   * the float32 kernel (FeatureExtractor.computeBatch).
   */
  writeMany(sources: Float32Array[], starts: ArrayLike<number>, out: Float32Array): void {
    const clips = sources.map((s, j) =>
      fitLength(s.subarray(starts[j], starts[j] + this.window), this.window),
    );
    this.fx.computeBatch(clips, out);
    for (let j = 0; j < clips.length; j++)
      normalize(out.subarray(j * this.size, (j + 1) * this.size), this.fx.bins, this.metadata.features);
  }

  /**
   * The inputs of windows starting at `starts` (ascending) of `samples`, written one after another
   * into `out`, or false (nothing written) when they cannot share frames: the features of the whole
   * span are computed once and each window takes its frames (windows 100 ms apart overlap by 90 %:
   * ten times fewer frames). Only when every window fits whole, starts a whole number of frame hops
   * after the first, and the span is no longer than the windows together; the frames are then
   * exactly those `write` computes window by window.
   */
  writeShared(samples: Float32Array, starts: ArrayLike<number>, out: Float32Array): boolean {
    const hop = this.fx.frameHop;
    const n = starts.length;
    if (!hop || !n) return false;
    const s0 = starts[0];
    const end = starts[n - 1] + this.window;
    // Windows far apart (a stride above the window) share nothing: the span would cost more than they do.
    if (end > samples.length || end - s0 > n * this.window) return false;
    for (let j = 0; j < n; j++) if ((starts[j] - s0) % hop) return false;
    const span = this.fx.compute(samples.subarray(s0, end));
    const size = this.size;
    for (let j = 0; j < n; j++) {
      const from = ((starts[j] - s0) / hop) * this.fx.bins;
      const dest = out.subarray(j * size, (j + 1) * size);
      dest.set(span.data.subarray(from, from + size));
      normalize(dest, this.fx.bins, this.metadata.features);
    }
    return true;
  }

  /**
   * The input of a file's first window from its own mono samples at `rate`: only a little more
   * than one window is resampled, not the whole file. `read(start, length)` gives mono samples.
   */
  async firstWindow(
    read: (start: number, length: number) => Promise<Float32Array> | Float32Array,
    rate: number,
    frames: number,
  ): Promise<{ frames: number; bins: number; data: Float32Array }> {
    const need = Math.ceil((this.window / this.metadata.sampleRate) * rate * 1.05 + 64);
    const head = resample(await read(0, Math.min(need, frames)), rate, this.metadata.sampleRate);
    const data = new Float32Array(this.size);
    this.write(head, 0, data);
    return { frames: this.frames, bins: this.bins, data };
  }

  /** A queue batching windows into writeMany calls of `batch` windows (classify's clips). */
  queue(batch = 32): InputQueue {
    return new InputQueue(this, batch);
  }

  /** Frees the extractor's WASM buffers. */
  dispose(): void {
    this.fx.dispose();
  }
}

/**
 * Windows of many clips gathered for one batched feature call (ModelInput.writeMany) each time
 * `batch` are waiting, each copied to its own destination; `flush` computes the rest.
 */
export class InputQueue {
  private sources: Float32Array[] = [];
  private starts: number[] = [];
  private dests: Float32Array[] = [];
  private readonly scratch: Float32Array;

  constructor(
    private readonly input: ModelInput,
    private readonly batch: number,
  ) {
    this.scratch = new Float32Array(batch * input.size);
  }

  /** Queues the window at `start` of `samples`; its input goes to `dest` (input.size values). */
  add(samples: Float32Array, start: number, dest: Float32Array): void {
    this.sources.push(samples);
    this.starts.push(start);
    this.dests.push(dest);
    if (this.sources.length >= this.batch) this.flush();
  }

  /** Computes every queued window's input into its destination. */
  flush(): void {
    if (!this.sources.length) return;
    const size = this.input.size;
    this.input.writeMany(this.sources, this.starts, this.scratch);
    this.dests.forEach((d, j) => d.set(this.scratch.subarray(j * size, (j + 1) * size)));
    this.sources = [];
    this.starts = [];
    this.dests = [];
  }
}
