// What a network's shape costs at inference in a pool worker: TF.js on its WASM backend, one thread,
// batches of 64 MFCC inputs [98, 20, 1], random weights (speed does not depend on them). Each
// candidate is built as the runtime runs the shipped model after folding batch norm and ReLU into the
// convolutions (conv + bias + relu), and they are timed in alternation, ROUNDS rounds, so that a busy
// moment of the machine falls on all of them; the table gives each one's median and its ratio to the
// previous shipped architecture (12/24/32/48: digits v5/v6, speech-commands v2) measured in the same run. It measures speed only: what a shape does to
// accuracy is a training question (training/train.py --arch, leave-one-speaker-out).
// Run: node bench/classify/architectures.mjs      (WAVEBENCH_BENCH_ROUNDS, default 7)
import { cpus, loadavg } from 'node:os';
import { machine, machineLine, median, underTsx } from './tensorflow.mjs';

underTsx();
const tf = await import('@tensorflow/tfjs');
const { initTfBackend } = await import('../../src/model/tfBackend.ts');

const ROUNDS = Number(process.env.WAVEBENCH_BENCH_ROUNDS ?? 7);
const BATCH = 64;
const FRAMES = 98;
const BINS = 20;
const LABELS = 12;
const load0 = loadavg();
const info = await initTfBackend();

/** Full 3x3 convolutions with 2x2 max-pools between blocks, flatten, dense: v5's shape. */
function plain(channels) {
  const m = tf.sequential();
  channels.forEach((c, i) => {
    m.add(
      tf.layers.conv2d({
        filters: c,
        kernelSize: 3,
        padding: 'same',
        activation: 'relu',
        ...(i === 0 ? { inputShape: [FRAMES, BINS, 1] } : {}),
      }),
    );
    if (i < channels.length - 1) m.add(tf.layers.maxPooling2d({ poolSize: 2 }));
  });
  m.add(tf.layers.flatten());
  m.add(tf.layers.dense({ units: LABELS, activation: 'softmax' }));
  return m;
}

/** A full 3x3 convolution first, then depthwise 3x3 + pointwise 1x1 blocks (DS-CNN), pools as v5. */
function separable(channels) {
  const m = tf.sequential();
  m.add(
    tf.layers.conv2d({
      filters: channels[0],
      kernelSize: 3,
      padding: 'same',
      activation: 'relu',
      inputShape: [FRAMES, BINS, 1],
    }),
  );
  for (let i = 1; i < channels.length; i++) {
    m.add(tf.layers.maxPooling2d({ poolSize: 2 }));
    m.add(tf.layers.depthwiseConv2d({ kernelSize: 3, padding: 'same', activation: 'relu' }));
    m.add(tf.layers.conv2d({ filters: channels[i], kernelSize: 1, activation: 'relu' }));
  }
  m.add(tf.layers.flatten());
  m.add(tf.layers.dense({ units: LABELS, activation: 'softmax' }));
  return m;
}

/** Multiply-adds x 2 of the convolutions and the dense layer, per clip. */
function flops(m) {
  let f = 0;
  for (const l of m.layers) {
    const out = l.outputShape;
    const k = l.getWeights()[0]?.shape;
    if (!k) continue;
    const cls = l.getClassName();
    if (cls === 'Conv2D') f += 2 * out[1] * out[2] * k[0] * k[1] * k[2] * k[3];
    else if (cls === 'DepthwiseConv2D') f += 2 * out[1] * out[2] * k[0] * k[1] * k[2] * k[3];
    else if (cls === 'Dense') f += 2 * k[0] * k[1];
  }
  return f;
}

const candidates = [
  { name: 'conv 12/24/32/48 (before: digits v6, speech-commands v2)', model: plain([12, 24, 32, 48]) },
  { name: 'conv 8/16/32/48', model: plain([8, 16, 32, 48]) },
  { name: 'conv 16/32/48/64 (shipped: speech-commands v3, digits v7)', model: plain([16, 32, 48, 64]) },
  { name: 'conv 24/48/64/64', model: plain([24, 48, 64, 64]) },
  { name: 'separable 12/24/32/48', model: separable([12, 24, 32, 48]) },
  { name: 'separable 24/48/64/96', model: separable([24, 48, 64, 96]) },
  { name: 'separable 32/64/96/128', model: separable([32, 64, 96, 128]) },
];
const x = tf.randomNormal([BATCH, FRAMES, BINS, 1]);
for (const c of candidates) {
  c.flops = flops(c.model);
  c.params = c.model.countParams();
  c.times = [];
  for (let i = 0; i < 5; i++) tf.dispose(c.model.predict(x)); // warm-up: kernels compiled, buffers made
}
const REPS = 20;
for (let r = 0; r < ROUNDS; r++) {
  for (const c of candidates) {
    const t0 = performance.now();
    for (let i = 0; i < REPS; i++) {
      const y = c.model.predict(x);
      await y.data();
      y.dispose();
    }
    c.times.push(((performance.now() - t0) * 1000) / (REPS * BATCH));
  }
}
const base = median(candidates[0].times);
console.log(
  `TF.js ${tf.version.tfjs}, backend ${info.backend} (SIMD ${info.simd}), one thread, batch ${BATCH}, ${cpus()[0]?.model}; median of ${ROUNDS} rounds of ${REPS} batches`,
);
console.log('| network | parameters | MFLOP per clip | µs per clip | time / 12/24/32/48 |');
console.log('|---|---|---|---|---|');
for (const c of candidates) {
  const t = median(c.times);
  console.log(
    `| ${c.name} | ${c.params.toLocaleString('en')} | ${(c.flops / 1e6).toFixed(2)} | ${t.toFixed(0)} (${Math.min(...c.times).toFixed(0)}-${Math.max(...c.times).toFixed(0)}) | ${(t / base).toFixed(2)} |`,
  );
}
console.log(machineLine(machine(load0)));
