/** Progress lines on stderr and the export files of the batch commands (classify, evaluate, compare). */
import { writeFile } from 'node:fs/promises';
import { printable } from './output';

/**
 * A progress display on stderr: a bar redrawn in place on a terminal (at most every 100 ms), one
 * line every 2 s otherwise (a log file). `end()` finishes the bar's line.
 */
export function progressReporter(): { update(done: number, total: number, line: string): void; end(): void } {
  const tty = process.stderr.isTTY;
  let last = 0;
  let drawn = false;
  return {
    update(done, total, line) {
      const now = performance.now();
      if (!total || (now - last < (tty ? 100 : 2000) && done < total)) return;
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

/**
 * Writes each export whose OUT was given: '-' to stdout, else the file. False (after one line on
 * stderr) when a file cannot be written.
 */
export async function writeExports(exports: [unknown, () => string][]): Promise<boolean> {
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
      return false;
    }
  }
  return true;
}
