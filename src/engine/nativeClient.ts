import type { MessagePort } from 'node:worker_threads';
import type { OnnxRunner } from '../model/formats/onnx';
import type { NativeAnswer, NativeCall, NativeRequest } from './nativeMessages';

/**
 * A pool worker's OnnxRunner: each call goes to the pool (the host thread), whose NativeHost holds
 * the one onnxruntime process of the pool; features are computed here, the graph runs there.
 * Answers are handled as they come, not behind the worker's task queue (the task awaits them).
 */
export class NativeClient implements OnnxRunner {
  private nextId = 1;
  private readonly waiting = new Map<
    number,
    { resolve: (a: NativeAnswer) => void; reject: (e: Error) => void }
  >();

  constructor(private readonly port: MessagePort) {}

  /** Hands an answer from the pool to its call; false if `m` is not one. */
  answer(m: { type: string }): boolean {
    if (m.type !== 'native') return false;
    const a = m as NativeAnswer;
    const w = this.waiting.get(a.reqId);
    this.waiting.delete(a.reqId);
    if (a.error !== undefined) w?.reject(new Error(a.error));
    else w?.resolve(a);
    return true;
  }

  private ask(r: NativeCall): Promise<NativeAnswer> {
    const reqId = this.nextId++;
    return new Promise((resolve, reject) => {
      this.waiting.set(reqId, { resolve, reject });
      this.port.postMessage({ type: 'native', reqId, ...r } as NativeRequest);
    });
  }

  async load(key: string, bytes: Uint8Array): Promise<{ backend: string }> {
    return { backend: (await this.ask({ op: 'load', key, bytes })).backend! };
  }

  async run(
    key: string,
    input: Float32Array,
    dims: number[],
  ): Promise<{ data: Float32Array; dims: number[] }> {
    const a = await this.ask({ op: 'run', key, input, dims });
    return { data: a.data!, dims: a.dims! };
  }

  release(key: string): void {
    void this.ask({ op: 'release', key }).catch(() => undefined);
  }
}
