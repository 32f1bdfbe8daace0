/** The report page's clip table: filters, quick views, sortable columns, pages of PAGE_SIZE rows. */
import { clipLink, debounce, fmtInt, fmtPercent, h, replaceChildren } from '../common/dom';
import { topK } from './matrix';
import {
  type ReportRow,
  type RowFilter,
  type RowSort,
  type SortKey,
  DEFAULT_SORT,
  EMPTY_FILTER,
  PAGE_SIZE,
  filterLabels,
  isEmptyFilter,
  leastConfidentView,
  pageBounds,
  parseProbability,
  toggleSort,
  visibleRows,
  wrongView,
} from './model';
import type { ReportPage } from './page';

/** The table of the report's clips and its toolbar; `load` after each new report, then `render`. */
export class ClipTable {
  readonly head = h('thead');
  readonly body = h('tbody');
  readonly pagers = [h('div', { class: 'pager' }), h('div', { class: 'pager' })];
  private readonly countLine = h('span', { class: 'muted' });
  private readonly controls: {
    label?: HTMLSelectElement;
    predicted?: HTMLSelectElement;
    wrong?: HTMLInputElement;
    min?: HTMLInputElement;
    max?: HTMLInputElement;
    search?: HTMLInputElement;
  } = {};
  /** Indices of the rows that pass the filters, in sort order. */
  private visible: number[] = [];
  /** Rows the table can show (errors are listed apart). */
  private total = 0;

  constructor(private readonly page: ReportPage) {}

  /** Takes the page's new report: counts its rows and applies the saved filters. */
  load(): void {
    this.total = this.page.report.rows.reduce((n, row) => n + (row.error === null ? 1 : 0), 0);
    this.recompute();
  }
  private recompute(): void {
    const { report, state } = this.page;
    this.visible = visibleRows(report.rows, state.filter, state.sort);
  }
  private syncControls(): void {
    const f = this.page.state.filter;
    if (this.controls.label) this.controls.label.value = f.label;
    if (this.controls.predicted) this.controls.predicted.value = f.predicted;
    if (this.controls.wrong) this.controls.wrong.checked = f.wrongOnly;
    if (this.controls.min) this.controls.min.value = f.minProb === null ? '' : String(f.minProb);
    if (this.controls.max) this.controls.max.value = f.maxProb === null ? '' : String(f.maxProb);
    if (this.controls.search) this.controls.search.value = f.search;
  }
  private applyFilter(patch: Partial<RowFilter>, resetPage = true): void {
    this.page.state.filter = { ...this.page.state.filter, ...patch };
    if (resetPage) this.page.state.page = 0;
    this.recompute();
    this.page.save();
    this.render();
  }
  private applyView(v: { filter: RowFilter; sort: RowSort }): void {
    this.page.state.filter = v.filter;
    this.page.state.sort = v.sort;
    this.page.state.page = 0;
    this.syncControls();
    this.recompute();
    this.page.save();
    this.render();
  }

  /** The quick views, filters and match count above the table (made once per report). */
  toolbar(): HTMLElement {
    const labels = filterLabels(this.page.report);
    const select = (aria: string, first: string) =>
      h(
        'select',
        { 'aria-label': aria },
        h('option', { value: '' }, first),
        labels.map((l) => h('option', { value: l }, l)),
      );
    this.controls.label = select('True label', 'any label');
    this.controls.label.addEventListener('change', () =>
      this.applyFilter({ label: this.controls.label?.value ?? '' }),
    );
    this.controls.predicted = select('Predicted label', 'any prediction');
    this.controls.predicted.addEventListener('change', () =>
      this.applyFilter({ predicted: this.controls.predicted?.value ?? '' }),
    );
    this.controls.wrong = h('input', { type: 'checkbox', id: 'wrong-only' });
    this.controls.wrong.addEventListener('change', () =>
      this.applyFilter({ wrongOnly: this.controls.wrong?.checked ?? false }),
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
    this.controls.min = prob('Minimum probability', 'min p');
    this.controls.max = prob('Maximum probability', 'max p');
    const onProb = debounce(
      () =>
        this.applyFilter({
          minProb: parseProbability(this.controls.min?.value ?? ''),
          maxProb: parseProbability(this.controls.max?.value ?? ''),
        }),
      200,
    );
    this.controls.min.addEventListener('input', onProb);
    this.controls.max.addEventListener('input', onProb);
    this.controls.search = h('input', {
      type: 'search',
      placeholder: 'Search path…',
      'aria-label': 'Search path',
      class: 'search',
    });
    const onSearch = debounce(() => this.applyFilter({ search: this.controls.search?.value ?? '' }), 150);
    this.controls.search.addEventListener('input', onSearch);
    this.syncControls();
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
            onClick: () => this.applyView(wrongView()),
            title: 'Misclassified clips, least confident first',
          },
          'Wrong',
        ),
        h(
          'button',
          {
            type: 'button',
            onClick: () => this.applyView(leastConfidentView()),
            title: 'All clips, least confident first',
          },
          'Least confident',
        ),
        h(
          'button',
          {
            type: 'button',
            class: 'secondary',
            onClick: () => this.applyView({ filter: { ...EMPTY_FILTER }, sort: DEFAULT_SORT }),
          },
          'Reset',
        ),
        h('span', { class: 'spacer' }),
        this.countLine,
      ),
      h(
        'div',
        { class: 'toolbar-row' },
        this.controls.search,
        this.controls.label,
        this.controls.predicted,
        h('label', { class: 'inline' }, 'p ', this.controls.min, ' – ', this.controls.max),
        h('label', { class: 'inline', for: 'wrong-only' }, this.controls.wrong, ' wrong only'),
      ),
    );
  }
  private renderHead(): void {
    const col = (key: SortKey, text: string, cls = '') => {
      const active = this.page.state.sort.key === key;
      const arrow = active ? (this.page.state.sort.dir === 'asc' ? ' ▲' : ' ▼') : '';
      return h(
        'th',
        {
          class: cls,
          'aria-sort': active ? (this.page.state.sort.dir === 'asc' ? 'ascending' : 'descending') : 'none',
        },
        h(
          'button',
          {
            type: 'button',
            class: 'sort',
            onClick: () => {
              this.page.state.sort = toggleSort(this.page.state.sort, key);
              this.page.state.page = 0;
              this.recompute();
              this.page.save();
              this.render();
            },
          },
          text + arrow,
        ),
      );
    };
    replaceChildren(
      this.head,
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

  private probBar(r: ReportRow): HTMLElement {
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

  private renderPager(el: HTMLElement, b: ReturnType<typeof pageBounds>): void {
    const go = (p: number) => {
      this.page.state.page = p;
      this.page.save();
      this.render();
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

  /** Fills the table with the current page of visible rows, its head and both pagers. */
  render(): void {
    this.renderHead();
    const b = pageBounds(this.visible.length, this.page.state.page, PAGE_SIZE);
    this.page.state.page = b.page;
    const total = this.total;
    this.countLine.textContent =
      this.visible.length === 0
        ? `no clips match (of ${fmtInt(total)})`
        : `${fmtInt(b.start + 1)}–${fmtInt(b.end)} of ${fmtInt(this.visible.length)}${isEmptyFilter(this.page.state.filter) ? '' : ` matching (${fmtInt(total)} clips)`}`;
    const frag = document.createDocumentFragment();
    for (let k = b.start; k < b.end; k++) {
      const r = this.page.report.rows[this.visible[k]];
      frag.appendChild(
        h(
          'tr',
          { class: r.correct === false ? 'wrong' : '' },
          h('td', { class: 'path' }, clipLink(r.rel, r.path, this.page.open)),
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
          h('td', { class: 'prob-col' }, this.probBar(r)),
          h('td', null, topK(r)),
        ),
      );
    }
    this.body.textContent = '';
    if (b.end === b.start)
      this.body.appendChild(
        h('tr', null, h('td', { colspan: 5, class: 'muted empty' }, 'No clips match the filters.')),
      );
    this.body.appendChild(frag);
    for (const p of this.pagers) this.renderPager(p, b);
  }
}
