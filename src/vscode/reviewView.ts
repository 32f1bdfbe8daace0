import { basename, dirname, relative, sep } from 'node:path';
import type { ReviewReport } from '../engine/reviewJob';
import type { QueueItem, QueueName, ReviewView } from '../protocol/review';

/** Labels no clip is moved to: the model's catch-all and the noise recordings' folder. */
const NOT_TARGETS = new Set(['_unknown_', '_background_noise_']);

/** A clip's label: the name of the folder that holds it. */
export const labelOf = (path: string): string => basename(dirname(path));

/**
 * A review as the review page draws it: the summary and its three queues (suspects, most doubtful
 * first; every clip of each duplicate group; outliers), plus `selection` (those clips, in that order,
 * each with what the review says of it) when given. `folders` are the dataset's label folders.
 * Pure (no vscode), so the CLI's JSON can be turned into a page sample too.
 */
export function reviewView(
  r: ReviewReport,
  title: string,
  folders: string[],
  selection?: string[],
): ReviewView {
  const rel = (p: string) => relative(r.folder, p).split(sep).join('/') || p;
  const suspects: QueueItem[] = r.suspects.map((s) => ({
    path: s.path,
    rel: rel(s.path),
    label: labelOf(s.path),
    suggested: s.suggested,
    score: s.score,
    note: `likely mislabelled (${s.method})${s.inSample ? ', in the model’s training data' : ''}`,
  }));
  const duplicates: QueueItem[] = r.duplicates.flatMap((g, i) =>
    g.paths.map((p) => ({
      path: p,
      rel: rel(p),
      label: labelOf(p),
      group: i + 1,
      note:
        `${g.kind === 'exact' ? 'exact copy (same bytes)' : `near copy (cosine distance ${g.distance.toFixed(4)})`}` +
        `, group ${i + 1} of ${r.duplicates.length}, ${g.paths.length} clips` +
        (g.crossLabel ? ', across labels' : '') +
        (g.crossSplit ? ', across splits' : ''),
    })),
  );
  const outliers: QueueItem[] = r.outliers.map((o) => ({
    path: o.path,
    rel: rel(o.path),
    label: labelOf(o.path),
    note: `outlier: ${o.reason}`,
  }));
  const bySuspect = new Map(suspects.map((s) => [s.path, s]));
  const notes = new Map<string, string[]>();
  for (const q of [duplicates, outliers])
    for (const it of q) notes.set(it.path, [...(notes.get(it.path) ?? []), it.note]);
  const chosen: QueueItem[] = (selection ?? []).map((p) => {
    const s = bySuspect.get(p);
    const said = [...(s ? [s.note] : []), ...(notes.get(p) ?? [])];
    return {
      path: p,
      rel: rel(p),
      label: labelOf(p),
      ...(s ? { suggested: s.suggested, score: s.score } : {}),
      note: said.length ? said.join('; ') : 'chosen (no finding)',
    };
  });
  const inSampleNote = /are in the model's training data/;
  const labels = [...r.model.labels, ...folders].filter(
    (l, i, all) => !NOT_TARGETS.has(l) && all.indexOf(l) === i,
  );
  const queues: Record<QueueName, QueueItem[]> = { suspects, duplicates, outliers, selection: chosen };
  return {
    title,
    folder: r.folder,
    model: { name: r.model.name, labels: r.model.labels },
    clips: r.clips,
    unjudged: r.unjudged.length,
    timeSec: r.timeSec,
    notes: r.notes.filter((n) => !inSampleNote.test(n)),
    inSample: r.notes.find((n) => inSampleNote.test(n)),
    labels,
    queues,
    start: selection
      ? 'selection'
      : suspects.length
        ? 'suspects'
        : duplicates.length
          ? 'duplicates'
          : 'outliers',
  };
}
