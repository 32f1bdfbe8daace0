/**
 * Real FFT through PFFFT compiled to WebAssembly with SIMD (`@echogarden/pffft-wasm`, BSD).
 *
 * Why this library: the MFCC hot loop runs one 512-point real FFT per 10 ms frame. Measured on this
 * project's machines, fft.js takes about 3.4 us per transform and PFFFT/WASM-SIMD about 0.6 us, and
 * the MFCC throughput target (>= 10,000 one-second clips/s per core) is out of reach with the former.
 * PFFFT computes in float32; the spectrogram tests bound the resulting error against TensorFlow's
 * double-precision FFT.
 */
import PFFFT from '@echogarden/pffft-wasm/simd';
import { existsSync, readFileSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { createRequire } from 'node:module';

interface PffftModule {
  HEAPF32: Float32Array;
  _pffft_new_setup(n: number, kind: number): number;
  _pffft_destroy_setup(setup: number): void;
  _pffft_aligned_malloc(bytes: number): number;
  _pffft_aligned_free(ptr: number): void;
  _pffft_transform_ordered(setup: number, input: number, output: number, work: number, dir: number): void;
}

const PFFFT_REAL = 0;
const PFFFT_FORWARD = 0;

let modulePromise: Promise<PffftModule> | undefined;

/** Where the pffft .wasm is: next to the bundle in dist/, or in node_modules when run from sources. */
function locateWasm(): string {
  const candidates: string[] = [];
  if (typeof __dirname === 'string') candidates.push(join(__dirname, 'pffft.wasm'));
  try {
    const req = createRequire(
      typeof __filename === 'string' ? __filename : join(process.cwd(), 'package.json'),
    );
    candidates.push(join(dirname(req.resolve('@echogarden/pffft-wasm/simd')), 'pffft.wasm'));
  } catch {
    // not resolvable from cwd: the bundle location above is the one that counts
  }
  for (const c of candidates) if (existsSync(c)) return c;
  throw new Error(`pffft.wasm not found (looked in: ${candidates.join(', ')})`);
}

/** Loads the WASM module once per thread. */
export function loadFftModule(): Promise<PffftModule> {
  if (!modulePromise) {
    const wasmBinary = readFileSync(locateWasm());
    // Its own prints (an assertion's text) would reach the terminal around Wavebench's one-line
    // errors; a failure still throws (emscripten's abort).
    const quiet = () => undefined;
    modulePromise = (PFFFT as unknown as (arg: object) => Promise<PffftModule>)({
      wasmBinary,
      print: quiet,
      printErr: quiet,
    });
  }
  return modulePromise;
}

/** A forward real FFT of one size, with its input/output buffers inside WASM memory. */
export class RealFft {
  readonly size: number;
  private readonly setup: number;
  private readonly inPtr: number;
  private readonly outPtr: number;
  private readonly workPtr: number;
  private disposed = false;

  private constructor(
    private readonly mod: PffftModule,
    size: number,
  ) {
    if (size < 32 || (size & (size - 1)) !== 0)
      throw new Error(`FFT size must be a power of two >= 32, got ${size}`);
    this.size = size;
    this.setup = mod._pffft_new_setup(size, PFFFT_REAL);
    if (!this.setup) throw new Error(`PFFFT cannot set up a real FFT of size ${size}`);
    this.inPtr = mod._pffft_aligned_malloc(size * 4);
    this.outPtr = mod._pffft_aligned_malloc(size * 4);
    this.workPtr = mod._pffft_aligned_malloc(size * 4);
  }

  /** Creates an FFT of `size` points (a power of two >= 32). */
  static async create(size: number): Promise<RealFft> {
    return new RealFft(await loadFftModule(), size);
  }

  private inView: Float32Array | undefined;
  private outView: Float32Array | undefined;

  /** The input buffer (a view into WASM memory): write `size` samples here, then call `run()`. */
  get input(): Float32Array {
    // Views are cached; WASM memory growth replaces the buffer, so check it is still the same one.
    if (!this.inView || this.inView.buffer !== this.mod.HEAPF32.buffer) {
      this.inView = new Float32Array(this.mod.HEAPF32.buffer, this.inPtr, this.size);
    }
    return this.inView;
  }

  /**
   * Transforms `input` in place into `output`: PFFFT's ordered real layout, out[0] = DC,
   * out[1] = Nyquist, then (re, im) pairs for bins 1 .. size/2 - 1. Unnormalised (as TensorFlow's).
   */
  run(): Float32Array {
    this.mod._pffft_transform_ordered(this.setup, this.inPtr, this.outPtr, this.workPtr, PFFFT_FORWARD);
    if (!this.outView || this.outView.buffer !== this.mod.HEAPF32.buffer) {
      this.outView = new Float32Array(this.mod.HEAPF32.buffer, this.outPtr, this.size);
    }
    return this.outView;
  }

  /** Frees the WASM buffers. */
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.mod._pffft_aligned_free(this.inPtr);
    this.mod._pffft_aligned_free(this.outPtr);
    this.mod._pffft_aligned_free(this.workPtr);
    this.mod._pffft_destroy_setup(this.setup);
  }
}
