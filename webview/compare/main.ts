/**
 * The Compare page: model A against model B on one folder. Both accuracies, per-class F1 side by side
 * with the difference, McNemar's exact test in words and its p-value, and the clips only A gets right
 * and only B gets right, each a link that opens the clip in the editor.
 */
import type { CompareToHost, CompareView, HostToCompare } from '../../src/protocol/compare';
import { clipLink, fmtFixed, fmtInt, fmtPercent, h, replaceChildren } from '../common/dom';
import { runPageLifecycle } from '../common/pageLifecycle';
import { headRow, pageHeader, section, stat } from '../common/sections';
import { vscodeApi } from '../common/vscodeApi';
import { f1Rows, favoured, flipList, fmtDiff } from './model';

interface CompareState {
  /** Flip lists shown whole (beyond the first LIST_LIMIT). */
  expanded: ('A' | 'B')[];
  scrollY: number;
}

const t0 = performance.now();
const api = vscodeApi<CompareToHost, HostToCompare, CompareState>();
const state: CompareState = { expanded: [], scrollY: 0, ...(api.getState() ?? {}) };
const app = document.getElementById('app') ?? document.body;
const LIST_LIMIT = 200;
const open = (path: string) => api.post({ type: 'openClip', path });

function header(c: CompareView): HTMLElement {
  const [a, b] = c.models;
  const who = (k: string, m: CompareView['models'][number]) =>
    h(
      'div',
      { class: 'muted' },
      `${k}: `,
      h('strong', null, m.name),
      ' · ',
      h('span', { title: m.dir }, m.dir),
    );
  const better = favoured(c);
  return pageHeader([h('h1', null, c.title), who('Model A', a), who('Model B', b)], null, [
    stat(`accuracy A (${fmtInt(a.scored)})`, fmtPercent(a.accuracy), better === 'A' ? 'primary' : ''),
    stat(`accuracy B (${fmtInt(b.scored)})`, fmtPercent(b.accuracy), better === 'B' ? 'primary' : ''),
    stat('B − A', `${fmtDiff(100 * (b.accuracy - a.accuracy), 1)} pp`),
    stat('paired clips', fmtInt(c.paired)),
    stat('only A right', fmtInt(c.flips.onlyA.length)),
    stat('only B right', fmtInt(c.flips.onlyB.length)),
    stat('McNemar p', c.pText),
    stat('cached A / B', c.cached.map(fmtInt).join(' / ')),
  ]);
}

function verdict(c: CompareView): HTMLElement {
  const better = favoured(c);
  const [a, b] = c.models;
  return section(
    "McNemar's exact test",
    h('p', { class: `verdict ${better ? 'ok-text' : ''}` }, h('strong', null, c.verdict)),
    h(
      'p',
      { class: 'muted hint' },
      `Of ${fmtInt(c.paired)} clips both models scored with the same true label, ` +
        `${fmtInt(c.flips.onlyA.length)} only ${a.name} gets right and ${fmtInt(c.flips.onlyB.length)} ` +
        `only ${b.name}; under "no difference" each is a fair coin (two-sided binomial test).`,
    ),
  );
}

function f1Table(c: CompareView): HTMLElement {
  const rows = f1Rows(c.models);
  const tone = (d: number | null) =>
    d === null || Math.abs(d) < 0.0005 ? '' : d > 0 ? 'ok-text' : 'bad-text';
  return h(
    'table',
    { class: 'data per-class' },
    headRow(
      h('th', null, 'label'),
      h('th', { class: 'num' }, 'F1 A'),
      h('th', { class: 'num' }, 'F1 B'),
      h('th', { class: 'num' }, 'B − A'),
      h('th', { class: 'num', title: 'clips of the label each model scored' }, 'clips A / B'),
    ),
    h(
      'tbody',
      null,
      rows.map((r) =>
        h(
          'tr',
          null,
          h('td', null, r.label),
          h('td', { class: 'num' }, r.a === null ? '–' : fmtFixed(r.a)),
          h('td', { class: 'num' }, r.b === null ? '–' : fmtFixed(r.b)),
          h('td', { class: `num ${tone(r.diff)}` }, fmtDiff(r.diff)),
          h(
            'td',
            { class: 'num' },
            [r.supportA, r.supportB].map((n) => (n === null ? '–' : fmtInt(n))).join(' / '),
          ),
        ),
      ),
    ),
  );
}

function flipSection(c: CompareView, k: 'A' | 'B'): HTMLElement {
  const m = c.models[k === 'A' ? 0 : 1];
  const list = flipList(k === 'A' ? c.flips.onlyA : c.flips.onlyB, c.root);
  const whole = state.expanded.includes(k);
  const shown = whole ? list : list.slice(0, LIST_LIMIT);
  const more =
    list.length > shown.length
      ? h(
          'button',
          {
            type: 'button',
            class: 'secondary small',
            onClick: () => {
              state.expanded.push(k);
              api.setState(state);
              render(c);
            },
          },
          `Show all ${fmtInt(list.length)}`,
        )
      : null;
  return section(
    `Clips only ${k} (${m.name}) gets right (${fmtInt(list.length)})`,
    list.length
      ? h(
          'ul',
          { class: 'file-list' },
          shown.map((f) => h('li', null, clipLink(f.rel, f.path, open))),
        )
      : h('p', { class: 'muted' }, 'None.'),
    more,
  );
}

let current: CompareView | undefined;
function render(c: CompareView): void {
  current = c;
  replaceChildren(
    app,
    header(c),
    verdict(c),
    section('Per-class F1', f1Table(c)),
    flipSection(c, 'A'),
    flipSection(c, 'B'),
  );
}

runPageLifecycle({
  t0,
  onMessage: (handler) => api.onMessage(handler),
  post: (m) => api.post(m),
  initOf: (m) => (m.type === 'init' ? (m as HostToCompare).compare : undefined),
  render,
  redrawCharts: () => {
    if (current) render(current);
  },
  scroll: {
    get: () => state.scrollY,
    set: (y) => {
      state.scrollY = y;
      api.setState(state);
    },
  },
});
