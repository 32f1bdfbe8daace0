import { writeFile } from 'node:fs/promises';
import type { ClassifyProgress } from '../engine/classifyJob';
/**
 * What the CLI prints, and how the process ends so that all of it arrives.
 *
 * stdout on a pipe is asynchronous in Node: `process.exit()` right after a large write drops what the
 * kernel's pipe buffer (64 KB) has not taken yet. The CLI therefore waits until stdout and stderr have
 * handed everything to the OS before it exits. A write failure is the exit code: EPIPE (the reader
 * closed its end, `wavebench ... | head`) ends the process at once and quietly with 141, the code a
 * shell reports for a process killed by SIGPIPE; any other failure (disk full, I/O error) is one line
 * on stderr and exit code 2.
 */
import { writeSync } from 'node:fs';

/** Exit code after EPIPE on stdout: 128 + SIGPIPE (13), what `yes | head` gives in a shell. */
export const EXIT_BROKEN_PIPE = 141;

/** The first failure writing to stdout, if any. */
let stdoutFailure: NodeJS.ErrnoException | undefined;

/** One line on stderr written synchronously (used when the process ends right after it). */
function stderrLineSync(line: string): void {
  try {
    writeSync(2, line + '\n');
  } catch {
    // stderr is gone too: nothing left to tell.
  }
}

/** The exit code for a stdout failure, after telling why (EPIPE is quiet). */
function failureCode(e: NodeJS.ErrnoException): number {
  if (e.code === 'EPIPE') return EXIT_BROKEN_PIPE;
  stderrLineSync(`wavebench: cannot write the output: ${e.code ?? e.message}`);
  return 2;
}

/**
 * Installs the stdout/stderr error handlers (without them an EPIPE is an uncaught exception with a
 * stack trace). A stdout failure ends the process at once: the rest of the output has nowhere to go.
 */
export function guardStdio(): void {
  process.stdout.on('error', (e: NodeJS.ErrnoException) => {
    if (stdoutFailure) return;
    stdoutFailure = e;
    process.exit(failureCode(e));
  });
  // A closed stderr must not crash the process either; its messages are lost, the exit code is not.
  process.stderr.on('error', () => undefined);
}

/** Resolves once everything written to `stream` so far has been handed to the OS (or failed). */
function drained(stream: NodeJS.WriteStream): Promise<void> {
  // Writable calls write callbacks in order: this one runs after every earlier write completed.
  return new Promise((resolve) => stream.write('', () => resolve()));
}

/** Waits for stdout and stderr to drain, then ends the process with `code` (or a write failure's). */
export async function exitAfterOutput(code: number): Promise<never> {
  await Promise.all([drained(process.stdout), drained(process.stderr)]);
  process.exit(stdoutFailure ? failureCode(stdoutFailure) : code);
}

/** Characters that must not reach a terminal raw: C0/C1 controls, DEL, line/paragraph separators, bidi controls. */
// eslint-disable-next-line no-control-regex
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;
const NAMED: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

/**
 * A file name, label or model name made safe for one terminal line: control characters (ESC
 * sequences, newlines, ...) are shown as escapes (`\n`, `\x1b`, `\u202e`), never written raw.
 * Every human-readable CLI line that shows such a name goes through this; JSON output is escaped by JSON.
 */
export function printable(s: string): string {
  return s.replace(
    UNSAFE,
    (c) =>
      NAMED[c] ??
      (c.charCodeAt(0) < 0x100
        ? `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`
        : `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`),
  );
}

/** Prints a command's --help text; the exit code 0. */
export function printHelp(command: { help: string }): number {
  console.log(command.help);
  return 0;
}

/**
 * Writes each export whose target is a string: '-' to stdout (the caller printed its summary to
 * stderr), else to that file. A write failure is one line; resolves to 2 then, else 0.
 */
export async function writeExports(exports: readonly (readonly [unknown, () => string])[]): Promise<number> {
  for (const [out, text] of exports) {
    if (typeof out !== 'string') continue;
    if (out === '-') {
      console.log(text().replace(/\n$/, ''));
      continue;
    }
    try {
      await writeFile(out, text());
    } catch (e) {
      console.error(`wavebench: ${printable(out)}: ${printable((e as Error).message)}`);
      return 2;
    }
  }
  return 0;
}

/**
 * A progress display on stderr: a bar redrawn in place on a terminal (at most every 100 ms), one
 * line every 2 s otherwise (a log file). `end()` finishes the bar's line. `throttle: false` for a
 * caller whose updates are already spaced (a job's own progressIntervalMs).
 */
export function progressReporter(throttle = true): {
  update(done: number, total: number, line: string): void;
  end(): void;
} {
  const tty = process.stderr.isTTY;
  let last = 0;
  let drawn = false;
  return {
    update(done, total, line) {
      const now = performance.now();
      if (!total || (throttle && now - last < (tty ? 100 : 2000) && done < total)) return;
      last = now;
      if (tty) {
        const width = 30;
        const fill = Math.round((width * done) / total);
        process.stderr.write(`\r[${'#'.repeat(fill)}${'.'.repeat(width - fill)}] ${line}   `);
        drawn = true;
      } else process.stderr.write(line + '\n');
    },
    end() {
      if (drawn) process.stderr.write('\n');
      drawn = false;
    },
  };
}

/** Classify's progress line: clips done, rate, ETA. */
function clipProgressLine(p: ClassifyProgress): string {
  return `${p.done}/${p.total} clips, ${p.clipsPerSec.toFixed(0)} clips/s, ETA ${Number.isFinite(p.etaSec) ? p.etaSec.toFixed(0) + ' s' : '-'}`;
}

/**
 * Runs a cancellable job with progress on stderr: the first Ctrl-C aborts `signal` (the job
 * resolves with what it has; process.once leaves the default handler for a second one); a failure
 * is one line on stderr and resolves to undefined.
 */
export async function runInterruptible<T>(
  job: (o: {
    signal: AbortSignal;
    progressIntervalMs: number;
    onProgress: (p: ClassifyProgress) => void;
  }) => Promise<T>,
): Promise<T | undefined> {
  const tty = process.stderr.isTTY;
  const progress = progressReporter(false);
  const controller = new AbortController();
  const onSigint = () => controller.abort();
  process.once('SIGINT', onSigint);
  try {
    const r = await job({
      signal: controller.signal,
      progressIntervalMs: tty ? 100 : 2000,
      onProgress: (p) => progress.update(p.done, p.total, clipProgressLine(p)),
    });
    progress.end();
    return r;
  } catch (e) {
    progress.end();
    console.error(`wavebench: ${printable((e as Error).message)}`);
    return undefined;
  } finally {
    process.off('SIGINT', onSigint);
  }
}
