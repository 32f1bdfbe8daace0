// The editor webview's plot geometry (webview/editor/model.ts, used by draw.ts), no canvas needed:
// time-axis ticks, column -> frame, row -> bin, the dB colour range, colour indices, window extents
// and the time/level formats. Expected values are worked out by hand in the comments.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  AXIS_L,
  colourIndex,
  dbRange,
  fmtDb,
  fmtTime,
  framesForColumns,
  nearestFrame,
  rowsToBins,
  timeTicks,
} from '../../../webview/editor/model';

test('time ticks: the smallest step leaving 70 px per tick, labelled in s or m:ss', () => {
  // 1 s over 800 px: 752 px of plot / 70 = 10.7 ticks at most -> 0.1 s (10 ticks), not 0.05 (20).
  const a = timeTicks(0, 1, 800);
  assert.equal(a.step, 0.1);
  assert.equal(a.ticks.length, 11);
  assert.equal(a.ticks[0].x, AXIS_L);
  assert.ok(Math.abs(a.ticks[5].x - (AXIS_L + 376)) < 1e-9, 'half way at 48 + 752 / 2');
  assert.deepEqual(
    a.ticks.map((t) => t.text),
    ['0s', '0.1s', '0.2s', '0.3s', '0.4s', '0.5s', '0.6s', '0.7s', '0.8s', '0.9s', '1s'],
  );
  // 120 s over 818 px: 11 ticks at most -> 10 s gives 12, 30 s gives 4.
  const b = timeTicks(0, 120, 818);
  assert.equal(b.step, 30);
  assert.deepEqual(
    b.ticks.map((t) => t.text),
    ['0 s', '30 s', '1:00.00', '1:30.00', '2:00.00'],
  );
  // 10 hours on a 118 px plot (one tick of room): past the largest step, one per hour.
  const c = timeTicks(0, 36000, 118);
  assert.equal(c.step, 3600);
  assert.equal(c.ticks.length, 11);
});

test('time ticks start at the first multiple of the step inside a zoomed range', () => {
  const { step, ticks } = timeTicks(0.33, 0.83, 818); // 0.5 s, 11 ticks of room -> 0.05 s
  assert.equal(step, 0.05);
  assert.ok(Math.abs(ticks[0].t - 0.35) < 1e-9);
  assert.ok(ticks.every((t) => t.x >= AXIS_L && t.x <= 818));
  assert.ok(Math.abs(ticks[ticks.length - 1].t - 0.8) < 1e-9);
});

test('columns take the frame nearest their centre, same as a brute-force search', () => {
  const times = new Float32Array([0, 0.1, 0.2, 0.3]);
  // 8 columns over 0..0.4 s: centres 0.025, 0.075, ..., 0.375.
  const cols = framesForColumns(times, 4, 8, [0, 0.4]);
  assert.deepEqual([...cols], [0, 1, 1, 2, 2, 3, 3, 3]);
  for (let x = 0; x < 8; x++) assert.equal(cols[x], nearestFrame(times, 4, (x + 0.5) * 0.05));
  assert.equal(nearestFrame(times, 4, 0.14), 1);
  assert.equal(nearestFrame(times, 4, -5), 0);
  assert.equal(nearestFrame(times, 4, 9), 3);
});

test('rows interpolate between two bins: linear scale by hand, mel by the log10 form of HTK mel', () => {
  // 4 rows, 5 bins (0..8 kHz): row centres at 7/8, 5/8, 3/8, 1/8 of the height -> bins 3.5 .. 0.5.
  const lin = rowsToBins(4, 8000, 5, false);
  assert.deepEqual([...lin.lo], [3, 2, 1, 0]);
  assert.deepEqual([...lin.t], [0.5, 0.5, 0.5, 0.5]);
  // Mel: the row at height fraction f shows mel f * mel(maxHz), mel(hz) = 2595 log10(1 + hz / 700).
  const mel = (hz: number) => 2595 * Math.log10(1 + hz / 700);
  const hzOfMel = (m: number) => 700 * (10 ** (m / 2595) - 1);
  const rows = 60;
  const bins = 129;
  const m = rowsToBins(rows, 8000, bins, true);
  for (let y = 0; y < rows; y++) {
    const want = (hzOfMel((1 - (y + 0.5) / rows) * mel(8000)) / 8000) * (bins - 1);
    assert.ok(Math.abs(m.lo[y] + m.t[y] - want) < 1e-4, `row ${y}: ${m.lo[y] + m.t[y]} vs ${want}`);
    assert.ok(m.lo[y] >= 0 && m.lo[y] <= bins - 2 && m.t[y] >= 0 && m.t[y] <= 1);
  }
});

test('the dB range: the maximum and the floor below it, never less than 1 dB', () => {
  const db = new Float32Array([-80, -20, -50]);
  assert.deepEqual(dbRange(db, -100), { maxDb: -20, floorDb: -120 });
  assert.deepEqual(dbRange(db, 0), { maxDb: -20, floorDb: -21 });
});

test('colour indices clamp to 0..255', () => {
  assert.equal(colourIndex(-120, -120, -20), 0);
  assert.equal(colourIndex(-20, -120, -20), 255);
  assert.equal(colourIndex(-70, -120, -20), 128); // 127.5 rounds up
  assert.equal(colourIndex(-200, -120, -20), 0);
  assert.equal(colourIndex(10, -120, -20), 255);
});

test('time and level formats', () => {
  assert.equal(fmtTime(0.5), '0.500 s');
  assert.equal(fmtTime(60), '1:00.00');
  assert.equal(fmtTime(75.5), '1:15.50');
  assert.equal(fmtDb(-3.14159), '-3.1 dBFS');
  assert.equal(fmtDb(-Infinity), '-inf dBFS');
});
