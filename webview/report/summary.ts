/** The report page's summary parts: header with headline figures, per-class table, errors, background. */
import { relativeTo } from '../common/relativePath';
import { clipLink, fmtFixed, fmtInt, fmtPercent, fmtSeconds, h } from '../common/dom';
import { headRow, pageHeader, section, stat } from '../common/sections';
import { errorList } from './model';
import type { ReportPage } from './page';

/** The page header: title, model, export buttons and the headline figures. */
export function header(page: ReportPage): HTMLElement {
  const r = page.report;
  const c = r.counts;
  return pageHeader(
    [
      h(
        'h1',
        null,
        r.title,
        r.cancelled
          ? h('span', { class: 'badge warn', title: 'The run was cancelled: partial results' }, 'cancelled')
          : null,
      ),
      h(
        'div',
        { class: 'muted' },
        'Model ',
        h('strong', null, r.model.name),
        ` · ${r.model.labels.length} labels · `,
        h('span', { title: r.model.dir }, r.model.dir),
      ),
    ],
    h(
      'div',
      { class: 'actions' },
      h('button', { type: 'button', onClick: () => page.export('csv') }, 'Export CSV'),
      h('button', { type: 'button', class: 'secondary', onClick: () => page.export('json') }, 'Export JSON'),
      h(
        'button',
        { type: 'button', class: 'secondary', onClick: () => page.compare() },
        'Compare with another model…',
      ),
    ),
    [
      stat('accuracy', fmtPercent(r.metrics.accuracy), 'primary'),
      stat('macro F1', fmtFixed(r.metrics.macroF1)),
      stat('correct / scored', `${fmtInt(r.metrics.correct)} / ${fmtInt(r.metrics.scored)}`),
      stat('files', fmtInt(c.files)),
      stat('unlabelled', fmtInt(c.unlabelled)),
      stat('errors', fmtInt(c.errors), c.errors > 0 ? 'bad' : ''),
      stat('background', fmtInt(c.background)),
      stat('cached', fmtInt(c.cached)),
      stat('time', fmtSeconds(r.timeSec)),
    ],
  );
}

/** Precision, recall, F1 and support of each label. */
export function perClassTable(page: ReportPage): HTMLElement {
  const pc = page.report.metrics.perClass;
  const bar = (v: number, cls: string) => {
    const fill = h('span', { class: `fill ${cls}` });
    fill.style.width = `${Math.max(0, Math.min(1, v)) * 100}%`;
    return h('span', { class: 'mini-bar' }, fill);
  };
  return h(
    'table',
    { class: 'data per-class' },
    headRow(
      h('th', null, 'label'),
      h('th', { class: 'num' }, 'precision'),
      h('th', { class: 'num' }, 'recall'),
      h('th', { class: 'num' }, 'F1'),
      h('th', { class: 'num' }, 'support'),
    ),
    h(
      'tbody',
      null,
      pc.map((p) =>
        h(
          'tr',
          { class: p.support === 0 ? 'dim' : '' },
          h('td', null, p.label),
          h('td', { class: 'num' }, fmtFixed(p.precision)),
          h('td', { class: 'num' }, fmtFixed(p.recall)),
          h(
            'td',
            { class: 'num' },
            h(
              'span',
              { class: 'num-bar' },
              fmtFixed(p.f1),
              bar(p.f1, p.f1 >= 0.9 ? 'ok' : p.f1 >= 0.7 ? 'mid' : 'bad'),
            ),
          ),
          h('td', { class: 'num' }, fmtInt(p.support)),
        ),
      ),
    ),
  );
}

/** The files that could not be classified, with their reasons (none: no section). */
export function errorsSection(page: ReportPage): HTMLElement | null {
  const { report, root, open } = page;
  const errs = errorList(report);
  if (errs.length === 0) return null;
  return section(
    `Errors (${fmtInt(errs.length)})`,
    h(
      'table',
      { class: 'data errors' },
      headRow(h('th', null, 'file'), h('th', null, 'reason')),
      h(
        'tbody',
        null,
        errs.map((e) =>
          h(
            'tr',
            null,
            h('td', { class: 'path' }, clipLink(relativeTo(e.rel, root), e.path, open)),
            h('td', { class: 'error-text' }, e.error),
          ),
        ),
      ),
    ),
  );
}

/** The background files found beside the labels (not scored). */
export function backgroundSection(page: ReportPage): HTMLElement | null {
  const { report, root, open } = page;
  if (report.background.length === 0) return null;
  return section(
    `Background files, not scored (${fmtInt(report.background.length)})`,
    h(
      'ul',
      { class: 'file-list' },
      report.background.map((p) => h('li', null, clipLink(relativeTo(p, root), p, open))),
    ),
  );
}
