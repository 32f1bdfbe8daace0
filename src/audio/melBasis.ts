/**
 * The mel filterbank of librosa (`librosa.filters.mel`) and torchaudio (`torchaudio.functional.melscale_fbanks`),
 * which PyTorch models are trained with. TensorFlow's own (melFilterbank.ts) differs in every convention,
 * so this is a file of its own:
 * - scale `htk`: mel = 2595 log10(1 + f / 700); scale `slaney` (librosa's default, the Auditory
 *   Toolbox's): linear below 1 kHz (f / (200 / 3)), logarithmic above (15 + ln(f / 1000) / (ln 6.4 / 27));
 * - nMels + 2 points equally spaced in mel from mel(fMin) to mel(fMax), mapped back to Hz: f[0 .. nMels + 1];
 * - bin k has frequency k * sampleRate / nFft (rfftfreq) for k = 0 .. floor(nFft / 2);
 * - band m weighs bin k by max(0, min((fk - f[m]) / (f[m+1] - f[m]), (f[m+2] - fk) / (f[m+2] - f[m+1])));
 * - norm `slaney` scales band m by 2 / (f[m+2] - f[m]) (constant energy per band); `none` leaves peaks at 1.
 * All in double precision. (torchaudio spaces its bins over 0 .. sampleRate // 2 in integer Hz, the same
 * as librosa's for the even rates models use.)
 */

/** The mel scale: `htk` or `slaney`. */
export type MelScale = 'htk' | 'slaney';

const F_SP = 200 / 3;
const MIN_LOG_HZ = 1000;
const MIN_LOG_MEL = MIN_LOG_HZ / F_SP;
const LOG_STEP = Math.log(6.4) / 27;

/** Hz to mel on `scale` (librosa.hz_to_mel). */
export function hzToMelScale(hz: number, scale: MelScale): number {
  if (scale === 'htk') return 2595 * Math.log10(1 + hz / 700);
  return hz >= MIN_LOG_HZ ? MIN_LOG_MEL + Math.log(hz / MIN_LOG_HZ) / LOG_STEP : hz / F_SP;
}

/** Mel to Hz on `scale` (librosa.mel_to_hz). */
export function melToHzScale(mel: number, scale: MelScale): number {
  if (scale === 'htk') return 700 * (10 ** (mel / 2595) - 1);
  return mel >= MIN_LOG_MEL ? MIN_LOG_HZ * Math.exp(LOG_STEP * (mel - MIN_LOG_MEL)) : F_SP * mel;
}

/** Settings of a librosa/torchaudio mel filterbank. */
export interface MelBasisOptions {
  sampleRate: number;
  nFft: number;
  nMels: number;
  fMin: number;
  fMax: number;
  scale: MelScale;
  norm: 'slaney' | 'none';
}

/** A sparse mel filterbank: band m takes bins start[m] .. start[m] + count[m] - 1 with its weights. */
export class MelBasis {
  readonly nMels: number;
  /** Spectrum bins it takes: floor(nFft / 2) + 1. */
  readonly inputLength: number;
  private readonly start: Int32Array;
  private readonly count: Int32Array;
  /** Weights of band m at offset[m] .. offset[m] + count[m]. */
  private readonly offset: Int32Array;
  private readonly weights: Float64Array;

  constructor(o: MelBasisOptions) {
    if (!(o.nMels >= 1) || !(o.nFft >= 2)) throw new Error('mel basis: bad nMels or nFft');
    if (!(o.fMin >= 0) || !(o.fMax > o.fMin) || o.fMax > o.sampleRate / 2)
      throw new Error(`mel basis: bad limits ${o.fMin}..${o.fMax} Hz at ${o.sampleRate} Hz`);
    this.nMels = o.nMels;
    this.inputLength = Math.floor(o.nFft / 2) + 1;
    const lo = hzToMelScale(o.fMin, o.scale);
    const hi = hzToMelScale(o.fMax, o.scale);
    const f = new Float64Array(o.nMels + 2);
    // numpy.linspace(lo, hi, n): lo + i * step, the last point exactly hi.
    const step = (hi - lo) / (o.nMels + 1);
    for (let i = 0; i < f.length; i++) f[i] = melToHzScale(i === o.nMels + 1 ? hi : lo + i * step, o.scale);
    this.start = new Int32Array(o.nMels);
    this.count = new Int32Array(o.nMels);
    this.offset = new Int32Array(o.nMels);
    const all: number[] = [];
    for (let m = 0; m < o.nMels; m++) {
      const enorm = o.norm === 'slaney' ? 2 / (f[m + 2] - f[m]) : 1;
      const lower = f[m + 1] - f[m];
      const upper = f[m + 2] - f[m + 1];
      let first = -1;
      const row: number[] = [];
      for (let k = 0; k < this.inputLength; k++) {
        const fk = (k * o.sampleRate) / o.nFft;
        const w = Math.max(0, Math.min((fk - f[m]) / lower, (f[m + 2] - fk) / upper));
        if (w > 0 && first < 0) first = k;
        if (first >= 0) row.push(w * enorm);
      }
      while (row.length && row[row.length - 1] === 0) row.pop();
      this.start[m] = Math.max(0, first);
      this.count[m] = row.length;
      this.offset[m] = all.length;
      all.push(...row);
    }
    this.weights = Float64Array.from(all);
  }

  /** Band m's weights over the bins (dense, inputLength values): for tests and pictures. */
  row(m: number): Float64Array {
    const r = new Float64Array(this.inputLength);
    const o = this.offset[m];
    for (let j = 0; j < this.count[m]; j++) r[this.start[m] + j] = this.weights[o + j];
    return r;
  }

  /** out[m] = sum_k W[m][k] spectrum[k] for one frame of inputLength values. */
  apply(spectrum: Float64Array, out: Float64Array): void {
    const w = this.weights;
    for (let m = 0; m < this.nMels; m++) {
      const s = this.start[m];
      const o = this.offset[m];
      let acc = 0;
      for (let j = 0; j < this.count[m]; j++) acc += w[o + j] * spectrum[s + j];
      out[m] = acc;
    }
  }
}
