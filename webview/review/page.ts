/**
 * The review page's parts as functions of what they show: the summary (header, in-sample warning,
 * notes), the queue tabs, and the card of the shown clip (spectrogram drawn by the editor's
 * drawSpectrogram, play button, the model's top labels, given and suggested label, the decision
 * buttons and label picker). Browser only; the state lives in model.ts, the wiring in main.ts.
 */
import type { ColormapName } from '../../src/audio/colormap';
import type { DecisionView, ReviewView } from '../../src/protocol/review';
import type { SpectrogramView } from '../../src/protocol/editor';
import { clipLink, fmtFixed, fmtInt, fmtPercent, fmtSeconds, h } from '../common/dom';
import { pageHeader, stat } from '../common/sections';
import { drawSpectrogram, readTheme } from '../editor/draw';
import { QUEUES, type Action, type ReviewQueue } from './model';

/** A clip as the host sent it. */
export interface ShownClip {
  path: string;
  durationSec: number;
  spectrogram: SpectrogramView;
  top: { label: string; probability: number }[];
}

/** What the card's controls call. */
export interface CardHandlers {
  act: (a: Action) => void;
  open: (path: string) => void;
}

/** The header, the in-sample warning and the notes. */
export function summary(v: ReviewView, decisions: number, onExport: () => void): HTMLElement[] {
  const groups = new Set(v.queues.duplicates.map((i) => i.group)).size;
  const out: HTMLElement[] = [
    pageHeader(
      [
        h('h1', null, v.title),
        h(
          'div',
          { class: 'muted' },
          'Model ',
          h('strong', null, v.model.name),
          ` · ${fmtInt(v.clips)} clips · ${fmtSeconds(v.timeSec)}`,
        ),
      ],
      h(
        'div',
        { class: 'actions' },
        h(
          'button',
          {
            type: 'button',
            class: 'secondary',
            title: 'Write every decision (keeps too) to a CSV file you choose; no file is moved',
            onClick: onExport,
          },
          'Export decisions',
        ),
      ),
      [
        stat('likely mislabelled', fmtInt(v.queues.suspects.length), v.queues.suspects.length ? 'warn' : ''),
        stat('duplicate groups', fmtInt(groups), groups ? 'warn' : ''),
        stat('outliers', fmtInt(v.queues.outliers.length)),
        stat('unjudged', fmtInt(v.unjudged), v.unjudged ? 'bad' : ''),
        stat('decisions', fmtInt(decisions), 'primary'),
      ],
    ),
  ];
  if (v.inSample) out.push(h('p', { class: 'warn-text in-sample' }, `⚠ ${v.inSample}`));
  if (v.notes.length)
    out.push(
      h(
        'ul',
        { class: 'notes muted' },
        v.notes.map((n) => h('li', null, n)),
      ),
    );
  return out;
}

/** One tab a queue (with its size); empty queues are disabled, the selection's hidden when empty. */
export function queueTabs(v: ReviewView, q: ReviewQueue, onShow: (name: string) => void): HTMLElement {
  return h(
    'div',
    { class: 'queue-tabs', role: 'tablist' },
    QUEUES.filter((t) => t.name !== 'selection' || v.queues.selection.length).map((t) =>
      h(
        'button',
        {
          type: 'button',
          role: 'tab',
          class: t.name === q.queue ? '' : 'secondary',
          'aria-selected': t.name === q.queue ? 'true' : 'false',
          disabled: !v.queues[t.name].length,
          onClick: () => onShow(t.name),
        },
        `${t.title} (${fmtInt(v.queues[t.name].length)})`,
      ),
    ),
  );
}

function decisionText(d: DecisionView | undefined): HTMLElement | null {
  if (!d) return null;
  if (d.kind === 'keep') return h('span', { class: 'badge ok' }, `kept as ${d.to}`);
  return h('span', { class: 'badge warn' }, `moved to ${d.to}/ (U or Ctrl+Z here: undo)`);
}

function topList(top: ShownClip['top'] | undefined, given: string): HTMLElement {
  if (!top) return h('p', { class: 'muted' }, 'Loading the model’s labels…');
  if (!top.length) return h('p', { class: 'muted' }, 'No prediction for this clip.');
  return h(
    'ol',
    { class: 'top-labels' },
    top
      .slice(0, 3)
      .map((t) =>
        h(
          'li',
          { class: t.label === given ? 'given' : '' },
          h('span', { class: 'top-label' }, t.label),
          h(
            'span',
            { class: 'bar' },
            h('span', { class: 'fill neutral', dataset: { w: String(t.probability) } }),
          ),
          h('span', { class: 'num' }, fmtPercent(t.probability)),
        ),
      ),
  );
}

/** The shown clip's card; `spectrogram` is drawn into its canvas by `paintCard`. */
export function card(
  v: ReviewView,
  q: ReviewQueue,
  clip: ShownClip | undefined,
  status: { playing: boolean; error?: string; message?: string },
  on: CardHandlers,
): HTMLElement {
  const item = q.current;
  if (!item) return h('p', { class: 'muted' }, 'Nothing in this queue.');
  const d = q.decision(item);
  const suggestion = item.suggested && item.suggested !== item.label ? item.suggested : undefined;
  const picker = h(
    'select',
    {
      'aria-label': 'Move to label',
      onChange: (e: Event) => {
        const label = (e.target as HTMLSelectElement).value;
        if (label) on.act({ kind: 'pick', label });
      },
    },
    h('option', { value: '' }, 'Move to label…'),
    v.labels.map((l, i) =>
      h('option', { value: l, disabled: l === item.label }, `${i < 9 ? `${i + 1}  ` : ''}${l}`),
    ),
  );
  return h(
    'div',
    { class: 'queue-card' },
    h(
      'div',
      { class: 'card-head' },
      h('span', { class: 'muted' }, `${fmtInt(q.index + 1)} of ${fmtInt(q.items.length)} · `),
      clipLink(item.rel, item.path, on.open),
      ' ',
      decisionText(d),
    ),
    h(
      'p',
      { class: 'muted note' },
      item.note,
      item.score !== undefined ? ` · score ${fmtFixed(item.score)}` : '',
    ),
    h('canvas', { class: 'review-spectrogram', dataset: { h: '200' } }),
    status.error ? h('p', { class: 'error-text' }, status.error) : null,
    h(
      'div',
      { class: 'toolbar-row' },
      h(
        'button',
        { type: 'button', class: 'play', onClick: () => on.act({ kind: 'play' }), disabled: !clip },
        status.playing ? '■ Stop (Space)' : '▶ Play (Space)',
      ),
      clip ? h('span', { class: 'muted' }, fmtSeconds(clip.durationSec)) : null,
    ),
    h(
      'div',
      { class: 'labels-row' },
      h(
        'div',
        null,
        h('h3', null, 'Model'),
        topList(clip?.path === item.path ? clip.top : status.error ? [] : undefined, item.label),
      ),
      h(
        'div',
        null,
        h('h3', null, 'Label'),
        h('p', null, 'Given: ', h('strong', null, item.label)),
        h(
          'p',
          null,
          'Suggested: ',
          suggestion ? h('strong', null, suggestion) : h('span', { class: 'muted' }, '–'),
        ),
      ),
    ),
    h(
      'div',
      { class: 'toolbar-row decide' },
      h(
        'button',
        { type: 'button', disabled: !suggestion, onClick: () => on.act({ kind: 'accept' }) },
        suggestion ? `Accept ${suggestion} (A)` : 'Accept (A)',
      ),
      h(
        'button',
        { type: 'button', class: 'secondary', onClick: () => on.act({ kind: 'keep' }) },
        'Keep (K)',
      ),
      picker,
      h('span', { class: 'spacer' }),
      h(
        'button',
        { type: 'button', class: 'secondary', onClick: () => on.act({ kind: 'prev' }) },
        '← Previous',
      ),
      h(
        'button',
        { type: 'button', class: 'secondary', onClick: () => on.act({ kind: 'next' }) },
        'Next (J) →',
      ),
    ),
    status.message ? h('p', { class: 'muted' }, status.message) : null,
    h(
      'p',
      { class: 'muted hint' },
      'Keys: Space play · A accept · K keep · 1–9 move to the n-th label · J / ↓ next · Shift+J / ↑ previous · U undo the move · E export decisions. ' +
        'Every move is confirmed first and can be undone.',
    ),
  );
}

/** Draws the card's spectrogram and sizes its probability bars (after the card is in the page). */
export function paintCard(
  root: HTMLElement,
  clip: ShownClip | undefined,
  settings: { colormap: string; dbFloor: number },
): void {
  const canvas = root.querySelector<HTMLCanvasElement>('canvas.review-spectrogram');
  if (canvas)
    drawSpectrogram(
      canvas,
      root.clientWidth,
      clip?.spectrogram,
      [0, clip ? Math.min(clip.durationSec, clip.spectrogram.endSec) : 1],
      { colormap: settings.colormap as ColormapName, dbFloor: settings.dbFloor, melScale: false },
      readTheme(),
    );
  for (const f of root.querySelectorAll<HTMLElement>('.top-labels .fill'))
    f.style.width = `${Math.round(100 * Number(f.dataset.w))}%`;
}
