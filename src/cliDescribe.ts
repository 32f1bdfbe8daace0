/** `wavebench models --describe PATH`: what Wavebench reads from a model, without running a dataset. */
import { existsSync } from 'node:fs';
import { printable } from './cliOutput';
import { resolve } from 'node:path';
import { WorkerPool } from './engine/pool';
import { formatDescription } from './model/describe';

/** `wavebench models --describe PATH`: loads the model as classify would; resolves to the exit code. */
export async function runDescribe(path: string, labels: string | undefined, json: boolean): Promise<number> {
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
    text = json ? JSON.stringify(d, null, 1) : formatDescription(d);
  } catch (e) {
    console.error(`wavebench: ${printable((e as Error).message)}`);
    return 2;
  } finally {
    await pool.dispose();
  }
  console.log(text);
  return 0;
}
