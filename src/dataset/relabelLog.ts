/** The relabel log's columns (relabel.csv beside the dataset's lists, and the exported decisions). */
export const RELABEL_CSV_HEADER = 'path,from,to,score,time';

/** One decision or move as the log keeps it: the clip's path relative to the dataset, labels, when. */
export interface RelabelEntry {
  /** Relative to the dataset folder, '/'-separated (as validation_list.txt names clips). */
  path: string;
  from: string;
  to: string;
  score?: number;
  /** ISO 8601. */
  time: string;
}

const field = (s: string) => (/[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);

/** One CSV line (no newline) of `e`. */
export function relabelCsvLine(e: RelabelEntry): string {
  return [e.path, e.from, e.to, e.score === undefined ? '' : String(e.score), e.time].map(field).join(',');
}

/** A whole CSV (header + one line an entry). */
export function relabelCsv(entries: RelabelEntry[]): string {
  return [RELABEL_CSV_HEADER, ...entries.map(relabelCsvLine)].join('\n') + '\n';
}
