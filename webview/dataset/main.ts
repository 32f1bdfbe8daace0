/**
 * The dataset inspection webview: totals, clips per label (bar chart), duration histograms per label
 * (small multiples, 0.1 s bins), formats, splits, speaker leakage, problems by kind, duplicates and
 * background files. Every file name opens the clip.
 */
import { relativeTo } from '../common/relativePath';
import type { DatasetToHost, DatasetView, HostToDataset } from '../../src/protocol/dataset';
import { runReportView } from '../common/reportLifecycle';
import { vscodeApi } from '../common/vscodeApi';
import {
  clipLink,
  debounce,
  fmtBytes,
  fmtInt,
  fmtPercent,
  fmtSeconds,
  h,
  replaceChildren,
  s,
} from '../common/dom';
import {
  BIN_SEC,
  duplicateFlags,
  durationRange,
  groupProblems,
  histogram,
  labelsByCount,
  median,
  offTarget,
  sortDuplicates,
  splitRows,
} from './model';

const t0 = performance.now();

interface State {
  open: Record<string, boolean>;
  scrollY: number;
}

const api = vscodeApi<DatasetToHost, HostToDataset, State>();
const saved = api.getState();
const state: State = { open: saved?.open ?? {}, scrollY: saved?.scrollY ?? 0 };
const save = () => api.setState({ ...state });

const app = document.getElementById('app') ?? document.body;
const open = (path: string) => api.post({ type: 'openClip', path });

let data: DatasetView;
const LIST_LIMIT = 200;

const barsBox = h('div', { class: 'chart' });
const histBox = h('div', { class: 'multiples' });

function section(title: string, ...body: (Node | string | null)[]): HTMLElement {
  return h('section', null, h('h2', null, title), ...body);
}

function stat(label: string, value: string, cls = ''): HTMLElement {
  return h(
    'div',
    { class: `stat ${cls}` },
    h('div', { class: 'stat-value' }, value),
    h('div', { class: 'stat-label' }, label),
  );
}

function fileLink(path: string): HTMLButtonElement {
  return clipLink(relativeTo(path, data.root), path, open);
}

/** A list of files, the first LIST_LIMIT shown, with a button for the rest. */
function fileList(items: { path: string; note?: string }[]): HTMLElement {
  const ul = h('ul', { class: 'file-list' });
  let shown = 0;
  const more = h('button', { type: 'button', class: 'secondary small' });
  const add = (n: number) => {
    const end = Math.min(items.length, shown + n);
    for (; shown < end; shown++) {
      const it = items[shown];
      ul.appendChild(
        h('li', null, fileLink(it.path), it.note ? h('span', { class: 'muted note' }, it.note) : null),
      );
    }
    more.textContent = `Show more (${fmtInt(items.length - shown)} left)`;
    more.hidden = shown >= items.length;
  };
  more.addEventListener('click', () => add(1000));
  add(LIST_LIMIT);
  return h('div', null, ul, more);
}

/** A collapsible block whose open state persists. */
function details(
  key: string,
  summary: (Node | string)[],
  body: () => Node,
  defaultOpen = false,
): HTMLElement {
  const d = h('details', { class: 'group' }, h('summary', null, ...summary));
  let filled = false;
  const fill = () => {
    if (d.open && !filled) {
      filled = true;
      d.appendChild(body());
    }
  };
  d.open = state.open[key] ?? defaultOpen;
  fill();
  d.addEventListener('toggle', () => {
    state.open[key] = d.open;
    save();
    fill();
  });
  return d;
}

// ---- charts -----------------------------------------------------------------------------------

function chartWidth(): number {
  return Math.max(320, Math.min(900, (app.clientWidth || 800) - 8));
}

function renderBars(): void {
  const labels = labelsByCount(data.labels);
  if (labels.length === 0) {
    replaceChildren(barsBox, h('p', { class: 'muted' }, 'No labelled clips.'));
    return;
  }
  const width = chartWidth();
  const row = 20;
  const labelW = Math.min(200, 16 + 7 * Math.max(...labels.map((l) => l.label.length)));
  const countW = 56;
  const max = Math.max(1, ...labels.map((l) => l.count));
  const mean = labels.reduce((a, l) => a + l.count, 0) / labels.length;
  const plotW = width - labelW - countW;
  const height = labels.length * row + 4;
  const svg = s('svg', { width, height, role: 'img', 'aria-label': 'Clips per label', class: 'bars' });
  const mx = labelW + (mean / max) * plotW;
  svg.appendChild(
    s(
      'line',
      { x1: mx, x2: mx, y1: 0, y2: height, class: 'mean-line' },
      s('title', null, `mean ${mean.toFixed(1)}`),
    ),
  );
  labels.forEach((l, i) => {
    const y = i * row + 2;
    const w = Math.max(l.count > 0 ? 1 : 0, (l.count / max) * plotW);
    const low = l.count < mean * 0.5;
    svg.appendChild(
      s(
        'text',
        { x: labelW - 8, y: y + row / 2, class: 'axis-label end', 'dominant-baseline': 'middle' },
        l.label,
      ),
    );
    svg.appendChild(
      s(
        'rect',
        { x: labelW, y: y + 3, width: w, height: row - 6, class: low ? 'bar-fill low' : 'bar-fill' },
        s('title', null, `${l.label}: ${fmtInt(l.count)} clips`),
      ),
    );
    svg.appendChild(
      s(
        'text',
        { x: labelW + w + 6, y: y + row / 2, class: 'axis-label halo', 'dominant-baseline': 'middle' },
        fmtInt(l.count),
      ),
    );
  });
  replaceChildren(
    barsBox,
    svg,
    h(
      'p',
      { class: 'muted hint' },
      `Dashed line: mean ${mean.toFixed(1)} clips per label; labels under half the mean are marked.`,
    ),
  );
}

function renderHistograms(): void {
  const labels = [...data.labels].sort((a, b) => (a.label < b.label ? -1 : 1));
  const range = durationRange(labels.map((l) => l.durations));
  if (!range) {
    replaceChildren(histBox, h('p', { class: 'muted' }, 'No durations.'));
    return;
  }
  const w = 220;
  const hgt = 86;
  const pad = { l: 6, r: 6, t: 16, b: 16 };
  const cards = labels.map((l) => {
    const hist = histogram(l.durations, range.first, range.last);
    const max = Math.max(1, ...hist.counts);
    const n = hist.counts.length;
    const bw = (w - pad.l - pad.r) / n;
    const svg = s('svg', { width: w, height: hgt, role: 'img', 'aria-label': `Durations of ${l.label}` });
    hist.counts.forEach((c, i) => {
      if (c === 0) return;
      const bh = (c / max) * (hgt - pad.t - pad.b);
      const start = (range.first + i) * BIN_SEC;
      svg.appendChild(
        s(
          'rect',
          {
            x: pad.l + i * bw + 0.5,
            y: hgt - pad.b - bh,
            width: Math.max(1, bw - 1),
            height: bh,
            class: 'hist-fill',
          },
          s('title', null, `${start.toFixed(1)}–${(start + BIN_SEC).toFixed(1)} s: ${c}`),
        ),
      );
    });
    svg.appendChild(
      s('line', { x1: pad.l, x2: w - pad.r, y1: hgt - pad.b + 0.5, y2: hgt - pad.b + 0.5, class: 'axis' }),
    );
    svg.appendChild(
      s(
        'text',
        { x: pad.l, y: hgt - 3, class: 'axis-label small' },
        `${(range.first * BIN_SEC).toFixed(1)} s`,
      ),
    );
    svg.appendChild(
      s(
        'text',
        { x: w - pad.r, y: hgt - 3, class: 'axis-label small end' },
        `${((range.last + 1) * BIN_SEC).toFixed(1)} s`,
      ),
    );
    svg.appendChild(s('text', { x: pad.l, y: 11, class: 'axis-label small' }, `max ${max}`));
    return h(
      'figure',
      { class: 'multiple' },
      h(
        'figcaption',
        null,
        h('strong', null, l.label),
        h(
          'span',
          { class: 'muted' },
          ` · ${fmtInt(l.durations.length)} · median ${fmtSeconds(median(l.durations))}`,
        ),
      ),
      svg,
    );
  });
  replaceChildren(histBox, ...cards);
}

function renderCharts(): void {
  renderBars();
  renderHistograms();
}

// ---- tables -----------------------------------------------------------------------------------

function formatsSection(): HTMLElement {
  const total = data.formats.reduce((a, f) => a + f.count, 0);
  return section(
    'Formats',
    h(
      'table',
      { class: 'data' },
      h(
        'thead',
        null,
        h(
          'tr',
          null,
          h('th', null, 'format'),
          h('th', { class: 'num' }, 'files'),
          h('th', { class: 'num' }, 'share'),
          h('th', null, 'examples'),
        ),
      ),
      h(
        'tbody',
        null,
        data.formats.map((f, i) =>
          h(
            'tr',
            { class: i === 0 ? '' : 'odd-format' },
            h(
              'td',
              null,
              f.key,
              ' ',
              i === 0
                ? h('span', { class: 'badge ok' }, 'most common')
                : h('span', { class: 'badge warn' }, 'odd'),
            ),
            h('td', { class: 'num' }, fmtInt(f.count)),
            h('td', { class: 'num' }, fmtPercent(total ? f.count / total : 0)),
            h(
              'td',
              { class: 'examples' },
              f.examples.slice(0, 3).map((p) => fileLink(p)),
            ),
          ),
        ),
      ),
    ),
    data.oddFormats.length
      ? details('oddFormats', [`Files in an odd format (${fmtInt(data.oddFormats.length)})`], () =>
          fileList(data.oddFormats.map((o) => ({ path: o.path, note: o.format }))),
        )
      : h('p', { class: 'muted' }, 'Every file has the same format.'),
  );
}

function splitsSection(): HTMLElement {
  const { rows, totals } = splitRows(data);
  const pv = data.splitPercent.validation;
  const pt = data.splitPercent.testing;
  const pct = (share: number, target: number) =>
    h(
      'td',
      { class: `num${offTarget(share, target) ? ' warn-text' : ''}`, title: `target ${target}%` },
      fmtPercent(share),
    );
  const tr = (r: (typeof rows)[number], cls = '') =>
    h(
      'tr',
      { class: cls },
      h('td', null, r.label),
      h('td', { class: 'num' }, fmtInt(r.training)),
      h('td', { class: 'num' }, fmtInt(r.validation)),
      h('td', { class: 'num' }, fmtInt(r.testing)),
      h('td', { class: 'num' }, fmtInt(r.total)),
      pct(r.validationPct, pv),
      pct(r.testingPct, pt),
    );
  return section(
    'Splits',
    h(
      'p',
      null,
      'Source: ',
      h(
        'span',
        { class: 'badge' },
        data.splitSource === 'hash' ? 'hash of file name' : 'validation/testing lists',
      ),
      h(
        'span',
        { class: 'muted' },
        ` · target validation ${pv}%, testing ${pt}%; shares more than 3 points off are highlighted.`,
      ),
    ),
    h(
      'div',
      { class: 'table-wrap' },
      h(
        'table',
        { class: 'data auto' },
        h(
          'thead',
          null,
          h(
            'tr',
            null,
            ['label', 'training', 'validation', 'testing', 'total', 'val %', 'test %'].map((t, i) =>
              h('th', { class: i ? 'num' : '' }, t),
            ),
          ),
        ),
        h(
          'tbody',
          null,
          rows.map((r) => tr(r)),
        ),
        h('tfoot', null, tr(totals, 'totals')),
      ),
    ),
  );
}

function leakageSection(): HTMLElement {
  const l = data.leakage;
  return section(
    `Speaker leakage (${fmtInt(l.length)})`,
    l.length === 0
      ? h('p', null, h('span', { class: 'badge ok' }, '✓'), ' No speaker appears in more than one split.')
      : h(
          'div',
          null,
          h(
            'p',
            { class: 'muted' },
            'These speakers have clips in more than one split, so the held-out scores are optimistic.',
          ),
          h(
            'table',
            { class: 'data auto' },
            h(
              'thead',
              null,
              h(
                'tr',
                null,
                h('th', null, 'speaker'),
                h('th', null, 'splits'),
                h('th', { class: 'num' }, 'files'),
              ),
            ),
            h(
              'tbody',
              null,
              [...l]
                .sort((a, b) => b.files - a.files)
                .slice(0, 500)
                .map((x) =>
                  h(
                    'tr',
                    null,
                    h('td', { class: 'mono' }, x.speaker),
                    h(
                      'td',
                      null,
                      x.splits.map((sp) => h('span', { class: 'badge warn' }, sp)),
                    ),
                    h('td', { class: 'num' }, fmtInt(x.files)),
                  ),
                ),
            ),
          ),
          l.length > 500 ? h('p', { class: 'muted' }, `… and ${fmtInt(l.length - 500)} more.`) : null,
        ),
  );
}

function problemsSection(): HTMLElement {
  const groups = groupProblems(data.problems);
  return section(
    `Problems (${fmtInt(data.problems.length)})`,
    groups.length === 0
      ? h('p', null, h('span', { class: 'badge ok' }, '✓'), ' No problems found.')
      : h(
          'div',
          null,
          groups.map((g) =>
            details(
              `problem:${g.kind}`,
              [
                h(
                  'span',
                  { class: `badge ${g.kind === 'unreadable' || g.kind === 'empty' ? 'bad' : 'warn'}` },
                  g.kind,
                ),
                ` ${fmtInt(g.items.length)} file${g.items.length === 1 ? '' : 's'}`,
              ],
              () => fileList(g.items.map((p) => ({ path: p.path, note: p.message }))),
              data.problems.length <= 40,
            ),
          ),
        ),
  );
}

function duplicatesSection(): HTMLElement {
  const groups = sortDuplicates(data.duplicates);
  const shown = groups.slice(0, 300);
  return section(
    `Duplicates (${fmtInt(groups.length)} group${groups.length === 1 ? '' : 's'})`,
    groups.length === 0
      ? h('p', null, h('span', { class: 'badge ok' }, '✓'), ' No identical files.')
      : h(
          'div',
          { class: 'dup-list' },
          shown.map((g) => {
            const f = duplicateFlags(g);
            return h(
              'div',
              { class: `dup${f.labelConflict ? ' conflict' : ''}` },
              h(
                'div',
                { class: 'dup-head' },
                h('span', { class: 'mono muted', title: g.hash }, g.hash.slice(0, 10)),
                h('span', null, ` ${g.paths.length} copies · labels `),
                g.labels.map((l) => h('span', { class: `badge${f.labelConflict ? ' bad' : ''}` }, l)),
                h('span', null, ' · splits '),
                g.splits.map((sp) => h('span', { class: `badge${f.splitLeak ? ' warn' : ''}` }, sp)),
                f.labelConflict ? h('span', { class: 'flag bad-text' }, 'different labels') : null,
                f.splitLeak ? h('span', { class: 'flag warn-text' }, 'crosses splits') : null,
              ),
              h(
                'ul',
                { class: 'file-list compact' },
                g.paths.map((p) => h('li', null, fileLink(p))),
              ),
            );
          }),
          groups.length > shown.length
            ? h('p', { class: 'muted' }, `… and ${fmtInt(groups.length - shown.length)} more groups.`)
            : null,
        ),
  );
}

function backgroundSection(): HTMLElement | null {
  if (data.background.length === 0) return null;
  return section(
    `Background files (${fmtInt(data.background.length)})`,
    fileList(data.background.map((p) => ({ path: p }))),
  );
}

// ---- main -------------------------------------------------------------------------------------

function render(d: DatasetView): void {
  data = d;
  const t = d.totals;
  const durations = d.labels.reduce((a, l) => a + l.durations.length, 0);
  replaceChildren(
    app,
    h(
      'header',
      { class: 'page-header' },
      h(
        'div',
        { class: 'title-row' },
        h(
          'div',
          { class: 'title-block' },
          h('h1', null, 'Dataset'),
          h('div', { class: 'muted mono', title: d.root }, d.root),
        ),
      ),
      h(
        'div',
        { class: 'stats' },
        stat('files', fmtInt(t.files), 'primary'),
        stat('readable', fmtInt(t.readable), t.readable < t.files ? 'bad' : ''),
        stat('labels', fmtInt(d.labels.length)),
        stat('audio', fmtSeconds(t.durationSec)),
        stat('size', fmtBytes(t.bytes)),
        stat('problems', fmtInt(d.problems.length), d.problems.length ? 'warn' : ''),
        stat('duplicate groups', fmtInt(d.duplicates.length), d.duplicates.length ? 'warn' : ''),
        stat('leaking speakers', fmtInt(d.leakage.length), d.leakage.length ? 'warn' : ''),
        stat('background', fmtInt(d.background.length)),
        stat('time', fmtSeconds(d.timeSec)),
      ),
    ),
    section('Clips per label', barsBox),
    section(
      'Durations per label',
      h(
        'p',
        { class: 'muted hint' },
        `${fmtInt(durations)} clips in 0.1 s bins; the x range is shared, each y axis is its own.`,
      ),
      histBox,
    ),
    formatsSection(),
    splitsSection(),
    leakageSection(),
    problemsSection(),
    duplicatesSection(),
    backgroundSection(),
  );
  renderCharts();
}

let lastWidth = 0;
window.addEventListener(
  'resize',
  debounce(() => {
    if (data && Math.abs(chartWidth() - lastWidth) > 8) {
      lastWidth = chartWidth();
      renderBars();
    }
  }, 150),
);

runReportView({
  t0,
  onMessage: (handler) => api.onMessage(handler),
  post: (m) => api.post(m),
  initOf: (m) => (m.type === 'init' ? (m as Extract<HostToDataset, { type: 'init' }>).dataset : undefined),
  render,
  redrawCharts: () => {
    if (data) renderCharts();
  },
  scroll: {
    get: () => state.scrollY,
    set: (y) => {
      state.scrollY = y;
      save();
    },
  },
});
