// The editor webview's pure view arithmetic: range, x <-> time, y <-> bin on linear and mel scales, zoom.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  binPosAtY,
  clampView,
  melOf,
  MIN_SPAN_SEC,
  timeOfX,
  viewRange,
  xOfTime,
  yOfHz,
  zoomAround,
} from '../../../webview/editor/model';

test('the view range: whole file without a view, clamped to the file with one', () => {
  assert.deepEqual(viewRange(null, 3), [0, 3]);
  assert.deepEqual(viewRange([1, 1], 3), [0, 3], 'an empty view shows everything');
  assert.deepEqual(viewRange([-1, 2], 3), [0, 2]);
  assert.deepEqual(viewRange([2, 9], 3), [2, 3]);
});

test('clampView: a minimum span, kept inside the file, null when it covers it', () => {
  assert.equal(clampView(0, 5, 3), null);
  assert.deepEqual(clampView(1, 1.001, 3), [1, 1 + MIN_SPAN_SEC]);
  assert.deepEqual(clampView(2.5, 3.5, 3), [2, 3], 'slid back inside, span kept');
  assert.deepEqual(clampView(-0.5, 0.5, 3), [0, 1]);
});

test('zoom keeps the time under the pointer in place; zooming out to the file clears the view', () => {
  const v = zoomAround(null, 4, 1, 0.5)!;
  assert.deepEqual(v, [0.5, 2.5]);
  // 1 s was 1/4 of the way across [0, 4] and is 1/4 of the way across [0.5, 2.5].
  assert.equal((1 - v[0]) / (v[1] - v[0]), 0.25);
  assert.equal(zoomAround(v, 4, 1, 4), null);
  const z = zoomAround([1, 1.05], 4, 1.025, 0.1)!;
  // Narrower than MIN_SPAN_SEC: widened to it from the new start (1.025 - 0.0025).
  assert.ok(Math.abs(z[0] - 1.0225) < 1e-12 && Math.abs(z[1] - 1.0425) < 1e-12, `${z}`);
});

test('x <-> time on a plot with a left axis', () => {
  assert.equal(xOfTime(0, [0, 2], 110, 10), 10);
  assert.equal(xOfTime(1, [0, 2], 110, 10), 60);
  assert.equal(xOfTime(2, [0, 2], 110, 10), 110);
  assert.equal(timeOfX(60, [0, 2], 110, 10), 1);
  for (const t of [0.3, 1.7, 5.25])
    assert.ok(Math.abs(timeOfX(xOfTime(t, [0.2, 6], 900, 40), [0.2, 6], 900, 40) - t) < 1e-12);
});

test('y <-> bin, linear and mel (HTK mel: 1127 ln(1 + f/700))', () => {
  assert.ok(Math.abs(melOf(700) - 1127 * Math.LN2) < 1e-9);
  // Linear: the top row is the last bin, the bottom the first, the middle the middle.
  assert.equal(binPosAtY(0, 100, 8000, 257, false), 256);
  assert.equal(binPosAtY(100, 100, 8000, 257, false), 0);
  assert.equal(binPosAtY(50, 100, 8000, 257, false), 128);
  assert.equal(yOfHz(4000, 100, 8000, false), 50);
  // Mel: the row of a frequency maps back to its bin.
  for (const hz of [100, 700, 2000, 7000]) {
    const y = yOfHz(hz, 200, 8000, true);
    assert.ok(Math.abs(binPosAtY(y, 200, 8000, 257, true) - (hz / 8000) * 256) < 1e-9, `${hz} Hz`);
  }
  // Halfway up a mel axis is well below half the Nyquist frequency.
  assert.ok(binPosAtY(100, 200, 8000, 257, true) < 128 / 2);
});
