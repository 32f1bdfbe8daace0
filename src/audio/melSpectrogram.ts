/**
 * The mel spectrogram PyTorch users train on: `torchaudio.transforms.MelSpectrogram` /
 * `librosa.feature.melspectrogram`, optionally followed by a log (`torch.log(mel + offset)`) or dB
 * (`librosa.power_to_db` / `amplitude_to_db`, torchaudio's `AmplitudeToDB`). Conventions:
 * - window: periodic Hann of winLength samples (scipy `get_window('hann', fftbins=True)`,
 *   `torch.hann_window`), zero-padded to nFft in the middle (offset floor((nFft - winLength) / 2));
 * - center: the signal is padded by floor(nFft / 2) on both sides, mirrored without repeating the edge
 *   sample (`reflect`, numpy's and torch's) or with zeros (`constant`); frame t starts at t * hopLength of
 *   the padded signal; without center, frames of nFft samples start at t * hopLength and only whole ones count;
 * - |DFT|^power of each frame (power 1: magnitude, 2: power), any nFft (realDft64.ts);
 * - the mel filterbank of melBasis.ts (htk/slaney scale, slaney norm or none);
 * - log `log`: ln(mel + logOffset); `db`: 10 log10(max(1e-10, mel)) for power 2, 20 log10(max(1e-5, mel))
 *   for power 1 (librosa's amin, ref 1.0), then with topDb every value is raised to at least the largest
 *   value of the whole window minus topDb (librosa's and torchaudio's top_db, over the spectrogram).
 * Everything in double precision (as librosa with float64 input); the output is rounded to float32,
 * row-major [frames][nMels] (PyTorch's [nMels][frames] is the model input's business).
 */
import { MelBasis, type MelScale } from './melBasis';
import type { FeatureMatrix } from './mfcc';
import { RealDft64 } from './realDft64';

/** All parameters of the melspectrogram front end (metadata.json's names). */
export interface MelSpectrogramParams {
  sampleRate: number;
  nFft: number;
  winLength: number;
  hopLength: number;
  nMels: number;
  fMin: number;
  fMax: number;
  center: boolean;
  padMode: 'reflect' | 'constant';
  power: 1 | 2;
  melScale: MelScale;
  norm: 'slaney' | 'none';
  log: 'none' | 'log' | 'db';
  /** log: added before the log. */
  logOffset: number;
  /** db: the dynamic range kept below the window's maximum; undefined: no clamp. */
  topDb?: number;
}

/** The parameters a model states: nFft at least; the rest defaults as `melDefaults` says. */
export type MelSpectrogramOptions = Partial<Omit<MelSpectrogramParams, 'sampleRate'>> & { nFft: number };

/**
 * torchaudio.transforms.MelSpectrogram's defaults (winLength = nFft, hopLength = winLength / 2,
 * 128 mels over 0 .. sampleRate / 2, centred with reflection, power, HTK scale, no norm), no log;
 * logOffset 1e-6 when log is `log`.
 */
export function melDefaults(sampleRate: number, o: MelSpectrogramOptions): MelSpectrogramParams {
  const winLength = o.winLength ?? o.nFft;
  return {
    sampleRate,
    nFft: o.nFft,
    winLength,
    hopLength: o.hopLength ?? Math.max(1, Math.floor(winLength / 2)),
    nMels: o.nMels ?? 128,
    fMin: o.fMin ?? 0,
    fMax: o.fMax ?? sampleRate / 2,
    center: o.center ?? true,
    padMode: o.padMode ?? 'reflect',
    power: o.power ?? 2,
    melScale: o.melScale ?? 'htk',
    norm: o.norm ?? 'none',
    log: o.log ?? 'none',
    logOffset: o.logOffset ?? 1e-6,
    ...(o.topDb !== undefined && { topDb: o.topDb }),
  };
}

/** A mel spectrogram of one configuration; window, DFT and filterbank built once. */
export class MelSpectrogram {
  readonly params: MelSpectrogramParams;
  readonly basis: MelBasis;
  /** The window zero-padded to nFft. */
  private readonly window: Float64Array;
  private readonly dft: RealDft64;
  private readonly spectrum: Float64Array;
  private readonly mel: Float64Array;

  constructor(params: MelSpectrogramParams) {
    const p = params;
    if (!Number.isInteger(p.nFft) || p.nFft < 2) throw new Error(`melspectrogram: bad nFft ${p.nFft}`);
    if (!Number.isInteger(p.winLength) || p.winLength < 1 || p.winLength > p.nFft)
      throw new Error(`melspectrogram: winLength ${p.winLength} must be 1 .. nFft (${p.nFft})`);
    if (!Number.isInteger(p.hopLength) || p.hopLength < 1)
      throw new Error(`melspectrogram: bad hopLength ${p.hopLength}`);
    this.params = p;
    this.basis = new MelBasis({
      sampleRate: p.sampleRate,
      nFft: p.nFft,
      nMels: p.nMels,
      fMin: p.fMin,
      fMax: p.fMax,
      scale: p.melScale,
      norm: p.norm,
    });
    this.window = new Float64Array(p.nFft);
    const left = Math.floor((p.nFft - p.winLength) / 2);
    for (let n = 0; n < p.winLength; n++)
      this.window[left + n] = 0.5 - 0.5 * Math.cos((2 * Math.PI * n) / p.winLength);
    this.dft = new RealDft64(p.nFft);
    this.spectrum = new Float64Array(this.dft.bins);
    this.mel = new Float64Array(p.nMels);
  }

  /** Bins per frame: nMels. */
  get bins(): number {
    return this.params.nMels;
  }

  /** Padding on each side with center. */
  private get pad(): number {
    return this.params.center ? Math.floor(this.params.nFft / 2) : 0;
  }

  /** Frames for n samples. */
  frameCount(n: number): number {
    const padded = n + 2 * this.pad;
    if (n === 0 || padded < this.params.nFft) return 0;
    return 1 + Math.floor((padded - this.params.nFft) / this.params.hopLength);
  }

  /**
   * Samples between independent frames (a long span's frames are those of any window inside it
   * starting a whole number of hops in), or undefined when a frame depends on where the window
   * starts or ends: centred padding at the edges, and topDb's clamp to the window's maximum.
   */
  get frameHop(): number | undefined {
    const p = this.params;
    return p.center || (p.log === 'db' && p.topDb !== undefined) ? undefined : p.hopLength;
  }

  /** The mel spectrogram of `samples`, row-major [frames][nMels]. */
  compute(samples: Float32Array, out?: Float32Array): FeatureMatrix {
    const p = this.params;
    const n = samples.length;
    const frames = this.frameCount(n);
    const bins = p.nMels;
    const data =
      out && out.length >= frames * bins ? out.subarray(0, frames * bins) : new Float32Array(frames * bins);
    const input = this.dft.input;
    const pad = this.pad;
    const reflect = p.padMode === 'reflect';
    // numpy's reflect pad repeated as often as needed: the periodic mirror image, period 2 (n - 1).
    const period = 2 * (n - 1);
    const mult = p.power === 2 ? 10 : 20;
    const amin = p.power === 2 ? 1e-10 : 1e-5;
    let peak = -Infinity;
    for (let t = 0; t < frames; t++) {
      const start = t * p.hopLength - pad;
      for (let i = 0; i < p.nFft; i++) {
        const w = this.window[i];
        if (w === 0) {
          input[i] = 0;
          continue;
        }
        let j = start + i;
        if (j < 0 || j >= n) {
          if (!reflect || period === 0) {
            input[i] = reflect ? samples[0] * w : 0;
            continue;
          }
          j = ((j % period) + period) % period;
          if (j >= n) j = period - j;
        }
        input[i] = samples[j] * w;
      }
      const spec = this.dft.run();
      for (let k = 0; k < this.spectrum.length; k++) {
        const pw = spec[2 * k] * spec[2 * k] + spec[2 * k + 1] * spec[2 * k + 1];
        this.spectrum[k] = p.power === 2 ? pw : Math.sqrt(pw);
      }
      this.basis.apply(this.spectrum, this.mel);
      const row = t * bins;
      for (let m = 0; m < bins; m++) {
        let v = this.mel[m];
        if (p.log === 'log') v = Math.log(v + p.logOffset);
        else if (p.log === 'db') {
          v = mult * Math.log10(Math.max(amin, v));
          if (v > peak) peak = v;
        }
        data[row + m] = v;
      }
    }
    if (p.log === 'db' && p.topDb !== undefined && frames > 0) {
      const floor = Math.fround(peak - p.topDb);
      for (let i = 0; i < data.length; i++) if (data[i] < floor) data[i] = floor;
    }
    return { frames, bins, data };
  }
}
