/**
 * The classification report webview: header with the headline metrics and export buttons, the
 * confusion matrix as a row-normalised heat map (click a cell to list its clips), the per-class
 * table, the paginated clip table with filters and quick views, errors and background files.
 */
import { relativeTo } from '../common/relativePath';
import type { HostToReport, ReportToHost, ReportView } from '../../src/protocol/report';
import { runReportView } from '../common/reportLifecycle';
import { vscodeApi } from '../common/vscodeApi';
import {
  clipLink,
  colorScale,
  debounce,
  fmtFixed,
  fmtInt,
  fmtPercent,
  fmtSeconds,
  h,
  replaceChildren,
} from '../common/dom';
import {
  type Cell,
  type ReportRow,
  type RowFilter,
  type RowSort,
  type SortKey,
  DEFAULT_SORT,
  EMPTY_FILTER,
  PAGE_SIZE,
  cellRows,
  errorList,
  filterLabels,
  isEmptyFilter,
  leastConfidentView,
  pageBounds,
  parseProbability,
  reportRoot,
  rowNormalise,
  toggleCell,
  toggleSort,
  visibleRows,
  wrongView,
} from './model';

const t0 = performance.now();

interface State {
  filter: RowFilter;
  sort: RowSort;
  page: number;
  cell: Cell | null;
  scrollY: number;
}

const api = vscodeApi<ReportToHost, HostToReport, State>();
const saved = api.getState();
const state: State = {
  filter: { ...EMPTY_FILTER, ...(saved?.filter ?? {}) },
  sort: saved?.sort ?? DEFAULT_SORT,
  page: saved?.page ?? 0,
  cell: saved?.cell ?? null,
  scrollY: saved?.scrollY ?? 0,
};
const save = () => api.setState({ ...state });

const app = document.getElementById('app') ?? document.body;
const open = (path: string) => api.post({ type: 'openClip', path });

let report: ReportView;
let root = '';
let visible: number[] = [];
let tableTotal = 0;
let cellLimit = 200;

// Persistent containers, re-filled on change.
const matrixBox = h('div', { class: 'matrix-wrap' });
const cellBox = h('div', { class: 'cell-clips', 'aria-live': 'polite' });
const tableBody = h('tbody');
const tableHead = h('thead');
const countLine = h('span', { class: 'muted' });
const pagers = [h('div', { class: 'pager' }), h('div', { class: 'pager' })];
const controls: {
  label?: HTMLSelectElement;
  predicted?: HTMLSelectElement;
  wrong?: HTMLInputElement;
  min?: HTMLInputElement;
  max?: HTMLInputElement;
  search?: HTMLInputElement;
} = {};

function stat(label: string, value: string, cls = ''): HTMLElement {
  return h(
    'div',
    { class: `stat ${cls}` },
    h('div', { class: 'stat-value' }, value),
    h('div', { class: 'stat-label' }, label),
  );
}

function header(r: ReportView): HTMLElement {
  const c = r.counts;
  return h(
    'header',
    { class: 'page-header' },
    h(
      'div',
      { class: 'title-row' },
      h(
        'div',
        { class: 'title-block' },
        h(
          'h1',
          null,
          r.title,
          r.cancelled
            ? h('span', { class: 'badge warn', title: 'The run was cancelled: partial results' }, 'cancelled')
            : null,
        ),
        h(
          'div',
          { class: 'muted' },
          'Model ',
          h('strong', null, r.model.name),
          ` · ${r.model.labels.length} labels · `,
          h('span', { title: r.model.dir }, r.model.dir),
        ),
      ),
      h(
        'div',
        { class: 'actions' },
        h(
          'button',
          { type: 'button', onClick: () => api.post({ type: 'export', format: 'csv' }) },
          'Export CSV',
        ),
        h(
          'button',
          { type: 'button', class: 'secondary', onClick: () => api.post({ type: 'export', format: 'json' }) },
          'Export JSON',
        ),
      ),
    ),
    h(
      'div',
      { class: 'stats' },
      stat('accuracy', fmtPercent(r.metrics.accuracy), 'primary'),
      stat('macro F1', fmtFixed(r.metrics.macroF1)),
      stat('correct / scored', `${fmtInt(r.metrics.correct)} / ${fmtInt(r.metrics.scored)}`),
      stat('files', fmtInt(c.files)),
      stat('unlabelled', fmtInt(c.unlabelled)),
      stat('errors', fmtInt(c.errors), c.errors > 0 ? 'bad' : ''),
      stat('background', fmtInt(c.background)),
      stat('cached', fmtInt(c.cached)),
      stat('time', fmtSeconds(r.timeSec)),
    ),
  );
}

// ---- confusion matrix -------------------------------------------------------------------------

function renderMatrix(): void {
  const m = report.metrics;
  if (m.labels.length === 0 || m.scored === 0) {
    replaceChildren(matrixBox, h('p', { class: 'muted' }, 'No labelled clips were scored.'));
    return;
  }
  const norm = rowNormalise(m.confusion);
  const scale = colorScale();
  const head = h(
    'tr',
    null,
    h('th', { class: 'corner', scope: 'col' }, h('span', { class: 'muted' }, 'true ↓  predicted →')),
    m.labels.map((l) =>
      h('th', { scope: 'col', class: 'col-label', title: `predicted ${l}` }, h('span', null, l)),
    ),
    h('th', { scope: 'col', class: 'muted' }, 'total'),
  );
  const body = m.confusion.map((row, i) =>
    h(
      'tr',
      null,
      h('th', { scope: 'row', class: 'row-label', title: `true ${m.labels[i]}` }, m.labels[i]),
      row.map((count, j) => {
        const t = norm[i][j];
        const selected = state.cell !== null && state.cell.row === i && state.cell.col === j;
        const btn = h(
          'button',
          {
            type: 'button',
            class: `cell${i === j ? ' diag' : ''}${selected ? ' selected' : ''}${count === 0 ? ' zero' : ''}`,
            title: `true ${m.labels[i]}, predicted ${m.labels[j]}: ${count} (${fmtPercent(t)} of the row)`,
            'aria-pressed': selected ? 'true' : 'false',
            onClick: () => selectCell({ row: i, col: j }),
          },
          String(count),
        );
        btn.style.backgroundColor = scale.fill(t);
        btn.style.color = scale.text(t);
        return h('td', null, btn);
      }),
      h('td', { class: 'num muted' }, fmtInt(row.reduce((a, b) => a + b, 0))),
    ),
  );
  replaceChildren(
    matrixBox,
    h(
      'table',
      { class: 'confusion', 'aria-label': 'Confusion matrix' },
      h('thead', null, head),
      h('tbody', null, body),
    ),
  );
}

function selectCell(c: Cell): void {
  state.cell = toggleCell(state.cell, c);
  cellLimit = 200;
  save();
  renderMatrix();
  renderCellClips();
}

function topK(r: ReportRow): HTMLElement {
  return h(
    'span',
    { class: 'topk' },
    r.topK.map((t, i) =>
      h(
        'span',
        { class: i === 0 ? 'topk-item first' : 'topk-item' },
        `${t.label} ${fmtPercent(t.probability, 0)}`,
      ),
    ),
  );
}

function renderCellClips(): void {
  const c = state.cell;
  const labels = report.metrics.labels;
  if (!c || !labels[c.row] || !labels[c.col]) {
    replaceChildren(cellBox, h('p', { class: 'muted hint' }, 'Click a cell to list its clips.'));
    return;
  }
  const idx = cellRows(report.rows, labels, c);
  const shown = idx.slice(0, cellLimit);
  replaceChildren(
    cellBox,
    h(
      'div',
      { class: 'cell-clips-head' },
      h('strong', null, `true ${labels[c.row]} → predicted ${labels[c.col]}`),
      h(
        'span',
        { class: 'muted' },
        ` · ${fmtInt(idx.length)} clip${idx.length === 1 ? '' : 's'}, least confident first`,
      ),
      h('button', { type: 'button', class: 'secondary small', onClick: () => selectCell(c) }, 'Close'),
    ),
    idx.length === 0
      ? h('p', { class: 'muted' }, 'No clips in this cell.')
      : h(
          'ul',
          { class: 'clip-list' },
          shown.map((i) => {
            const r = report.rows[i];
            return h(
              'li',
              null,
              clipLink(r.rel, r.path, open),
              h('span', { class: 'num' }, fmtPercent(r.probability)),
              topK(r),
            );
          }),
        ),
    idx.length > shown.length
      ? h(
          'button',
          {
            type: 'button',
            class: 'secondary small',
            onClick: () => {
              cellLimit += 1000;
              renderCellClips();
            },
          },
          `Show more (${fmtInt(idx.length - shown.length)} left)`,
        )
      : null,
  );
}

// ---- per-class table --------------------------------------------------------------------------

function perClassTable(): HTMLElement {
  const pc = report.metrics.perClass;
  const bar = (v: number, cls: string) => {
    const fill = h('span', { class: `fill ${cls}` });
    fill.style.width = `${Math.max(0, Math.min(1, v)) * 100}%`;
    return h('span', { class: 'mini-bar' }, fill);
  };
  return h(
    'table',
    { class: 'data per-class' },
    h(
      'thead',
      null,
      h(
        'tr',
        null,
        h('th', null, 'label'),
        h('th', { class: 'num' }, 'precision'),
        h('th', { class: 'num' }, 'recall'),
        h('th', { class: 'num' }, 'F1'),
        h('th', { class: 'num' }, 'support'),
      ),
    ),
    h(
      'tbody',
      null,
      pc.map((p) =>
        h(
          'tr',
          { class: p.support === 0 ? 'dim' : '' },
          h('td', null, p.label),
          h('td', { class: 'num' }, fmtFixed(p.precision)),
          h('td', { class: 'num' }, fmtFixed(p.recall)),
          h(
            'td',
            { class: 'num' },
            h(
              'span',
              { class: 'num-bar' },
              fmtFixed(p.f1),
              bar(p.f1, p.f1 >= 0.9 ? 'ok' : p.f1 >= 0.7 ? 'mid' : 'bad'),
            ),
          ),
          h('td', { class: 'num' }, fmtInt(p.support)),
        ),
      ),
    ),
  );
}

// ---- clip table -------------------------------------------------------------------------------

function recompute(): void {
  visible = visibleRows(report.rows, state.filter, state.sort);
}

function syncControls(): void {
  const f = state.filter;
  if (controls.label) controls.label.value = f.label;
  if (controls.predicted) controls.predicted.value = f.predicted;
  if (controls.wrong) controls.wrong.checked = f.wrongOnly;
  if (controls.min) controls.min.value = f.minProb === null ? '' : String(f.minProb);
  if (controls.max) controls.max.value = f.maxProb === null ? '' : String(f.maxProb);
  if (controls.search) controls.search.value = f.search;
}

function applyFilter(patch: Partial<RowFilter>, resetPage = true): void {
  state.filter = { ...state.filter, ...patch };
  if (resetPage) state.page = 0;
  recompute();
  save();
  renderTable();
}

function applyView(v: { filter: RowFilter; sort: RowSort }): void {
  state.filter = v.filter;
  state.sort = v.sort;
  state.page = 0;
  syncControls();
  recompute();
  save();
  renderTable();
}

function toolbar(): HTMLElement {
  const labels = filterLabels(report);
  const select = (aria: string, first: string) =>
    h(
      'select',
      { 'aria-label': aria },
      h('option', { value: '' }, first),
      labels.map((l) => h('option', { value: l }, l)),
    );
  controls.label = select('True label', 'any label');
  controls.label.addEventListener('change', () => applyFilter({ label: controls.label?.value ?? '' }));
  controls.predicted = select('Predicted label', 'any prediction');
  controls.predicted.addEventListener('change', () =>
    applyFilter({ predicted: controls.predicted?.value ?? '' }),
  );
  controls.wrong = h('input', { type: 'checkbox', id: 'wrong-only' });
  controls.wrong.addEventListener('change', () =>
    applyFilter({ wrongOnly: controls.wrong?.checked ?? false }),
  );
  const prob = (aria: string, placeholder: string) =>
    h('input', {
      type: 'number',
      min: 0,
      max: 1,
      step: 0.05,
      placeholder,
      'aria-label': aria,
      class: 'prob-input',
    });
  controls.min = prob('Minimum probability', 'min p');
  controls.max = prob('Maximum probability', 'max p');
  const onProb = debounce(
    () =>
      applyFilter({
        minProb: parseProbability(controls.min?.value ?? ''),
        maxProb: parseProbability(controls.max?.value ?? ''),
      }),
    200,
  );
  controls.min.addEventListener('input', onProb);
  controls.max.addEventListener('input', onProb);
  controls.search = h('input', {
    type: 'search',
    placeholder: 'Search path…',
    'aria-label': 'Search path',
    class: 'search',
  });
  const onSearch = debounce(() => applyFilter({ search: controls.search?.value ?? '' }), 150);
  controls.search.addEventListener('input', onSearch);
  syncControls();
  return h(
    'div',
    { class: 'toolbar' },
    h(
      'div',
      { class: 'toolbar-row' },
      h(
        'button',
        {
          type: 'button',
          onClick: () => applyView(wrongView()),
          title: 'Misclassified clips, least confident first',
        },
        'Wrong',
      ),
      h(
        'button',
        {
          type: 'button',
          onClick: () => applyView(leastConfidentView()),
          title: 'All clips, least confident first',
        },
        'Least confident',
      ),
      h(
        'button',
        {
          type: 'button',
          class: 'secondary',
          onClick: () => applyView({ filter: { ...EMPTY_FILTER }, sort: DEFAULT_SORT }),
        },
        'Reset',
      ),
      h('span', { class: 'spacer' }),
      countLine,
    ),
    h(
      'div',
      { class: 'toolbar-row' },
      controls.search,
      controls.label,
      controls.predicted,
      h('label', { class: 'inline' }, 'p ', controls.min, ' – ', controls.max),
      h('label', { class: 'inline', for: 'wrong-only' }, controls.wrong, ' wrong only'),
    ),
  );
}

function renderHead(): void {
  const col = (key: SortKey, text: string, cls = '') => {
    const active = state.sort.key === key;
    const arrow = active ? (state.sort.dir === 'asc' ? ' ▲' : ' ▼') : '';
    return h(
      'th',
      { class: cls, 'aria-sort': active ? (state.sort.dir === 'asc' ? 'ascending' : 'descending') : 'none' },
      h(
        'button',
        {
          type: 'button',
          class: 'sort',
          onClick: () => {
            state.sort = toggleSort(state.sort, key);
            state.page = 0;
            recompute();
            save();
            renderTable();
          },
        },
        text + arrow,
      ),
    );
  };
  replaceChildren(
    tableHead,
    h(
      'tr',
      null,
      col('path', 'clip'),
      col('label', 'label'),
      col('predicted', 'predicted'),
      col('confidence', 'confidence', 'prob-col'),
      h('th', null, 'top-k'),
    ),
  );
}

function probBar(r: ReportRow): HTMLElement {
  const p = r.probability ?? 0;
  const fill = h('span', {
    class: `fill ${r.correct === true ? 'ok' : r.correct === false ? 'bad' : 'neutral'}`,
  });
  fill.style.width = `${Math.max(0, Math.min(1, p)) * 100}%`;
  return h(
    'span',
    { class: 'prob' },
    h('span', { class: 'bar' }, fill),
    h('span', { class: 'num' }, fmtPercent(r.probability)),
  );
}

function renderPager(el: HTMLElement, b: ReturnType<typeof pageBounds>): void {
  const go = (p: number) => {
    state.page = p;
    save();
    renderTable();
  };
  replaceChildren(
    el,
    h(
      'button',
      {
        type: 'button',
        class: 'secondary small',
        disabled: b.page === 0,
        onClick: () => go(0),
        'aria-label': 'First page',
      },
      '«',
    ),
    h(
      'button',
      { type: 'button', class: 'secondary small', disabled: b.page === 0, onClick: () => go(b.page - 1) },
      'Previous',
    ),
    h('span', { class: 'muted' }, `page ${b.page + 1} of ${b.pages}`),
    h(
      'button',
      {
        type: 'button',
        class: 'secondary small',
        disabled: b.page >= b.pages - 1,
        onClick: () => go(b.page + 1),
      },
      'Next',
    ),
    h(
      'button',
      {
        type: 'button',
        class: 'secondary small',
        disabled: b.page >= b.pages - 1,
        onClick: () => go(b.pages - 1),
        'aria-label': 'Last page',
      },
      '»',
    ),
  );
}

function renderTable(): void {
  renderHead();
  const b = pageBounds(visible.length, state.page, PAGE_SIZE);
  state.page = b.page;
  const total = tableTotal;
  countLine.textContent =
    visible.length === 0
      ? `no clips match (of ${fmtInt(total)})`
      : `${fmtInt(b.start + 1)}–${fmtInt(b.end)} of ${fmtInt(visible.length)}${isEmptyFilter(state.filter) ? '' : ` matching (${fmtInt(total)} clips)`}`;
  const frag = document.createDocumentFragment();
  for (let k = b.start; k < b.end; k++) {
    const r = report.rows[visible[k]];
    frag.appendChild(
      h(
        'tr',
        { class: r.correct === false ? 'wrong' : '' },
        h('td', { class: 'path' }, clipLink(r.rel, r.path, open)),
        h('td', null, r.label ?? h('span', { class: 'muted' }, 'unlabelled')),
        h(
          'td',
          null,
          r.predicted === null
            ? h('span', { class: 'muted' }, '–')
            : h(
                'span',
                {
                  class: `badge ${r.correct === true ? 'ok' : r.correct === false ? 'bad' : ''}`,
                  title: r.correct === true ? 'correct' : r.correct === false ? 'wrong' : 'not scored',
                },
                r.correct === true ? '✓ ' : r.correct === false ? '✗ ' : '',
                r.predicted,
              ),
        ),
        h('td', { class: 'prob-col' }, probBar(r)),
        h('td', null, topK(r)),
      ),
    );
  }
  tableBody.textContent = '';
  if (b.end === b.start)
    tableBody.appendChild(
      h('tr', null, h('td', { colspan: 5, class: 'muted empty' }, 'No clips match the filters.')),
    );
  tableBody.appendChild(frag);
  for (const p of pagers) renderPager(p, b);
}

// ---- errors and background --------------------------------------------------------------------

function errorsSection(): HTMLElement | null {
  const errs = errorList(report);
  if (errs.length === 0) return null;
  return section(
    `Errors (${fmtInt(errs.length)})`,
    h(
      'table',
      { class: 'data errors' },
      h('thead', null, h('tr', null, h('th', null, 'file'), h('th', null, 'reason'))),
      h(
        'tbody',
        null,
        errs.map((e) =>
          h(
            'tr',
            null,
            h('td', { class: 'path' }, clipLink(relativeTo(e.rel, root), e.path, open)),
            h('td', { class: 'error-text' }, e.error),
          ),
        ),
      ),
    ),
  );
}

function backgroundSection(): HTMLElement | null {
  if (report.background.length === 0) return null;
  return section(
    `Background files, not scored (${fmtInt(report.background.length)})`,
    h(
      'ul',
      { class: 'file-list' },
      report.background.map((p) => h('li', null, clipLink(relativeTo(p, root), p, open))),
    ),
  );
}

function section(title: string, ...body: (Node | null)[]): HTMLElement {
  return h('section', null, h('h2', null, title), ...body);
}

// ---- main -------------------------------------------------------------------------------------

function render(r: ReportView): void {
  report = r;
  root = reportRoot(r.rows);
  tableTotal = r.rows.reduce((n, row) => n + (row.error === null ? 1 : 0), 0);
  recompute();
  const table = h('table', { class: 'data clips' }, tableHead, tableBody);
  replaceChildren(
    app,
    header(r),
    section(
      'Confusion matrix',
      h(
        'p',
        { class: 'muted hint' },
        'Rows are true labels, columns predicted; colour is the share of the row.',
      ),
      matrixBox,
      cellBox,
    ),
    section('Per class', perClassTable()),
    section('Clips', toolbar(), pagers[0], h('div', { class: 'table-wrap' }, table), pagers[1]),
    errorsSection(),
    backgroundSection(),
  );
  renderMatrix();
  renderCellClips();
  renderTable();
}

runReportView({
  t0,
  onMessage: (handler) => api.onMessage(handler),
  post: (m) => api.post(m),
  initOf: (m) => (m.type === 'init' ? (m as Extract<HostToReport, { type: 'init' }>).report : undefined),
  render,
  redrawCharts: () => {
    if (report) renderMatrix();
  },
  scroll: {
    get: () => state.scrollY,
    set: (y) => {
      state.scrollY = y;
      save();
    },
  },
});
