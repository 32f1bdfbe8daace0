import { relative } from 'node:path';
import type { EvaluateReport } from '../engine/evaluateJob';
import { problemLine, type ThresholdEvents } from '../model/streaming/evaluation';
import type { CurveView, EvaluationView, EventsView } from '../protocol/evaluation';

/** One threshold's events as the page lists them, paths also relative to `root`. */
export function eventsView(e: ThresholdEvents, root: string): EventsView {
  const rel = (p: string) => relative(root, p) || p;
  return {
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
  };
}

/** The threshold the page lists events at first: the first operating point's, else nearest 1 FA/h, else 0.5. */
export function defaultThreshold(r: Pick<EvaluateReport, 'events' | 'points'>): number {
  if (r.events.length) return r.events[0].threshold;
  let best: { threshold: number; faPerHour: number } | undefined;
  for (const p of r.points)
    if (!best || Math.abs(Math.log(p.faPerHour || 1e-3)) < Math.abs(Math.log(best.faPerHour || 1e-3)))
      best = p;
  return best ? best.threshold : 0.5;
}

/**
 * An evaluation report as the evaluation page draws it: the overall curve then one per keyword that
 * has words (as the CLI's table: without words there is no FRR), the
 * false accepts and misses at each operating point's threshold, paths also relative to `root`.
 * Pure (no vscode), so the CLI's JSON can be turned into a page sample too.
 */
export function evaluationView(r: EvaluateReport, root: string, title: string): EvaluationView {
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
    events: r.events.map((e) => eventsView(e, root)),
    threshold: defaultThreshold(r),
    windowMs: r.windowMs,
    recordings: r.recordings.length,
    skipped: r.skipped,
    truthProblems: r.truthProblems.map(problemLine),
    timeSec: r.timeSec,
    cancelled: r.cancelled,
  };
}
