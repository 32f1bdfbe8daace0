/**
 * Pure logic of the report view: filtering, sorting and paging the clip table, the confusion
 * matrix's row-normalised fractions and cell selection, and the errors list. No DOM here (unit-tested
 * under Node).
 */
import type { ReportView } from '../../src/protocol/report';

/** One clip row of a report. */
export type ReportRow = ReportView['rows'][number];

/** The clip-table filters. Empty label/predicted mean "any"; probabilities are 0..1 or null (open). */
export interface RowFilter {
  label: string;
  predicted: string;
  wrongOnly: boolean;
  minProb: number | null;
  maxProb: number | null;
  search: string;
}

/** Sortable columns of the clip table. */
export type SortKey = 'confidence' | 'path' | 'label' | 'predicted';

/** A sort: column and direction. */
export interface RowSort {
  key: SortKey;
  dir: 'asc' | 'desc';
}

/** A confusion-matrix cell: row (true label) and column (predicted label) indices. */
export interface Cell {
  row: number;
  col: number;
}

export const EMPTY_FILTER: RowFilter = {
  label: '',
  predicted: '',
  wrongOnly: false,
  minProb: null,
  maxProb: null,
  search: '',
};

export const DEFAULT_SORT: RowSort = { key: 'path', dir: 'asc' };

export const PAGE_SIZE = 200;

/** True when a row is in the clip table: every row without an error. */
export function isTableRow(r: ReportRow): boolean {
  return r.error === null;
}

/** True when a row passes the filter. */
export function matches(r: ReportRow, f: RowFilter): boolean {
  if (!isTableRow(r)) return false;
  if (f.label && r.label !== f.label) return false;
  if (f.predicted && r.predicted !== f.predicted) return false;
  if (f.wrongOnly && r.correct !== false) return false;
  if (f.minProb !== null && (r.probability === null || r.probability < f.minProb)) return false;
  if (f.maxProb !== null && (r.probability === null || r.probability > f.maxProb)) return false;
  if (f.search) {
    const q = f.search.toLowerCase();
    if (!r.rel.toLowerCase().includes(q) && !r.path.toLowerCase().includes(q)) return false;
  }
  return true;
}

/** Indices of the rows that pass the filter, in report order. */
export function filterRows(rows: readonly ReportRow[], f: RowFilter): number[] {
  const out: number[] = [];
  for (let i = 0; i < rows.length; i++) if (matches(rows[i], f)) out.push(i);
  return out;
}

/**
 * Sorts row indices (a new array). Confidence is the top probability. Rows without a value for the
 * key (no probability, unlabelled, no prediction) go last in either direction; ties keep report order.
 * Keys are read once into flat arrays so 100k rows sort quickly.
 */
export function sortRows(rows: readonly ReportRow[], idx: readonly number[], sort: RowSort): number[] {
  const sign = sort.dir === 'asc' ? 1 : -1;
  const present: number[] = [];
  const missing: number[] = [];
  if (sort.key === 'confidence') {
    const key = new Float64Array(rows.length);
    for (const i of idx) {
      const p = rows[i].probability;
      if (p === null || Number.isNaN(p)) missing.push(i);
      else {
        key[i] = p;
        present.push(i);
      }
    }
    present.sort((i, j) => sign * (key[i] - key[j]) || i - j);
  } else {
    const key: string[] = new Array<string>(rows.length);
    for (const i of idx) {
      const r = rows[i];
      const v = sort.key === 'path' ? r.rel : sort.key === 'label' ? r.label : r.predicted;
      if (v === null) missing.push(i);
      else {
        key[i] = v;
        present.push(i);
      }
    }
    present.sort((i, j) => {
      const a = key[i];
      const b = key[j];
      return a < b ? -sign : a > b ? sign : i - j;
    });
  }
  missing.sort((i, j) => i - j);
  return present.concat(missing);
}

/** The filtered and sorted row indices. */
export function visibleRows(rows: readonly ReportRow[], f: RowFilter, sort: RowSort): number[] {
  return sortRows(rows, filterRows(rows, f), sort);
}

/** Clicking a column header: the same key flips direction; a new key starts ascending. */
export function toggleSort(current: RowSort, key: SortKey): RowSort {
  return current.key === key ? { key, dir: current.dir === 'asc' ? 'desc' : 'asc' } : { key, dir: 'asc' };
}

/** The "Wrong" quick view: only misclassified rows, least confident first. */
export function wrongView(): { filter: RowFilter; sort: RowSort } {
  return { filter: { ...EMPTY_FILTER, wrongOnly: true }, sort: { key: 'confidence', dir: 'asc' } };
}

/** The "Least confident" quick view: every row, lowest top probability first. */
export function leastConfidentView(): { filter: RowFilter; sort: RowSort } {
  return { filter: { ...EMPTY_FILTER }, sort: { key: 'confidence', dir: 'asc' } };
}

/** Page bounds: the page clamped to 0..pages-1, and the slice [start, end) of `total` items. */
export function pageBounds(
  total: number,
  page: number,
  size = PAGE_SIZE,
): { page: number; pages: number; start: number; end: number } {
  const pages = Math.max(1, Math.ceil(total / size));
  const p = Math.max(0, Math.min(pages - 1, Math.floor(page) || 0));
  return { page: p, pages, start: p * size, end: Math.min(total, (p + 1) * size) };
}

/** Each confusion row divided by its sum (rows with no clips are all zero). */
export function rowNormalise(confusion: readonly (readonly number[])[]): number[][] {
  return confusion.map((row) => {
    const sum = row.reduce((a, b) => a + b, 0);
    return row.map((v) => (sum > 0 ? v / sum : 0));
  });
}

/** Clicking a cell: selects it, or clears the selection when it was already selected. */
export function toggleCell(current: Cell | null, clicked: Cell): Cell | null {
  return current && current.row === clicked.row && current.col === clicked.col ? null : clicked;
}

/** Indices of the scored rows in a confusion cell (true = labels[row], predicted = labels[col]). */
export function cellRows(rows: readonly ReportRow[], labels: readonly string[], cell: Cell): number[] {
  const t = labels[cell.row];
  const p = labels[cell.col];
  if (t === undefined || p === undefined) return [];
  const out: number[] = [];
  for (let i = 0; i < rows.length; i++) {
    const r = rows[i];
    if (r.error === null && r.label === t && r.predicted === p) out.push(i);
  }
  // Least confident first: the interesting ones on top.
  return out.sort((i, j) => (rows[i].probability ?? 0) - (rows[j].probability ?? 0) || i - j);
}

/** The labels offered in the filter lists: the metric labels, then any others seen in the rows. */
export function filterLabels(report: ReportView): string[] {
  const seen = new Set<string>(report.metrics.labels);
  const extra = new Set<string>();
  for (const r of report.rows) {
    for (const l of [r.label, r.predicted]) if (l !== null && !seen.has(l)) extra.add(l);
  }
  return [...report.metrics.labels, ...[...extra].sort()];
}

/** Every error with its reason: the report's problems plus rows with an error, once per path. */
export function errorList(report: ReportView): { path: string; rel: string; error: string }[] {
  const out = new Map<string, { path: string; rel: string; error: string }>();
  for (const p of report.problems) out.set(p.path, { path: p.path, rel: p.path, error: p.error });
  for (const r of report.rows) {
    const known = out.get(r.path);
    if (known) known.rel = r.rel;
    else if (r.error !== null) out.set(r.path, { path: r.path, rel: r.rel, error: r.error });
  }
  return [...out.values()];
}

/** Parses a probability input: "" -> null, "0.5" -> 0.5, "50%" -> 0.5, clamped to 0..1; junk -> null. */
export function parseProbability(text: string): number | null {
  const t = text.trim();
  if (!t) return null;
  const pct = t.endsWith('%');
  const v = parseFloat(pct ? t.slice(0, -1) : t);
  if (!Number.isFinite(v)) return null;
  const x = pct || v > 1 ? v / 100 : v;
  return Math.max(0, Math.min(1, x));
}

/** True when the filter is the empty one (nothing hidden). */
export function isEmptyFilter(f: RowFilter): boolean {
  return !f.label && !f.predicted && !f.wrongOnly && f.minProb === null && f.maxProb === null && !f.search;
}

/** The folder the report's rows are relative to (from the first row whose path ends with its rel). */
export function reportRoot(rows: readonly ReportRow[]): string {
  for (const r of rows) {
    if (r.rel && r.path.endsWith(r.rel) && r.path.length > r.rel.length)
      return r.path.slice(0, r.path.length - r.rel.length);
  }
  return '';
}
