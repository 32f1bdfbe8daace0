/** Host -> onnxruntime process (onnxChild.ts). */
export type ToNative =
  | { type: 'load'; id: number; key: string; bytes: Uint8Array }
  | { type: 'run'; id: number; key: string; input: Float32Array; dims: number[] }
  | { type: 'release'; id: number; key: string };

/** onnxruntime process -> host. */
export type FromNative =
  /** Sent once at start: whether onnxruntime-node's native binary loaded on this platform. */
  | { type: 'hello'; ok: boolean; version?: string; message?: string }
  | { type: 'reply'; id: number; error?: string; threads?: number; data?: Float32Array; dims?: number[] };

/** An OnnxRunner call (formats/onnx.ts) for the pool's onnxruntime process. */
export type NativeCall =
  | { op: 'load'; key: string; bytes: Uint8Array }
  | { op: 'run'; key: string; input: Float32Array; dims: number[] }
  | { op: 'release'; key: string };

/** Pool worker -> host: a NativeCall. */
export type NativeRequest = { type: 'native'; reqId: number } & NativeCall;

/** Host -> pool worker: the answer of a NativeRequest. */
export type NativeAnswer = {
  type: 'native';
  reqId: number;
  error?: string;
  backend?: string;
  data?: Float32Array;
  dims?: number[];
};
