/** The dataset page's charts: clips per label, durations per label. SVG, coloured by the theme's CSS. */
import type { DatasetView } from '../../src/protocol/dataset';
import { fmtInt, fmtSeconds, h, replaceChildren, s } from '../common/dom';
import { BIN_SEC, durationRange, histogram, labelsByCount, median } from './model';

/** The width the charts are drawn at: the page's, within 320..900 px. */
export function chartWidth(app: HTMLElement): number {
  return Math.max(320, Math.min(900, (app.clientWidth || 800) - 8));
}

/** Clips per label as horizontal bars, with the mean marked, into `box`. */
export function renderBars(box: HTMLElement, data: DatasetView, width: number): void {
  const labels = labelsByCount(data.labels);
  if (labels.length === 0) {
    replaceChildren(box, h('p', { class: 'muted' }, 'No labelled clips.'));
    return;
  }
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
    box,
    svg,
    h(
      'p',
      { class: 'muted hint' },
      `Dashed line: mean ${mean.toFixed(1)} clips per label; labels under half the mean are marked.`,
    ),
  );
}

/** Duration histograms per label (small multiples over one shared x range), into `box`. */
export function renderHistograms(box: HTMLElement, data: DatasetView): void {
  const labels = [...data.labels].sort((a, b) => (a.label < b.label ? -1 : 1));
  const range = durationRange(labels.map((l) => l.durations));
  if (!range) {
    replaceChildren(box, h('p', { class: 'muted' }, 'No durations.'));
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
  replaceChildren(box, ...cards);
}
