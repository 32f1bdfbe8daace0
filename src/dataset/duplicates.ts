import type { Neighbours } from './knn';

/** cleanlab Datalab's near_duplicate threshold: a pair is near when closer than 0.13 x the median nearest-neighbour distance. */
export const NEAR_DUPLICATE_FACTOR = 0.13;

/** A group of copies: rows of the input. */
export interface DuplicateGroup {
  kind: 'exact' | 'near';
  rows: number[];
  /** Largest embedding distance of the pairs that joined the group (0 for exact copies). */
  distance: number;
  /** Near groups: which checks joined it (the embedding's cosine, the shift-tolerant features' one). */
  found?: NearCheck[];
  /** Largest shift distance of the pairs the shift check joined. */
  shiftDistance?: number;
  /** The rows do not all have one label / one split. */
  crossLabel: boolean;
  crossSplit: boolean;
}

/** The near-copy checks: the embedding's cosine distance, and shiftMatch.ts's on the features. */
export type NearCheck = 'embedding' | 'shift';

/** The shift check's pairs (indices into the kNN search's rows, two a pair) and the ones it calls copies. */
export interface ShiftPairs {
  pairs: Int32Array;
  distance: Float32Array;
  threshold: number;
  /** The embedding's cosine distance of kNN rows a and b (a shift-found group reports it too). */
  embeddingDistance: (a: number, b: number) => number;
}

/** Union-find over n items (path halving, union by size). */
class DisjointSets {
  private parent: Int32Array;
  private size: Int32Array;
  constructor(n: number) {
    this.parent = Int32Array.from({ length: n }, (_, i) => i);
    this.size = new Int32Array(n).fill(1);
  }
  find(a: number): number {
    while (this.parent[a] !== a) {
      this.parent[a] = this.parent[this.parent[a]];
      a = this.parent[a];
    }
    return a;
  }
  union(a: number, b: number): void {
    let x = this.find(a);
    let y = this.find(b);
    if (x === y) return;
    if (this.size[x] < this.size[y]) [x, y] = [y, x];
    this.parent[y] = x;
    this.size[x] += this.size[y];
  }
}

/** Median of each row's nearest-neighbour distance (rows without a neighbour left out). */
export function medianNearestDistance(nn: Neighbours): number {
  const d: number[] = [];
  for (let i = 0; i * nn.k < nn.distance.length; i++)
    if (Number.isFinite(nn.distance[i * nn.k])) d.push(nn.distance[i * nn.k]);
  if (!d.length) return 0;
  d.sort((a, b) => a - b);
  const m = d.length >> 1;
  return d.length % 2 ? d[m] : (d[m - 1] + d[m]) / 2;
}

/**
 * Groups of copies: exact ones by content hash, near ones by joining every neighbour pair closer
 * than `threshold`, and every pair of `shift` under its threshold (pairs of identical content are
 * exact, not near). `rows[i]` is the input row of
 * the kNN search's i-th row. Groups across labels or splits first, then exact before near, closest first.
 */
export function findDuplicates(
  hashes: (string | undefined)[],
  labels: (string | undefined)[],
  splits: (string | undefined)[],
  nn: Neighbours | undefined,
  rows: Int32Array,
  threshold: number,
  shift?: ShiftPairs,
): DuplicateGroup[] {
  const groups: DuplicateGroup[] = [];
  const cross = (members: number[]) => ({
    crossLabel: new Set(members.map((r) => labels[r])).size > 1,
    crossSplit: new Set(members.map((r) => splits[r])).size > 1,
  });
  const byHash = new Map<string, number[]>();
  hashes.forEach((h, r) => {
    if (!h) return;
    const g = byHash.get(h);
    if (g) g.push(r);
    else byHash.set(h, [r]);
  });
  for (const members of byHash.values())
    if (members.length > 1) groups.push({ kind: 'exact', rows: members, distance: 0, ...cross(members) });
  if (nn) {
    const sets = new DisjointSets(rows.length);
    const joined = new Float64Array(rows.length);
    const joinedShift = new Float64Array(rows.length);
    // Bit 1: linked by the embedding check, bit 2: by the shift check.
    const linked = new Uint8Array(rows.length);
    const link = (a: number, b: number, dist: number, check: number, shift = 0) => {
      sets.union(a, b);
      for (const i of [a, b]) {
        linked[i] |= check;
        joined[i] = Math.max(joined[i], dist);
        joinedShift[i] = Math.max(joinedShift[i], shift);
      }
    };
    for (let i = 0; i < rows.length; i++) {
      for (let j = 0; j < nn.k; j++) {
        const b = nn.index[i * nn.k + j];
        const dist = nn.distance[i * nn.k + j];
        if (b < 0 || !(dist < threshold)) break;
        const ha = hashes[rows[i]];
        if (ha && ha === hashes[rows[b]]) continue;
        link(i, b, dist, 1);
      }
    }
    if (shift)
      for (let p = 0; p < shift.distance.length; p++) {
        const d = shift.distance[p];
        if (!(d < shift.threshold)) continue;
        const a = shift.pairs[2 * p];
        const b = shift.pairs[2 * p + 1];
        link(a, b, shift.embeddingDistance(a, b), 2, d);
      }
    const members = new Map<number, number[]>();
    for (let i = 0; i < rows.length; i++) {
      if (!linked[i]) continue;
      const root = sets.find(i);
      const g = members.get(root);
      if (g) g.push(i);
      else members.set(root, [i]);
    }
    for (const m of members.values()) {
      if (m.length < 2) continue;
      const rs = m.map((i) => rows[i]);
      const distance = m.reduce((x, i) => Math.max(x, joined[i]), 0);
      const how = m.reduce((x, i) => x | linked[i], 0);
      const found: NearCheck[] = [];
      if (how & 1) found.push('embedding');
      if (how & 2) found.push('shift');
      const sd = m.reduce((x, i) => Math.max(x, joinedShift[i]), 0);
      groups.push({
        kind: 'near',
        rows: rs,
        distance,
        found,
        ...(how & 2 ? { shiftDistance: sd } : {}),
        ...cross(rs),
      });
    }
  }
  const rank = (g: DuplicateGroup) => (g.crossLabel || g.crossSplit ? 0 : 2) + (g.kind === 'exact' ? 0 : 1);
  return groups.sort((a, b) => rank(a) - rank(b) || a.distance - b.distance || a.rows[0] - b.rows[0]);
}
