/**
 * Pure logic of the dataset view: duration histograms (0.1 s bins), label ordering, the splits
 * table, problems grouped by kind, and duplicate-group flags. No DOM here (unit-tested under Node).
 */
import type { DatasetView, ProblemKind } from '../../src/dataset/datasetView';

/** Histogram bin width in seconds. */
export const BIN_SEC = 0.1;

/** A histogram over a shared range: bin i covers [startSec + i*BIN_SEC, startSec + (i+1)*BIN_SEC). */
export interface Histogram {
  startSec: number;
  counts: number[];
}

/** Bin index of a duration (in whole bins from 0 s), robust to float error (1.0 s is bin 10, not 9). */
export function binOf(sec: number, width = BIN_SEC): number {
  return Math.floor(sec / width + 1e-9);
}

/** The bin range [first, last] covering every duration of every label, or null when there are none. */
export function durationRange(
  lists: readonly (readonly number[])[],
  width = BIN_SEC,
): { first: number; last: number } | null {
  let first = Infinity;
  let last = -Infinity;
  for (const l of lists)
    for (const d of l) {
      if (!Number.isFinite(d)) continue;
      const b = binOf(d, width);
      if (b < first) first = b;
      if (b > last) last = b;
    }
  return first <= last ? { first, last } : null;
}

/** Counts of durations per bin over [first, last] (durations outside are clamped to the ends). */
export function histogram(
  durations: readonly number[],
  first: number,
  last: number,
  width = BIN_SEC,
): Histogram {
  const counts = new Array<number>(Math.max(0, last - first + 1)).fill(0);
  for (const d of durations) {
    if (!Number.isFinite(d) || counts.length === 0) continue;
    const b = Math.max(first, Math.min(last, binOf(d, width)));
    counts[b - first]++;
  }
  return { startSec: first * width, counts };
}

/** Median of a list (NaN when empty). */
export function median(xs: readonly number[]): number {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/** Labels by clip count, largest first, then by name. */
export function labelsByCount(labels: DatasetView['labels']): DatasetView['labels'] {
  return [...labels].sort(
    (a, b) => b.count - a.count || (a.label < b.label ? -1 : a.label > b.label ? 1 : 0),
  );
}

/** One row of the splits table. */
export interface SplitRow {
  label: string;
  training: number;
  validation: number;
  testing: number;
  total: number;
  validationPct: number;
  testingPct: number;
}

/** The splits per label (every label seen in any split or in `labels`), plus a totals row. */
export function splitRows(d: Pick<DatasetView, 'splits' | 'labels'>): { rows: SplitRow[]; totals: SplitRow } {
  const names = new Set<string>(d.labels.map((l) => l.label));
  for (const s of d.splits) for (const l of Object.keys(s.perLabel)) names.add(l);
  const get = (name: 'training' | 'validation' | 'testing', label: string) =>
    d.splits.find((s) => s.name === name)?.perLabel[label] ?? 0;
  const make = (label: string, training: number, validation: number, testing: number): SplitRow => {
    const total = training + validation + testing;
    return {
      label,
      training,
      validation,
      testing,
      total,
      validationPct: total ? validation / total : 0,
      testingPct: total ? testing / total : 0,
    };
  };
  const rows = [...names]
    .sort()
    .map((l) => make(l, get('training', l), get('validation', l), get('testing', l)));
  const sum = (k: 'training' | 'validation' | 'testing') => rows.reduce((a, r) => a + r[k], 0);
  return { rows, totals: make('all', sum('training'), sum('validation'), sum('testing')) };
}

/** True when a split share is far (more than `tolerance`, absolute) from the configured percent. */
export function offTarget(share: number, targetPercent: number, tolerance = 0.03): boolean {
  return Math.abs(share - targetPercent / 100) > tolerance;
}

/** Problems of one kind. */
export interface ProblemGroup {
  kind: ProblemKind;
  items: DatasetView['problems'];
}

/** Problems grouped by kind, largest group first (ties by kind name); items keep their order. */
export function groupProblems(problems: DatasetView['problems']): ProblemGroup[] {
  const m = new Map<ProblemKind, DatasetView['problems']>();
  for (const p of problems) {
    const list = m.get(p.kind);
    if (list) list.push(p);
    else m.set(p.kind, [p]);
  }
  return [...m.entries()]
    .map(([kind, items]) => ({ kind, items }))
    .sort((a, b) => b.items.length - a.items.length || (a.kind < b.kind ? -1 : 1));
}

/** What is suspicious about a duplicate group: several labels (conflict) and/or several splits (leak). */
export function duplicateFlags(g: DatasetView['duplicates'][number]): {
  labelConflict: boolean;
  splitLeak: boolean;
} {
  return { labelConflict: new Set(g.labels).size > 1, splitLeak: new Set(g.splits).size > 1 };
}

/** Duplicate groups, the worst first: label conflicts, then split leaks, then by size. */
export function sortDuplicates(groups: DatasetView['duplicates']): DatasetView['duplicates'] {
  const score = (g: DatasetView['duplicates'][number]) => {
    const f = duplicateFlags(g);
    return (f.labelConflict ? 2 : 0) + (f.splitLeak ? 1 : 0);
  };
  return [...groups].sort((a, b) => score(b) - score(a) || b.paths.length - a.paths.length);
}

/** "Nice" axis maximum: 1, 2, 5 × 10^k at or above `x`. */
export function niceMax(x: number): number {
  if (x <= 0) return 1;
  const p = 10 ** Math.floor(Math.log10(x));
  for (const m of [1, 2, 5, 10]) if (m * p >= x) return m * p;
  return 10 * p;
}
