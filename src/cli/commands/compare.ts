import { existsSync } from 'node:fs';
import { runClassifyJob } from '../../engine/classifyJob';
import { resolveModelArg } from '../../model/bundled';
import { compareReports, type ModelComparison } from '../../model/compare';
import type { ClassifyReport } from '../../model/report';
import { CliError, parse, applyBackend, BACKEND_HELP, BACKEND_OPTION } from '../args';
import type { Command } from '../command';
import { installRoot } from '../installRoot';
import { printable } from '../output';
import { progressReporter, writeExports } from '../output';

export const COMPARE_HELP = `wavebench compare FOLDER... --model A --model B [--json OUT] [--workers N] [--backend wasm|native]

Classifies a labelled folder (folder-per-label, as classify) with two models and compares them clip
by clip: both accuracies and per-class F1, the clips only A gets right and only B gets right, and
McNemar's exact two-sided test on those two counts (binomial, p-value) said in words. Only clips
both models score with the same true label are paired.
  --model NAME|PATH      twice: model A, then model B (bundled names or folders, as classify)
  --json OUT             {models: [{name, accuracy, perClass}], flips: {onlyA, onlyB}, mcnemarP, ...};
                         OUT '-' is stdout (the summary then goes to stderr)
  --workers N            worker threads (default: cores - 1, at least 1)
${BACKEND_HELP}
Exit code: 0 when it ran, 2 for a bad model or option or no clip scored by both, 130 when interrupted.`;

const pct = (x: number) => `${(100 * x).toFixed(1)}%`;

/** The summary printed for people. */
export function formatComparison(c: ModelComparison): string {
  const [a, b] = c.models;
  const out = c.models.map(
    (m, i) =>
      `${'AB'[i]}: ${printable(m.name)} (${printable(m.dir)}): accuracy ${pct(m.accuracy)} of ${m.scored}`,
  );
  const labels = [...new Set([...a.perClass, ...b.perClass].map((x) => x.label))];
  const w = Math.max(9, ...labels.map((l) => printable(l).length));
  out.push('', `${'F1'.padEnd(w)}       A       B`);
  const f1 = (m: ModelComparison['models'][number], l: string) => {
    const x = m.perClass.find((p) => p.label === l);
    return (x ? x.f1.toFixed(3) : '-').padStart(7);
  };
  for (const l of labels) out.push(`${printable(l).padEnd(w)} ${f1(a, l)} ${f1(b, l)}`);
  for (const [k, list] of [
    ['A', c.flips.onlyA],
    ['B', c.flips.onlyB],
  ] as const) {
    out.push('', `clips only ${k} gets right (${list.length}):`);
    for (const p of list.slice(0, 20)) out.push(`  ${printable(p)}`);
    if (list.length > 20) out.push('  ... (--json lists them all)');
  }
  out.push(
    '',
    `McNemar's exact test (${c.flips.onlyA.length} against ${c.flips.onlyB.length} of ${c.paired} paired clips): ${printable(c.verdict)}`,
  );
  return out.join('\n');
}

/** `wavebench compare`; resolves to the exit code. */
export async function runCompareCommand(args: string[]): Promise<number> {
  const { values, positionals } = parse(args, {
    ...BACKEND_OPTION,
    model: { type: 'string', multiple: true },
    json: { type: 'string' },
    workers: { type: 'string' },
  });
  if (values.help) {
    console.log(COMPARE_HELP);
    return 0;
  }
  applyBackend(values);
  const models = (values.model as unknown as string[] | undefined) ?? [];
  if (!positionals.length) throw new CliError('compare: no FOLDER given');
  if (models.length !== 2)
    throw new CliError(`compare: give --model twice (A and B), not ${models.length} times`);
  let workers: number | undefined;
  if (values.workers !== undefined) {
    workers = Number(values.workers);
    if (!Number.isInteger(workers) || workers < 1) throw new CliError('--workers must be an integer >= 1');
  }
  const dirs = models.map((m) => resolveModelArg(installRoot(), m));
  for (const d of dirs)
    if (!existsSync(d)) throw new CliError(`model ${printable(d)}: no such file or folder`);
  const controller = new AbortController();
  const onSigint = () => controller.abort();
  process.once('SIGINT', onSigint);
  const reports: ClassifyReport[] = [];
  try {
    // One model after the other: each job has the cores to itself.
    for (const [i, modelDir] of dirs.entries()) {
      const progress = progressReporter();
      try {
        reports.push(
          await runClassifyJob(positionals, {
            modelDir,
            workers,
            signal: controller.signal,
            onProgress: (p) =>
              progress.update(p.done, p.total, `model ${'AB'[i]}: ${p.done}/${p.total} clips`),
          }),
        );
      } finally {
        progress.end();
      }
      if (reports[i].cancelled) {
        console.error('wavebench: compare: interrupted');
        return 130;
      }
    }
  } catch (e) {
    throw new CliError((e as Error).message);
  } finally {
    process.off('SIGINT', onSigint);
  }
  const names = reports.map((r) => r.model.name);
  const c = compareReports(
    reports[0],
    reports[1],
    (names[0] === names[1] ? models : names) as [string, string],
  );
  (values.json === '-' ? console.error : console.log)(formatComparison(c));
  const written = await writeExports([[values.json, () => JSON.stringify(c, null, 1) + '\n']]);
  if (written) return written;
  if (!c.paired)
    throw new CliError('compare: no clip was scored by both models (labels come from folder names)');
  return 0;
}

export const compareCommand: Command = {
  name: 'compare',
  synopsis: 'compare FOLDER --model A --model B',
  summary: 'two models on the same clips: accuracies, flips, McNemar (compare --help)',
  help: COMPARE_HELP,
  run: runCompareCommand,
};
