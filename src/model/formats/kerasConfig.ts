/**
 * Keras layer configs as Keras 2 and Keras 3 write them (model.json's modelTopology, a .keras
 * file's config.json, an .h5's model_config): each layer's class, name, settings and inbound calls.
 * Shared by the TF.js-op builder (keras.ts) and the graph importer (graph/fromKeras.ts).
 */

export type Cfg = Record<string, unknown>;
export interface LayerSpec {
  className: string;
  name: string;
  config: Cfg;
  /** Functional models: per call, the (layer, node, tensor) references of its inputs. */
  inbound: [string, number, number][][];
}

/** A Keras 2 / Keras 3 inbound node list as [layer, node, tensor] references per call. */
function inboundOf(l: Cfg): [string, number, number][][] {
  const nodes = (l.inbound_nodes ?? []) as unknown[];
  const refs = (v: unknown, out: [string, number, number][]): void => {
    if (Array.isArray(v)) {
      // Keras 2: [name, node, tensor, kwargs]
      if (typeof v[0] === 'string' && typeof v[1] === 'number') out.push([v[0], v[1], v[2] as number]);
      else for (const x of v) refs(x, out);
    } else if (v && typeof v === 'object') {
      const o = v as Cfg;
      if (o.class_name === '__keras_tensor__') {
        const h = (o.config as Cfg).keras_history as [string, number, number];
        out.push([h[0], h[1], h[2]]);
      }
    }
  };
  return nodes.map((n) => {
    const out: [string, number, number][] = [];
    if (n && typeof n === 'object' && !Array.isArray(n)) refs((n as Cfg).args, out);
    else refs(n, out);
    return out;
  });
}

export function layerSpecs(config: Cfg): LayerSpec[] {
  const layers = (config.layers ?? []) as Cfg[];
  return layers.map((l) => {
    const c = (l.config ?? {}) as Cfg;
    return {
      className: String(l.class_name),
      name: String(c.name ?? l.name),
      config: c,
      inbound: inboundOf(l),
    };
  });
}

/** An activation setting's name: a string, or a Keras 3 serialized object ({class_name, config}). */
export function activationName(a: unknown): unknown {
  if (typeof a === 'string') return a;
  if (a && typeof a === 'object')
    return ((a as Cfg).config as Cfg | undefined)?.name ?? (a as Cfg).class_name;
  return 'linear';
}

/**
 * The order Functional layers run in, computed once at load (Kahn's algorithm, linear in the calls):
 * a layer runs when every call's inputs exist. Layers the input never reaches are left out. (It was
 * found again on every predict, by rescanning the pending layers: a 30,000-layer chain listed in
 * reverse took minutes a batch.)
 */
export function schedule(specs: LayerSpec[], input: string): LayerSpec[] {
  const waiting = new Map<string, LayerSpec[]>(); // `${layer}/${node}` -> layers needing it
  const missing = new Map<LayerSpec, number>();
  for (const s of specs) {
    if (s.name === input) continue;
    const needs = new Set(s.inbound.flatMap((c) => c.map(([l, n]) => `${l}/${n}`)));
    missing.set(s, needs.size);
    for (const k of needs) waiting.set(k, [...(waiting.get(k) ?? []), s]);
  }
  const order: LayerSpec[] = [];
  const ready = [`${input}/0`];
  const done = new Set<string>();
  while (ready.length) {
    const k = ready.pop()!;
    if (done.has(k)) continue;
    done.add(k);
    for (const s of waiting.get(k) ?? []) {
      const left = missing.get(s)! - 1;
      missing.set(s, left);
      if (left === 0) {
        order.push(s);
        s.inbound.forEach((_, node) => ready.push(`${s.name}/${node}`));
      }
    }
  }
  return order;
}
