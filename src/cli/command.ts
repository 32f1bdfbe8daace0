/** What a `wavebench` command is: one file under commands/ and one entry in main.ts's table. */
export interface Command {
  /** The word after `wavebench`. */
  name: string;
  /** Its line in `wavebench --help`: the synopsis, then what it does. */
  synopsis: string;
  summary: string;
  /** The text of `wavebench NAME --help`. */
  help: string;
  /** Runs it; resolves to the exit code. Throws CliError for a usage error (one line, exit 2). */
  run(args: string[]): Promise<number>;
}
