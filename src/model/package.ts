import type * as tf from '@tensorflow/tfjs';
import type { InputLayout } from './inputLayout';
import type { ModelMetadata } from './metadata';

// The loaded-model interface on its own, so the format loaders (formats/*) and the dispatcher
// (modelPackage.ts) that imports them do not import each other.

/** A loaded model package, ready to predict. */
export interface ModelPackage {
  dir: string;
  metadata: ModelMetadata;
  format: 'layers-model' | 'graph-model' | 'keras' | 'graphdef' | 'tflite' | 'onnx';
  /** Input layout (inputLayout.ts). */
  inputLayout: InputLayout;
  frames: number;
  bins: number;
  /** sha256 of model.json, the shards and the metadata: the cache key of results. */
  hash: string;
  /** The ops (graphs) or layer classes (Layers models) the model uses, sorted. */
  ops?: string[];
  /** Where the front end was read from, when not from metadata.json (e.g. the GraphDef's op chain). */
  frontEnd?: string;
  /** TF.js models: the output for a batch of features ([batch, frames * bins]). */
  predict?(batch: tf.Tensor): tf.Tensor;
  /**
   * Models run outside TF.js (ONNX, in onnxruntime's process): the raw output for `count` windows
   * of features packed [window][frame][bin].
   */
  run?(features: Float32Array, count: number): Promise<{ data: Float32Array; shape: number[] }>;
  /** What runs the model when it is not TF.js, e.g. "onnxruntime (native, 2 threads)". */
  backend?: string;
  /** Keras-config models: whether their graph runs natively, or why it stays on TF.js (graph/native.ts). */
  lowering?: string;
  /** One line when the native backend was expected and failed (the model then runs on TF.js WASM). */
  backendWarning?: string;
  /**
   * The output and, in the same run, the embedding: the input of the model's last dense layer,
   * flattened to [batch, D]. Absent when the graph has no dense layer to take it from.
   */
  embed?(batch: tf.Tensor): { output: tf.Tensor; embedding: tf.Tensor };
  /** What `embed` returns, e.g. "input of dense (1536 values)". */
  embeddingSource?: string;
  dispose(): void;
}
