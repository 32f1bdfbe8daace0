/**
 * MFCC (and the power spectrogram) through this project's own C engine compiled to WebAssembly with
 * SIMD (src/audio/native/mfcc.c, built by `npm run build-wasm` into the committed src/audio/native/mfcc.wasm,
 * which the build copies into dist/).
 *
 * The numbers are those of mfcc.ts / spectrogram.ts, i.e. TensorFlow's AudioSpectrogram
 * (magnitude_squared) + Mfcc ops, with the whole chain in double precision as TensorFlow computes it:
 * a hand-written radix-4 double FFT (`compute`, `computeSpectrogram`). `computeBatchF32` is the same
 * chain in float32, four frames a SIMD vector across a batch of clips (1.6-2.5x the double kernel's
 * throughput), within 1e-4 of TensorFlow (frames whose estimated error is larger go through the double
 * path; see mfcc.c): what production computes (FeatureExtractor's default MfccPrecision). Options and
 * defaults are those of `Mfcc.create` (speech_commands: 480/160 window/stride, 512-point FFT, 16 kHz,
 * 40 channels, 20..4000 Hz, 40 coefficients).
 *
 * One instance owns one WASM instance (its own memory): not shared between threads.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FeatureMatrix, MfccOptions } from './mfcc';
import { nextPowerOfTwo } from './spectrogram';
import { mfccWasmOverride } from '../env';

/**
 * The few WebAssembly APIs used here, declared locally: the project's TypeScript libs (ES2022 +
 * @types/node) do not declare the WebAssembly global, which Node has.
 */
interface WasmModule {
  readonly __wasmModule?: never;
}
declare const WebAssembly: {
  Module: new (bytes: Uint8Array) => WasmModule;
  instantiate(module: WasmModule, imports: object): Promise<{ exports: object }>;
};

interface MfccExports {
  memory: { buffer: ArrayBuffer };
  alloc(bytes: number): number;
  init(
    windowSize: number,
    stride: number,
    fftSize: number,
    sampleRate: number,
    channels: number,
    lowerHz: number,
    upperHz: number,
    coefficients: number,
  ): number;
  frame_count(n: number): number;
  bins(): number;
  compute(samplesPtr: number, n: number, outPtr: number): number;
  compute_f32_batch(samplesPtr: number, n: number, clips: number, outPtr: number): number;
  f32_fallbacks(): number;
  spectrogram(samplesPtr: number, n: number, outPtr: number): number;
}

let cachedModule: WasmModule | undefined;

/**
 * Where mfcc.wasm is: $WAVEBENCH_MFCC_WASM, else next to the bundle (dist/mfcc.wasm, copied there by the
 * build), else, running from sources, the committed src/audio/native/mfcc.wasm. Never a dist/ file
 * from sources: a leftover build could be stale.
 */
export function locateMfccWasm(): string {
  const candidates: string[] = [];
  const env = mfccWasmOverride();
  if (env) candidates.push(env);
  else if (typeof __dirname === 'string') {
    candidates.push(join(__dirname, 'mfcc.wasm'), join(__dirname, 'native', 'mfcc.wasm'));
  }
  for (const c of candidates) if (existsSync(c)) return c;
  throw new Error(
    `mfcc.wasm not found (looked in: ${candidates.join(', ') || 'nowhere: no __dirname'}); ` +
      'it is committed as src/audio/native/mfcc.wasm and copied into dist/ by npm run build',
  );
}

/** Compiles mfcc.wasm once per thread. */
function loadModule(): WasmModule {
  if (!cachedModule) cachedModule = new WebAssembly.Module(readFileSync(locateMfccWasm()));
  return cachedModule;
}

/** MFCC and power spectrogram of one configuration, in a WASM instance of its own. */
export class MfccWasm {
  readonly windowSize: number;
  readonly stride: number;
  readonly fftSize: number;
  /** Spectrogram bins: fftSize / 2 + 1. */
  readonly bins: number;
  readonly coefficientCount: number;
  readonly filterbankChannels: number;
  private ex: MfccExports | undefined;
  private inPtr = 0;
  private inCap = 0; // samples
  private outPtr = 0;
  private outCap = 0; // floats

  private constructor(ex: MfccExports, o: Required<MfccOptions>, fftSize: number) {
    this.ex = ex;
    this.windowSize = o.windowSize;
    this.stride = o.stride;
    this.fftSize = fftSize;
    this.bins = fftSize / 2 + 1;
    this.coefficientCount = o.coefficientCount;
    this.filterbankChannels = o.filterbankChannels;
  }

  /** Builds the tables for these options (defaults: TensorFlow's speech_commands values). */
  static async create(options: MfccOptions = {}): Promise<MfccWasm> {
    const o: Required<MfccOptions> = {
      windowSize: options.windowSize ?? 480,
      stride: options.stride ?? 160,
      magnitudeSquared: true,
      sampleRate: options.sampleRate ?? 16000,
      filterbankChannels: options.filterbankChannels ?? 40,
      lowerFrequencyHz: options.lowerFrequencyHz ?? 20,
      upperFrequencyHz: options.upperFrequencyHz ?? 4000,
      coefficientCount: options.coefficientCount ?? 40,
    };
    if (
      !(o.windowSize >= 2) ||
      !(o.stride >= 1) ||
      !Number.isInteger(o.windowSize) ||
      !Number.isInteger(o.stride)
    ) {
      throw new Error(`bad spectrogram options: window ${o.windowSize}, stride ${o.stride}`);
    }
    const fftSize = Math.max(32, nextPowerOfTwo(o.windowSize));
    const instance = await WebAssembly.instantiate(loadModule(), {});
    const ex = instance.exports as unknown as MfccExports;
    const rc = ex.init(
      o.windowSize,
      o.stride,
      fftSize,
      o.sampleRate,
      o.filterbankChannels,
      o.lowerFrequencyHz,
      o.upperFrequencyHz,
      o.coefficientCount,
    );
    if (rc === -2) {
      throw new Error(
        `mel filterbank: bad limits ${o.lowerFrequencyHz}..${o.upperFrequencyHz} Hz at ${o.sampleRate} Hz`,
      );
    }
    if (rc !== 0) throw new Error(`mfcc.wasm init failed (${rc}) for options ${JSON.stringify(o)}`);
    return new MfccWasm(ex, o, fftSize);
  }

  private get exports(): MfccExports {
    if (!this.ex) throw new Error('MfccWasm used after dispose()');
    return this.ex;
  }

  /** Frames produced for n samples. */
  frameCount(n: number): number {
    return n < this.windowSize ? 0 : 1 + Math.floor((n - this.windowSize) / this.stride);
  }

  /** Copies `clips` (one after another) into WASM memory and makes room for `outFloats` results; returns [in, out] pointers. */
  private stage(clips: Float32Array | Float32Array[], outFloats: number): [number, number] {
    const ex = this.exports;
    const list = Array.isArray(clips) ? clips : [clips];
    const length = list.reduce((s, c) => s + c.length, 0);
    if (length > this.inCap) {
      this.inCap = Math.max(length, 2 * this.inCap, 16000);
      this.inPtr = ex.alloc(this.inCap * 4);
    }
    if (outFloats > this.outCap) {
      this.outCap = Math.max(outFloats, 2 * this.outCap, 98 * 257);
      this.outPtr = ex.alloc(this.outCap * 4);
    }
    if (!this.inPtr || !this.outPtr) throw new Error('mfcc.wasm: out of memory');
    let at = this.inPtr;
    for (const c of list) {
      new Float32Array(ex.memory.buffer, at, c.length).set(c);
      at += 4 * c.length;
    }
    return [this.inPtr, this.outPtr];
  }

  private run(
    samples: Float32Array,
    bins: number,
    fn: 'compute' | 'spectrogram',
    out?: Float32Array,
  ): FeatureMatrix {
    const frames = this.frameCount(samples.length);
    const size = frames * bins;
    const data = out && out.length >= size ? out.subarray(0, size) : new Float32Array(size);
    if (frames === 0) return { frames, bins, data };
    const [inPtr, outPtr] = this.stage(samples, size);
    const ex = this.exports;
    ex[fn](inPtr, samples.length, outPtr);
    data.set(new Float32Array(ex.memory.buffer, outPtr, size));
    return { frames, bins, data };
  }

  /** MFCC of `samples` (at the configured rate): [frames][coefficientCount], row-major. */
  compute(samples: Float32Array, out?: Float32Array): FeatureMatrix {
    return this.run(samples, this.coefficientCount, 'compute', out);
  }

  /**
   * MFCC of clips of equal length in the float32 kernel (four frames a vector across the clips; frames
   * whose float32 error bound exceeds 2.5e-5 on a coefficient are recomputed in double, see mfcc.c):
   * [clips][frames][coefficientCount], row-major.
   */
  computeBatchF32(clips: Float32Array[], out?: Float32Array): FeatureMatrix {
    const n = clips.length ? clips[0].length : 0;
    if (clips.some((c) => c.length !== n)) throw new Error('computeBatchF32: clips of different lengths');
    const frames = this.frameCount(n) * clips.length;
    const bins = this.coefficientCount;
    const size = frames * bins;
    const data = out && out.length >= size ? out.subarray(0, size) : new Float32Array(size);
    if (frames === 0) return { frames, bins, data };
    const [inPtr, outPtr] = this.stage(clips, size);
    const ex = this.exports;
    if (ex.compute_f32_batch(inPtr, n, clips.length, outPtr) < 0)
      throw new Error('mfcc.wasm: not initialised');
    data.set(new Float32Array(ex.memory.buffer, outPtr, size));
    return { frames, bins, data };
  }

  /** MFCC of one clip in the float32 kernel (computeBatchF32 of one clip). */
  computeF32(samples: Float32Array, out?: Float32Array): FeatureMatrix {
    return this.computeBatchF32([samples], out);
  }

  /** Frames the float32 kernel recomputed in double precision since creation. */
  get f32Fallbacks(): number {
    return this.exports.f32_fallbacks();
  }

  /** Power spectrogram |X|^2 (TensorFlow's AudioSpectrogram output): [frames][fftSize / 2 + 1]. */
  computeSpectrogram(samples: Float32Array, out?: Float32Array): FeatureMatrix {
    return this.run(samples, this.bins, 'spectrogram', out);
  }

  /** Drops the WASM instance (its memory goes with it). */
  dispose(): void {
    this.ex = undefined;
  }
}
