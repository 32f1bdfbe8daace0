/**
 * Exactly `length` samples: zero-padded at the end or cut, as tf.audio.decode_wav(desired_samples)
 * does in the speech_commands input pipeline. Returns `samples` itself when it already fits.
 */
export function fitLength(samples: Float32Array, length: number, out?: Float32Array): Float32Array {
  if (samples.length === length && !out) return samples;
  const o = out && out.length === length ? out : new Float32Array(length);
  const n = Math.min(length, samples.length);
  o.set(samples.subarray(0, n));
  o.fill(0, n);
  return o;
}
