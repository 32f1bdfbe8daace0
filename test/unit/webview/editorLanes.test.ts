// The editor's probability panel without a canvas (webview/editor/lanes.ts): text labels thinned so
// that none overlap at any zoom, lines decimated to one point a column keeping the peaks, the mark
// a click lands on, where it plays from, and the view a seek shows.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  columnPeaks,
  markAt,
  playFrom,
  thinLabels,
  viewAround,
  type LabelBox,
} from '../../../webview/editor/lanes';

/** A seeded generator (mulberry32), so a failure names a reproducible case. */
function rng(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const overlap = (a: LabelBox, b: LabelBox, gap: number) =>
  a.x < b.x + b.width + gap && b.x < a.x + a.width + gap;

test('thinned labels never overlap, and every label left out would overlap one kept of at least its priority', () => {
  for (let seed = 1; seed <= 200; seed++) {
    const r = rng(seed);
    // 5-minute recordings' words drawn 100 to 2,000 px wide: from a few labels a screen to dozens a pixel.
    const plot = 100 + Math.floor(r() * 1900);
    const boxes = Array.from({ length: 1 + Math.floor(r() * 300) }, () => ({
      x: r() * plot,
      width: 10 + r() * 40,
      priority: Math.floor(r() * 3),
    }));
    const kept = thinLabels(boxes, 4);
    for (let i = 1; i < kept.length; i++)
      assert.ok(boxes[kept[i - 1]].x <= boxes[kept[i]].x, `seed ${seed}: kept in x order`);
    for (let i = 0; i < kept.length; i++)
      for (let j = i + 1; j < kept.length; j++)
        assert.ok(
          !overlap(boxes[kept[i]], boxes[kept[j]], 4),
          `seed ${seed}: ${kept[i]} and ${kept[j]} overlap`,
        );
    const keptSet = new Set(kept);
    boxes.forEach((b, i) => {
      if (keptSet.has(i)) return;
      assert.ok(
        kept.some((k) => overlap(b, boxes[k], 4) && boxes[k].priority >= b.priority),
        `seed ${seed}: label ${i} left out with room for it`,
      );
    });
  }
});

test('thinning by hand: the higher priority wins a clash, then the leftmost; apart, all stay', () => {
  const boxes = [
    { x: 0, width: 20, priority: 1 },
    { x: 15, width: 20, priority: 2 },
    { x: 40, width: 20, priority: 1 },
    { x: 100, width: 20, priority: 0 },
    { x: 110, width: 20, priority: 0 },
  ];
  // 15 (priority 2) first; 0 ends at 20 + 4 > 15: out; 40 starts at 40 > 15 + 20 + 4 = 39: in;
  // 100 before 110 (same priority, left first), and 110 < 100 + 24: out.
  assert.deepEqual(thinLabels(boxes, 4), [1, 2, 3]);
  assert.deepEqual(thinLabels([]), []);
  // Zoomed in 10x the same labels are far apart: all kept.
  assert.deepEqual(
    thinLabels(
      boxes.map((b) => ({ ...b, x: b.x * 10 })),
      4,
    ),
    [0, 1, 2, 3, 4],
  );
});

test('column peaks: the highest value a column, NaN where no point falls, nothing outside the range', () => {
  const times = [0.05, 0.1, 0.15, 0.5, 0.95, 1.5];
  const values = [0.2, 0.9, 0.4, 0.3, 0.7, 1];
  // [0, 1] over 4 columns: 0.05, 0.1, 0.15 -> column 0 (peak 0.9); 0.5 -> 2; 0.95 -> 3; 1.5 outside.
  const p = columnPeaks(times, values, [0, 1], 4);
  assert.deepEqual(Array.from(p.slice(0, 1)), [0.9]);
  assert.ok(Number.isNaN(p[1]));
  assert.deepEqual([p[2], p[3]], [0.3, 0.7]);
});

test('a click lands on the nearest mark within 3 px, in its rows only; play from a second before', () => {
  const marks = [
    { x1: 95, x2: 105, y1: 0, y2: 16, timeSec: 10 },
    { x1: 110, x2: 112, y1: 0, y2: 16, timeSec: 11 },
    { x1: 100, x2: 130, y1: 140, y2: 166, timeSec: 10.2 },
  ];
  assert.equal(markAt(marks, 100, 8)?.timeSec, 10);
  assert.equal(markAt(marks, 108, 8)?.timeSec, 11, '108 is 3 px from the first, 2 from the second');
  assert.equal(markAt(marks, 120, 150)?.timeSec, 10.2);
  assert.equal(markAt(marks, 120, 60), undefined, 'between the rows');
  assert.equal(markAt(marks, 90, 8), undefined, '5 px away');
  assert.equal(playFrom(10), 9);
  assert.equal(playFrom(0.4), 0);
});

test('a seek keeps the zoomed span centred on the time, and shows 10 s from the whole file', () => {
  assert.deepEqual(viewAround(100, [0, 300], true, 300), [95, 105]);
  assert.deepEqual(viewAround(100, [20, 24], false, 300), [98, 102]);
  assert.deepEqual(viewAround(2, [0, 6], true, 6), [-1, 5], 'clamped by the page (clampView)');
});
