import { mcnemarExact, mcnemarWords } from './mcnemar';
import type { ClassMetrics } from './metrics';
import type { ClassifyReport } from './report';

/** Two models on the same clips (JSON of `wavebench compare`). */
export interface ModelComparison {
  models: { name: string; dir: string; accuracy: number; scored: number; perClass: ClassMetrics[] }[];
  /** Clips (scored by both, with the same true label) only A gets right, and only B. */
  flips: { onlyA: string[]; onlyB: string[] };
  /** Clips scored by both. */
  paired: number;
  /** McNemar's exact two-sided test on the two flip counts. */
  mcnemarP: number;
  /** The test's result in words. */
  verdict: string;
}

/** Pairs two classify reports of the same folder clip by clip. */
export function compareReports(
  a: ClassifyReport,
  b: ClassifyReport,
  names: [string, string],
): ModelComparison {
  const bRows = new Map(b.rows.map((r) => [r.path, r]));
  const onlyA: string[] = [];
  const onlyB: string[] = [];
  let paired = 0;
  for (const ra of a.rows) {
    const rb = bRows.get(ra.path);
    if (!rb || ra.correct === null || rb.correct === null || ra.label !== rb.label) continue;
    paired++;
    if (ra.correct && !rb.correct) onlyA.push(ra.path);
    else if (rb.correct && !ra.correct) onlyB.push(ra.path);
  }
  const p = mcnemarExact(onlyA.length, onlyB.length);
  return {
    models: [a, b].map((r, i) => ({
      name: names[i],
      dir: r.model.dir,
      accuracy: r.metrics.accuracy,
      scored: r.metrics.scored,
      perClass: r.metrics.perClass.filter((c) => c.support > 0),
    })),
    flips: { onlyA, onlyB },
    paired,
    mcnemarP: p,
    verdict: mcnemarWords(onlyA.length, onlyB.length, p, names),
  };
}
