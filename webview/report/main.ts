/**
 * The classification report webview: header with the headline metrics and export buttons, the
 * confusion matrix as a row-normalised heat map (click a cell to list its clips), the per-class
 * table, the paginated clip table with filters and quick views, errors and background files.
 * This file wires the parts (summary.ts, matrix.ts, clipTable.ts) over one page state (page.ts).
 */
import type { HostToReport, ReportToHost, ReportView } from '../../src/protocol/report';
import { h, replaceChildren } from '../common/dom';
import { runPageLifecycle } from '../common/pageLifecycle';
import { section } from '../common/sections';
import { vscodeApi } from '../common/vscodeApi';
import { ClipTable } from './clipTable';
import { Matrix } from './matrix';
import { ReportPage, type ReportState } from './page';
import { backgroundSection, errorsSection, header, perClassTable } from './summary';

const t0 = performance.now();
const api = vscodeApi<ReportToHost, HostToReport, ReportState>();
const page = new ReportPage(api);
const matrix = new Matrix(page);
const table = new ClipTable(page);
const app = document.getElementById('app') ?? document.body;
let rendered = false;

function render(r: ReportView): void {
  page.load(r);
  table.load();
  rendered = true;
  const clips = h('table', { class: 'data clips' }, table.head, table.body);
  replaceChildren(
    app,
    header(page),
    section(
      'Confusion matrix',
      h(
        'p',
        { class: 'muted hint' },
        'Rows are true labels, columns predicted; colour is the share of the row.',
      ),
      matrix.box,
      matrix.clips,
    ),
    section('Per class', perClassTable(page)),
    section(
      'Clips',
      table.toolbar(),
      table.pagers[0],
      h('div', { class: 'table-wrap' }, clips),
      table.pagers[1],
    ),
    errorsSection(page),
    backgroundSection(page),
  );
  matrix.render();
  matrix.renderClips();
  table.render();
}

runPageLifecycle({
  t0,
  onMessage: (handler) => api.onMessage(handler),
  post: (m) => api.post(m),
  initOf: (m) => (m.type === 'init' ? (m as Extract<HostToReport, { type: 'init' }>).report : undefined),
  render,
  redrawCharts: () => {
    if (rendered) matrix.render();
  },
  scroll: {
    get: () => page.state.scrollY,
    set: (y) => {
      page.state.scrollY = y;
      page.save();
    },
  },
});
