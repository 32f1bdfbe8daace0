import type { FileClassification, Scored } from './classifier';
import { computeMetrics, type RunMetrics } from './metrics';

/** One row of a classification report (CSV/JSON). */
export interface ReportRow {
  path: string;
  label: string | null;
  predicted: string | null;
  probability: number | null;
  correct: boolean | null;
  topK: Scored[];
  error: string | null;
  durationSec?: number;
  warnings?: string[];
  windows?: FileClassification['windows'];
  detections?: FileClassification['detections'];
}

/** A whole run. */
export interface ClassifyReport {
  model: { name: string; dir: string; labels: string[]; hash: string };
  rows: ReportRow[];
  metrics: RunMetrics;
  counts: { files: number; scored: number; unlabelled: number; errors: number; background: number };
  background: string[];
  problems: { path: string; error: string }[];
  timeSec: number;
  cancelled: boolean;
  /** What computed it: the TF.js backend and the feature engine ('wasm' or 'js') of the workers. */
  engine?: { backend: string; features: string; warning?: string };
}

/** A report row from a classification and the file's true label (if any). */
export function toRow(c: FileClassification, label: string | undefined): ReportRow {
  const top = c.top ?? [];
  const predicted = c.error ? null : (top[0]?.label ?? null);
  return {
    path: c.path,
    label: label ?? null,
    predicted,
    probability: c.error ? null : (top[0]?.probability ?? null),
    correct: label && predicted ? label === predicted : null,
    topK: top,
    error: c.error ?? null,
    durationSec: c.durationSec,
    warnings: c.warnings,
    windows: c.windows,
    detections: c.detections,
  };
}

/** Builds the report: metrics over rows that have a label and a prediction. */
export function buildReport(
  model: ClassifyReport['model'],
  rows: ReportRow[],
  extra: {
    background: string[];
    problems: { path: string; error: string }[];
    timeSec: number;
    cancelled: boolean;
  },
): ClassifyReport {
  const scoredRows = rows.filter((r) => r.label && r.predicted) as { label: string; predicted: string }[];
  return {
    model,
    rows,
    metrics: computeMetrics(model.labels, scoredRows),
    counts: {
      files: rows.length,
      scored: scoredRows.length,
      unlabelled: rows.filter((r) => !r.label).length,
      errors: rows.filter((r) => r.error).length,
      background: extra.background.length,
    },
    ...extra,
  };
}

function csvCell(v: string): string {
  return /[",\n\r]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v;
}

/** CSV: path,label,predicted,probability,correct,top_k,error (top_k as label:prob|label:prob). */
export function toCsv(report: ClassifyReport): string {
  const lines = ['path,label,predicted,probability,correct,top_k,error'];
  for (const r of report.rows) {
    lines.push(
      [
        r.path,
        r.label ?? '',
        r.predicted ?? '',
        r.probability === null ? '' : r.probability.toFixed(6),
        r.correct === null ? '' : String(r.correct),
        r.topK.map((t) => `${t.label}:${t.probability.toFixed(6)}`).join('|'),
        r.error ?? '',
      ]
        .map(csvCell)
        .join(','),
    );
  }
  return lines.join('\n') + '\n';
}

/** JSON: the same rows (top_k as an array) plus metrics and counts. */
export function toJson(report: ClassifyReport): string {
  return JSON.stringify(
    {
      ...report,
      rows: report.rows.map((r) => ({
        path: r.path,
        label: r.label,
        predicted: r.predicted,
        probability: r.probability,
        correct: r.correct,
        top_k: r.topK,
        error: r.error,
        ...(r.durationSec !== undefined ? { duration_sec: r.durationSec } : {}),
        ...(r.warnings ? { warnings: r.warnings } : {}),
        ...(r.detections ? { detections: r.detections } : {}),
      })),
    },
    null,
    1,
  );
}
