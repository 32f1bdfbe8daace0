// Where a pool worker's time goes, per clip, in one thread: read, hash, decode, features (MFCC +
// normalisation), inference (TF.js WASM, batches of 64), then Classifier.classifyFiles as the worker
// calls it (batches of 32 files). Two passes over the 2,500 16-kHz FSDD copies made by bench:classify
// (the first pass includes warm-up). Run: node bench/classify/stages.mjs   (after npm run bench:classify)
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { cpus } from 'node:os';
import { join, resolve } from 'node:path';
import { underTsx } from './tensorflow.mjs';

underTsx();
const { Classifier } = await import('../../src/model/classifier.ts');
const { decodeToRate } = await import('../../src/audio/load.ts');
const { initTfBackend } = await import('../../src/model/tfBackend.ts');

const dir = resolve('bench/results/clips16k-all');
if (!existsSync(dir)) throw new Error(`${dir} is missing: run npm run bench:classify first`);
const files = readdirSync(dir)
  .filter((f) => f.endsWith('.wav'))
  .map((f) => join(dir, f));
const info = await initTfBackend();
const c = await Classifier.create(resolve('models/digits'));
const fs = c.featureSize;
const us = (ms) => `${((ms / files.length) * 1000).toFixed(0)} µs`;
console.log(
  `${files.length} clips, model ${c.model.metadata.name}, backend ${info.backend}, ${cpus()[0]?.model}`,
);
for (let pass = 1; pass <= 2; pass++) {
  const t = { read: 0, hash: 0, decode: 0, features: 0, inference: 0 };
  const t0 = performance.now();
  const all = new Float32Array(files.length * fs);
  files.forEach((p, i) => {
    let s = performance.now();
    const bytes = readFileSync(p);
    t.read += performance.now() - s;
    s = performance.now();
    createHash('sha1').update(bytes).digest('hex');
    t.hash += performance.now() - s;
    s = performance.now();
    const audio = decodeToRate(p, bytes, c.model.metadata.sampleRate);
    t.decode += performance.now() - s;
    s = performance.now();
    c.inputFor(audio.samples, 0, all, i * fs);
    t.features += performance.now() - s;
  });
  const s = performance.now();
  for (let i = 0; i < files.length; i += 64)
    await c.predict(all.subarray(i * fs), Math.min(64, files.length - i));
  t.inference = performance.now() - s;
  const total = performance.now() - t0;
  console.log(
    `pass ${pass}: ${Object.entries(t)
      .map(([k, v]) => `${k} ${us(v)}`)
      .join(', ')}; total ${us(total)} = ${((files.length / total) * 1000).toFixed(0)} clips/s/thread`,
  );
}
const t1 = performance.now();
for (let i = 0; i < files.length; i += 32) await c.classifyFiles(files.slice(i, i + 32));
console.log(
  `classifyFiles, 32 files a call: ${((files.length / (performance.now() - t1)) * 1000).toFixed(0)} clips/s/thread`,
);
c.dispose();
