import type { JobKind } from './jobs';
import type { NativeAnswer, NativeRequest } from './nativeMessages';

/** A model as the workers load it: its folder, and a labels file replacing its own (classify --labels). */
export interface ModelSpec {
  dir: string;
  labelsFile?: string;
  /**
   * The backend a job prefers for a TF.js layers or Keras model when WAVEBENCH_BACKEND / --backend
   * names none (graph/native.ts): evaluate asks 'native', where per-window features are cheap.
   */
  prefer?: 'native';
}

/** The key a worker caches its loaded model under (and the pool counts a model's crashes under). */
export function modelKey(m: ModelSpec): string {
  return JSON.stringify([m.dir, m.labelsFile ?? null, m.prefer ?? null]);
}

/** Host -> worker: one task of a kind of the job table (jobs.ts), with the model it needs if any. */
export type ToWorker =
  { type: 'task'; taskId: number; kind: JobKind; model?: ModelSpec; input: unknown } | NativeAnswer;

/** Worker -> host. */
export type FromWorker =
  /** The worker's script loaded and listens (no model is loaded before a task needs one). */
  | { type: 'ready' }
  | { type: 'done'; taskId: number; output: unknown }
  | { type: 'taskError'; taskId: number; message: string }
  /** A call for the pool's onnxruntime process (ONNX models). */
  | NativeRequest;
