/** `wavebench models --describe PATH`: what Wavebench reads from a model, without running a dataset. */
import { existsSync } from 'node:fs';
import { printable } from './cliOutput';
import { describeModel, formatDescription } from './model/describe';

/** `wavebench models --describe PATH`: loads the model as classify would; resolves to the exit code. */
export async function runDescribe(path: string, labels: string | undefined, json: boolean): Promise<number> {
  if (!existsSync(path)) {
    console.error(`wavebench: model ${printable(path)}: no such file or folder`);
    return 2;
  }
  let text: string;
  try {
    // TF.js is loaded only by this command (and by the pool's workers), never at the CLI's start-up:
    // a static import here put ~90 MB and its load time into every `wavebench` run.
    const { loadModelPackage } = await import('./model/modelPackage');
    const m = await loadModelPackage(path, { labelsFile: labels });
    const d = describeModel(path, m);
    m.dispose();
    text = json ? JSON.stringify(d, null, 1) : formatDescription(d);
  } catch (e) {
    console.error(`wavebench: ${printable((e as Error).message)}`);
    return 2;
  }
  console.log(text);
  return 0;
}
