import { parse } from '../args';
import type { Command } from '../command';
import { stat, writeFile } from 'node:fs/promises';
import { relative, resolve } from 'node:path';
import type { DatasetView, ProblemKind } from '../../dataset/datasetView';
import { IndexCache } from '../../dataset/indexFile';
import { buildDatasetView, readSplitLists } from '../../dataset/inspect';
import { printable } from '../output';
import { DEFAULT_TESTING_PERCENT, DEFAULT_VALIDATION_PERCENT, splitPercentError } from '../../dataset/splits';
import { runIndexJob } from '../../engine/indexJob';
import { WorkerPool } from '../../engine/pool';

export const INSPECT_HELP = `wavebench inspect FOLDER [--json OUT] [--validation-percent N] [--testing-percent N]

Audits a folder-per-label dataset (speech_commands layout: FOLDER/LABEL/clip.wav): label counts,
formats and odd ones out, training/validation/testing splits (validation_list.txt and
testing_list.txt in FOLDER when present, else speech_commands' file-name hash), speakers found in
more than one split, exact duplicates, and per-file problems (unreadable, empty, silent, clipped,
DC offset, duration other than 1 s, sample rate other than the most common one).
  --json OUT                 write the whole report (the dataset view's JSON) to OUT ('-': to stdout, the summary to stderr)
  --validation-percent N     hash split: percent in validation (default ${DEFAULT_VALIDATION_PERCENT})
  --testing-percent N        hash split: percent in testing (default ${DEFAULT_TESTING_PERCENT})
Exit code: 0 when it ran (problems are listed, not fatal), 2 when FOLDER does not exist or bad options.`;

const MAX_LISTED_PROBLEMS = 20;
/** Problem kinds in the order the summary counts them (most serious first). */
const KIND_ORDER: ProblemKind[] = [
  'unreadable',
  'empty',
  'silent',
  'clipped',
  'dc-offset',
  'duration',
  'sample-rate',
  'duplicate',
];

/** The readable summary printed on stdout. */
export function formatInspectSummary(
  v: DatasetView,
  scanProblems: { path: string; error: string }[] = [],
): string {
  const out: string[] = [];
  // Names from the disk (folders, files, speakers, reasons) may hold control characters: printable().
  const rel = (p: string) => printable(relative(v.root, p) || p);
  const t = v.totals;
  out.push(`dataset: ${printable(v.root)}`);
  out.push(
    `files: ${t.files} (${t.readable} readable), ${(t.bytes / 1e6).toFixed(1)} MB, ${t.durationSec.toFixed(1)} s of audio` +
      (v.background.length ? `, background noise: ${v.background.length}` : '') +
      `, time: ${v.timeSec.toFixed(2)} s`,
  );
  out.push('');
  const w = Math.max(5, ...v.labels.map((l) => printable(l.label).length));
  out.push(`${'label'.padEnd(w)}  files`);
  for (const l of v.labels) out.push(`${printable(l.label).padEnd(w)}  ${String(l.count).padStart(5)}`);
  out.push('');
  out.push('formats:');
  for (const f of v.formats) out.push(`  ${String(f.count).padStart(7)}  ${f.key}`);
  if (v.oddFormats.length) out.push(`  ${v.oddFormats.length} file(s) not in the most common format`);
  out.push('');
  const how =
    v.splitSource === 'lists'
      ? 'from validation_list.txt / testing_list.txt'
      : `by file-name hash, validation ${v.splitPercent.validation}%, testing ${v.splitPercent.testing}%`;
  out.push(`splits (${how}):`);
  for (const s of v.splits) out.push(`  ${s.name.padEnd(10)}  ${String(s.total).padStart(7)}`);
  if (v.leakage.length) {
    out.push('');
    out.push(`speakers in more than one split: ${v.leakage.length}`);
    for (const l of v.leakage.slice(0, 10))
      out.push(`  ${printable(l.speaker)}: ${l.files} files in ${l.splits.join(', ')}`);
    if (v.leakage.length > 10) out.push(`  ... and ${v.leakage.length - 10} more`);
  }
  if (v.duplicates.length) {
    out.push('');
    out.push(`exact duplicates: ${v.duplicates.length} group(s)`);
  }
  out.push('');
  if (!v.problems.length && !scanProblems.length) out.push('problems: none');
  else {
    const byKind = new Map<ProblemKind, number>(KIND_ORDER.map((k) => [k, 0]));
    for (const p of v.problems) byKind.set(p.kind, byKind.get(p.kind)! + 1);
    for (const [k, n] of byKind) if (!n) byKind.delete(k);
    out.push(
      `problems: ${v.problems.length}` +
        (byKind.size ? ` (${[...byKind].map(([k, n]) => `${k} ${n}`).join(', ')})` : ''),
    );
    for (const p of scanProblems) out.push(`  ${printable(p.path)}: ${printable(p.error)}`);
    for (const p of v.problems.slice(0, MAX_LISTED_PROBLEMS))
      out.push(`  ${rel(p.path)}: ${p.kind}: ${printable(p.message)}`);
    if (v.problems.length > MAX_LISTED_PROBLEMS)
      out.push(`  ... and ${v.problems.length - MAX_LISTED_PROBLEMS} more (--json OUT lists them all)`);
  }
  return out.join('\n');
}

/** `wavebench inspect`; resolves to the exit code. */
export async function runInspectCommand(args: string[]): Promise<number> {
  const { values, positionals } = parse(args, {
    json: { type: 'string' },
    'validation-percent': { type: 'string' },
    'testing-percent': { type: 'string' },
  });
  if (values.help) {
    console.log(INSPECT_HELP);
    return 0;
  }
  if (positionals.length !== 1) {
    console.error(`wavebench: inspect: give exactly one FOLDER (got ${positionals.length})`);
    return 2;
  }
  const percent = (k: string): number | undefined => {
    const v = values[k];
    if (v === undefined) return undefined;
    const n = Number(v);
    if (typeof v !== 'string' || v.trim() === '' || !(n >= 0 && n <= 100))
      throw new Error(`--${k} must be a number from 0 to 100`);
    return n;
  };
  let validationPercent: number | undefined, testingPercent: number | undefined;
  try {
    validationPercent = percent('validation-percent');
    testingPercent = percent('testing-percent');
    if (
      splitPercentError(
        validationPercent ?? DEFAULT_VALIDATION_PERCENT,
        testingPercent ?? DEFAULT_TESTING_PERCENT,
      )
    )
      throw new Error('--validation-percent + --testing-percent must not exceed 100');
  } catch (e) {
    console.error(`wavebench: ${(e as Error).message}`);
    return 2;
  }
  const root = resolve(positionals[0]);
  try {
    if (!(await stat(root)).isDirectory()) {
      console.error(`wavebench: ${printable(positionals[0])}: not a folder`);
      return 2;
    }
  } catch {
    console.error(`wavebench: ${printable(positionals[0])}: no such folder`);
    return 2;
  }

  // The extension's own index job (no model is loaded for it; no cache between CLI runs).
  const pool = new WorkerPool();
  let index: Awaited<ReturnType<typeof runIndexJob>>;
  try {
    index = await runIndexJob(root, pool, new IndexCache());
  } finally {
    await pool.dispose();
  }
  const lists = await readSplitLists(root);
  const view = buildDatasetView(
    root,
    index.records,
    index.background,
    { validationPercent, testingPercent, lists },
    index.timeSec,
  );
  const summary = formatInspectSummary(view, index.problems);
  if (values.json === '-') {
    // The JSON is the whole of stdout; the summary goes to stderr.
    console.error(summary);
    console.log(JSON.stringify(view, null, 1));
    return 0;
  }
  console.log(summary);
  if (typeof values.json === 'string') {
    try {
      await writeFile(values.json, JSON.stringify(view, null, 1));
    } catch (e) {
      console.error(`wavebench: ${printable(values.json)}: ${printable((e as Error).message)}`);
      return 2;
    }
    console.log(`\nreport written to ${printable(values.json)}`);
  }
  return 0;
}

export const inspectCommand: Command = {
  name: 'inspect',
  synopsis: 'inspect FOLDER [--json OUT] [...]',
  summary: 'dataset audit: labels, formats, splits, leakage, problems (inspect --help)',
  help: INSPECT_HELP,
  run: runInspectCommand,
};
