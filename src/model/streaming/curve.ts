import type { KeywordTrack, TruthIndex } from './rules';

/**
 * Counts of one recording per keyword, packed: [hits, falseAccepts, repeats] for keyword 0, then 1, ...
 * (keywords in the model's label order, _silence_/_unknown_ left out).
 */
export type PackedCounts = Int32Array;

/** How a recording's counts change as the threshold rises: counts at threshold 0, then changes. */
export interface RecordingCurve {
  /** Counts when every window is eligible (any threshold <= the lowest score). */
  initial: PackedCounts;
  /** At `threshold` the counts are those before this change; just above it, plus `delta`. Ascending. */
  changes: { threshold: number; delta: PackedCounts }[];
}

const HIT = 0;
const FA = 1;
const REPEAT = 2;

/**
 * Every threshold at which a count of the recording changes, exactly, without running the rules
 * once per threshold (10 hours are 360,000 windows, hence as many candidate thresholds).
 * Why hand-written: this is the rules' own algorithm, no library has it.
 *
 * The detections at threshold θ are the greedy chain over the windows with score >= θ (each the
 * first eligible window >= suppression after the previous). Raising θ past a score removes those
 * windows; removing one that is not in the chain changes nothing (no chain step chose it), removing
 * a chain member re-runs the greedy chain from the detection before it until it meets the old chain
 * again. Outcomes change only in the clusters (TruthIndex) whose detections changed.
 */
export function recordingCurve(
  track: KeywordTrack,
  labels: readonly string[],
  keywordOf: Int32Array,
  truth: TruthIndex,
  suppressionMs: number,
): RecordingCurve {
  const n = track.score.length;
  const nk = Math.max(0, ...Array.from(keywordOf)) + 1;
  const counts = new Int32Array(3 * nk);
  const clusterOf = new Int32Array(n);
  for (let i = 0; i < n; i++) clusterOf[i] = truth.clusterOf(labels[track.label[i]], track.endMs[i]);
  const clusterKw = truth.clusters.map((c) => keywordOf[labels.indexOf(c.label)]);
  const clusterDets: number[][] = truth.clusters.map(() => []);
  const clusterHits = new Int32Array(truth.clusters.length);
  const dirty = new Set<number>();

  // Eligible windows: parent[i] = i while i is eligible; find(i) = first eligible index >= i (n: none).
  const parent = new Int32Array(n + 1);
  for (let i = 0; i <= n; i++) parent[i] = i;
  const find = (i: number): number => {
    let r = i;
    while (parent[r] !== r) r = parent[r];
    while (parent[i] !== r) {
      const up = parent[i];
      parent[i] = r;
      i = up;
    }
    return r;
  };
  /** First window index whose end is >= ms. */
  const firstAtOrAfter = (ms: number): number => {
    let lo = 0;
    let hi = n;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (track.endMs[mid] < ms) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };

  // The chain of detections: a doubly linked list over window indices.
  const next = new Int32Array(n).fill(-1);
  const prev = new Int32Array(n).fill(-1);
  const isDet = new Uint8Array(n);
  let head = -1;
  const add = (i: number, after: number) => {
    const nx = after < 0 ? head : next[after];
    next[i] = nx;
    prev[i] = after;
    if (nx >= 0) prev[nx] = i;
    if (after < 0) head = i;
    else next[after] = i;
    isDet[i] = 1;
    const c = clusterOf[i];
    if (c < 0) counts[3 * keywordOf[track.label[i]] + FA]++;
    else {
      const list = clusterDets[c];
      let at = list.length;
      while (at > 0 && list[at - 1] > i) at--;
      list.splice(at, 0, i);
      dirty.add(c);
    }
  };
  const remove = (i: number) => {
    const nx = next[i];
    const pv = prev[i];
    if (pv < 0) head = nx;
    else next[pv] = nx;
    if (nx >= 0) prev[nx] = pv;
    isDet[i] = 0;
    const c = clusterOf[i];
    if (c < 0) counts[3 * keywordOf[track.label[i]] + FA]--;
    else {
      const list = clusterDets[c];
      list.splice(list.indexOf(i), 1);
      dirty.add(c);
    }
  };
  /** Re-runs the greedy chain after detection `cur` (-1: from the start) until it meets the old chain. */
  const repair = (cur: number) => {
    for (;;) {
      const from = cur < 0 ? 0 : firstAtOrAfter(track.endMs[cur] + suppressionMs);
      const j = from < n ? find(from) : n;
      let o = cur < 0 ? head : next[cur];
      while (o >= 0 && o < j) {
        const on = next[o];
        remove(o);
        o = on;
      }
      if (j >= n || o === j) return;
      add(j, cur);
      cur = j;
    }
  };
  /** Re-matches the clusters whose detections changed; a cluster's detections are hits or repeats. */
  const clusterReps = new Int32Array(truth.clusters.length);
  const settle = () => {
    for (const c of dirty) {
      const kw = 3 * clusterKw[c];
      const dets = clusterDets[c];
      const times = dets.map((i) => track.endMs[i]);
      const hits = truth.matchCluster(c, times).filter((w) => w >= 0).length;
      const reps = dets.length - hits;
      counts[kw + HIT] += hits - clusterHits[c];
      counts[kw + REPEAT] += reps - clusterReps[c];
      clusterHits[c] = hits;
      clusterReps[c] = reps;
    }
    dirty.clear();
  };

  repair(-1);
  settle();
  const initial = counts.slice();
  const changes: RecordingCurve['changes'] = [];
  const order = new Uint32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  order.sort((a, b) => track.score[a] - track.score[b] || a - b);
  for (let g = 0; g < n;) {
    const s = track.score[order[g]];
    let h = g;
    const removed: number[] = [];
    for (; h < n && track.score[order[h]] === s; h++) {
      const i = order[h];
      parent[i] = i + 1;
      if (isDet[i]) removed.push(i);
    }
    g = h;
    if (!removed.length) continue;
    const before = counts.slice();
    removed.sort((a, b) => a - b);
    for (const d of removed) if (isDet[d]) repair(prev[d]);
    settle();
    const delta = counts.map((v, k) => v - before[k]);
    if (delta.some((v) => v !== 0)) changes.push({ threshold: s, delta });
  }
  return { initial, changes };
}
