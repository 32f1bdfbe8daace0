import type { HostToReport, ReportToHost, ReportView } from '../../src/protocol/report';
import type { WebviewApi } from '../common/vscodeApi';
import { type Cell, type RowFilter, type RowSort, DEFAULT_SORT, EMPTY_FILTER, reportRoot } from './model';

/** What the report page persists across hide/reload: filters, sort, page, chosen cell, scroll. */
export interface ReportState {
  filter: RowFilter;
  sort: RowSort;
  page: number;
  cell: Cell | null;
  scrollY: number;
}

/**
 * The one state object the report page's parts (summary, matrix, clip table) read and change: the
 * report shown, the persisted view state, and the way to the host.
 */
export class ReportPage {
  readonly state: ReportState;
  /** The report shown (set by `load` before any part renders). */
  report!: ReportView;
  /** The common folder of the report's clips, for relative names. */
  root = '';

  constructor(private readonly api: WebviewApi<ReportToHost, HostToReport, ReportState>) {
    const saved = api.getState();
    this.state = {
      filter: { ...EMPTY_FILTER, ...(saved?.filter ?? {}) },
      sort: saved?.sort ?? DEFAULT_SORT,
      page: saved?.page ?? 0,
      cell: saved?.cell ?? null,
      scrollY: saved?.scrollY ?? 0,
    };
  }

  /** Takes a new report from the host. */
  load(r: ReportView): void {
    this.report = r;
    this.root = reportRoot(r.rows);
  }

  /** Persists the view state. */
  save(): void {
    this.api.setState({ ...this.state });
  }

  /** Asks the host to open a clip of the report. */
  readonly open = (path: string): void => this.api.post({ type: 'openClip', path });

  /** Asks the host to compare these clips with another model (it asks which). */
  compare(): void {
    this.api.post({ type: 'compare' });
  }

  /** Asks the host to export the report. */
  export(format: 'csv' | 'json'): void {
    this.api.post({ type: 'export', format });
  }
}
