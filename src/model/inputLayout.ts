import { FeatureExtractor } from '../audio/features';
import { checkFeatureShape } from './limits';
import { clipSamples, featureConfigOf, type ModelMetadata } from './metadata';

/** How a model takes one window's features: [batch, frames, bins, 1], [batch, frames, bins] or [batch, frames * bins]. */
export type InputLayout = 'image' | 'sequence' | 'flat';

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
    : layout === 'sequence'
      ? [n, frames, bins]
      : [n, frames * bins];
}
