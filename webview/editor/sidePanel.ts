/** The editor's side panel (DOM): the file's facts and levels, then the model and its prediction. */
import { h } from '../common/dom';
import { fmtDb, fmtTime } from './model';
import type { TruthOutcomes } from './lanes';
import type { ModelView, PredictionView, WavFactsView } from '../../src/protocol/editor';

/** The side panel: the file's facts and levels, then the model and its prediction. */
export function sidePanel(
  f: WavFactsView,
  model: ModelView | undefined,
  pred: PredictionView | undefined,
  predError: string | undefined,
  truth: { problems: string[]; outcomes: TruthOutcomes | undefined },
): HTMLElement[] {
  const facts = h('div', { class: 'wb-facts' });
  facts.append(h('h3', null, f.name));
  const dl = h('dl');
  const add = (k: string, v: string) => dl.append(h('dt', null, k), h('dd', null, v));
  add('Format', f.formatLabel ?? `${f.container} ${f.format} ${f.bitsPerSample}-bit`);
  add('Rate', `${f.sampleRate} Hz`);
  add('Channels', String(f.channels));
  add('Duration', `${fmtTime(f.durationSec)} (${f.frames} frames)`);
  if (!f.stats.length) add('Levels', 'measuring…');
  f.stats.forEach((s, i) => {
    const p = f.stats.length > 1 ? `ch${i} ` : '';
    add(`${p}Peak`, fmtDb(s.peakDbfs));
    add(`${p}RMS`, fmtDb(s.rmsDbfs));
    add(`${p}DC offset`, s.dcOffset.toExponential(2));
    add(`${p}Clipped`, `${(100 * s.clippedRatio).toFixed(2)}%`);
    add(`${p}Silent`, `${(100 * s.silenceRatio).toFixed(0)}%`);
  });
  facts.append(dl);
  for (const w of [...f.warnings, ...truth.problems])
    facts.append(h('div', { class: 'wb-warning' }, `⚠ ${w}`));
  const probs = h('div', { class: 'wb-probs' });
  probs.append(h('h3', null, 'Prediction'));
  probs.append(
    h(
      'div',
      { class: 'wb-muted' },
      model
        ? `Model: ${model.name}${model.isDefault ? ' (bundled)' : ''} · ${model.labels.length} labels`
        : 'Model: loading…',
    ),
  );
  if (predError) probs.append(h('div', { class: 'wb-error' }, predError));
  else if (!pred) probs.append(h('div', { class: 'wb-muted' }, 'Classifying…'));
  else {
    if (pred.windows && pred.windows.length > 1)
      probs.append(
        h('div', { class: 'wb-muted' }, 'First window (what decode_wav(desired_samples) gives the model):'),
      );
    const order = pred.labels.map((l, i) => ({ l, p: pred.clip[i] })).sort((a, b) => b.p - a.p);
    for (const { l, p } of order) {
      const row = h('div', { class: 'wb-bar-row' });
      const bar = h('div', { class: 'wb-bar' });
      const fill = h('div', { class: 'wb-bar-fill' });
      fill.style.width = `${(100 * p).toFixed(1)}%`;
      bar.append(fill);
      row.append(
        h('span', { class: 'wb-bar-label' }, l),
        bar,
        h('span', { class: 'wb-bar-value' }, `${(100 * p).toFixed(1)}%`),
      );
      probs.append(row);
    }
    const out = truth.outcomes;
    if (out && pred.truth) {
      const c = out.counts;
      probs.append(
        h('h3', null, `Against ${pred.truth.path.split(/[\\/]/).pop()}`),
        h(
          'div',
          null,
          `At threshold ${out.threshold.toFixed(2)}: ${c.hits} of ${c.words} words hit, ${c.misses} missed; ` +
            `${c.falseAccepts} false accepts, ${c.repeats} repeats (evaluate's rules: ` +
            `${pred.truth.rules.averageMs} ms average, ${pred.truth.rules.suppressionMs} ms suppression, ` +
            `${pred.truth.rules.toleranceMs} ms tolerance). Click a mark to hear it.`,
        ),
      );
    } else if (pred.detections?.length) {
      probs.append(h('h3', null, 'Detected words'));
      for (const d of pred.detections)
        probs.append(h('div', null, `${fmtTime(d.timeSec)}: ${d.label} (${(100 * d.score).toFixed(0)}%)`));
    }
  }
  return [facts, probs];
}
