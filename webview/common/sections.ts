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
