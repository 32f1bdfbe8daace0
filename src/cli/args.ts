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

/** The --backend option of the commands that run a model. */
export const BACKEND_OPTION = { backend: { type: 'string' } } as const;

export const BACKEND_HELP = `  --backend wasm|native  where TF.js layers and Keras models run: native (onnxruntime, in a child process;
                         the default where it loads) or TF.js WASM; also WAVEBENCH_BACKEND`;

/** Applies --backend: the pool's workers read WAVEBENCH_BACKEND when they load a model. */
export function applyBackend(values: ParsedArgs['values']): void {
  const v = values.backend;
  if (v === undefined) return;
  if (v !== 'wasm' && v !== 'native')
    throw new CliError(`--backend must be wasm or native, not ${String(v)}`);
  process.env.WAVEBENCH_BACKEND = v;
}
