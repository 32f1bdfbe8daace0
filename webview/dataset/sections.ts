/** The dataset page's table sections: formats, splits, speaker leakage, problems, duplicates, background. */
import { fmtInt, fmtPercent, h } from '../common/dom';
import { headRow, section } from '../common/sections';
import { duplicateFlags, groupProblems, offTarget, sortDuplicates, splitRows } from './model';
import type { DatasetPage } from './page';

/** The formats found, the most common first, and the files in an odd one. */
export function formatsSection(page: DatasetPage): HTMLElement {
  const { data } = page;
  const total = data.formats.reduce((a, f) => a + f.count, 0);
  return section(
    'Formats',
    h(
      'table',
      { class: 'data' },
      headRow(
        h('th', null, 'format'),
        h('th', { class: 'num' }, 'files'),
        h('th', { class: 'num' }, 'share'),
        h('th', null, 'examples'),
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
              f.examples.slice(0, 3).map((p) => page.fileLink(p)),
            ),
          ),
        ),
      ),
    ),
    data.oddFormats.length
      ? page.details('oddFormats', [`Files in an odd format (${fmtInt(data.oddFormats.length)})`], () =>
          page.fileList(data.oddFormats.map((o) => ({ path: o.path, note: o.format }))),
        )
      : h('p', { class: 'muted' }, 'Every file has the same format.'),
  );
}

/** Files per label in each split, with the shares that are off the target. */
export function splitsSection(page: DatasetPage): HTMLElement {
  const { data } = page;
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
        headRow(
          ['label', 'training', 'validation', 'testing', 'total', 'val %', 'test %'].map((t, i) =>
            h('th', { class: i ? 'num' : '' }, t),
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

/** Speakers with clips in more than one split. */
export function leakageSection(page: DatasetPage): HTMLElement {
  const { data } = page;
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
            headRow(h('th', null, 'speaker'), h('th', null, 'splits'), h('th', { class: 'num' }, 'files')),
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

/** Problem files grouped by kind. */
export function problemsSection(page: DatasetPage): HTMLElement {
  const { data } = page;
  const groups = groupProblems(data.problems);
  return section(
    `Problems (${fmtInt(data.problems.length)})`,
    groups.length === 0
      ? h('p', null, h('span', { class: 'badge ok' }, '✓'), ' No problems found.')
      : h(
          'div',
          null,
          groups.map((g) =>
            page.details(
              `problem:${g.kind}`,
              [
                h(
                  'span',
                  { class: `badge ${g.kind === 'unreadable' || g.kind === 'empty' ? 'bad' : 'warn'}` },
                  g.kind,
                ),
                ` ${fmtInt(g.items.length)} file${g.items.length === 1 ? '' : 's'}`,
              ],
              () => page.fileList(g.items.map((p) => ({ path: p.path, note: p.message }))),
              data.problems.length <= 40,
            ),
          ),
        ),
  );
}

/** Groups of identical files, flagged when they differ in label or split. */
export function duplicatesSection(page: DatasetPage): HTMLElement {
  const { data } = page;
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
                g.paths.map((p) => h('li', null, page.fileLink(p))),
              ),
            );
          }),
          groups.length > shown.length
            ? h('p', { class: 'muted' }, `… and ${fmtInt(groups.length - shown.length)} more groups.`)
            : null,
        ),
  );
}

/** The background files found beside the labels (none: no section). */
export function backgroundSection(page: DatasetPage): HTMLElement | null {
  const { data } = page;
  if (data.background.length === 0) return null;
  return section(
    `Background files (${fmtInt(data.background.length)})`,
    page.fileList(data.background.map((p) => ({ path: p }))),
  );
}
