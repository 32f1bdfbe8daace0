// The layer boundaries of eslint.config.mjs, checked by linting deliberate violations (virtual files
// at real paths, never written to disk) with ESLint's Node API and the repository's own config.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { ESLint } from 'eslint';

const eslint = new ESLint({ cwd: join(__dirname, '..', '..') });

/** The no-restricted-imports messages for `code` linted as if it were the file `path`. */
async function boundaryErrors(path: string, code: string): Promise<string[]> {
  const [r] = await eslint.lintText(code, { filePath: join(__dirname, '..', '..', path) });
  return r.messages.filter((m) => m.ruleId === 'no-restricted-imports').map((m) => m.message);
}

const violations: [string, string, RegExp][] = [
  ['src/audio/bad.ts', "import * as vscode from 'vscode';", /Only src\/vscode/],
  ['src/audio/bad.ts', "import * as tf from '@tensorflow/tfjs';", /Only src\/model/],
  ['src/audio/bad.ts', "import { Classifier } from '../model/classifier';", /layer above/],
  ['src/audio/bad.ts', "import { WorkerPool } from '../engine/pool';", /layer above/],
  ['src/audio/bad.ts', "import { scanInputs } from '../dataset/scan';", /layer above/],
  ['src/dataset/bad.ts', "import * as vscode from 'vscode';", /Only src\/vscode/],
  ['src/dataset/bad.ts', "import '@tensorflow/tfjs-backend-wasm';", /Only src\/model/],
  ['src/dataset/bad.ts', "import { Classifier } from '../model/classifier';", /layer above/],
  ['src/model/bad.ts', "import * as vscode from 'vscode';", /Only src\/vscode/],
  ['src/model/bad.ts', "import { runIndexJob } from '../engine/indexJob';", /layer above/],
  ['src/engine/bad.ts', "import { ModelService } from '../vscode/modelService';", /layer above/],
  ['src/engine/bad.ts', "import * as tf from '@tensorflow/tfjs';", /Only src\/model/],
  ['src/cli/main.ts', "import * as vscode from 'vscode';", /Only src\/vscode/],
  ['src/cli/commands/bad.ts', "import { DatasetService } from '../../vscode/datasetService';", /layer above/],
  ['src/audio/bad.ts', "import { printable } from '../cli/output';", /layer above/],
  ['src/protocol/editor.ts', "import { Classifier } from '../model/classifier';", /layer above/],
  ['src/protocol/dataset.ts', "import { buildDatasetView } from '../dataset/inspect';", /layer above/],
  ['src/dataset/bad.ts', "import type { DatasetView } from '../protocol/dataset';", /layer above/],
  ['src/vscode/bad.ts', "import * as tf from '@tensorflow/tfjs';", /Only src\/model/],
  ['webview/editor/bad.ts', "import * as vscode from 'vscode';", /Only src\/vscode/],
];

for (const [path, code, message] of violations) {
  test(`lint refuses in ${path}: ${code}`, async () => {
    const errors = await boundaryErrors(path, code);
    assert.equal(errors.length, 1, `errors: ${JSON.stringify(errors)}`);
    assert.match(errors[0], message);
  });
}

// The same imports where they belong pass: the rules above are not simply refusing everything.
const allowed: [string, string][] = [
  ['src/vscode/ok.ts', "import * as vscode from 'vscode';"],
  ['src/model/ok.ts', "import * as tf from '@tensorflow/tfjs';"],
  ['src/model/ok.ts', "import { mixdown } from '../audio/mixdown';"],
  ['src/engine/ok.ts', "import { Classifier } from '../model/classifier';"],
  ['src/cli/commands/ok.ts', "import { runClassifyJob } from '../../engine/classifyJob';"],
  ['src/audio/ok.ts', "import { fitLength } from './fitLength';"],
  ['src/protocol/dataset.ts', "import type { DatasetView } from '../dataset/datasetView';"],
];
for (const [path, code] of allowed) {
  test(`lint accepts in ${path}: ${code}`, async () => {
    assert.deepEqual(await boundaryErrors(path, code), []);
  });
}
