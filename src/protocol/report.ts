/**
 * Every message between the extension host and the classification report page, both directions, and the validator its
 * host receives through: imported by both sides (host: src/vscode, browser: webview/).
 * Binary data crosses as an ArrayBuffer plus its shape.
 */
import { fields, parsePageToHost, type PageToHost } from './parse';

/** A classification report as the report view draws it. */
export interface ReportView {
  title: string;
  model: { name: string; dir: string; labels: string[] };
  rows: {
    path: string;
    rel: string;
    label: string | null;
    predicted: string | null;
    probability: number | null;
    correct: boolean | null;
    topK: { label: string; probability: number }[];
    error: string | null;
  }[];
  metrics: {
    labels: string[];
    confusion: number[][];
    accuracy: number;
    scored: number;
    correct: number;
    macroF1: number;
    perClass: { label: string; precision: number; recall: number; f1: number; support: number }[];
  };
  counts: {
    files: number;
    scored: number;
    unlabelled: number;
    errors: number;
    background: number;
    cached: number;
  };
  background: string[];
  problems: { path: string; error: string }[];
  timeSec: number;
  cancelled: boolean;
}

/** Host -> report webview. */
export type HostToReport = { type: 'init'; report: ReportView };

/**
 * Report webview -> host: the shared page messages, an export in a format, and "Compare with
 * another model..." (the same clips with a model the host asks for).
 */
export type ReportToHost = PageToHost | { type: 'export'; format: 'csv' | 'json' } | { type: 'compare' };

/** The report page's message if `raw` is a well-formed one, else undefined. */
export function parseReportToHost(raw: unknown): ReportToHost | undefined {
  const m = fields(raw);
  if (!m) return undefined;
  if (m.type === 'compare') return { type: 'compare' };
  if (m.type !== 'export') return parsePageToHost(m);
  return m.format === 'csv' || m.format === 'json' ? { type: 'export', format: m.format } : undefined;
}
