/**
 * The models shipped in `models/` and how a model argument (a bundled name or a folder) resolves.
 * One registry for the CLI and the extension; the caller passes the install root (the folder holding
 * `models/`: the extension's folder, or the package root for the CLI).
 */
import { readFile, readdir, stat } from 'node:fs/promises';
import { isAbsolute, join, resolve } from 'node:path';

/** A model shipped with Wavebench, in `models/<name>/`. */
export interface BundledModel {
  name: string;
  /** One line: what it recognises. */
  description: string;
  /**
   * What it was trained on, so a review can say which clips' probabilities are in-sample: Speech
   * Commands clips (speech_commands file names) of the training split, and FSDD speakers.
   */
  trainedOn: { speechCommandsTrainingSplit: boolean; fsddSpeakers: string[]; what: string };
}

/** The bundled models. */
export const BUNDLED_MODELS: readonly BundledModel[] = [
  {
    name: 'speech-commands',
    description:
      '12-class Speech Commands keyword spotter (yes, no, up, down, left, right, on, off, stop, go)',
    trainedOn: {
      speechCommandsTrainingSplit: true,
      fsddSpeakers: [],
      what: "Speech Commands' training split",
    },
  },
  {
    name: 'digits',
    description: 'spoken English digits zero to nine',
    trainedOn: {
      speechCommandsTrainingSplit: true,
      fsddSpeakers: ['george', 'jackson', 'lucas', 'nicolas', 'yweweler'],
      what: "Speech Commands' training split and FSDD's five speakers",
    },
  },
];

/** The model used when none is chosen. */
export const DEFAULT_MODEL = 'speech-commands';

/** The bundled model called `name`, if there is one. */
export function bundledModel(name: string): BundledModel | undefined {
  return BUNDLED_MODELS.find((m) => m.name === name);
}

/** The folder of the bundled model `name` under the install root. */
export function bundledModelDir(root: string, name: string = DEFAULT_MODEL): string {
  return join(root, 'models', name);
}

/**
 * The model folder for a `--model` value or setting: empty/undefined is the default bundled model; a
 * bundled model's name is that model (a folder of the same name is reached as `./name`); anything
 * else is a folder, relative to `base` unless absolute.
 */
export function resolveModelArg(root: string, arg: string | undefined, base = process.cwd()): string {
  if (!arg) return bundledModelDir(root);
  if (bundledModel(arg)) return bundledModelDir(root, arg);
  return isAbsolute(arg) ? arg : resolve(base, arg);
}

/**
 * Test-split figures of a bundled model, `models/<name>/evaluation.json`, written by
 * training/evaluate.mjs from `wavebench classify` on the test split.
 */
export interface ModelEvaluation {
  /** What was scored, e.g. "Speech Commands v0.02 test speakers, 4,445 clips". */
  data: string;
  clips: number;
  accuracy: number;
  /** Per-label recall on that data, when reported. */
  recall?: Record<string, number>;
}

/** One line of `wavebench models`. */
export interface BundledModelInfo extends BundledModel {
  dir: string;
  isDefault: boolean;
  labels?: string[];
  /** Bytes of the folder's files (model.json, weights, metadata, card). */
  bytes?: number;
  evaluation?: ModelEvaluation;
  /** Why the folder could not be read, when it could not. */
  error?: string;
}

async function folderBytes(dir: string): Promise<number> {
  let n = 0;
  for (const f of await readdir(dir)) {
    const s = await stat(join(dir, f));
    if (s.isFile()) n += s.size;
  }
  return n;
}

function parseEvaluation(j: unknown): ModelEvaluation | undefined {
  const o = j as Record<string, unknown>;
  if (!o || typeof o !== 'object') return undefined;
  if (typeof o.data !== 'string' || typeof o.clips !== 'number' || typeof o.accuracy !== 'number')
    return undefined;
  const recall =
    o.recall && typeof o.recall === 'object'
      ? Object.fromEntries(Object.entries(o.recall).filter(([, v]) => typeof v === 'number'))
      : undefined;
  return { data: o.data, clips: o.clips, accuracy: o.accuracy, recall: recall as Record<string, number> };
}

/** The bundled models with their labels, size and test figures (each read from its folder). */
export async function listBundledModels(root: string): Promise<BundledModelInfo[]> {
  const out: BundledModelInfo[] = [];
  for (const m of BUNDLED_MODELS) {
    const dir = bundledModelDir(root, m.name);
    const info: BundledModelInfo = { ...m, dir, isDefault: m.name === DEFAULT_MODEL };
    try {
      const meta = JSON.parse(await readFile(join(dir, 'metadata.json'), 'utf8')) as { labels?: unknown };
      if (Array.isArray(meta.labels)) info.labels = meta.labels.map(String);
      info.bytes = await folderBytes(dir);
    } catch (e) {
      info.error = (e as NodeJS.ErrnoException).code === 'ENOENT' ? 'not installed' : (e as Error).message;
    }
    try {
      info.evaluation = parseEvaluation(JSON.parse(await readFile(join(dir, 'evaluation.json'), 'utf8')));
    } catch {
      // no figures shipped: listed without them
    }
    out.push(info);
  }
  return out;
}
