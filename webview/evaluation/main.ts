/**
 * The evaluation page: headline figures, the DET curve (det.ts), the operating points (FRR at 0.1, 0.5,
 * 1 and 5 FA/h with their Wilson 95 % interval, overall and per keyword), and the false accepts and
 * misses at a threshold the user sets (the host recomputes them), each a link that opens the recording in
 * the editor at its time, and those false accepts exported as WAV snippets.
 */
import type {
  EvaluationToHost,
  EvaluationView,
  EventView,
  EventsView,
  HostToEvaluation,
} from '../../src/protocol/evaluation';
import { fmtFixed, fmtInt, fmtPercent, fmtSeconds, h, replaceChildren } from '../common/dom';
import { runPageLifecycle } from '../common/pageLifecycle';
import { headRow, pageHeader, section, stat } from '../common/sections';
import { vscodeApi } from '../common/vscodeApi';
import { DetPlot } from './det';
import { fmtTime, sortEvents } from './model';

interface EvaluationState {
  /** The threshold events are listed at (-1 until the evaluation's default is taken). */
  threshold: number;
  scrollY: number;
}

const t0 = performance.now();
const api = vscodeApi<EvaluationToHost, HostToEvaluation, EvaluationState>();
const state: EvaluationState = { threshold: -1, scrollY: 0, ...(api.getState() ?? {}) };
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

/** The events shown and the threshold asked for (the host answers `eventsAt` with `events`). */
let shown: EventsView | undefined;
const eventsBody = h('div');

function drawEvents(): void {
  const ev = shown;
  if (!ev || ev.threshold !== state.threshold)
    return replaceChildren(eventsBody, h('p', { class: 'muted' }, 'Listing…'));
  replaceChildren(
    eventsBody,
    h('h3', null, `False accepts (${ev.falseAccepts.length})`),
    eventList(ev.falseAccepts, false),
    h('h3', null, `Misses (${ev.misses.length})`),
    eventList(ev.misses, true),
  );
}

/** Lists the events at `t`: from the evaluation when it has them, else asked of the host. */
function showEventsAt(e: EvaluationView, t: number): void {
  state.threshold = t;
  api.setState(state);
  const known = e.events.find((x) => x.threshold === t);
  if (known) shown = known;
  else api.post({ type: 'eventsAt', threshold: t });
  drawEvents();
}

function eventsSection(e: EvaluationView): HTMLElement {
  const input = h('input', {
    type: 'number',
    class: 'threshold-input',
    min: '0',
    max: '1',
    step: '0.01',
    'aria-label': 'Threshold',
    value: String(state.threshold),
    onChange: () => {
      const t = Number(input.value);
      if (input.value !== '' && t >= 0 && t <= 1) showEventsAt(e, t);
    },
  });
  const presets = e.curves[0].operatingPoints.flatMap((p) =>
    p.threshold === null
      ? []
      : [
          h(
            'button',
            {
              type: 'button',
              class: 'secondary small',
              title: `threshold ${p.threshold}`,
              onClick: () => {
                input.value = String(p.threshold);
                showEventsAt(e, p.threshold!);
              },
            },
            `${p.faPerHour} FA/h`,
          ),
        ],
  );
  const margin = h('input', {
    type: 'number',
    class: 'threshold-input',
    min: '0',
    max: '2000',
    step: '50',
    value: '0',
    'aria-label': 'Snippet margin in ms',
  });
  const exportButton = h(
    'button',
    {
      type: 'button',
      title: `Each false accept at this threshold as a WAV file: the model's ${fmtFixed(e.windowMs, 0)}-ms window ending at the detection, plus the margin either side`,
      onClick: () =>
        api.post({
          type: 'exportFalseAccepts',
          threshold: state.threshold,
          marginMs: Math.max(0, Math.min(2000, Number(margin.value) || 0)),
        }),
    },
    'Export false accepts as WAV…',
  );
  showEventsAt(e, state.threshold);
  return section(
    'False accepts and misses',
    h(
      'div',
      { class: 'toolbar-row' },
      h('label', { class: 'inline' }, 'Threshold ', input),
      ...presets,
      h('span', { class: 'spacer' }),
      h('label', { class: 'inline' }, 'margin (ms) ', margin),
      exportButton,
    ),
    h('p', { class: 'muted hint' }, 'Each opens the recording in the Wavebench editor at that time.'),
    eventsBody,
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
  if (!(state.threshold >= 0 && state.threshold <= 1)) state.threshold = e.threshold;
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
api.onMessage((m) => {
  if (m.type !== 'events') return;
  shown = m.events;
  drawEvents();
});
runPageLifecycle({
  t0,
  onMessage: (handler) => api.onMessage(handler),
  post: (m) => api.post(m),
  initOf: (m) =>
    m.type === 'init' ? (m as Extract<HostToEvaluation, { type: 'init' }>).evaluation : undefined,
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
