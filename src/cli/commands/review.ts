import { existsSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { CliError, parse, applyBackend, BACKEND_HELP, BACKEND_OPTION } from '../args';
import type { Command } from '../command';
import { installRoot } from '../installRoot';
import { printable, runInterruptible, writeExports } from '../output';
import { BUNDLED_MODELS, bundledModelDir, DEFAULT_MODEL, resolveModelArg } from '../../model/bundled';
import { runReviewJob, type ReviewReport } from '../../engine/reviewJob';
import { DEFAULT_REDUCED_DIM } from '../../dataset/embeddingReducer';

export const REVIEW_HELP = `wavebench review FOLDER [--model NAME|PATH] [--json OUT] [--csv OUT] [--near-threshold X] [--no-shift-check] [--dims N] [--map pca|umap|none] [--workers N] [--backend wasm|native]

Reviews a folder-per-label dataset with a model, without changing it: the clips most likely
mislabelled (confident learning on the model's probabilities, as cleanlab's find_label_issues:
per-label thresholds, calibrated confident joint, prune by noise rate, ranked by normalized margin;
labels with under 5 clips by self-confidence), exact copies (same bytes) and near copies (embeddings
from the input of the model's last dense layer, cosine distance; then each clip's 10 nearest compared
on the model's features without c0/energy at the best of -3..3 frames, which finds copies saved at
another gain or a few ms later), and outliers (clips far from their
label's other clips). Says when the model was trained on the clips (in-sample probabilities).
  --model NAME|PATH      a bundled model (${BUNDLED_MODELS.map((m) => m.name).join(', ')}; default ${DEFAULT_MODEL}) or a model folder/file as for classify
  --json OUT             write the review (suspects, duplicates, outliers, unjudged, notes, a 2-D map) to OUT ('-': stdout)
  --csv OUT              one line a finding: finding,path,label,suggested,score,group,distance,reason ('-': stdout)
  --map pca|umap|none    the 2-D map in the JSON (default pca: seconds for 20,000 clips; umap, as the dataset
                         view draws it, takes minutes at that size; none)
  --near-threshold X     near copies: cosine distance below X (default: 0.13 x the median nearest-neighbour distance)
  --no-shift-check       skip the second near-copy check (features at -3..3 frame offsets, 0.13 x the
                         median of each clip's smallest such distance)
  --dims N               embedding values kept a clip, its leading principal coordinates (default ${DEFAULT_REDUCED_DIM}; memory: N x 4 bytes a clip)
  --workers N            worker threads (default: cores - 1, at least 1)
${BACKEND_HELP}
Exit code: 0 when it ran (clips it could not judge are listed), 2 for a bad model, folder or option,
130 when interrupted (Ctrl-C: nothing is written).`;

const LISTED = 20;

const csvField = (s: string) => (/[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);

/** Every finding, one CSV line each. */
export function reviewCsv(r: ReviewReport): string {
  const lines = ['finding,path,label,suggested,score,group,distance,reason'];
  const add = (...f: (string | number | undefined)[]) =>
    lines.push(f.map((x) => csvField(x === undefined ? '' : String(x))).join(','));
  for (const s of r.suspects) add('suspect', s.path, s.label, s.suggested, s.score, '', '', s.method);
  r.duplicates.forEach((g, i) => {
    for (const p of g.paths) add(`${g.kind}-duplicate`, p, '', '', '', i + 1, g.distance, g.labels.join(' '));
  });
  for (const o of r.outliers) add('outlier', o.path, o.label, '', '', '', o.distance, o.reason);
  for (const u of r.unjudged) add('unjudged', u.path, '', '', '', '', '', u.reason);
  return lines.join('\n') + '\n';
}

/** The summary printed on stdout. */
export function formatReview(r: ReviewReport): string {
  const out: string[] = [];
  const p = printable;
  out.push(`model: ${p(r.model.name)} (${p(r.model.dir)})`);
  out.push(
    `clips: ${r.clips}, unjudged: ${r.unjudged.length}, time: ${r.timeSec.toFixed(2)} s${r.cancelled ? ' (cancelled)' : ''}`,
  );
  out.push(
    `embedding: ${p(r.embedding.source)}` +
      (r.embedding.keptLength < r.embedding.length
        ? `, reduced to ${r.embedding.keptLength} (PCA, ${(100 * r.embedding.energyKept).toFixed(1)}% of the energy)`
        : ''),
  );
  for (const n of r.notes) out.push(`note: ${p(n)}`);
  out.push(
    '',
    `likely mislabelled: ${r.suspects.length}${r.suspects.length > LISTED ? ` (first ${LISTED})` : ''}`,
  );
  for (const s of r.suspects.slice(0, LISTED))
    out.push(
      `  ${s.score.toFixed(3)}  ${p(s.path)}: '${p(s.label)}' -> '${p(s.suggested)}'${s.method === 'self-confidence' ? ' (self-confidence)' : ''}${s.inSample ? ' (in-sample)' : ''}`,
    );
  const nd = r.nearDuplicates;
  out.push(
    '',
    `duplicate groups: ${r.duplicates.length}` +
      (nd
        ? ` (near: cosine distance < ${nd.threshold.toPrecision(3)}, ${nd.rule}; neighbours ${nd.neighbours}` +
          (nd.shift
            ? `; or shift distance < ${nd.shift.threshold.toPrecision(3)} over ${nd.shift.measured} candidate pairs`
            : '') +
          ')'
        : ''),
  );
  for (const g of r.duplicates.slice(0, LISTED)) {
    const flags = [g.crossLabel && 'across labels', g.crossSplit && 'across splits']
      .filter(Boolean)
      .join(', ');
    out.push(
      `  ${g.kind}${g.kind === 'near' ? ` ${g.distance.toFixed(4)}` : ''}${g.found?.includes('shift') ? ` (shift ${g.shiftDistance?.toFixed(4)})` : ''}${flags ? ` [${flags}]` : ''}:`,
    );
    for (const path of g.paths) out.push(`    ${p(path)}`);
  }
  out.push('', `outliers: ${r.outliers.length}`);
  for (const o of r.outliers.slice(0, LISTED)) out.push(`  ${p(o.path)}: ${p(o.reason)}`);
  return out.join('\n');
}

/** `wavebench review`; resolves to the exit code. */
export async function runReviewCommand(args: string[]): Promise<number> {
  const { values, positionals } = parse(args, {
    ...BACKEND_OPTION,
    model: { type: 'string' },
    json: { type: 'string' },
    csv: { type: 'string' },
    'near-threshold': { type: 'string' },
    'no-shift-check': { type: 'boolean' },
    map: { type: 'string' },
    dims: { type: 'string' },
    workers: { type: 'string' },
  });
  if (values.help) {
    console.log(REVIEW_HELP);
    return 0;
  }
  applyBackend(values);
  if (positionals.length !== 1) throw new CliError('review: give one FOLDER');
  const folder = positionals[0];
  if (!existsSync(folder) || !statSync(folder).isDirectory())
    throw new CliError(`${printable(folder)}: no such folder`);
  let near: number | undefined;
  if (values['near-threshold'] !== undefined) {
    near = Number(values['near-threshold']);
    if (!(near >= 0 && near <= 2))
      throw new CliError('--near-threshold must be a cosine distance from 0 to 2');
  }
  const map = (values.map as string | undefined) ?? 'pca';
  if (map !== 'pca' && map !== 'umap' && map !== 'none')
    throw new CliError('--map must be pca, umap or none');
  let dims: number | undefined;
  if (values.dims !== undefined) {
    dims = Number(values.dims);
    if (!Number.isInteger(dims) || dims < 2 || dims > 4096)
      throw new CliError('--dims must be an integer from 2 to 4096');
  }
  let workers: number | undefined;
  if (values.workers !== undefined) {
    workers = Number(values.workers);
    if (!Number.isInteger(workers) || workers < 1) throw new CliError('--workers must be an integer >= 1');
  }
  if (values.csv === '-' && values.json === '-')
    throw new CliError('review: only one of --csv and --json can go to stdout (-)');
  const root = installRoot();
  const modelDir = resolveModelArg(root, values.model as string | undefined);
  if (!existsSync(modelDir)) throw new CliError(`model ${printable(modelDir)}: no such file or folder`);
  const bundled = BUNDLED_MODELS.find((m) => resolve(bundledModelDir(root, m.name)) === resolve(modelDir));
  const report = await runInterruptible((progress) =>
    runReviewJob(folder, {
      modelDir,
      bundled,
      workers,
      nearThreshold: near,
      shiftCheck: !values['no-shift-check'],
      reducedDim: dims,
      map,
      ...progress,
    }),
  );
  if (!report) return 2;
  if (report.cancelled) {
    console.error('wavebench: review: interrupted (nothing written)');
    return 130;
  }
  if (!report.clips) throw new CliError(`review: no WAV files in ${printable(folder)}`);
  for (const u of report.unjudged) console.error(`wavebench: ${printable(u.path)}: ${printable(u.reason)}`);
  const toStdout = values.csv === '-' || values.json === '-';
  (toStdout ? console.error : console.log)(formatReview(report));
  return writeExports([
    [values.json, () => JSON.stringify(report, null, 1) + '\n'],
    [values.csv, () => reviewCsv(report)],
  ]);
}

export const reviewCommand: Command = {
  name: 'review',
  synopsis: 'review FOLDER [--model NAME|DIR] ...',
  summary: 'likely mislabelled clips, copies, outliers (review --help)',
  help: REVIEW_HELP,
  run: runReviewCommand,
};
