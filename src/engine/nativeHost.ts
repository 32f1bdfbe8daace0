import { fork, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { MODEL_LIMITS } from '../model/limits';
import type { FromNative, ToNative } from './nativeMessages';

/** Deaths in a row of the onnxruntime process on one model before that model's runs stop (as workers). */
export const MAX_NATIVE_CRASHES = 3;

/** Options of a NativeHost. */
export interface NativeHostOptions {
  /** onnxruntime's intra-op threads. */
  threads: number;
  /** The child's script (tests may supply their own); default: the bundle beside this file or the source. */
  script?: string;
  env?: NodeJS.ProcessEnv;
}

interface Pending {
  key: string;
  resolve: (m: FromNative & { type: 'reply' }) => void;
  reject: (e: Error) => void;
  timer?: NodeJS.Timeout;
}

interface Child {
  proc: ChildProcess;
  /** Resolves when the child said whether onnxruntime loaded; rejects with the reason it did not. */
  hello: Promise<string>;
  loaded: Set<string>;
  /** The end of its stderr, for the line saying why it died. */
  stderr: string;
}

/**
 * The pool's onnxruntime process: native inference runs in a child process (child_process.fork,
 * 'advanced' serialization so typed arrays cross without JSON), so a crash in native code ends the
 * child, never the extension host or the CLI. The child is started on first use; when it dies, the
 * calls it held fail with one line, and the next call starts a new one (the host keeps each model's
 * bytes to load them again). A model whose runs kill MAX_NATIVE_CRASHES processes in a row is not
 * run again; a call taking longer than MODEL_LIMITS.maxNativeRunSec kills the child.
 */
export class NativeHost {
  private child?: Child;
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private readonly models = new Map<string, Uint8Array>();
  private readonly crashes = new Map<string, number>();
  private readonly broken = new Map<string, string>();
  private disposed = false;

  constructor(private readonly options: NativeHostOptions) {}

  /** The running child's process id (tests kill it). */
  get pid(): number | undefined {
    return this.child?.proc.pid;
  }

  /** Calls sent to the child and not answered yet. */
  get busy(): number {
    return this.pending.size;
  }

  get backend(): string {
    const t = this.options.threads;
    return `onnxruntime (native, ${t} thread${t === 1 ? '' : 's'})`;
  }

  private script(): { path: string; execArgv: string[] } {
    const bundled = join(__dirname, 'onnxChild.js');
    const path = this.options.script ?? (existsSync(bundled) ? bundled : join(__dirname, 'onnxChild.ts'));
    return { path, execArgv: path.endsWith('.ts') ? ['--import', 'tsx'] : [] };
  }

  private start(): Child {
    const { path, execArgv } = this.script();
    const proc = fork(path, [], {
      serialization: 'advanced',
      execArgv,
      stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
      env: { ...(this.options.env ?? process.env), WAVEBENCH_ORT_THREADS: String(this.options.threads) },
    });
    let said: (r: { ok: boolean; why?: string }) => void = () => undefined;
    const hello = new Promise<{ ok: boolean; why?: string }>((r) => (said = r));
    const child: Child = {
      proc,
      loaded: new Set(),
      stderr: '',
      hello: hello.then((h) => {
        if (!h.ok) throw new Error(h.why);
        return this.backend;
      }),
    };
    child.hello.catch(() => undefined);
    proc.stderr?.on('data', (d: Buffer) => (child.stderr = (child.stderr + d.toString()).slice(-400)));
    proc.on('message', (m: FromNative) => {
      if (m.type === 'hello')
        return said({
          ok: m.ok,
          why: `onnxruntime-node is not available here (${m.message}): ONNX models cannot run`,
        });
      const p = this.pending.get(m.id);
      if (!p) return;
      this.pending.delete(m.id);
      clearTimeout(p.timer);
      this.crashes.delete(p.key);
      if (m.error !== undefined) p.reject(new Error(m.error));
      else p.resolve(m);
    });
    proc.on('error', (e) => this.onDeath(child, `could not start (${e.message})`, said));
    proc.on('exit', (code, signal) =>
      this.onDeath(child, signal ? `was killed (${signal})` : `exited with code ${code}`, said),
    );
    return child;
  }

  private onDeath(child: Child, how: string, said: (r: { ok: boolean; why?: string }) => void): void {
    const last = child.stderr.trim().split('\n').pop()?.slice(0, 160);
    const why = `the onnxruntime process ${how}${last ? ` (${last})` : ''}`;
    said({ ok: false, why });
    if (this.child === child) this.child = undefined;
    const lost = [...this.pending.entries()];
    this.pending.clear();
    for (const [, p] of lost) {
      clearTimeout(p.timer);
      const n = (this.crashes.get(p.key) ?? 0) + 1;
      this.crashes.set(p.key, n);
      if (n >= MAX_NATIVE_CRASHES)
        this.broken.set(p.key, `${why}; it died ${n} times in a row on this model: not restarted`);
      p.reject(new Error(`${why} while running the model`));
    }
  }

  private call(
    child: Child,
    key: string,
    m: ToNative,
    timeoutSec?: number,
  ): Promise<FromNative & { type: 'reply' }> {
    return new Promise((resolve, reject) => {
      const p: Pending = { key, resolve, reject };
      this.pending.set(m.id, p);
      if (timeoutSec)
        p.timer = setTimeout(() => {
          child.stderr += `\na call took more than ${timeoutSec} s: stopped`;
          child.proc.kill('SIGKILL');
        }, timeoutSec * 1000);
      child.proc.send(m);
    });
  }

  /** A child with `key`'s model loaded (starting one, loading the model, as needed). */
  private async ready(key: string): Promise<Child> {
    if (this.disposed) throw new Error('pool disposed');
    const why = this.broken.get(key);
    if (why) throw new Error(why);
    const bytes = this.models.get(key);
    if (!bytes) throw new Error('model not loaded');
    const child = (this.child ??= this.start());
    await child.hello;
    if (!child.loaded.has(key)) {
      await this.call(
        child,
        key,
        { type: 'load', id: this.nextId++, key, bytes },
        MODEL_LIMITS.maxNativeRunSec,
      );
      child.loaded.add(key);
    }
    return child;
  }

  /** Loads checked ONNX bytes under `key`; resolves to the backend's description. */
  async load(key: string, bytes: Uint8Array): Promise<string> {
    this.models.set(key, bytes);
    try {
      await this.ready(key);
    } catch (e) {
      this.models.delete(key);
      throw e;
    }
    return this.backend;
  }

  /** Runs `key`'s model on one input; its first output. */
  async run(
    key: string,
    input: Float32Array,
    dims: number[],
  ): Promise<{ data: Float32Array; dims: number[] }> {
    const child = await this.ready(key);
    const r = await this.call(
      child,
      key,
      { type: 'run', id: this.nextId++, key, input, dims },
      MODEL_LIMITS.maxNativeRunSec,
    );
    return { data: r.data!, dims: r.dims! };
  }

  /** Forgets `key`'s model (workers release a model they no longer use). */
  release(key: string): void {
    this.models.delete(key);
    const c = this.child;
    if (c?.loaded.delete(key))
      void this.call(c, key, { type: 'release', id: this.nextId++, key }).catch(() => undefined);
  }

  /**
   * Ends the child; calls under way are rejected. Resolves when it has exited (at most a second): a
   * process that exits right after still reaps it, so its CPU time counts in the parent's (time, bench/).
   */
  dispose(): Promise<void> {
    this.disposed = true;
    const c = this.child;
    this.child = undefined;
    for (const p of this.pending.values()) {
      clearTimeout(p.timer);
      p.reject(new Error('pool disposed'));
    }
    this.pending.clear();
    if (!c || c.proc.exitCode !== null || c.proc.signalCode !== null) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, 1000);
      timer.unref();
      c.proc.once('exit', () => {
        clearTimeout(timer);
        resolve();
      });
      c.proc.kill();
    });
  }
}
