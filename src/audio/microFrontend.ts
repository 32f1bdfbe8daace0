/**
 * TensorFlow Lite Micro's audio front end (`AudioMicrofrontend`, micro_speech's `--preprocess=micro`)
 * in TypeScript, bit for bit: Hann window in Q12, a 16-bit fixed-point real FFT (KISS FFT's
 * FIXED_POINT=16 arithmetic: Q15 twiddles, rounding shifts, a scaling by 1/radix at every butterfly
 * stage), a mel filterbank with Q12 weights accumulated in 64 bits and an integer square root, noise
 * reduction with a per-channel running estimate, PCAN gain control through a piecewise-quadratic
 * lookup table, and an integer log. Written by hand because no library reproduces these fixed-point
 * steps; every rounding, truncation and wrap-around below is the C code's, as TensorFlow's
 * `audio_microfrontend_op` runs it (checked against it by test/unit/audio/microFrontend.test.ts).
 *
 * The noise estimate carries from frame to frame within one clip and starts at zero for each clip,
 * as the op does (it builds a fresh state per call).
 */

/** The front end's parameters (AudioMicrofrontend's attributes; defaults are TensorFlow's). */
export interface MicroFrontendParams {
  sampleRate: number;
  /** Window and step in whole milliseconds (the op's int attributes). */
  windowSizeMs: number;
  windowStepMs: number;
  numChannels: number;
  upperBandLimit: number;
  lowerBandLimit: number;
  smoothingBits: number;
  evenSmoothing: number;
  oddSmoothing: number;
  minSignalRemaining: number;
  enablePcan: boolean;
  pcanStrength: number;
  pcanOffset: number;
  gainBits: number;
  enableLog: boolean;
  scaleShift: number;
}

/** TensorFlow's defaults for audio_microfrontend. */
export const MICRO_DEFAULTS: MicroFrontendParams = {
  sampleRate: 16000,
  windowSizeMs: 25,
  windowStepMs: 10,
  numChannels: 32,
  upperBandLimit: 7500,
  lowerBandLimit: 125,
  smoothingBits: 10,
  evenSmoothing: 0.025,
  oddSmoothing: 0.06,
  minSignalRemaining: 0.05,
  enablePcan: true,
  pcanStrength: 0.95,
  pcanOffset: 80,
  gainBits: 21,
  enableLog: true,
  scaleShift: 6,
};

/** The seed's scaling of the front end's output before the model (freeze.py: `* 10.0 / 256.0`). */
export const MICRO_SEED_SCALE = 10 / 256;
/** Float samples to int16 as a device has them: x 32768 (a 16-bit clip's own samples). */
export const MICRO_DEVICE_SAMPLE_SCALE = 32768;
/** Float samples to int16 as the seed's freeze.py graph converts them: x 32767. */
export const MICRO_SEED_SAMPLE_SCALE = 32767;

const WINDOW_BITS = 12;
const FILTERBANK_BITS = 12;
const NOISE_REDUCTION_BITS = 14;
const PCAN_SNR_BITS = 12;
const PCAN_OUTPUT_BITS = 6;
const WIDE_DYNAMIC_BITS = 32;
const LOG_SCALE_LOG2 = 16;
const LOG_SEGMENTS_LOG2 = 7;
const LOG_COEFF = 45426; // round(ln(2) * 2^16)

const f32 = Math.fround;
/** Wraps to int16, as storing into an int16_t does. */
const s16 = (v: number) => (v << 16) >> 16;
/** Bits needed for a uint32 (0 for 0), as MostSignificantBit32. */
const msb32 = (v: number) => 32 - Math.clz32(v);
/** Bits needed for a non-negative integer below 2^53. */
const msb = (v: number) => (v < 2 ** 32 ? msb32(v) : 32 + msb32(Math.floor(v / 2 ** 32)));

/**
 * The log's correction table: entry i is (log2(1 + i/128) - i/128) in Q16, rounded, with one extra
 * zero at the end for the interpolation at the last segment (the values TensorFlow tabulates).
 */
const LOG_LUT: Int32Array = (() => {
  const n = 1 << LOG_SEGMENTS_LOG2;
  const t = new Int32Array(n + 2);
  for (let i = 0; i <= n; i++) t[i] = Math.round((Math.log2(1 + i / n) - i / n) * (1 << LOG_SCALE_LOG2));
  return t;
})();

/** KISS FFT's real forward transform in 16-bit fixed point, for a power-of-two size. */
class FixedRealFft {
  private readonly half: number;
  private readonly twRe: Int16Array;
  private readonly twIm: Int16Array;
  private readonly superRe: Int16Array;
  private readonly superIm: Int16Array;
  private readonly factors: number[] = [];
  private readonly re: Int16Array;
  private readonly im: Int16Array;
  private readonly inRe: Int16Array;
  private readonly inIm: Int16Array;

  constructor(readonly size: number) {
    const n = size >> 1;
    this.half = n;
    const q15 = (x: number) => Math.floor(0.5 + 32767 * x);
    this.twRe = new Int16Array(n);
    this.twIm = new Int16Array(n);
    for (let i = 0; i < n; i++) {
      const phase = (-2 * Math.PI * i) / n;
      this.twRe[i] = q15(Math.cos(phase));
      this.twIm[i] = q15(Math.sin(phase));
    }
    this.superRe = new Int16Array(n >> 1);
    this.superIm = new Int16Array(n >> 1);
    for (let i = 0; i < n >> 1; i++) {
      const phase = -Math.PI * ((i + 1) / n + 0.5);
      this.superRe[i] = q15(Math.cos(phase));
      this.superIm[i] = q15(Math.sin(phase));
    }
    // Radix 4 first, then 2 (the sizes here are powers of two).
    let m = n;
    while (m > 1) {
      const p = m % 4 === 0 ? 4 : 2;
      if (m % p) throw new Error(`micro front end: FFT size ${size} is not a power of two`);
      m /= p;
      this.factors.push(p, m);
    }
    this.re = new Int16Array(n);
    this.im = new Int16Array(n);
    this.inRe = new Int16Array(n);
    this.inIm = new Int16Array(n);
  }

  /** Forward real FFT of `input` (size values): writes size/2 + 1 bins into outRe/outIm. */
  forward(input: Int16Array, outRe: Int16Array, outIm: Int16Array): void {
    const n = this.half;
    for (let k = 0; k < n; k++) {
      this.inRe[k] = input[2 * k];
      this.inIm[k] = input[2 * k + 1];
    }
    this.stage(0, 0, 1, 0);
    const re = this.re;
    const im = this.im;
    const tdcR = divScalar(re[0], 2);
    const tdcI = divScalar(im[0], 2);
    outRe[0] = s16(tdcR + tdcI);
    outRe[n] = s16(tdcR - tdcI);
    outIm[0] = 0;
    outIm[n] = 0;
    for (let k = 1; k <= n >> 1; k++) {
      const pkR = divScalar(re[k], 2);
      const pkI = divScalar(im[k], 2);
      const pnkR = divScalar(re[n - k], 2);
      const pnkI = divScalar(s16(-im[n - k]), 2);
      const f1R = s16(pkR + pnkR);
      const f1I = s16(pkI + pnkI);
      const f2R = s16(pkR - pnkR);
      const f2I = s16(pkI - pnkI);
      const twR = mulRe(f2R, f2I, this.superRe[k - 1], this.superIm[k - 1]);
      const twI = mulIm(f2R, f2I, this.superRe[k - 1], this.superIm[k - 1]);
      outRe[k] = s16((f1R + twR) >> 1);
      outIm[k] = s16((f1I + twI) >> 1);
      outRe[n - k] = s16((f1R - twR) >> 1);
      outIm[n - k] = s16((twI - f1I) >> 1);
    }
  }

  /** One decimation-in-time stage (recursive, as kf_work): gathers its inputs, then butterflies. */
  private stage(out: number, inp: number, fstride: number, fi: number): void {
    const p = this.factors[fi];
    const m = this.factors[fi + 1];
    if (m === 1) {
      for (let j = 0; j < p; j++) {
        this.re[out + j] = this.inRe[inp + j * fstride];
        this.im[out + j] = this.inIm[inp + j * fstride];
      }
    } else {
      for (let j = 0; j < p; j++) this.stage(out + j * m, inp + j * fstride, fstride * p, fi + 2);
    }
    if (p === 2) this.butterfly2(out, fstride, m);
    else this.butterfly4(out, fstride, m);
  }

  private butterfly2(o: number, fstride: number, m: number): void {
    const re = this.re;
    const im = this.im;
    for (let k = 0; k < m; k++) {
      const a = o + k;
      const b = a + m;
      const aR = divScalar(re[a], 2);
      const aI = divScalar(im[a], 2);
      const bR = divScalar(re[b], 2);
      const bI = divScalar(im[b], 2);
      const wR = this.twRe[k * fstride];
      const wI = this.twIm[k * fstride];
      const tR = mulRe(bR, bI, wR, wI);
      const tI = mulIm(bR, bI, wR, wI);
      re[b] = aR - tR;
      im[b] = aI - tI;
      re[a] = aR + tR;
      im[a] = aI + tI;
    }
  }

  private butterfly4(o: number, fstride: number, m: number): void {
    const re = this.re;
    const im = this.im;
    const twR = this.twRe;
    const twI = this.twIm;
    for (let k = 0; k < m; k++) {
      const i0 = o + k;
      const i1 = i0 + m;
      const i2 = i1 + m;
      const i3 = i2 + m;
      const r0 = divScalar(re[i0], 4);
      const j0 = divScalar(im[i0], 4);
      const r1 = divScalar(re[i1], 4);
      const j1 = divScalar(im[i1], 4);
      const r2 = divScalar(re[i2], 4);
      const j2 = divScalar(im[i2], 4);
      const r3 = divScalar(re[i3], 4);
      const j3 = divScalar(im[i3], 4);
      const w1 = k * fstride;
      const w2 = 2 * w1;
      const w3 = 3 * w1;
      const s0R = mulRe(r1, j1, twR[w1], twI[w1]);
      const s0I = mulIm(r1, j1, twR[w1], twI[w1]);
      const s1R = mulRe(r2, j2, twR[w2], twI[w2]);
      const s1I = mulIm(r2, j2, twR[w2], twI[w2]);
      const s2R = mulRe(r3, j3, twR[w3], twI[w3]);
      const s2I = mulIm(r3, j3, twR[w3], twI[w3]);
      const s5R = s16(r0 - s1R);
      const s5I = s16(j0 - s1I);
      const a0R = s16(r0 + s1R);
      const a0I = s16(j0 + s1I);
      const s3R = s16(s0R + s2R);
      const s3I = s16(s0I + s2I);
      const s4R = s16(s0R - s2R);
      const s4I = s16(s0I - s2I);
      re[i2] = a0R - s3R;
      im[i2] = a0I - s3I;
      re[i0] = a0R + s3R;
      im[i0] = a0I + s3I;
      re[i1] = s5R + s4I;
      im[i1] = s5I - s4R;
      re[i3] = s5R - s4I;
      im[i3] = s5I + s4R;
    }
  }
}

/** Q15 rounding of a 32-bit product sum, kept to 16 bits. */
const sround = (x: number) => s16((x + (1 << 14)) >> 15);
/** x / k in Q15 (multiplying by 32767 / k, integer division). */
const divScalar = (x: number, k: number) => sround(x * Math.trunc(32767 / k));
const mulRe = (aR: number, aI: number, bR: number, bI: number) => sround(aR * bR - aI * bI);
const mulIm = (aR: number, aI: number, bR: number, bI: number) => sround(aR * bI + aI * bR);

/** Integer square root with rounding, of a value below 2^53 (Sqrt64, or Sqrt32 under 2^32). */
function isqrt(num: number): number {
  if (num === 0) return 0;
  const bits = num < 2 ** 32 ? 32 : 64;
  const maxBit = (bits - msb(num)) | 1;
  let bit = 2 ** (bits - 1 - maxBit);
  let iterations = Math.floor((bits - 1 - maxBit) / 2) + 1;
  let res = 0;
  while (iterations--) {
    if (num >= res + bit) {
      num -= res + bit;
      res = Math.floor(res / 2) + bit;
    } else {
      res = Math.floor(res / 2);
    }
    bit = Math.floor(bit / 4);
  }
  if (num > res && res !== (bits === 32 ? 0xffff : 0xffffffff)) res++;
  return res;
}

/** A front end for one configuration: tables built once, state reset for every clip. */
export class MicroFrontend {
  readonly params: MicroFrontendParams;
  readonly windowSize: number;
  readonly windowStep: number;
  private readonly window: Int16Array;
  private readonly fft: FixedRealFft;
  private readonly startIndex: number;
  /** Per filterbank channel (num_channels + 1): first bin, and Q12 weight/unweight per bin. */
  private readonly chanStart: Int32Array;
  private readonly weights: Int16Array[];
  private readonly unweights: Int16Array[];
  private readonly evenSmoothing: number;
  private readonly oddSmoothing: number;
  private readonly minSignalRemaining: number;
  private readonly gainLut: Int16Array;
  private readonly snrShift: number;
  private readonly correctionBits: number;

  constructor(params: Partial<MicroFrontendParams> = {}) {
    const p = { ...MICRO_DEFAULTS, ...params };
    this.params = p;
    const rate = Math.trunc(p.sampleRate);
    this.windowSize = Math.trunc((Math.trunc(p.windowSizeMs) * rate) / 1000);
    this.windowStep = Math.trunc((Math.trunc(p.windowStepMs) * rate) / 1000);
    if (this.windowSize < 2 || this.windowStep < 1 || p.numChannels < 1)
      throw new Error('micro front end: window, step and channel count must be positive');

    // Hann window, centred on half samples, in Q12.
    this.window = new Int16Array(this.windowSize);
    const arg = f32((Math.PI * 2) / this.windowSize);
    for (let i = 0; i < this.windowSize; i++) {
      const v = f32(0.5 - 0.5 * Math.cos(arg * (i + 0.5)));
      this.window[i] = Math.floor(v * (1 << WINDOW_BITS) + 0.5);
    }

    let fftSize = 1;
    while (fftSize < this.windowSize) fftSize <<= 1;
    this.fft = new FixedRealFft(fftSize);
    const spectrumSize = fftSize / 2 + 1;

    // Mel filterbank (single-precision arithmetic as the C code's floats).
    const toMel = (hz: number) => f32(1127.0 * Math.log1p(hz / 700.0));
    const n1 = p.numChannels + 1;
    const lower = f32(p.lowerBandLimit);
    const upper = f32(p.upperBandLimit);
    const melLow = toMel(lower);
    const spacing = f32(f32(toMel(upper) - melLow) / n1);
    const centre = new Float32Array(n1);
    for (let i = 0; i < n1; i++) centre[i] = f32(melLow + f32(spacing * (i + 1)));
    const hzPerBin = f32((0.5 * rate) / (spectrumSize - 1));
    this.startIndex = Math.trunc(1.5 + f32(lower / hzPerBin));
    this.chanStart = new Int32Array(n1);
    this.weights = [];
    this.unweights = [];
    let freq = this.startIndex;
    let end = 0;
    for (let c = 0; c < n1; c++) {
      const start = freq;
      while (toMel(f32(freq * hzPerBin)) <= centre[c]) freq++;
      const w = new Int16Array(freq - start);
      const u = new Int16Array(freq - start);
      const denom = c === 0 ? melLow : centre[c - 1];
      for (let j = 0; j < w.length; j++) {
        const weight = f32(f32(centre[c] - toMel(f32((start + j) * hzPerBin))) / f32(centre[c] - denom));
        w[j] = Math.floor(weight * (1 << FILTERBANK_BITS) + 0.5);
        u[j] = Math.floor((1.0 - weight) * (1 << FILTERBANK_BITS) + 0.5);
      }
      this.chanStart[c] = start;
      this.weights.push(w);
      this.unweights.push(u);
      end = Math.max(end, freq);
    }
    if (end >= spectrumSize)
      throw new Error(
        `micro front end: the filterbank's upper band limit ${p.upperBandLimit} Hz is above the spectrum (sample rate ${rate} Hz)`,
      );

    // Noise reduction coefficients in Q14 (float config values, truncated as the C casts do).
    const q14 = (x: number) => Math.trunc(f32(x) * (1 << NOISE_REDUCTION_BITS));
    this.evenSmoothing = q14(p.evenSmoothing);
    this.oddSmoothing = q14(p.oddSmoothing);
    this.minSignalRemaining = q14(p.minSignalRemaining);

    // PCAN: gain = 2^gainBits * (noise + offset)^-strength, tabulated per power of two.
    this.correctionBits = msb32(fftSize) - 1 - FILTERBANK_BITS / 2;
    this.snrShift = p.gainBits - this.correctionBits - PCAN_SNR_BITS;
    const inputBits = p.smoothingBits - this.correctionBits;
    const gainOf = (x: number) => {
      const xf = f32(f32(x) / f32(2 ** inputBits));
      const g = f32(f32(2 ** p.gainBits) * f32(Math.pow(f32(xf + f32(p.pcanOffset)), -f32(p.pcanStrength))));
      return g > 0x7fff ? 0x7fff : s16(Math.trunc(f32(g + 0.5)));
    };
    // Layout: [0] g(0), [1] g(1), then for each interval 2..32 the triple (y0, a1, a2) at 4*interval-6.
    this.gainLut = new Int16Array(4 * WIDE_DYNAMIC_BITS - 3);
    if (p.enablePcan) {
      this.gainLut[0] = gainOf(0);
      this.gainLut[1] = gainOf(1);
      for (let interval = 2; interval <= WIDE_DYNAMIC_BITS; interval++) {
        const x0 = 2 ** (interval - 1);
        const x1 = x0 + Math.floor(x0 / 2);
        const x2 = interval === WIDE_DYNAMIC_BITS ? x0 + (x0 - 1) : 2 * x0;
        const y0 = gainOf(x0);
        const d1 = gainOf(x1) - y0;
        const d2 = gainOf(x2) - y0;
        const a1 = 4 * d1 - d2;
        const base = 4 * interval - 6;
        this.gainLut[base] = y0;
        this.gainLut[base + 1] = a1;
        this.gainLut[base + 2] = d2 - a1;
      }
    }
  }

  /** Frames for n samples (the op's count: none when n is shorter than a window). */
  frameCount(n: number): number {
    return n >= this.windowSize ? Math.floor((n - this.windowSize) / this.windowStep) + 1 : 0;
  }

  get bins(): number {
    return this.params.numChannels;
  }

  /** The front end's raw output (uint16 per channel per frame) for int16 audio: [frames][channels]. */
  computeInt16(audio: Int16Array): Uint16Array {
    const ch = this.params.numChannels;
    const frames = this.frameCount(audio.length);
    const out = new Uint16Array(frames * ch);
    const size = this.windowSize;
    const fftSize = this.fft.size;
    const windowed = new Int16Array(size);
    const fftIn = new Int16Array(fftSize);
    const spec = fftSize / 2 + 1;
    const fRe = new Int16Array(spec);
    const fIm = new Int16Array(spec);
    const energy = new Float64Array(spec);
    const work = new Float64Array(ch + 1);
    const signal = new Float64Array(ch);
    const estimate = new Float64Array(ch); // noise estimate, zero at the start of each clip
    const smoothingBits = this.params.smoothingBits;
    for (let f = 0; f < frames; f++) {
      const at = f * this.windowStep;
      let maxAbs = 0;
      for (let i = 0; i < size; i++) {
        const v = s16((audio[at + i] * this.window[i]) >> WINDOW_BITS);
        windowed[i] = v;
        const a = s16(-v);
        const abs = v < 0 ? a : v;
        if (abs > maxAbs) maxAbs = abs;
      }
      const shift = 15 - msb32(maxAbs);
      for (let i = 0; i < size; i++) fftIn[i] = s16((windowed[i] & 0xffff) << shift);
      fftIn.fill(0, size);
      this.fft.forward(fftIn, fRe, fIm);
      for (let i = this.startIndex; i < spec; i++) energy[i] = fRe[i] * fRe[i] + fIm[i] * fIm[i];

      // Filterbank: each bin's weight goes to its channel, its unweight to the next one.
      work.fill(0);
      for (let c = 0; c <= ch; c++) {
        const s = this.chanStart[c];
        const w = this.weights[c];
        const u = this.unweights[c];
        let acc = 0;
        let carry = 0;
        for (let j = 0; j < w.length; j++) {
          acc += w[j] * energy[s + j];
          carry += u[j] * energy[s + j];
        }
        work[c] += acc;
        if (c < ch) work[c + 1] += carry;
      }
      for (let c = 0; c < ch; c++) signal[c] = Math.floor(isqrt(work[c + 1]) / 2 ** shift);

      // Noise reduction.
      for (let c = 0; c < ch; c++) {
        const sm = c & 1 ? this.oddSmoothing : this.evenSmoothing;
        const scaled = (signal[c] * 2 ** smoothingBits) % 2 ** 32;
        let est = Math.floor(
          (scaled * sm + estimate[c] * ((1 << NOISE_REDUCTION_BITS) - sm)) / (1 << NOISE_REDUCTION_BITS),
        );
        est %= 2 ** 32;
        estimate[c] = est;
        if (est > scaled) est = scaled;
        const floor =
          Math.floor((signal[c] * this.minSignalRemaining) / (1 << NOISE_REDUCTION_BITS)) % 2 ** 32;
        const subtracted = Math.floor((scaled - est) / 2 ** smoothingBits);
        signal[c] = subtracted > floor ? subtracted : floor;
      }

      // PCAN gain control.
      if (this.params.enablePcan) {
        for (let c = 0; c < ch; c++) {
          const g = this.wideDynamic(estimate[c]);
          const gain = g < 0 ? g + 2 ** 32 : g;
          const snr = Math.floor((signal[c] * gain) / 2 ** this.snrShift) % 2 ** 32;
          signal[c] =
            snr < 2 << PCAN_SNR_BITS
              ? Math.floor((snr * snr) / 2 ** (2 + 2 * PCAN_SNR_BITS - PCAN_OUTPUT_BITS))
              : Math.floor(snr / 2 ** (PCAN_SNR_BITS - PCAN_OUTPUT_BITS)) - (1 << PCAN_OUTPUT_BITS);
        }
      }

      // Log scale.
      for (let c = 0; c < ch; c++) {
        let v = signal[c];
        if (this.params.enableLog) {
          const cb = this.correctionBits;
          v = cb < 0 ? Math.floor(v / 2 ** -cb) : (v * 2 ** cb) % 2 ** 32;
          v = v > 1 ? this.log(v) : 0;
        }
        out[f * ch + c] = v < 0xffff ? v : 0xffff;
      }
    }
    return out;
  }

  /**
   * Features as a model's training pipeline made them: float audio in [-1, 1) made int16 by
   * `cast(audio * sampleScale, int16)` (a float32 product, truncated, then clamped), the front end, then
   * `* scale` (default 10/256) in float32. Row-major [frames][channels].
   *
   * sampleScale 32768 (the default) gives back a 16-bit clip's own samples, as a device and the
   * speech_commands training pipeline (input_data.py: `audio * 32768`) feed them; 32767 is what the
   * seed's freeze.py writes into a frozen graph (`tf.multiply(audio, 32767)`), read from the graph.
   */
  compute(
    samples: Float32Array,
    scale = MICRO_SEED_SCALE,
    out?: Float32Array,
    sampleScale = MICRO_DEVICE_SAMPLE_SCALE,
  ): { frames: number; bins: number; data: Float32Array } {
    const pcm = new Int16Array(samples.length);
    const g = f32(sampleScale);
    for (let i = 0; i < samples.length; i++) {
      const v = Math.trunc(f32(samples[i] * g));
      pcm[i] = v > 32767 ? 32767 : v < -32768 ? -32768 : v;
    }
    const raw = this.computeInt16(pcm);
    const data = out ?? new Float32Array(raw.length);
    const k = f32(scale);
    for (let i = 0; i < raw.length; i++) data[i] = raw[i] * k;
    return { frames: this.frameCount(samples.length), bins: this.params.numChannels, data };
  }

  /** PCAN's gain for a noise estimate: the table's quadratic over the estimate's power of two. */
  private wideDynamic(x: number): number {
    const lut = this.gainLut;
    if (x <= 2) return lut[x];
    const interval = msb32(x);
    const base = 4 * interval - 6;
    const frac = (interval < 11 ? x << (11 - interval) : x >>> (interval - 11)) & 0x3ff;
    let r = (lut[base + 2] * frac) >> 5;
    r = (r + lut[base + 1] * 32) | 0;
    r = Math.imul(r, frac);
    r = (r + (1 << 14)) >> 15;
    return s16(r + lut[base]);
  }

  /** Natural log of x (> 1) in Q(scaleShift), from log2 by the segment table. */
  private log(x: number): number {
    const integer = msb32(x) - 1;
    let frac = (x - 2 ** integer) | 0;
    frac = integer < LOG_SCALE_LOG2 ? frac << (LOG_SCALE_LOG2 - integer) : frac >> (integer - LOG_SCALE_LOG2);
    const seg = frac >>> (LOG_SCALE_LOG2 - LOG_SEGMENTS_LOG2);
    const c0 = LOG_LUT[seg];
    const c1 = LOG_LUT[seg + 1];
    const segBase = seg << (LOG_SCALE_LOG2 - LOG_SEGMENTS_LOG2);
    const rel = ((c1 - c0) * (frac - segBase)) >> LOG_SCALE_LOG2;
    const fraction = (frac + c0 + rel) >>> 0;
    const log2 = ((integer << LOG_SCALE_LOG2) + fraction) >>> 0;
    const round = 1 << (LOG_SCALE_LOG2 - 1);
    const loge = Math.floor((LOG_COEFF * log2 + round) / (1 << LOG_SCALE_LOG2)) >>> 0;
    return ((((loge << this.params.scaleShift) >>> 0) + round) >>> 0) >>> LOG_SCALE_LOG2;
  }
}
