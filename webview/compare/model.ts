// The Compare page's pure logic: per-class F1 side by side, the flip lists, the verdict's tone.
import type { CompareModel, CompareView } from '../../src/protocol/compare';
import { relativeTo } from '../common/relativePath';

/** One label's F1 under both models (null where a model has no clip of it) and B - A. */
export interface F1Row {
  label: string;
  a: number | null;
  b: number | null;
  /** B's F1 minus A's (null unless both have one). */
  diff: number | null;
  /** Clips of this label each model scored (null where it has none: a label it maps elsewhere). */
  supportA: number | null;
  supportB: number | null;
}

/** Every label either model scored, in A's order then B's new ones, with both F1s and the difference. */
export function f1Rows(models: CompareModel[]): F1Row[] {
  const [a, b] = models;
  const labels = [...new Set([...a.perClass, ...b.perClass].map((c) => c.label))];
  return labels.map((label) => {
    const ca = a.perClass.find((c) => c.label === label);
    const cb = b.perClass.find((c) => c.label === label);
    const fa = ca ? ca.f1 : null;
    const fb = cb ? cb.f1 : null;
    return {
      label,
      a: fa,
      b: fb,
      diff: fa !== null && fb !== null ? fb - fa : null,
      supportA: ca ? ca.support : null,
      supportB: cb ? cb.support : null,
    };
  });
}

/** A difference of two rates for people: signed, fixed digits ("+0.125", "−0.040", "0.000"). */
export function fmtDiff(d: number | null, digits = 3): string {
  if (d === null || !Number.isFinite(d)) return '–';
  const s = Math.abs(d).toFixed(digits);
  if (Number(s) === 0) return (0).toFixed(digits);
  return `${d > 0 ? '+' : '−'}${s}`;
}

/** Which model the test favours at the 5 % level: 'A', 'B', or null (no evidence of a difference). */
export function favoured(c: Pick<CompareView, 'flips' | 'mcnemarP'>): 'A' | 'B' | null {
  const { onlyA, onlyB } = c.flips;
  if (c.mcnemarP >= 0.05 || onlyA.length === onlyB.length) return null;
  return onlyB.length > onlyA.length ? 'B' : 'A';
}

/** A flip list's clips with their names relative to the compared folder, sorted by that name. */
export function flipList(paths: string[], root: string): { path: string; rel: string }[] {
  return paths
    .map((path) => ({ path, rel: relativeTo(path, root) }))
    .sort((x, y) => (x.rel < y.rel ? -1 : x.rel > y.rel ? 1 : 0));
}
