/**
 * A TF.js layers model (model.json's Keras topology and its manifest's float32 weights) as the
 * Keras parts the graph importer reads (fromKeras.ts).
 */
import { layerSpecs, type Cfg } from '../formats/kerasConfig';
import { kerasParts, type KerasParts } from './fromKeras';

/** A weights-manifest entry as read (checked by modelPackage.ts's checkManifest). */
interface ManifestEntry {
  name: string;
  shape: number[];
  dtype?: string;
  quantization?: unknown;
}

/**
 * The model's parts, or undefined when the graph cannot take it (quantised or non-float weights,
 * a topology other than Sequential / Functional). `data` is the shards' bytes in manifest order.
 */
export function tfjsKerasParts(
  topology: unknown,
  entries: ManifestEntry[],
  data: ArrayBuffer,
): KerasParts | undefined {
  if (entries.some((e) => e.quantization || (e.dtype ?? 'float32') !== 'float32')) return undefined;
  const t = topology as Cfg;
  const model = (t.model_config ?? t) as Cfg;
  // Old Sequential files keep the layer list as the config itself.
  const config = Array.isArray(model.config) ? { layers: model.config } : ((model.config ?? {}) as Cfg);
  const specs = layerSpecs(config);
  const names = new Map(specs.map((s) => [s.name, s]));
  const byLayer = new Map<string, { shape: number[]; data: Float32Array }[]>();
  let offset = 0;
  for (const e of entries) {
    const n = e.shape.reduce((a, b) => a * b, 1);
    // The layer is the name's path less its last part, or a tail of it ("sequential/conv2d/kernel").
    const parts = e.name.split('/').slice(0, -1);
    const spec = parts.map((_, i) => names.get(parts.slice(i).join('/'))).find((s) => s);
    const w = { shape: e.shape, data: new Float32Array(data.slice(offset, offset + 4 * n)) };
    offset += 4 * n;
    if (spec) byLayer.set(spec.name, [...(byLayer.get(spec.name) ?? []), w]);
  }
  return kerasParts({ ...model, config }, specs, byLayer);
}
