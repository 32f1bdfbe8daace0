/** Progress lines on stderr for the batch commands that report their own units (evaluate, compare). */

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
