/**
 * Triangular mel filterbank exactly as TensorFlow's MfccMelFilterbank
 * (tensorflow/core/kernels/mfcc_mel_filterbank.cc), written here because no JS library reproduces
 * its conventions, and the model's input must be TensorFlow's to the last digit:
 * - mel(f) = 1127 * ln(1 + f / 700);
 * - `channels + 1` centre frequencies equally spaced in mel strictly between mel(lower) and
 *   mel(upper): c[i] = mel(lower) + (i + 1) * (mel(upper) - mel(lower)) / (channels + 1);
 * - input bin i has frequency i * hzPerBin, hzPerBin = sampleRate / 2 / (inputLength - 1);
 * - only bins from startIndex = trunc(1.5 + lower / hzPerBin) to endIndex = trunc(upper / hzPerBin)
 *   (inclusive) contribute;
 * - each such bin belongs to the band whose upper centre is the first centre >= its mel value; its
 *   value goes to that band with weight (c[b+1] - mel) / (c[b+1] - c[b]) (for the first band the
 *   lower edge is mel(lower)) and to the next band with 1 - weight;
 * - the input is a *power* spectrogram and the filterbank sums sqrt(power), i.e. magnitudes;
 * - all of it in double precision.
 */
export interface MelFilterbankOptions {
  /** Bins of the input spectrogram (fftSize / 2 + 1; default 257). */
  inputLength?: number;
  /** Sample rate of the audio in Hz (default 16000). */
  sampleRate?: number;
  /** Number of mel bands (default 40). */
  channels?: number;
  /** Lower band edge in Hz (default 20). */
  lowerFrequencyHz?: number;
  /** Upper band edge in Hz (default 4000). */
  upperFrequencyHz?: number;
}

/** TensorFlow's mel scale: 1127 ln(1 + f/700). */
export function hzToMel(hz: number): number {
  return 1127.0 * Math.log1p(hz / 700.0);
}

/** A filterbank of one configuration, its tables built once. */
export class MelFilterbank {
  readonly channels: number;
  readonly inputLength: number;
  readonly startIndex: number;
  readonly endIndex: number;
  /** Band index (-1 = only feeds band 0 from below) of each bin in [startIndex, endIndex]. */
  private readonly bandMapper: Int32Array;
  private readonly weights: Float64Array;

  constructor(options: MelFilterbankOptions = {}) {
    const o = {
      inputLength: 257,
      sampleRate: 16000,
      channels: 40,
      lowerFrequencyHz: 20,
      upperFrequencyHz: 4000,
      ...options,
    };
    if (!(o.channels >= 1) || !(o.inputLength >= 2))
      throw new Error('mel filterbank: bad channel or input count');
    if (!(o.lowerFrequencyHz >= 0) || !(o.upperFrequencyHz > o.lowerFrequencyHz)) {
      throw new Error(`mel filterbank: bad limits ${o.lowerFrequencyHz}..${o.upperFrequencyHz} Hz`);
    }
    if (o.upperFrequencyHz > o.sampleRate / 2) {
      throw new Error(
        `mel filterbank: upper limit ${o.upperFrequencyHz} Hz is above Nyquist (${o.sampleRate / 2} Hz)`,
      );
    }
    this.channels = o.channels;
    this.inputLength = o.inputLength;
    const melLow = hzToMel(o.lowerFrequencyHz);
    const melHigh = hzToMel(o.upperFrequencyHz);
    const spacing = (melHigh - melLow) / (o.channels + 1);
    const centres = new Float64Array(o.channels + 1);
    for (let i = 0; i <= o.channels; i++) centres[i] = melLow + spacing * (i + 1);
    const hzPerBin = (0.5 * o.sampleRate) / (o.inputLength - 1);
    this.startIndex = Math.trunc(1.5 + o.lowerFrequencyHz / hzPerBin);
    this.endIndex = Math.min(Math.trunc(o.upperFrequencyHz / hzPerBin), o.inputLength - 1);
    const n = this.endIndex - this.startIndex + 1;
    this.bandMapper = new Int32Array(Math.max(0, n));
    this.weights = new Float64Array(Math.max(0, n));
    let channel = 0;
    for (let i = this.startIndex; i <= this.endIndex; i++) {
      const mel = hzToMel(i * hzPerBin);
      while (channel < o.channels && centres[channel] < mel) channel++;
      const band = channel - 1;
      this.bandMapper[i - this.startIndex] = band;
      this.weights[i - this.startIndex] =
        band >= 0
          ? (centres[band + 1] - mel) / (centres[band + 1] - centres[band])
          : (centres[0] - mel) / (centres[0] - melLow);
    }
  }

  /** How many input bins feed each band (with any weight): used for error bounds. */
  binsPerBand(): Float64Array {
    const n = new Float64Array(this.channels);
    for (const band of this.bandMapper) {
      if (band >= 0) n[band]++;
      if (band + 1 < this.channels) n[band + 1]++;
    }
    return n;
  }

  /**
   * Applies the filterbank to one power-spectrum frame `power[offset .. offset + inputLength)`,
   * writing `channels` values (sums of magnitudes) into `out` (zeroed here).
   */
  apply(power: Float32Array, offset: number, out: Float64Array): void {
    const nch = this.channels;
    out.fill(0, 0, nch);
    const map = this.bandMapper;
    const w = this.weights;
    const base = offset + this.startIndex;
    for (let j = 0; j < map.length; j++) {
      const mag = Math.sqrt(power[base + j]);
      const weighted = mag * w[j];
      const band = map[j];
      if (band >= 0) out[band] += weighted;
      if (band + 1 < nch) out[band + 1] += mag - weighted;
    }
  }
}
