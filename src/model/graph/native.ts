/**
 * Backend choice for models TF.js loads from Keras layer configs (TF.js layers model.json, .keras,
 * .h5): their graph (graph.ts) lowered to ONNX and run by the pool's onnxruntime process when one is
 * there, TF.js WASM otherwise (the editor's own process, the browser, a platform without the
 * binary). The TF.js model stays loaded: it is the fallback, the cross-check at load, and the
 * source of embeddings (review). WAVEBENCH_BACKEND=wasm|native (the CLI's --backend) forces one;
 * a native failure falls back to WASM with one line (ModelPackage.backendWarning).
 */
import * as tf from '@tensorflow/tfjs';
import type { OnnxRunner } from '../formats/onnx';
import { inputShapeOf, packFor } from '../inputLayout';
import type { ModelPackage } from '../package';
import { readyGraph } from './fold';
import { graphFromKeras, NotLowerable, type KerasParts } from './fromKeras';
import { graphToOnnx } from './toOnnx';

export type BackendChoice = 'wasm' | 'native';
export const BACKEND_CHOICES: readonly BackendChoice[] = ['wasm', 'native'];

/** The backend forced by `given` or WAVEBENCH_BACKEND, or undefined (native where it loads). */
export function backendChoice(given?: string): BackendChoice | undefined {
  const v = given ?? process.env.WAVEBENCH_BACKEND;
  return (BACKEND_CHOICES as readonly (string | undefined)[]).includes(v) ? (v as BackendChoice) : undefined;
}

/** Largest difference allowed between the two backends on the load-time cross-check. */
const AGREE = 1e-4;

/** Two windows of varied, deterministic features (zeros would hide a transposed kernel). */
function probe(size: number): Float32Array {
  const x = new Float32Array(2 * size);
  for (let i = 0; i < x.length; i++) x[i] = Math.sin(i * 0.37) * 3 + Math.cos(i * 0.011);
  return x;
}

/**
 * `pkg` (loaded and checked by TF.js) run natively when its graph lowers and onnxruntime agrees
 * with TF.js on a probe; else `pkg` on TF.js with `lowering` saying why (and `backendWarning` when
 * native was expected and failed). A graph that fails checkGraph throws its ModelError.
 */
export async function preferNative(
  pkg: ModelPackage,
  parts: KerasParts | undefined,
  runner: OnnxRunner | undefined,
  choice = backendChoice(),
): Promise<ModelPackage> {
  const wasm = (lowering: string, warn = false): ModelPackage => ({
    ...pkg,
    lowering,
    ...(warn && choice !== 'wasm' && runner && { backendWarning: `native backend not used: ${lowering}` }),
  });
  if (!parts) return wasm('runs on TF.js: the model is not a Sequential or one-input Functional model');
  let graph;
  try {
    graph = readyGraph(graphFromKeras(parts), pkg.dir);
  } catch (e) {
    if (e instanceof NotLowerable)
      return wasm(`runs on TF.js: ${e.message} has no graph op`, choice === 'native');
    pkg.dispose();
    throw e;
  }
  if (choice === 'wasm') return wasm('runs on TF.js WASM (WAVEBENCH_BACKEND / --backend wasm)');
  if (!runner) return wasm('runs on TF.js WASM (no onnxruntime process here)');
  const { frames, bins } = pkg;
  const size = frames * bins;
  const key = `${pkg.hash}:lowered`;
  const run = async (x: Float32Array, count: number) => {
    const r = await runner.run(
      key,
      packFor(pkg.inputLayout, x.subarray(0, count * size), count, frames, bins),
      inputShapeOf(pkg.inputLayout, count, frames, bins),
    );
    return { data: r.data, shape: r.dims };
  };
  let backend: string;
  try {
    backend = (await runner.load(key, graphToOnnx(graph.graph, graph.shapes))).backend;
    const x = probe(size);
    const native = await run(x, 2);
    const t = tf.tensor(x, [2, size]);
    const y = pkg.predict!(t);
    const ref = (await y.data()) as Float32Array;
    tf.dispose([t, y]);
    let worst = native.data.length === ref.length ? 0 : Infinity;
    for (let i = 0; i < ref.length && worst <= AGREE; i++)
      worst = Math.max(
        worst,
        Math.abs(ref[i] - native.data[i]) || (ref[i] === native.data[i] ? 0 : Infinity),
      );
    if (!(worst <= AGREE)) throw new Error(`it differs from TF.js by ${worst} on a probe`);
  } catch (e) {
    runner.release(key);
    return wasm(
      `onnxruntime failed (${(e as Error).message.split('\n')[0].slice(0, 200)}); running on TF.js WASM`,
      true,
    );
  }
  return {
    ...pkg,
    run,
    backend,
    lowering: `lowered to ONNX (${graph.graph.nodes.length} ops), run by onnxruntime`,
    dispose: () => {
      runner.release(key);
      pkg.dispose();
    },
  };
}
