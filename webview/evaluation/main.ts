/**
 * The evaluation page: headline figures, the DET curve (det.ts), the operating points (FRR at 0.1, 0.5,
 * 1 and 5 FA/h with their Wilson 95 % interval, overall and per keyword), and the false accepts and
 * misses at an operating point's threshold, each a link that opens the recording in the editor at its time.
 */
import type {
  EvaluationToHost,
  EvaluationView,
  EventView,
  HostToEvaluation,
} from '../../src/protocol/evaluation';
import { fmtFixed, fmtInt, fmtPercent, fmtSeconds, h, replaceChildren } from '../common/dom';
import { runPageLifecycle } from '../common/pageLifecycle';
import { headRow, pageHeader, section, stat } from '../common/sections';
import { vscodeApi } from '../common/vscodeApi';
import { DetPlot } from './det';
import { fmtTime, sortEvents } from './model';

interface EvaluationState {
  eventsAt: number;
  scrollY: number;
}

const t0 = performance.now();
const api = vscodeApi<EvaluationToHost, HostToEvaluation, EvaluationState>();
const state: EvaluationState = { eventsAt: 0, scrollY: 0, ...(api.getState() ?? {}) };
const app = document.getElementById('app') ?? document.body;
let plot: DetPlot | undefined;
const LIST_LIMIT = 500;

function header(e: EvaluationView): HTMLElement {
  const all = e.curves[0];
  const at1 = all.operatingPoints.find((p) => p.faPerHour === 1);
  return pageHeader(
    [
      h('h1', null, e.title, e.cancelled ? h('span', { class: 'badge warn' }, 'cancelled') : null),
      h(
        'div',
        { class: 'muted' },
        'Model ',
        h('strong', null, e.model.name),
        ` · stride ${e.rules.windowStrideMs} ms · average ${e.rules.averageMs} ms · suppression ` +
          `${e.rules.suppressionMs} ms · tolerance ${e.rules.toleranceMs} ms`,
      ),
    ],
    null,
    [
      stat('FRR at 1 FA/h', fmtPercent(at1?.frr), 'primary'),
      stat('hours', fmtFixed(e.hours, 2)),
      stat('words', fmtInt(e.words)),
      stat('recordings', fmtInt(e.recordings)),
      stat('skipped', fmtInt(e.skipped.length), e.skipped.length ? 'bad' : ''),
      stat('time', fmtSeconds(e.timeSec)),
    ],
  );
}

function operatingTable(e: EvaluationView): HTMLElement {
  const rates = e.curves[0].operatingPoints.map((p) => p.faPerHour);
  if (!rates.length)
    return h(
      'p',
      { class: 'muted' },
      'Evaluated at fixed thresholds: the curve has only those points, no operating points.',
    );
  return h(
    'table',
    { class: 'data' },
    headRow(
      h('th', null, 'keyword'),
      h('th', { class: 'num' }, 'words'),
      rates.map((r) => h('th', { class: 'num' }, `FRR at ${r} FA/h`)),
    ),
    h(
      'tbody',
      null,
      e.curves.map((c) =>
        h(
          'tr',
          null,
          h('th', { scope: 'row' }, c.label),
          h('td', { class: 'num' }, fmtInt(c.words)),
          rates.map((r) => {
            const p = c.operatingPoints.find((q) => q.faPerHour === r);
            if (!p || p.frr === null) return h('td', { class: 'num muted' }, '–');
            return h(
              'td',
              {
                class: 'num',
                title: p.threshold === null ? 'no threshold meets it' : `threshold ${fmtFixed(p.threshold)}`,
              },
              fmtPercent(p.frr),
              h('span', { class: 'muted' }, ` (${fmtPercent(p.frrLow, 0)}–${fmtPercent(p.frrHigh, 0)})`),
            );
          }),
        ),
      ),
    ),
  );
}

function eventList(events: EventView[], miss: boolean): HTMLElement {
  if (!events.length) return h('p', { class: 'muted' }, miss ? 'No misses.' : 'No false accepts.');
  const rows = sortEvents(events).slice(0, LIST_LIMIT);
  return h(
    'div',
    null,
    h(
      'ul',
      { class: 'event-list' },
      rows.map((ev) =>
        h(
          'li',
          null,
          h(
            'button',
            {
              class: 'link',
              type: 'button',
              title: `${ev.path} (opens the recording at ${fmtTime(ev.timeSec)})`,
              onClick: () => api.post({ type: 'openRecording', path: ev.path, timeSec: ev.timeSec }),
            },
            `${ev.rel} @ ${fmtTime(ev.timeSec)}`,
          ),
          ` ${ev.label}`,
          h(
            'span',
            { class: 'muted' },
            miss ? ` (to ${fmtTime(ev.endSec ?? ev.timeSec)})` : ` score ${fmtFixed(ev.score)}`,
          ),
        ),
      ),
    ),
    events.length > LIST_LIMIT
      ? h('p', { class: 'muted' }, `First ${LIST_LIMIT} of ${events.length}.`)
      : null,
  );
}

function eventsSection(e: EvaluationView): HTMLElement {
  const body = h('div');
  const draw = () => {
    const ev = e.events[state.eventsAt];
    if (!ev) return replaceChildren(body, h('p', { class: 'muted' }, 'No operating point has a threshold.'));
    replaceChildren(
      body,
      h('h3', null, `False accepts (${ev.falseAccepts.length})`),
      eventList(ev.falseAccepts, false),
      h('h3', null, `Misses (${ev.misses.length})`),
      eventList(ev.misses, true),
    );
  };
  const pick = h(
    'select',
    {
      'aria-label': 'Threshold',
      onChange: (x: Event) => {
        state.eventsAt = Number((x.target as HTMLSelectElement).value);
        api.setState(state);
        draw();
      },
    },
    e.events.map((ev, i) => {
      const rates = e.curves[0].operatingPoints
        .filter((p) => p.threshold === ev.threshold)
        .map((p) => `${p.faPerHour} FA/h`);
      const o = h(
        'option',
        { value: String(i) },
        `threshold ${fmtFixed(ev.threshold)}${rates.length ? ` (${rates.join(', ')})` : ''}`,
      );
      o.selected = i === state.eventsAt;
      return o;
    }),
  );
  draw();
  if (!e.events.length)
    return section(
      'False accepts and misses',
      h(
        'p',
        { class: 'muted' },
        'Listed at the operating points’ thresholds: no operating point here has one (too little audio for these rates).',
      ),
    );
  return section(
    'False accepts and misses',
    h(
      'p',
      { class: 'muted hint' },
      'At ',
      pick,
      '; each opens the recording in the Wavebench editor at that time.',
    ),
    body,
  );
}

function problems(e: EvaluationView): HTMLElement | null {
  const lines = [...e.skipped.map((s) => `${s.path}: ${s.reason}`), ...e.truthProblems];
  if (!lines.length) return null;
  return section(
    'Not used',
    h(
      'ul',
      { class: 'problems' },
      lines.map((l) => h('li', null, l)),
    ),
  );
}

function render(e: EvaluationView): void {
  if (state.eventsAt >= e.events.length) state.eventsAt = 0;
  plot = new DetPlot(e.curves);
  replaceChildren(
    app,
    header(e),
    section('DET curve', plot.box),
    section(
      'Operating points',
      h('p', { class: 'muted hint' }, 'FRR read off the curve at each rate, with its 95 % Wilson interval.'),
      operatingTable(e),
    ),
    eventsSection(e),
    problems(e),
  );
  plot.render();
}

window.addEventListener('resize', () => plot?.render());
runPageLifecycle({
  t0,
  onMessage: (handler) => api.onMessage(handler),
  post: (m) => api.post(m),
  initOf: (m) => (m.type === 'init' ? (m as HostToEvaluation).evaluation : undefined),
  render,
  redrawCharts: () => plot?.render(),
  scroll: {
    get: () => state.scrollY,
    set: (y) => {
      state.scrollY = y;
      api.setState(state);
    },
  },
});
