// Loads models/digits (layers-model) and test/fixtures/models/digits-graph (graph-model) from disk with a
// custom tf.io handler (fs only, no fetch), runs the normalised MFCC input dumped by train.py
// (training/work/verify_input.f32) and compares the probabilities with Keras (verify_keras_probs.f32).
// Usage: node training/verify_tfjs.mjs   (from the repository root; exits 1 if max |diff| >= 1e-5)
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.dirname(here);
const work = process.argv[2] ?? process.env.WAVEBENCH_TRAIN_WORK ?? path.join(here, 'work'); // train.py's --work

function fileHandler(dir) {
  return {
    async load() {
      const mj = JSON.parse(fs.readFileSync(path.join(dir, 'model.json'), 'utf8'));
      const specs = [];
      const bufs = [];
      for (const group of mj.weightsManifest) {
        specs.push(...group.weights);
        for (const p of group.paths) bufs.push(fs.readFileSync(path.join(dir, p)));
      }
      const all = Buffer.concat(bufs);
      const weightData = all.buffer.slice(all.byteOffset, all.byteOffset + all.byteLength);
      return {
        modelTopology: mj.modelTopology,
        format: mj.format,
        generatedBy: mj.generatedBy,
        convertedBy: mj.convertedBy,
        signature: mj.signature,
        userDefinedMetadata: mj.userDefinedMetadata,
        weightSpecs: specs,
        weightData,
      };
    },
  };
}

function readF32(file) {
  const b = fs.readFileSync(file);
  return new Float32Array(b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength));
}

await tf.setBackend('cpu');
await tf.ready();
const meta = JSON.parse(fs.readFileSync(path.join(work, 'verify.json'), 'utf8'));
const input = tf.tensor(readF32(path.join(work, 'verify_input.f32')), meta.inputShape);
const keras = readF32(path.join(work, 'verify_keras_probs.f32'));

let failed = false;
const report = {};
for (const [kind, dir] of [
  ['layers-model', path.join(root, 'models', 'digits')],
  ['graph-model', path.join(root, 'test', 'fixtures', 'models', 'digits-graph')],
]) {
  if (!fs.existsSync(path.join(dir, 'model.json'))) {
    console.log(`${kind}: missing ${dir}`);
    failed = true;
    continue;
  }
  const model = kind === 'layers-model'
    ? await tf.loadLayersModel(fileHandler(dir))
    : await tf.loadGraphModel(fileHandler(dir));
  const out = model.predict(input);
  const probs = await out.data();
  let maxDiff = 0;
  let agree = 0;
  for (let i = 0; i < meta.n; i++) {
    let a = 0, b = 0;
    for (let c = 0; c < meta.classes; c++) {
      const k = i * meta.classes + c;
      maxDiff = Math.max(maxDiff, Math.abs(probs[k] - keras[k]));
      if (probs[k] > probs[i * meta.classes + a]) a = c;
      if (keras[k] > keras[i * meta.classes + b]) b = c;
    }
    if (a === b) agree++;
  }
  report[kind] = { maxAbsDiff: maxDiff, top1Agreement: `${agree}/${meta.n}`, backend: tf.getBackend() };
  console.log(`${kind}: max |p_tfjs - p_keras| = ${maxDiff.toExponential(3)}, top-1 agreement ${agree}/${meta.n} (backend ${tf.getBackend()})`);
  if (!(maxDiff < 1e-5)) failed = true;
  out.dispose();
}
fs.writeFileSync(path.join(work, 'verify_tfjs_result.json'), JSON.stringify(report, null, 1));
process.exit(failed ? 1 : 0);
