import { relative } from 'node:path';
import type { EvaluateReport } from '../engine/evaluateJob';
import { problemLine } from '../model/streaming/evaluation';
import type { CurveView, EvaluationView } from '../protocol/evaluation';

/**
 * An evaluation report as the evaluation page draws it: the overall curve then one per keyword that
 * has words (as the CLI's table: without words there is no FRR), the
 * false accepts and misses at each operating point's threshold, paths also relative to `root`.
 * Pure (no vscode), so the CLI's JSON can be turned into a page sample too.
 */
export function evaluationView(r: EvaluateReport, root: string, title: string): EvaluationView {
  const rel = (p: string) => relative(root, p) || p;
  const curve = (
    label: string,
    c: Pick<CurveView, 'words' | 'points'> & { operatingPoints?: CurveView['operatingPoints'] },
  ) => ({
    label,
    words: c.words,
    points: c.points,
    operatingPoints: c.operatingPoints ?? [],
  });
  return {
    title,
    model: { name: r.model.name, dir: r.model.dir },
    hours: r.hours,
    words: r.words,
    rules: r.rules,
    curves: [
      curve('all keywords', r),
      ...r.keywords.filter((k) => k.words > 0).map((k) => curve(k.label, k)),
    ],
    events: r.events.map((e) => ({
      threshold: e.threshold,
      falseAccepts: e.falseAccepts.map((f) => ({
        path: f.file,
        rel: rel(f.file),
        label: f.label,
        timeSec: f.timeSec,
        score: f.score,
      })),
      misses: e.misses.map((m) => ({
        path: m.file,
        rel: rel(m.file),
        label: m.label,
        timeSec: m.startSec,
        endSec: m.endSec,
      })),
    })),
    recordings: r.recordings.length,
    skipped: r.skipped,
    truthProblems: r.truthProblems.map(problemLine),
    timeSec: r.timeSec,
    cancelled: r.cancelled,
  };
}
