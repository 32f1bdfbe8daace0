// The evaluation page's pure logic: the log FA/h axis, curve points in pixels, the hovered point.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { DetPointView } from '../../../src/protocol/evaluation';
import {
  fmtTime,
  logAxis,
  logFraction,
  nearestPoint,
  envelopePath,
  placeCurve,
  rateLabel,
  sortEvents,
} from '../../../webview/evaluation/model';

const pt = (threshold: number, faPerHour: number, frr: number | null): DetPointView => ({
  threshold,
  hits: 0,
  falseAccepts: 0,
  repeats: 0,
  frr,
  faPerHour,
});

test('logAxis widens the positive rates to whole decades with a tick per decade', () => {
  const a = logAxis([0.3, 2, 47]);
  assert.equal(a.lo, 0.1);
  assert.equal(a.hi, 100);
  assert.deepEqual(
    a.ticks.map((t) => Number(t.toPrecision(3))),
    [0.1, 1, 10, 100],
  );
});

test('logAxis: one decade at least, a default without positive rates, room for zero', () => {
  assert.deepEqual([logAxis([1]).lo, logAxis([1]).hi], [1, 10]);
  assert.deepEqual([logAxis([0, 0]).lo, logAxis([]).hi], [0.01, 1]);
  // 0.1 sits on the decade: a zero rate needs the decade below to stand apart.
  assert.equal(logAxis([0, 0.1, 5]).lo, 0.01);
  assert.equal(logAxis([0.1, 5]).lo, 0.1);
  // 0.5 is half a decade in: room enough.
  assert.equal(logAxis([0, 0.5]).lo, 0.1);
});

test('logFraction is log-linear between the ends and clamps zero and below to the left edge', () => {
  const a = logAxis([0.01, 100]);
  assert.equal(logFraction(a, 0.01), 0);
  assert.equal(logFraction(a, 0), 0);
  assert.ok(Math.abs(logFraction(a, 1) - 0.5) < 1e-12);
  assert.ok(Math.abs(logFraction(a, 10) - 0.75) < 1e-12);
  assert.ok(Math.abs(logFraction(a, Math.sqrt(10)) - 0.625) < 1e-12);
  assert.equal(logFraction(a, 1e6), 1);
});

test('placeCurve draws the lower envelope: best FRR at each FA/h, by rising FA/h, FRR 0 at the bottom', () => {
  const a = logAxis([1, 100]);
  const box = { left: 10, top: 5, width: 200, height: 100 };
  // 0.4 (FA/h 10, FRR 0.6) is worse than 0.3 at a lower rate: not on the envelope; 0.1 has no FRR.
  const placed = placeCurve(
    [
      pt(0.9, 1, 0.8),
      pt(0.2, 100, 0),
      pt(0.5, 10, 0.25),
      pt(0.95, 1, 1),
      pt(0.1, 50, null),
      pt(0.3, 5, 0.5),
      pt(0.4, 10, 0.6),
    ],
    a,
    box,
  );
  assert.deepEqual(
    placed.map((p) => p.point.threshold),
    [0.9, 0.3, 0.5, 0.2],
  );
  assert.deepEqual(
    placed.map((p) => [Math.round(p.x * 1e6) / 1e6, Math.round(p.y * 1e6) / 1e6]),
    [
      [10, 25],
      [Math.round((10 + 100 * Math.log10(5)) * 1e6) / 1e6, 55],
      [110, 80],
      [210, 105],
    ],
  );
  // Monotone: FA/h rises and FRR falls along the drawn line.
  for (let i = 1; i < placed.length; i++) {
    assert.ok(placed[i].point.faPerHour > placed[i - 1].point.faPerHour);
    assert.ok(placed[i].point.frr! < placed[i - 1].point.frr!);
  }
});

test('nearestPoint finds the closest point over all curves within the distance, else nothing', () => {
  const a = logAxis([1, 100]);
  const box = { left: 0, top: 0, width: 100, height: 100 };
  const c0 = placeCurve([pt(0.9, 1, 0.5), pt(0.1, 100, 0)], a, box);
  const c1 = placeCurve([pt(0.7, 10, 0.2)], a, box);
  const hit = nearestPoint([c0, c1], 48, 78, 10);
  assert.equal(hit?.curve, 1);
  assert.equal(hit?.at.point.threshold, 0.7);
  assert.equal(nearestPoint([c0, c1], 2, 52, 10)?.at.point.threshold, 0.9);
  assert.equal(nearestPoint([c0, c1], 30, 20, 10), undefined);
});

test('labels and order: tick labels, times, events by recording then time', () => {
  assert.deepEqual([0.01, 0.1, 1, 10, 1000].map(rateLabel), ['0.01', '0.1', '1', '10', '1k']);
  assert.equal(fmtTime(75.25), '1:15.3');
  assert.equal(fmtTime(3.04), '0:03.0');
  const ev = (rel: string, timeSec: number) => ({ path: '/x/' + rel, rel, label: 'yes', timeSec });
  assert.deepEqual(
    sortEvents([ev('b.wav', 1), ev('a.wav', 9), ev('a.wav', 2)]).map((e) => `${e.rel}@${e.timeSec}`),
    ['a.wav@2', 'a.wav@9', 'b.wav@1'],
  );
});

test("envelopePath: steps right then down between envelope points, then on to the curve's end", () => {
  const p = (x: number, y: number) => ({ x, y, point: pt(0.5, 0, 0) });
  assert.deepEqual(envelopePath([p(0, 10), p(5, 20), p(9, 30)], 12), [
    { x: 0, y: 10 },
    { x: 5, y: 10 },
    { x: 5, y: 20 },
    { x: 9, y: 20 },
    { x: 9, y: 30 },
    { x: 12, y: 30 },
  ]);
  // One point (a keyword never missed): a flat line to the end.
  assert.deepEqual(envelopePath([p(0, 50)], 7), [
    { x: 0, y: 50 },
    { x: 7, y: 50 },
  ]);
  assert.deepEqual(envelopePath([], 7), []);
});
