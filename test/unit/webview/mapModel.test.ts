// The dataset map's pure logic: the view transform, the grid index's hits against a scan of every
// point, and lasso selection against point-in-polygon over every point.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { rng } from '../../../src/dataset/linalg';
import {
  boundsOf,
  fitView,
  GridIndex,
  inPolygon,
  lassoSelect,
  panBy,
  toData,
  toScreen,
  zoomAt,
} from '../../../webview/dataset/mapModel';

/** n points: half in a tight blob, half spread (uneven density, as real maps are). */
function points(n: number, seed = 3): Float32Array {
  const r = rng(seed);
  return Float32Array.from({ length: 2 * n }, (_, k) => ((k >> 1) % 2 ? 3 + 0.2 * r() : 20 * r() - 10));
}

test('fitView shows every point inside the box; toData inverts toScreen; y points up', () => {
  const xy = points(500);
  const v = fitView(xy, 600, 400, 16);
  for (let i = 0; i < 500; i++) {
    const [sx, sy] = toScreen(v, xy[2 * i], xy[2 * i + 1]);
    assert.ok(sx >= 15.99 && sx <= 584.01 && sy >= 15.99 && sy <= 384.01, `${sx},${sy}`);
    const [x, y] = toData(v, sx, sy);
    assert.ok(Math.abs(x - xy[2 * i]) < 1e-4 && Math.abs(y - xy[2 * i + 1]) < 1e-4);
  }
  assert.ok(toScreen(v, 0, 1)[1] < toScreen(v, 0, 0)[1]);
  assert.deepEqual(boundsOf([2, 5]), { x0: 1.5, y0: 4.5, x1: 2.5, y1: 5.5 });
});

test('zoomAt keeps the point under the cursor fixed; panBy moves everything by the drag', () => {
  const v = fitView(points(100), 640, 480);
  const before = toData(v, 123, 77);
  const z = zoomAt(v, 2.5, 123, 77);
  const after = toData(z, 123, 77);
  assert.ok(Math.abs(before[0] - after[0]) < 1e-9 && Math.abs(before[1] - after[1]) < 1e-9);
  assert.equal(z.scale, v.scale * 2.5);
  const p = panBy(z, 10, -4);
  const [sx, sy] = toScreen(p, 1, 1);
  const [ox, oy] = toScreen(z, 1, 1);
  assert.ok(Math.abs(sx - ox - 10) < 1e-9 && Math.abs(sy - oy + 4) < 1e-9);
});

test('GridIndex.nearest equals the nearest point by a scan of all of them, within the radius, visible only', () => {
  const n = 3000;
  const xy = points(n);
  const grid = new GridIndex(xy);
  const r = rng(9);
  const visible = (i: number) => i % 5 !== 0;
  for (let q = 0; q < 400; q++) {
    const x = 24 * r() - 12;
    const y = 24 * r() - 12;
    const radius = [0.05, 0.3, 2][q % 3];
    let best = -1;
    let bestD = radius * radius;
    for (let i = 0; i < n; i++) {
      if (!visible(i)) continue;
      const d = (xy[2 * i] - x) ** 2 + (xy[2 * i + 1] - y) ** 2;
      if (d < bestD || (d === bestD && best >= 0 && i < best) || (d <= bestD && best < 0)) {
        best = i;
        bestD = d;
      }
    }
    assert.equal(grid.nearest(x, y, radius, visible), best, `query ${q} (${x}, ${y}) r=${radius}`);
  }
});

test('inPolygon on a square and a concave U', () => {
  const square = [0, 0, 4, 0, 4, 4, 0, 4];
  assert.ok(inPolygon(square, 2, 2));
  assert.ok(!inPolygon(square, 5, 2));
  assert.ok(!inPolygon(square, -0.1, 2));
  const u = [0, 0, 6, 0, 6, 6, 4, 6, 4, 2, 2, 2, 2, 6, 0, 6];
  assert.ok(inPolygon(u, 1, 5));
  assert.ok(inPolygon(u, 5, 5));
  assert.ok(!inPolygon(u, 3, 4), 'the notch of the U is outside');
  assert.ok(inPolygon(u, 3, 1));
});

test('lassoSelect equals inPolygon over every visible point (a concave star)', () => {
  const n = 5000;
  const xy = points(n, 4);
  const grid = new GridIndex(xy);
  const star: number[] = [];
  for (let k = 0; k < 10; k++) {
    const a = (k * Math.PI) / 5;
    const rad = k % 2 ? 2.5 : 7;
    star.push(1 + rad * Math.cos(a), 2 + rad * Math.sin(a));
  }
  const visible = (i: number) => i % 3 !== 1;
  const expect: number[] = [];
  for (let i = 0; i < n; i++) if (visible(i) && inPolygon(star, xy[2 * i], xy[2 * i + 1])) expect.push(i);
  const got = lassoSelect(grid, xy, star, visible);
  assert.ok(expect.length > 100, `${expect.length} points inside`);
  assert.deepEqual(got, expect);
  assert.deepEqual(lassoSelect(grid, xy, [0, 0, 1, 1]), [], 'two vertices enclose nothing');
});
