/**
 * `wavebench`: the command-line tool over the same engine as the extension.
 * Errors are one line on stderr (`wavebench: PATH: REASON`), never a stack trace.
 * A command is one file in commands/ and one entry in COMMANDS.
 */
import { CliError } from './args';
import type { Command } from './command';
import { classifyCommand } from './commands/classify';
import { featuresCommand } from './commands/features';
import { infoCommand } from './commands/info';
import { inspectCommand } from './commands/inspect';
import { modelsCommand } from './commands/models';
import { spectrogramCommand } from './commands/spectrogram';
import { exitAfterOutput, guardStdio, printable } from './output';

/** Every command, in the order `--help` lists them. */
const COMMANDS: readonly Command[] = [
  infoCommand,
  featuresCommand,
  spectrogramCommand,
  classifyCommand,
  inspectCommand,
  modelsCommand,
];

function mainHelp(): string {
  const w = Math.max(...COMMANDS.map((c) => c.synopsis.length)) + 2;
  const lines = COMMANDS.map((c) =>
    c.synopsis.length + 2 <= 40
      ? `  ${c.synopsis.padEnd(Math.min(w, 38))}${c.summary}`
      : `  ${c.synopsis}\n  ${' '.repeat(38)}${c.summary}`,
  );
  return `wavebench: inspect audio clips, compute the model's features, classify folders.

Commands:
${lines.join('\n')}

Run 'wavebench COMMAND --help' for a command's options.`;
}

/** Runs the CLI; resolves to the process exit code. */
export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  try {
    if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
      console.log(mainHelp());
      return 0;
    }
    const command = COMMANDS.find((c) => c.name === name);
    if (!command) throw new CliError(`unknown command '${name}' (try --help)`);
    return await command.run(rest);
  } catch (e) {
    console.error(`wavebench: ${printable(e instanceof Error ? e.message : String(e))}`);
    return 2;
  }
}

if (require.main === module) {
  guardStdio();
  // Never process.exit() straight away: stdout on a pipe is asynchronous (see output.ts).
  main(process.argv.slice(2)).then(exitAfterOutput, (e) => {
    console.error(`wavebench: ${printable(e instanceof Error ? e.message : String(e))}`);
    return exitAfterOutput(2);
  });
}
