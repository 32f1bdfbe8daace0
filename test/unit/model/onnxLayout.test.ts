// Input layouts of graphs whose exporters leave dimensions symbolic (ONNX): which layouts a declared
// shape fits, and the nchw packing (PyTorch's [batch, 1, bins, frames]) of features kept [frame][bin].
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { layoutsFitting, packFor } from '../../../src/model/inputLayout';
import { parseMetadata } from '../../../src/model/metadata';
import { metadata } from './modelHelpers';

test('layouts a declared input shape fits (null: symbolic)', () => {
  assert.deepEqual(layoutsFitting([null, 1, 40, 98], 98, 40), ['nchw']);
  assert.deepEqual(layoutsFitting([null, 98, 40, 1], 98, 40), ['image']);
  assert.deepEqual(layoutsFitting([null, 98, 40], 98, 40), ['sequence']);
  assert.deepEqual(layoutsFitting([null, 3920], 98, 40), ['flat']);
  // waveform features: frames = samples, one bin.
  assert.deepEqual(layoutsFitting([null, 16000], 16000, 1), ['flat']);
  // Symbolic everywhere: ambiguous between the rank-4 layouts.
  assert.deepEqual(layoutsFitting([null, null, null, null], 98, 40), ['image', 'nchw']);
  assert.deepEqual(layoutsFitting([null, 1, 98, 40], 98, 40), []);
});

test('nchw packing transposes each window to [bin][frame]; the others keep the buffer', () => {
  const frames = 3;
  const bins = 2;
  // two windows, value = 100 * window + 10 * frame + bin
  const x = Float32Array.from({ length: 12 }, (_, i) => {
    const w = Math.floor(i / 6);
    const f = Math.floor((i % 6) / bins);
    return 100 * w + 10 * f + (i % bins);
  });
  assert.deepEqual(
    [...packFor('nchw', x, 2, frames, bins)],
    [0, 10, 20, 1, 11, 21, 100, 110, 120, 101, 111, 121],
  );
  assert.equal(packFor('image', x, 2, frames, bins), x);
});

test('metadata.json inputLayout: the four names, anything else refused by name', () => {
  assert.equal(parseMetadata(metadata(undefined, { inputLayout: 'nchw' })).inputLayout, 'nchw');
  assert.throws(
    () => parseMetadata(metadata(undefined, { inputLayout: 'NCHW' })),
    /"inputLayout" must be one of nhwc, nchw, sequence, flat/,
  );
});
