// Builds small real model packages with TF.js's own Layers API and save handler (for loader tests).
import * as tf from '@tensorflow/tfjs';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import assert from 'node:assert/strict';
import { loadModelPackage, ModelError } from '../../../src/model/modelPackage';
import { initTfBackend } from '../../../src/model/tfBackend';
import { tempDir } from '../tempDir';

export const LABELS = ['_silence_', '_unknown_', 'yes', 'no'];

/** Metadata for the speech_commands defaults. */
export function metadata(labels = LABELS, extra: Record<string, unknown> = {}) {
  return {
    name: 'tiny',
    version: '0.0.1',
    labels,
    sampleRate: 16000,
    clipDurationMs: 1000,
    windowSizeMs: 30,
    windowStrideMs: 10,
    features: {
      type: 'mfcc',
      binCount: 40,
      lowerFrequencyHz: 20,
      upperFrequencyHz: 4000,
      filterbankChannels: 40,
      normalize: 'none',
    },
    ...extra,
  };
}

/** Saves a tiny conv model to a new folder; `inputShape` and `units` can be made wrong on purpose. */
export async function makeModelDir(
  opts: {
    inputShape?: number[];
    units?: number;
    flat?: boolean;
    meta?: object | null;
    labelsTxt?: string;
  } = {},
): Promise<string> {
  await initTfBackend();
  const dir = tempDir('wb-model-');
  const m = tf.sequential();
  if (opts.flat) {
    m.add(tf.layers.dense({ inputShape: opts.inputShape ?? [98 * 40], units: 8, activation: 'relu' }));
  } else {
    m.add(
      tf.layers.conv2d({ inputShape: opts.inputShape ?? [98, 40, 1], filters: 4, kernelSize: 3, strides: 2 }),
    );
    m.add(tf.layers.globalAveragePooling2d({}));
  }
  m.add(tf.layers.dense({ units: opts.units ?? LABELS.length, activation: 'softmax' }));
  await m.save(
    tf.io.withSaveHandler(async (a) => {
      writeFileSync(
        join(dir, 'model.json'),
        JSON.stringify({
          format: 'layers-model',
          modelTopology: a.modelTopology,
          weightsManifest: [{ paths: ['weights.bin'], weights: a.weightSpecs }],
        }),
      );
      writeFileSync(join(dir, 'weights.bin'), Buffer.from(a.weightData as ArrayBuffer));
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
    }),
  );
  if (opts.meta !== null) writeFileSync(join(dir, 'metadata.json'), JSON.stringify(opts.meta ?? metadata()));
  if (opts.labelsTxt) writeFileSync(join(dir, 'labels.txt'), opts.labelsTxt);
  return dir;
}

/**
 * What loading a model folder says: 'loaded', or the ModelError's problem, after checking the error is
 * one line naming the folder (what every bad model must give).
 */
export async function loadProblem(dir: string): Promise<string> {
  try {
    (await loadModelPackage(dir)).dispose();
  } catch (e) {
    assert.ok(e instanceof ModelError, `not a ModelError: ${e}`);
    assert.ok(e.message.includes(dir), 'the message names the folder');
    assert.ok(!e.message.includes('\n'), `one line: ${e.message}`);
    return e.problem;
  }
  return 'loaded';
}
