/** Mono from channels: the average of all channels, or one chosen channel (a copy-free view for mono). */
export function mixdown(channels: Float32Array[], channel?: number): Float32Array {
  if (channels.length === 0) return new Float32Array(0);
  if (channel !== undefined) {
    const c = channels[channel];
    if (!c) throw new Error(`channel ${channel} does not exist (the audio has ${channels.length})`);
    return c;
  }
  if (channels.length === 1) return channels[0];
  const n = channels[0].length;
  const out = new Float32Array(n);
  const k = 1 / channels.length;
  for (const c of channels) for (let i = 0; i < n; i++) out[i] += c[i];
  for (let i = 0; i < n; i++) out[i] *= k;
  return out;
}
