// What `models --describe` and the editor's "what the model sees" caption say about each front end:
// its type, parameters and the model's own window (the TF tutorial's 1-s STFT model is a 1000 ms
// window, not frames * 10 ms + 20 = 1260 ms).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { readFileSync } from 'node:fs';
import { parseMetadata } from '../../../src/model/metadata';
import { describeModel, formatDescription, frontEndSummary } from '../../../src/model/describe';
import { featureShape } from '../../../src/model/inputLayout';
import type { ModelPackage } from '../../../src/model/modelPackage';
import { featureCaption, featureTitle } from '../../../webview/editor/model';
import { runCli } from '../runCli';
import { LABELS, makeModelDir, metadata } from './modelHelpers';
import { tempDir } from '../tempDir';

const base = { name: 'm', labels: ['a', 'b'], sampleRate: 16000, clipDurationMs: 1000 };
const ms = { windowSizeMs: 30, windowStrideMs: 10 };
const mel = { lowerFrequencyHz: 20, upperFrequencyHz: 4000, filterbankChannels: 40 };

/** Each type's metadata.json, what its summary must say, and its frames x bins for 1 s at 16 kHz. */
const CASES: [string, object, RegExp, [number, number]][] = [
  [
    'mfcc',
    { ...ms, features: { type: 'mfcc', binCount: 13, ...mel, normalize: 'none' } },
    /^13 MFCCs \(TensorFlow Mfcc\) from 40 mel bands, 20-4000 Hz, 30 ms frames every 10 ms, of each 1000 ms window at 16000 Hz$/,
    [98, 13],
  ],
  [
    'logmel',
    { ...ms, features: { type: 'logmel', binCount: 40, ...mel, normalize: 'none' } },
    /^40 log-mel bands \(TensorFlow's filterbank\), 20-4000 Hz, 30 ms frames every 10 ms, of each 1000 ms/,
    [98, 40],
  ],
  [
    'spectrogram',
    { ...ms, features: { type: 'spectrogram', binCount: 40, ...mel, normalize: 'none' } },
    /^power spectrogram \(TensorFlow AudioSpectrogram\), 30 ms frames every 10 ms, of each 1000 ms/,
    [98, 257],
  ],
  [
    'average',
    { ...ms, features: { type: 'average', binCount: 43, ...mel, normalize: 'none' } },
    /^power spectrogram averaged in groups of 5 bins \(52\), 30 ms frames/,
    [98, 52],
  ],
  [
    'micro',
    { windowSizeMs: 30, windowStrideMs: 20, features: { type: 'micro', binCount: 40 } },
    /^TF Lite Micro front end, 40 channels, 125-7500 Hz, 30 ms frames every 20 ms, of each 1000 ms/,
    [49, 40],
  ],
  [
    'stft',
    { features: { type: 'stft', frameLength: 255, frameStep: 128 } },
    /^\|STFT\| \(tf\.signal\.stft\), 255-sample frames every 128, FFT 256, of each 1000 ms window at 16000 Hz$/,
    [124, 129],
  ],
  [
    'melspectrogram',
    {
      features: {
        type: 'melspectrogram',
        nFft: 512,
        winLength: 400,
        hopLength: 160,
        nMels: 40,
        fMax: 7600,
        melScale: 'slaney',
        norm: 'slaney',
        log: 'db',
        topDb: 80,
      },
    },
    /^40-band mel spectrogram \(torchaudio\/librosa\), slaney scale, norm slaney, 0-7600 Hz, \|DFT\|\^2 of 400-sample windows in 512-point frames every 160, centred \(reflect padding\), dB, top 80 dB, of each 1000 ms window/,
    [101, 40],
  ],
  [
    'waveform',
    { features: { type: 'waveform' } },
    /^the samples \(float in \[-1, 1\]\) of each 1000 ms window at 16000 Hz$/,
    [16000, 1],
  ],
];

test('each front end is described with its parameters and the model window', async () => {
  for (const [type, extra, summary, shape] of CASES) {
    const md = parseMetadata({ ...base, ...extra });
    assert.equal(md.features.type, type);
    assert.match(frontEndSummary(md), summary, type);
    const { frames, bins } = await featureShape(md);
    assert.deepEqual([frames, bins], shape, type);
    const fake = { metadata: md, frames, bins, format: 'layers-model', inputLayout: 'flat', hash: 'h' };
    const d = describeModel('/m', fake as unknown as ModelPackage);
    assert.equal(d.summary, frontEndSummary(md));
    assert.ok(formatDescription(d).includes(`\n              ${d.summary}\n`), type);
    assert.deepEqual(d.inputShape, ['batch', frames * bins]);
    // the frame settings of the types stated in samples are shown in samples, not derived ms
    const inSamples = ['stft', 'melspectrogram', 'waveform'].includes(type);
    assert.equal('windowSizeMs' in d.features, !inSamples, type);
    // the editor's caption: the model's window, whatever the frames
    const caption = featureCaption({ type, frames, bins, windowMs: md.clipDurationMs }, -1, 1);
    assert.match(caption, / \(first 1000 ms window\) · range /, type);
    assert.ok(
      caption.startsWith(type === 'waveform' ? '16000 samples (' : `${frames} frames × ${bins} bins (`),
    );
  }
  assert.equal(featureTitle(undefined), 'Model input (the features exactly as the model sees them)');
  assert.equal(featureTitle({ summary: 'x y' }), 'Model input: x y');
});

test('models --describe on the TF tutorial Keras model: stft 255/128, 124 x 129, a 1000 ms window', async () => {
  const r = await runCli(['models', '--describe', 'test/fixtures/keras/tutorial', '--json']);
  assert.equal(r.code, 0, r.err);
  const d = JSON.parse(r.out);
  assert.deepEqual(d.inputShape, ['batch', 124, 129, 1]);
  assert.equal(d.features.frameLength, 255);
  assert.equal(d.features.frameStep, 128);
  assert.equal(d.features.fftLength, 256);
  assert.equal(d.features.windowSizeMs, undefined);
  assert.match(d.summary, /255-sample frames every 128, FFT 256, of each 1000 ms window/);
  const text = await runCli(['models', '--describe', 'test/fixtures/keras/tutorial']);
  assert.match(
    text.out,
    /front end: +stft \(sampleRate=16000, clipSamples=16000, frames=124, bins=129, frameLength=255/,
  );
});

test('waveform and melspectrogram TF.js models: described, and classify runs them', async () => {
  const clip = join(tempDir('wb-fe-'), 'tone.wav');
  const { WaveFile } = await import('wavefile');
  const w = new WaveFile();
  w.fromScratch(
    1,
    16000,
    '16',
    Array.from({ length: 16000 }, (_, i) => Math.round(8000 * Math.sin(i * 0.1))),
  );
  const { writeFileSync } = await import('node:fs');
  writeFileSync(clip, w.toBuffer());
  for (const [features, inputShape, flat, shape] of [
    [{ type: 'waveform' }, [16000], true, ['batch', 16000]],
    [
      { type: 'melspectrogram', nFft: 512, winLength: 400, hopLength: 160, nMels: 40, log: 'log' },
      [101, 40, 1],
      false,
      ['batch', 101, 40, 1],
    ],
  ] as const) {
    const meta = { ...metadata(), features };
    delete (meta as Record<string, unknown>).windowSizeMs;
    delete (meta as Record<string, unknown>).windowStrideMs;
    const dir = await makeModelDir({ inputShape: [...inputShape], flat, meta });
    const r = await runCli(['models', '--describe', dir, '--json']);
    assert.equal(r.code, 0, r.err);
    const d = JSON.parse(r.out);
    assert.deepEqual(d.inputShape, shape);
    assert.equal(d.features.type, features.type);
    const out = join(dir, 'out.json');
    const c = await runCli(['classify', clip, '--model', dir, '--workers', '1', '--json', out]);
    assert.equal(c.code, 0, c.err);
    const row = JSON.parse(readFileSync(out, 'utf8')).rows[0];
    assert.ok(!row.error, row.error);
    assert.ok(LABELS.includes(row.predicted) && row.probability > 0, JSON.stringify(row));
  }
});
