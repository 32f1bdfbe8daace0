/**
 * The onnxruntime process (child_process.fork of this file, serialization 'advanced'): loads checked
 * ONNX model bytes (never a path: the runtime cannot reach an external data file) and runs them on
 * the CPU with the intra-op threads the host gives. A crash of native code ends this process only;
 * the host (nativeHost.ts) answers what was pending and starts another.
 */
import type * as Ort from 'onnxruntime-node';
import type { ToNative, FromNative } from './nativeMessages';

const threads = Math.max(1, Number(process.env.WAVEBENCH_ORT_THREADS) || 1);
const send = (m: FromNative) => process.send?.(m);
const sessions = new Map<string, Ort.InferenceSession>();

let ort: typeof Ort | undefined;
try {
  // Required at run time, not bundled: the package holds the platform's native binary.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  ort = require('onnxruntime-node') as typeof Ort;
  send({ type: 'hello', ok: true, version: ort.env.versions.node ?? '?' });
} catch (e) {
  const err = e as NodeJS.ErrnoException;
  // The package itself absent (the universal VSIX, built without it: scripts/package.mjs), not a
  // broken install: say so rather than quote the resolver's search path.
  const absent =
    err.code === 'MODULE_NOT_FOUND' && err.message.startsWith("Cannot find module 'onnxruntime-node'");
  send({
    type: 'hello',
    ok: false,
    message: absent
      ? 'the native backend is not in this package: ONNX models need the Wavebench VSIX for this platform'
      : err.message.split('\n')[0],
  });
}

async function handle(m: ToNative): Promise<FromNative> {
  if (!ort) throw new Error('onnxruntime-node is not loaded');
  if (m.type === 'load') {
    if (!sessions.has(m.key))
      sessions.set(
        m.key,
        await ort.InferenceSession.create(m.bytes, {
          executionProviders: ['cpu'],
          intraOpNumThreads: threads,
          interOpNumThreads: 1,
          graphOptimizationLevel: 'all',
        }),
      );
    return { type: 'reply', id: m.id, threads };
  }
  if (m.type === 'release') {
    await sessions.get(m.key)?.release();
    sessions.delete(m.key);
    return { type: 'reply', id: m.id };
  }
  const s = sessions.get(m.key);
  if (!s) throw new Error('model not loaded');
  const out = await s.run({ [s.inputNames[0]]: new ort.Tensor('float32', m.input, m.dims) });
  const t = out[s.outputNames[0]];
  if (t.type !== 'float32') throw new Error(`the output is ${t.type}, not float32`);
  return { type: 'reply', id: m.id, data: t.data as Float32Array, dims: [...t.dims] };
}

process.on('message', (m: ToNative) => {
  handle(m).then(send, (e: Error) =>
    send({ type: 'reply', id: m.id, error: String(e?.message ?? e).split('\n')[0] }),
  );
});
process.on('disconnect', () => process.exit(0));
