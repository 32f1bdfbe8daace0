#!/usr/bin/env node
// Test-split figures of a bundled model, computed by Wavebench itself (`wavebench classify`, the
// runtime pipeline: decode, 1-s window at sample 0, MFCC, TF.js) on a prepared speech_commands tree.
//
//   npm run build
//   node training/evaluate.mjs --data TREE --model speech-commands [--write]
//   node training/evaluate.mjs --data TREE --model digits --words zero,one,two,three,four,five,six,seven,eight,nine [--write]
//
// The true label of a clip is its word when the model has that label, otherwise `_unknown_`
// (speech_commands' rule); `_silence_/` clips are `_silence_`. Prints 12-class top-1, per-class
// precision/recall and the confusion matrix as Markdown (for the model card); --write also stores
// models/<name>/evaluation.json (what `wavebench models` shows).
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const { values } = parseArgs({
  options: {
    data: { type: 'string', default: process.env.SPEECH_COMMANDS_DIR },
    model: { type: 'string', default: 'speech-commands' },
    split: { type: 'string', default: 'testing' },
    words: { type: 'string' },
    workers: { type: 'string', default: '1' },
    write: { type: 'boolean', default: false },
  },
});
if (!values.data) {
  console.error(
    'evaluate.mjs: --data TREE is required (the tree built by prepare.py; or set SPEECH_COMMANDS_DIR)',
  );
  process.exit(2);
}
const rows = readFileSync(join(values.data, 'manifest.csv'), 'utf8').trimEnd().split('\n');
const head = rows[0].split(',');
const [iFile, iWord, iSplit] = ['file', 'word', 'split'].map((k) => head.indexOf(k));
const words = values.words ? new Set(values.words.split(',')) : undefined;
const clips = rows
  .slice(1)
  .map((r) => r.split(','))
  .filter((c) => c[iSplit] === values.split && (!words || words.has(c[iWord])))
  .map((c) => ({ file: c[iFile], word: c[iWord] }));
if (!clips.length) {
  console.error(`evaluate.mjs: no ${values.split} clips in ${values.data}`);
  process.exit(2);
}

const tmp = mkdtempSync(join(tmpdir(), 'wb-eval-'));
const out = join(tmp, 'report.json');
const cli = join(ROOT, 'dist', 'cli.js');
const t0 = Date.now();
// one classify run over every clip (the file list can be long: xargs-like chunks of 2,000)
const predicted = new Map();
let modelName = '';
let modelHash = '';
for (let i = 0; i < clips.length; i += 2000) {
  const files = clips.slice(i, i + 2000).map((c) => join(values.data, c.file));
  execFileSync(
    process.execPath,
    [cli, 'classify', '--model', values.model, '--workers', values.workers, '--json', out, ...files],
    { stdio: ['ignore', 'ignore', 'inherit'], maxBuffer: 1 << 26 },
  );
  const rep = JSON.parse(readFileSync(out, 'utf8'));
  modelName = rep.model.name;
  modelHash = rep.model.hash;
  var labels = rep.model.labels;
  for (const r of rep.rows) {
    if (r.error) throw new Error(`${r.path}: ${r.error}`);
    predicted.set(r.path, r.predicted);
  }
}
const sec = (Date.now() - t0) / 1000;
const idx = new Map(labels.map((l, i) => [l, i]));
const truth = (w) => (idx.has(w) ? w : '_unknown_');
const n = labels.length;
const conf = labels.map(() => new Array(n).fill(0));
let correct = 0;
for (const c of clips) {
  const t = idx.get(truth(c.word));
  const p = idx.get(predicted.get(join(values.data, c.file)));
  if (t === undefined || p === undefined) throw new Error(`${c.file}: label ${c.word} / ${p}`);
  conf[t][p]++;
  if (t === p) correct++;
}
const acc = correct / clips.length;
const pct = (x) => (Number.isFinite(x) ? (100 * x).toFixed(1) + '%' : '-');
const used = labels.map((_, i) => i).filter((i) => conf[i].some((v) => v) || conf.some((r) => r[i]));
const recall = {};
const precision = {};
const lines = [];
lines.push(
  `**${modelName}** on the ${values.split} split of ${values.data.split('/').pop()}` +
    `${words ? ` (words: ${[...words].join(', ')})` : ''}: **${pct(acc)} top-1** (${correct}/${clips.length}), ` +
    `${sec.toFixed(0)} s`,
);
lines.push('');
lines.push('| label | clips | precision | recall |');
lines.push('|---|---|---|---|');
for (const i of used) {
  const sup = conf[i].reduce((a, b) => a + b, 0);
  const col = conf.reduce((a, r) => a + r[i], 0);
  const r = sup ? conf[i][i] / sup : NaN;
  const p = col ? conf[i][i] / col : NaN;
  if (sup) recall[labels[i]] = Number(r.toFixed(4));
  if (col) precision[labels[i]] = Number(p.toFixed(4));
  lines.push(`| ${labels[i]} | ${sup} | ${pct(p)} | ${pct(r)} |`);
}
lines.push('');
lines.push('Confusion (rows: true label, columns: predicted):');
lines.push('');
lines.push(`| | ${used.map((i) => labels[i]).join(' | ')} |`);
lines.push(`|---|${used.map(() => '---').join('|')}|`);
for (const i of used) lines.push(`| ${labels[i]} | ${used.map((j) => conf[i][j]).join(' | ')} |`);
console.log(lines.join('\n'));

if (values.write) {
  const dataDesc =
    values.split === 'testing'
      ? `Speech Commands v0.02 test speakers${words ? ', words ' + [...words].join('/') : ''}`
      : `Speech Commands ${values.split} split`;
  const ev = {
    data: dataDesc,
    clips: clips.length,
    accuracy: Number(acc.toFixed(4)),
    recall,
    precision,
    labels,
    confusion: conf,
    command: `node training/evaluate.mjs --data TREE --model ${values.model}${values.words ? ' --words ' + values.words : ''} --write`,
    // the runtime's model hash (model.json, shards, metadata) these figures were made with;
    // test/unit/model/bundled.test.ts checks it against the shipped model
    modelHash,
  };
  const dst = join(ROOT, 'models', values.model, 'evaluation.json');
  writeFileSync(dst, JSON.stringify(ev, null, 1) + '\n');
  console.error(`wrote ${dst}`);
}
