/** `wavebench models --describe PATH`: what Wavebench reads from a model, without running a dataset. */
import { existsSync } from 'node:fs';
import { parse } from './cliArgs';
import { describeModel, formatDescription } from './model/describe';

export const MODELS_HELP = `wavebench models --describe PATH [--labels FILE] [--json]

Loads a model as classify would and prints what was read: the format (TensorFlow.js folder, or the
speech_commands seed's frozen graph .pb), the front end with its parameters (read from the graph's
DecodeWav/AudioSpectrogram/Mfcc, average pooling or AudioMicrofrontend ops, or from metadata.json),
the input shape, the labels and the ops or layers used.
  --labels FILE   labels, one a line (default: labels.txt or NAME_labels.txt beside a .pb)
  --json          the same as JSON
Exit code 2 when the model cannot be used (one line naming the file and the problem).`;

/** `wavebench models`; resolves to the exit code. */
export async function runModelsCommand(args: string[]): Promise<number> {
  const { values, positionals } = parse(args, {
    describe: { type: 'string' },
    labels: { type: 'string' },
    json: { type: 'boolean' },
  });
  if (values.help) {
    console.log(MODELS_HELP);
    return 0;
  }
  const path = (values.describe as string | undefined) ?? positionals[0];
  if (!path) {
    console.error('wavebench: models: give --describe PATH (models --help)');
    return 2;
  }
  if (!existsSync(path)) {
    console.error(`wavebench: model ${path}: no such file or folder`);
    return 2;
  }
  let text: string;
  try {
    // TF.js is loaded only by this command (and by the pool's workers), never at the CLI's start-up:
    // a static import here put ~90 MB and its load time into every `wavebench` run.
    const { loadModelPackage } = await import('./model/modelPackage');
    const m = await loadModelPackage(path, { labelsFile: values.labels as string | undefined });
    const d = describeModel(path, m);
    m.dispose();
    text = values.json ? JSON.stringify(d, null, 1) : formatDescription(d);
  } catch (e) {
    console.error(`wavebench: ${(e as Error).message}`);
    return 2;
  }
  console.log(text);
  return 0;
}
