import { h } from './dom';

/** A titled section of a report page. */
export function section(title: string, ...body: (Node | string | null)[]): HTMLElement {
  return h('section', null, h('h2', null, title), ...body);
}

/** One headline figure of a page header: its value over its label. */
export function stat(label: string, value: string, cls = ''): HTMLElement {
  return h(
    'div',
    { class: `stat ${cls}` },
    h('div', { class: 'stat-value' }, value),
    h('div', { class: 'stat-label' }, label),
  );
}

/** A page's header: the title block (title line, then what it is about), optional actions, the headline figures. */
export function pageHeader(title: Node[], actions: HTMLElement | null, stats: HTMLElement[]): HTMLElement {
  return h(
    'header',
    { class: 'page-header' },
    h('div', { class: 'title-row' }, h('div', { class: 'title-block' }, ...title), actions),
    h('div', { class: 'stats' }, ...stats),
  );
}

/** A table's head: one row of header cells. */
export function headRow(...cells: (Node | Node[])[]): HTMLTableSectionElement {
  return h('thead', null, h('tr', null, ...cells));
}
