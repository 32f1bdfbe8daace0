/**
 * The dataset inspection webview: totals, clips per label (bar chart), duration histograms per label
 * (small multiples, 0.1 s bins), formats, splits, speaker leakage, problems by kind, duplicates and
 * background files. Every file name opens the clip. This file wires the parts (charts.ts,
 * sections.ts) over one page state (page.ts).
 */
import type { DatasetToHost, DatasetView, HostToDataset } from '../../src/protocol/dataset';
import { debounce, fmtBytes, fmtInt, fmtSeconds, h, replaceChildren } from '../common/dom';
import { runPageLifecycle } from '../common/pageLifecycle';
import { pageHeader, section, stat } from '../common/sections';
import { vscodeApi } from '../common/vscodeApi';
import { chartWidth, renderBars, renderHistograms } from './charts';
import { MapSection } from './mapSection';
import { DatasetPage, type DatasetState } from './page';
import { relativeTo } from '../common/relativePath';
import {
  backgroundSection,
  duplicatesSection,
  formatsSection,
  leakageSection,
  problemsSection,
  splitsSection,
} from './sections';

const t0 = performance.now();
const api = vscodeApi<DatasetToHost, HostToDataset, DatasetState>();
const page = new DatasetPage(api);
const app = document.getElementById('app') ?? document.body;
const barsBox = h('div', { class: 'chart' });
const histBox = h('div', { class: 'multiples' });
let rendered = false;
const mapSection = new MapSection({
  build: () => api.post({ type: 'buildMap' }),
  open: (path) => api.post({ type: 'openClip', path }),
  queue: (paths) => api.post({ type: 'reviewClips', paths }),
  relative: (path) => relativeTo(path, page.data.root),
  painted: (points, checksum) => api.post({ type: 'mapPainted', points, checksum }),
  get hidden() {
    return page.state.mapHidden;
  },
  saveHidden: (hidden) => {
    page.state.mapHidden = hidden;
    page.save();
  },
});
api.onMessage((m) => mapSection.receive(m));

function renderCharts(): void {
  renderBars(barsBox, page.data, chartWidth(app));
  renderHistograms(histBox, page.data);
}

function render(d: DatasetView): void {
  page.load(d);
  mapSection.setRoot(d.root);
  const t = d.totals;
  const durations = d.labels.reduce((a, l) => a + l.durations.length, 0);
  replaceChildren(
    app,
    pageHeader([h('h1', null, 'Dataset'), h('div', { class: 'muted mono', title: d.root }, d.root)], null, [
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
    ]),
    section('Clips per label', barsBox),
    mapSection.el,
    section(
      'Durations per label',
      h(
        'p',
        { class: 'muted hint' },
        `${fmtInt(durations)} clips in 0.1 s bins; the x range is shared, each y axis is its own.`,
      ),
      histBox,
    ),
    formatsSection(page),
    splitsSection(page),
    leakageSection(page),
    problemsSection(page),
    duplicatesSection(page),
    backgroundSection(page),
  );
  rendered = true;
  renderCharts();
}

let lastWidth = 0;
window.addEventListener(
  'resize',
  debounce(() => {
    if (rendered && Math.abs(chartWidth(app) - lastWidth) > 8) {
      lastWidth = chartWidth(app);
      renderBars(barsBox, page.data, lastWidth);
      mapSection.redraw();
    }
  }, 150),
);

runPageLifecycle({
  t0,
  onMessage: (handler) => api.onMessage(handler),
  post: (m) => api.post(m),
  initOf: (m) => (m.type === 'init' ? (m as Extract<HostToDataset, { type: 'init' }>).dataset : undefined),
  render,
  redrawCharts: () => {
    if (rendered) renderCharts();
    mapSection.redraw();
  },
  scroll: {
    get: () => page.state.scrollY,
    set: (y) => {
      page.state.scrollY = y;
      page.save();
    },
  },
});
