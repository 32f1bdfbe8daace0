// The map as it crosses to the dataset page: labels indexed in order of first appearance, coordinates
// interleaved, suspects and duplicate groups named by point index (groups with fewer than two points on
// the map dropped: a clip without an embedding has no point).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { datasetMap } from '../../../src/dataset/datasetMap';
import { mapChecksum } from '../../../src/protocol/dataset';

const review = {
  map: {
    method: 'umap' as const,
    fitted: 4,
    points: [
      { path: '/d/yes/a.wav', label: 'yes', x: 1, y: 2 },
      { path: '/d/no/b.wav', label: 'no', x: -1, y: 0.5 },
      { path: '/d/yes/c.wav', label: 'yes', x: 3, y: -2 },
      { path: '/d/no/d.wav', label: 'no', x: 0, y: 0 },
    ],
  },
  suspects: [
    { path: '/d/no/d.wav', label: 'no', suggested: 'yes', score: 0.9, method: 'cl' },
    { path: '/d/no/gone.wav', label: 'no', suggested: 'yes', score: 0.8, method: 'cl' },
  ],
  duplicates: [
    {
      kind: 'exact' as const,
      paths: ['/d/yes/a.wav', '/d/no/b.wav'],
      distance: 0,
      labels: [],
      crossLabel: true,
      crossSplit: false,
    },
    {
      kind: 'near' as const,
      paths: ['/d/yes/c.wav', '/d/no/gone.wav'],
      distance: 0.01,
      labels: [],
      crossLabel: true,
      crossSplit: false,
    },
  ],
};

test('datasetMap indexes labels and points, keeps only what is on the map', () => {
  const m = datasetMap(review)!;
  assert.equal(m.method, 'umap');
  assert.equal(m.fitted, 4);
  assert.deepEqual(m.labels, ['yes', 'no']);
  assert.deepEqual([...m.label], [0, 1, 0, 1]);
  assert.deepEqual([...m.xy], [1, 2, -1, 0.5, 3, -2, 0, 0]);
  assert.deepEqual(
    m.paths,
    review.map.points.map((p) => p.path),
  );
  assert.deepEqual(m.suspects, [{ i: 3, suggested: 'yes', score: 0.9 }]);
  assert.deepEqual(m.duplicates, [{ kind: 'exact', members: [0, 1] }]);
  assert.equal(mapChecksum(m.xy), 1 + 4 - 1 + 1 + 3 - 4 + 0);
  assert.equal(datasetMap({ ...review, map: undefined }), undefined);
});
