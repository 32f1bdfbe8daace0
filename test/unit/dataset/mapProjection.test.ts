// The dataset map's projection: seeded (the same input and seed give the same coordinates), keeps
// clusters of the embedding together on the map, and, above its fitting size, places the clips it
// was not fitted on (umap-js transform) beside their own cluster.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { gaussian, rng } from '../../../src/dataset/linalg';
import { normalizeRows } from '../../../src/dataset/knn';
import { projectMap, UMAP_MIN } from '../../../src/dataset/mapProjection';

const D = 32;
/** `per` unit rows around each of `k` random centres (spread 0.15 of the centre distance), cluster of row i: i % k. */
function clusters(k: number, per: number, seed = 11) {
  const g = gaussian(rng(seed));
  const centres = Array.from({ length: k }, () => Float32Array.from({ length: D }, () => g()));
  const n = k * per;
  const data = new Float32Array(n * D);
  for (let i = 0; i < n; i++) for (let j = 0; j < D; j++) data[i * D + j] = centres[i % k][j] + 0.15 * g();
  normalizeRows(data, D);
  return { data, n, cluster: (i: number) => i % k };
}

/** Share of each point's 10 nearest on the map that are of its own cluster (over `probe` rows). */
function mapPurity(
  x: Float32Array,
  y: Float32Array,
  cluster: (i: number) => number,
  probe: number[],
): number {
  let same = 0;
  for (const i of probe) {
    const near = Array.from(x, (_, j) => j)
      .filter((j) => j !== i)
      .sort((a, b) => Math.hypot(x[a] - x[i], y[a] - y[i]) - Math.hypot(x[b] - x[i], y[b] - y[i]))
      .slice(0, 10);
    same += near.filter((j) => cluster(j) === cluster(i)).length;
  }
  return same / (10 * probe.length);
}

const all = (n: number) => Int32Array.from({ length: n }, (_, i) => i);

test('UMAP map: two runs with one seed give the same coordinates, another seed others', () => {
  const { data, n } = clusters(3, 40);
  const a = projectMap(data, D, all(n), { seed: 4 });
  const b = projectMap(data, D, all(n), { seed: 4 });
  const c = projectMap(data, D, all(n), { seed: 5 });
  assert.equal(a.method, 'umap');
  assert.deepEqual(a.x, b.x);
  assert.deepEqual(a.y, b.y);
  assert.notDeepEqual(a.x, c.x);
  assert.ok(a.x.every(Number.isFinite) && a.y.every(Number.isFinite));
});

test('UMAP map keeps clusters of the embedding together; PCA keeps them less (random centres in 32-d)', () => {
  const { data, n, cluster } = clusters(12, 20);
  const rows = all(n);
  const u = projectMap(data, D, rows, { seed: 1 });
  const p = projectMap(data, D, rows, { method: 'pca' });
  const probe = Array.from({ length: 80 }, (_, k) => k * 3);
  const pu = mapPurity(u.x, u.y, cluster, probe);
  const pp = mapPurity(p.x, p.y, cluster, probe);
  assert.equal(p.method, 'pca');
  assert.ok(pu >= 0.95, `UMAP: ${pu} of map neighbours in the same cluster`);
  assert.ok(pu > pp, `UMAP ${pu} vs PCA ${pp}`);
});

test('above fitMax the map is fitted on a seeded sample and the rest placed by transform, beside their cluster', () => {
  const { data, n, cluster } = clusters(4, 60);
  const a = projectMap(data, D, all(n), { seed: 2, fitMax: 100 });
  const b = projectMap(data, D, all(n), { seed: 2, fitMax: 100 });
  assert.equal(a.fitted, 100);
  assert.deepEqual(a.x, b.x, 'fit + transform is seeded too');
  const purity = mapPurity(
    a.x,
    a.y,
    cluster,
    Array.from({ length: 80 }, (_, k) => k * 3),
  );
  assert.ok(purity >= 0.9, `${purity} of map neighbours in the same cluster`);
});

test(`below ${UMAP_MIN} clips the map is PCA, with each axis' share of the variance`, () => {
  const { data } = clusters(2, 15);
  const m = projectMap(data, D, all(UMAP_MIN - 1));
  assert.equal(m.method, 'pca');
  assert.ok(m.explained && m.explained[0] >= m.explained[1] && m.explained[0] > 0);
  assert.equal(m.x.length, UMAP_MIN - 1);
});
