import { FeatureExtractor } from '../audio/features';
import { checkFeatureShape } from './limits';
import { clipSamples, featureConfigOf, type ModelMetadata } from './metadata';

/**
 * How a model takes one window's features: [batch, frames, bins, 1] (image, TensorFlow's NHWC),
 * [batch, 1, bins, frames] (nchw: PyTorch's channels first, bins before frames), [batch, frames,
 * bins] or [batch, frames * bins].
 */
export type InputLayout = 'image' | 'nchw' | 'sequence' | 'flat';

/**
 * Frames and bins of one clip's features as the metadata computes them (the model's input size):
 * at least one frame, bounded (limits.ts).
 */
export async function featureShape(metadata: ModelMetadata): Promise<{ frames: number; bins: number }> {
  const fx = await FeatureExtractor.create(featureConfigOf(metadata));
  try {
    const shape = { frames: fx.frameCount(clipSamples(metadata)), bins: fx.bins };
    checkFeatureShape(shape.frames, shape.bins);
    return shape;
  } finally {
    fx.dispose();
  }
}

/** The layout a model's declared input shape (batch first; null: any) has for these features, if any. */
export function layoutOf(
  inputShape: (number | null)[],
  frames: number,
  bins: number,
): InputLayout | undefined {
  const dims = inputShape.slice(1);
  const fits = (b: number[]) => dims.length === b.length && dims.every((d, i) => d === null || d === b[i]);
  return fits([frames, bins, 1])
    ? 'image'
    : fits([frames, bins])
      ? 'sequence'
      : fits([frames * bins])
        ? 'flat'
        : undefined;
}

/** The input tensor's shape for `n` windows in `layout`. */
export function inputShapeOf(layout: InputLayout, n: number, frames: number, bins: number): number[] {
  return layout === 'image'
    ? [n, frames, bins, 1]
    : layout === 'nchw'
      ? [n, 1, bins, frames]
      : layout === 'sequence'
        ? [n, frames, bins]
        : [n, frames * bins];
}

/**
 * Every layout a declared input shape (batch first; null: any) fits, for graphs (ONNX) whose
 * exporter may leave dimensions symbolic: more than one is ambiguous (metadata.json "inputLayout").
 */
export function layoutsFitting(inputShape: (number | null)[], frames: number, bins: number): InputLayout[] {
  const all: InputLayout[] = ['image', 'nchw', 'sequence', 'flat'];
  return all.filter((l) => {
    const want = inputShapeOf(l, 1, frames, bins).slice(1);
    const dims = inputShape.slice(1);
    return dims.length === want.length && dims.every((d, i) => d === null || d === want[i]);
  });
}

/**
 * `count` windows of features packed [window][frame][bin] rearranged to `layout`'s memory order:
 * only nchw differs ([window][bin][frame]); the others are the same values under another shape.
 */
export function packFor(
  layout: InputLayout,
  x: Float32Array,
  count: number,
  frames: number,
  bins: number,
): Float32Array {
  if (layout !== 'nchw') return x;
  const out = new Float32Array(count * frames * bins);
  for (let w = 0; w < count; w++) {
    const o = w * frames * bins;
    for (let f = 0; f < frames; f++)
      for (let b = 0; b < bins; b++) out[o + b * frames + f] = x[o + f * bins + b];
  }
  return out;
}
