import type { DatasetMap } from './datasetView';
import type { ReviewResult } from './review';

/** The map of a review (undefined when it has none). */
export function datasetMap(r: Pick<ReviewResult, 'map' | 'suspects' | 'duplicates'>): DatasetMap | undefined {
  const m = r.map;
  if (!m) return undefined;
  const n = m.points.length;
  const labels: string[] = [];
  const labelIndex = new Map<string, number>();
  const label = new Uint16Array(n);
  const xy = new Float32Array(2 * n);
  const index = new Map<string, number>();
  m.points.forEach((p, i) => {
    let l = labelIndex.get(p.label);
    if (l === undefined) {
      l = labels.length;
      labels.push(p.label);
      labelIndex.set(p.label, l);
    }
    label[i] = l;
    xy[2 * i] = p.x;
    xy[2 * i + 1] = p.y;
    index.set(p.path, i);
  });
  const suspects = r.suspects.flatMap((s) => {
    const i = index.get(s.path);
    return i === undefined ? [] : [{ i, suggested: s.suggested, score: s.score }];
  });
  const duplicates = r.duplicates.flatMap((g) => {
    const members = g.paths.flatMap((p) => index.get(p) ?? []);
    return members.length > 1 ? [{ kind: g.kind, members }] : [];
  });
  return {
    method: m.method,
    ...(m.fitted !== undefined ? { fitted: m.fitted } : {}),
    ...(m.explained ? { explained: m.explained } : {}),
    labels,
    paths: m.points.map((p) => p.path),
    label,
    xy,
    suspects,
    duplicates,
  };
}
