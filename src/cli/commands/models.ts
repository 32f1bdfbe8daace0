import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { WorkerPool } from '../../engine/pool';
import { listBundledModels, resolveModelArg, type BundledModelInfo } from '../../model/bundled';
import { formatDescription } from '../../model/describe';
import { parse, applyBackend, BACKEND_OPTION } from '../args';
import type { Command } from '../command';
import { installRoot } from '../installRoot';
import { printable } from '../output';

export const MODELS_HELP = `wavebench models [--json]
wavebench models --describe NAME|PATH [--labels FILE] [--backend wasm|native] [--json]

Without --describe: lists the bundled models: name, labels, size on disk and test-split figures
(from each model's evaluation.json, made by training/evaluate.mjs). Use a name with
'classify --model NAME'.
With --describe: loads a model as classify would and prints what was read: the format (TensorFlow.js
folder, Keras, TFLite, or the speech_commands seed's frozen graph .pb), the front end with its
parameters (read from the graph's DecodeWav/AudioSpectrogram/Mfcc, average pooling or
AudioMicrofrontend ops, or from metadata.json), the input shape, the labels, the ops or layers, and
for TF.js layers / Keras models the backend (native, or the layer that keeps it on TF.js WASM).
  --labels FILE   labels, one a line (default: the model's own; labels.txt or NAME_labels.txt beside a .pb)
  --backend wasm|native  load it on that backend (default: native where it loads; also WAVEBENCH_BACKEND)
  --json          the same as JSON
Exit code 2 when a model cannot be used (one line naming the file and the problem).`;

function size(bytes: number): string {
  return bytes >= 1e6 ? `${(bytes / 1e6).toFixed(1)} MB` : `${Math.round(bytes / 1e3)} KB`;
}

/** The listing printed by `wavebench models`. */
export function formatModels(list: BundledModelInfo[]): string {
  const out: string[] = [];
  for (const m of list) {
    out.push(`${m.name}${m.isDefault ? ' (default)' : ''}: ${m.description}`);
    if (m.error) {
      out.push(`  ${m.dir}: ${m.error}`);
      continue;
    }
    out.push(`  labels (${m.labels?.length ?? 0}): ${(m.labels ?? []).join(', ')}`);
    out.push(`  size: ${size(m.bytes ?? 0)}, folder: ${m.dir}`);
    const e = m.evaluation;
    if (e) {
      out.push(`  test: ${(100 * e.accuracy).toFixed(1)}% top-1 on ${e.clips} clips (${e.data})`);
      if (e.recall) {
        const r = Object.entries(e.recall).map(([l, v]) => `${l} ${(100 * v).toFixed(0)}%`);
        out.push(`  recall: ${r.join(', ')}`);
      }
    } else out.push('  test: no figures shipped');
  }
  return out.join('\n');
}

/** Characters JSON.stringify leaves raw that a terminal acts on (bidi overrides, line separators). */
const UNSAFE_IN_JSON = /[\u007f-\u009f\u2028\u2029\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

/** Every string in `v` (nested in arrays and objects) through printable(). */
function escapeStrings<T>(v: T): T {
  if (typeof v === 'string') return printable(v) as T;
  if (Array.isArray(v)) return v.map(escapeStrings) as T;
  if (v && typeof v === 'object')
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, escapeStrings(x)])) as T;
  return v;
}

/** `wavebench models --describe PATH`: loads the model as classify would; resolves to the exit code. */
async function runDescribe(path: string, labels: string | undefined, json: boolean): Promise<number> {
  if (!existsSync(path)) {
    console.error(`wavebench: model ${printable(path)}: no such file or folder`);
    return 2;
  }
  // Loaded in a pool worker, as classify loads it: TF.js never enters the CLI's own process, so no
  // command pays for it at start-up.
  const pool = new WorkerPool({ size: 1 });
  let text: string;
  try {
    const d = (await pool.model({ dir: resolve(path), labelsFile: labels && resolve(labels) })).description!;
    // Labels, name, paths and ops come from the model's files: escaped (ESC sequences, a title-setting
    // OSC, U+202E would otherwise reach the terminal). JSON escapes control characters itself; the
    // bidi and line-separator ones it leaves raw get \u escapes (the same JSON value).
    text = json
      ? JSON.stringify(d, null, 1).replace(
          UNSAFE_IN_JSON,
          (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
        )
      : formatDescription(escapeStrings(d));
  } catch (e) {
    console.error(`wavebench: ${printable((e as Error).message)}`);
    return 2;
  } finally {
    await pool.dispose();
  }
  console.log(text);
  return 0;
}

/** `wavebench models`; resolves to the exit code. */
export async function runModelsCommand(args: string[]): Promise<number> {
  const { values, positionals } = parse(args, {
    ...BACKEND_OPTION,
    json: { type: 'boolean' },
    describe: { type: 'string' },
    labels: { type: 'string' },
  });
  if (values.help) {
    console.log(MODELS_HELP);
    return 0;
  }
  applyBackend(values);
  if (values.describe !== undefined) {
    const path = resolveModelArg(installRoot(), values.describe as string);
    return runDescribe(path, values.labels as string | undefined, !!values.json);
  }
  if (positionals.length) {
    console.error(`wavebench: models: unexpected argument '${positionals[0]}' (try --help)`);
    return 2;
  }
  const list = await listBundledModels(installRoot());
  console.log(values.json ? JSON.stringify(list, null, 1) : formatModels(list));
  return list.some((m) => m.error) ? 2 : 0;
}

export const modelsCommand: Command = {
  name: 'models',
  synopsis: 'models [--json] | models --describe PATH',
  summary: 'the bundled models (labels, size, test figures), or what a model is read as',
  help: MODELS_HELP,
  run: runModelsCommand,
};
