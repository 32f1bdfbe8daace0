/** The dataset map's legend: a button a label (colour, name, count) that hides or shows it, and the marks' key. */
import type { DatasetMap } from '../../src/protocol/dataset';
import { fmtInt, h, replaceChildren } from '../common/dom';

/** Fills `box`; a click flips `hidden[l]` (or sets every label) and calls `changed`. */
export function renderMapLegend(
  box: HTMLElement,
  map: DatasetMap,
  colors: string[],
  hidden: Uint8Array,
  changed: () => void,
): void {
  const counts = new Array<number>(map.labels.length).fill(0);
  for (const l of map.label) counts[l]++;
  const setAll = (v: number) => {
    hidden.fill(v);
    changed();
  };
  replaceChildren(
    box,
    ...map.labels.map((name, l) =>
      h(
        'button',
        {
          type: 'button',
          class: 'legend-item link',
          'aria-pressed': String(!hidden[l]),
          title: hidden[l] ? 'Show this label' : 'Hide this label',
          onClick: () => {
            hidden[l] ^= 1;
            changed();
          },
        },
        swatch(colors[l] ?? 'gray'),
        `${name} (${fmtInt(counts[l])})`,
      ),
    ),
    h('button', { type: 'button', class: 'secondary small', onClick: () => setAll(0) }, 'Show all'),
    h('button', { type: 'button', class: 'secondary small', onClick: () => setAll(1) }, 'Hide all'),
    h('span', { class: 'muted legend-key' }, '○ suspect label'),
    h('span', { class: 'muted legend-key' }, '+ duplicate (a line joins each group)'),
  );
}

function swatch(color: string): HTMLElement {
  const el = h('span', { class: 'swatch' });
  el.style.background = color;
  return el;
}
