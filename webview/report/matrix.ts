/** The report page's confusion matrix: a row-normalised heat map; a click lists the cell's clips. */
import { clipLink, colorScale, fmtInt, fmtPercent, h, replaceChildren } from '../common/dom';
import { type Cell, type ReportRow, cellRows, rowNormalise, toggleCell } from './model';
import type { ReportPage } from './page';

/** The matrix and the clip list of its chosen cell. */
export class Matrix {
  readonly box = h('div', { class: 'matrix-wrap' });
  readonly clips = h('div', { class: 'cell-clips', 'aria-live': 'polite' });
  private cellLimit = 200;

  constructor(private readonly page: ReportPage) {}

  /** Draws the matrix again (state or theme changed). */
  render(): void {
    const m = this.page.report.metrics;
    if (m.labels.length === 0 || m.scored === 0) {
      replaceChildren(this.box, h('p', { class: 'muted' }, 'No labelled clips were scored.'));
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
          const cell = this.page.state.cell;
          const selected = cell !== null && cell.row === i && cell.col === j;
          const btn = h(
            'button',
            {
              type: 'button',
              class: `cell${i === j ? ' diag' : ''}${selected ? ' selected' : ''}${count === 0 ? ' zero' : ''}`,
              title: `true ${m.labels[i]}, predicted ${m.labels[j]}: ${count} (${fmtPercent(t)} of the row)`,
              'aria-pressed': selected ? 'true' : 'false',
              onClick: () => this.select({ row: i, col: j }),
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
      this.box,
      h(
        'table',
        { class: 'confusion', 'aria-label': 'Confusion matrix' },
        h('thead', null, head),
        h('tbody', null, body),
      ),
    );
  }

  private select(c: Cell): void {
    this.page.state.cell = toggleCell(this.page.state.cell, c);
    this.cellLimit = 200;
    this.page.save();
    this.render();
    this.renderClips();
  }

  /** Lists the chosen cell's clips (or the hint to choose one). */
  renderClips(): void {
    const c = this.page.state.cell;
    const labels = this.page.report.metrics.labels;
    if (!c || !labels[c.row] || !labels[c.col]) {
      replaceChildren(this.clips, h('p', { class: 'muted hint' }, 'Click a cell to list its clips.'));
      return;
    }
    const idx = cellRows(this.page.report.rows, labels, c);
    const shown = idx.slice(0, this.cellLimit);
    replaceChildren(
      this.clips,
      h(
        'div',
        { class: 'cell-clips-head' },
        h('strong', null, `true ${labels[c.row]} → predicted ${labels[c.col]}`),
        h(
          'span',
          { class: 'muted' },
          ` · ${fmtInt(idx.length)} clip${idx.length === 1 ? '' : 's'}, least confident first`,
        ),
        h('button', { type: 'button', class: 'secondary small', onClick: () => this.select(c) }, 'Close'),
      ),
      idx.length === 0
        ? h('p', { class: 'muted' }, 'No clips in this cell.')
        : h(
            'ul',
            { class: 'clip-list' },
            shown.map((i) => {
              const r = this.page.report.rows[i];
              return h(
                'li',
                null,
                clipLink(r.rel, r.path, this.page.open),
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
                this.cellLimit += 1000;
                this.renderClips();
              },
            },
            `Show more (${fmtInt(idx.length - shown.length)} left)`,
          )
        : null,
    );
  }
}

/** A row's top-k labels, the first marked. */
export function topK(r: ReportRow): HTMLElement {
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
