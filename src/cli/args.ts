import { parseArgs, type ParseArgsConfig } from 'node:util';

/** A usage or input error: the CLI prints it as one line and exits with code 2. */
export class CliError extends Error {}

/** Parsed arguments, loosely typed: each command checks its own values. */
export interface ParsedArgs {
  values: Record<string, string | boolean | undefined>;
  positionals: string[];
}

/** Parses a command's arguments (`--help`/`-h` always allowed); unknown options are a CliError. */
export function parse(args: string[], options: ParseArgsConfig['options']): ParsedArgs {
  try {
    const r = parseArgs({
      args,
      options: { help: { type: 'boolean', short: 'h' }, ...options },
      allowPositionals: true,
    });
    return { values: r.values as ParsedArgs['values'], positionals: r.positionals };
  } catch (e) {
    throw new CliError((e as Error).message);
  }
}
