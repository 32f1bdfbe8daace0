import { existsSync, mkdirSync } from 'node:fs';
import { runEvaluateJob, type EvaluateReport } from '../../engine/evaluateJob';
import { WorkerPool } from '../../engine/pool';
import { exportFalseAccepts } from '../../engine/snippetJob';
import { BUNDLED_MODELS, DEFAULT_MODEL, resolveModelArg } from '../../model/bundled';
import { problemLine } from '../../model/streaming/evaluation';
import { DEFAULT_STREAM_RULES, type StreamRules } from '../../model/streaming/rules';
import type { CurvePoint, OperatingPoint } from '../../model/streaming/summary';
import { CliError, parse, applyBackend, BACKEND_HELP, BACKEND_OPTION } from '../args';
import type { Command } from '../command';
import { installRoot } from '../installRoot';
import { printable } from '../output';
import { progressReporter, writeExports } from '../output';

const D = DEFAULT_STREAM_RULES;

export const EVALUATE_HELP = `wavebench evaluate AUDIO... [--model NAME|PATH] [--truth FILE] [--window-stride-ms ${D.windowStrideMs}] [--average-ms ${D.averageMs}]
                   [--suppression-ms ${D.suppressionMs}] [--tolerance-ms ${D.toleranceMs}] [--thresholds 0.2,0.3] [--json OUT] [--csv OUT]
                   [--export-false-accepts DIR [--snippet-margin-ms N]]

Runs a keyword model over long recordings as it is used (sliding windows, smoothed scores, one
detection per suppression time) and checks the detections against the words really said: false
accepts per hour against the false rejection rate (FRR), over every threshold where a count changes,
with the FRR at 0.1, 0.5, 1 and 5 false accepts per hour (Wilson 95 % interval), overall and per keyword.
AUDIO: WAV files or folders. Ground truth per recording: NAME.txt beside it (Audacity label track:
start<TAB>end<TAB>label in seconds, point labels allowed; or TensorFlow's label,onset_ms), or --truth:
a CSV file,start,end,label (seconds; file relative to the CSV's folder; a recording it does not name
has no words), or one recording's Audacity/TensorFlow labels. The rules are in the README.
  --model NAME|PATH      a bundled model (${BUNDLED_MODELS.map((m) => m.name).join(', ')}; default ${DEFAULT_MODEL}) or a model folder
  --labels FILE          the model's labels, one a line, instead of its own
  --window-stride-ms N   hop between windows (default ${D.windowStrideMs})
  --average-ms N         scores are averaged over the windows that ended in the last N ms (default ${D.averageMs})
  --suppression-ms N     least time between two detections (default ${D.suppressionMs})
  --tolerance-ms N       a detection may come up to N ms after its word's end (default ${D.toleranceMs})
  --thresholds T,...     counts at these thresholds only (default: the whole curve and the operating points)
  --json OUT, --csv OUT  the evaluation as JSON (curves, operating points, false accepts and misses with
                         times) or the curve points as CSV; OUT '-' is stdout (the summary then goes to stderr)
  --export-false-accepts DIR
                         writes each false accept at the first threshold listed in the JSON's events (the
                         first of --thresholds, else the 0.1 FA/h operating point's) as a WAV file in DIR:
                         the model's window ending at the detection, mono 16-bit PCM at the recording's
                         rate, named RECORDING_<ms>ms_<label>.wav (never over an existing file: -1, -2...)
  --snippet-margin-ms N  audio kept before the window and after the detection in each snippet (default 0)
  --workers N            worker threads (default: one per core)
${BACKEND_HELP}
Exit code: 0 when it ran (recordings and label lines it could not use are listed), 2 for a bad
model, option or no recording scored, 130 when interrupted.`;

function pct(x: number | null): string {
  return x === null ? '-' : `${(100 * x).toFixed(1)}%`;
}

function opText(p: OperatingPoint): string {
  return p.frr === null ? '-' : `${pct(p.frr)} [${pct(p.frrLow)}, ${pct(p.frrHigh)}]`;
}

function pointRow(name: string, p: CurvePoint, w: number): string {
  return `${name.padEnd(w)}  ${String(p.threshold).padStart(9)}  ${String(p.hits).padStart(5)}  ${String(p.falseAccepts).padStart(6)}  ${String(p.repeats).padStart(7)}  ${pct(p.frr).padStart(6)}  ${p.faPerHour.toFixed(2).padStart(7)}`;
}

/** The summary printed for people. */
export function formatEvaluation(r: EvaluateReport): string {
  const out: string[] = [];
  const secs = r.recordings.reduce((s, x) => s + x.durationSec, 0);
  out.push(`model: ${printable(r.model.name)} (${printable(r.model.dir)})`);
  out.push(
    `recordings: ${r.recordings.length} scored, ${r.skipped.length} not; ${r.hours.toFixed(3)} h of audio, ` +
      `${r.words} words; time ${r.timeSec.toFixed(1)} s (${(secs / r.timeSec).toFixed(0)}x real time)` +
      (r.cancelled ? ' (cancelled)' : ''),
  );
  const rs = r.rules;
  out.push(
    `rules: stride ${rs.windowStrideMs} ms, average ${rs.averageMs} ms, suppression ${rs.suppressionMs} ms, tolerance ${rs.toleranceMs} ms`,
  );
  const w = Math.max(7, ...r.keywords.map((k) => printable(k.label).length));
  if (r.operatingPoints) {
    out.push('');
    out.push(`FRR at a false-accept rate [Wilson 95 %], curve of ${r.points.length} thresholds:`);
    out.push(
      `${'keyword'.padEnd(w)}  words  ${r.operatingPoints.map((p) => `${p.faPerHour}/h`.padEnd(24)).join('')}`,
    );
    const row = (name: string, words: number, ops: OperatingPoint[]) =>
      `${name.padEnd(w)}  ${String(words).padStart(5)}  ${ops.map((p) => opText(p).padEnd(24)).join('')}`;
    out.push(row('overall', r.words, r.operatingPoints));
    for (const k of r.keywords) if (k.words) out.push(row(printable(k.label), k.words, k.operatingPoints!));
  } else {
    out.push('');
    out.push(`${'keyword'.padEnd(w)}  threshold   hits      FA  repeats     FRR     FA/h`);
    for (const p of r.points) out.push(pointRow('overall', p, w));
    for (const k of r.keywords)
      if (k.words) for (const p of k.points) out.push(pointRow(printable(k.label), p, w));
  }
  for (const e of r.events) {
    out.push('');
    out.push(
      `at threshold ${e.threshold}: ${e.falseAccepts.length} false accepts, ${e.misses.length} misses, ${e.repeats.length} repeats`,
    );
    for (const f of e.falseAccepts.slice(0, 10))
      out.push(`  false accept ${printable(f.label)} at ${f.timeSec.toFixed(3)} s in ${printable(f.file)}`);
    if (e.falseAccepts.length > 10) out.push(`  ... (--json lists them all)`);
  }
  if (r.skipped.length) {
    out.push('');
    out.push(`not scored (${r.skipped.length}):`);
    for (const s of r.skipped) out.push(`  ${printable(s.path)}: ${printable(s.reason)}`);
  }
  if (r.truthProblems.length) {
    out.push('');
    out.push(`ground-truth lines not used (${r.truthProblems.length}):`);
    for (const p of r.truthProblems) out.push(`  ${printable(problemLine(p))}`);
  }
  return out.join('\n');
}

/** The curve points as CSV: one row per keyword (or 'overall') and threshold. */
export function evaluationCsv(r: EvaluateReport): string {
  const rows = ['scope,threshold,hits,falseAccepts,repeats,frr,faPerHour'];
  const add = (scope: string, ps: CurvePoint[]) => {
    const q = /[",\n\r]/.test(scope) ? `"${scope.replace(/"/g, '""')}"` : scope;
    for (const p of ps)
      rows.push([q, p.threshold, p.hits, p.falseAccepts, p.repeats, p.frr ?? '', p.faPerHour].join(','));
  };
  add('overall', r.points);
  for (const k of r.keywords) add(k.label, k.points);
  return rows.join('\n') + '\n';
}

/** `wavebench evaluate`; resolves to the exit code. */
export async function runEvaluateCommand(args: string[]): Promise<number> {
  const { values, positionals } = parse(args, {
    ...BACKEND_OPTION,
    model: { type: 'string' },
    labels: { type: 'string' },
    truth: { type: 'string' },
    'window-stride-ms': { type: 'string' },
    'average-ms': { type: 'string' },
    'suppression-ms': { type: 'string' },
    'tolerance-ms': { type: 'string' },
    thresholds: { type: 'string' },
    json: { type: 'string' },
    csv: { type: 'string' },
    workers: { type: 'string' },
    'export-false-accepts': { type: 'string' },
    'snippet-margin-ms': { type: 'string' },
  });
  if (values.help) {
    console.log(EVALUATE_HELP);
    return 0;
  }
  applyBackend(values);
  if (!positionals.length) throw new CliError('evaluate: no AUDIO given');
  const rules: Partial<StreamRules> = {};
  const keys = [
    ['window-stride-ms', 'windowStrideMs', 1],
    ['average-ms', 'averageMs', 1],
    ['suppression-ms', 'suppressionMs', 0],
    ['tolerance-ms', 'toleranceMs', 0],
  ] as const;
  for (const [opt, key, min] of keys) {
    const v = values[opt];
    if (v === undefined) continue;
    const n = Number(v);
    if (!Number.isInteger(n) || n < min) throw new CliError(`--${opt} must be an integer >= ${min}`);
    rules[key] = n;
  }
  let workers: number | undefined;
  if (values.workers !== undefined) {
    workers = Number(values.workers);
    if (!Number.isInteger(workers) || workers < 1) throw new CliError('--workers must be an integer >= 1');
  }
  let thresholds: number[] | undefined;
  if (typeof values.thresholds === 'string') {
    thresholds = values.thresholds.split(',').map((t) => Number(t.trim()));
    if (thresholds.some((t) => !Number.isFinite(t) || t < 0))
      throw new CliError(
        `--thresholds must be numbers >= 0, comma-separated ('${printable(values.thresholds)}')`,
      );
  }
  const marginMs = Number(values['snippet-margin-ms'] ?? 0);
  if (!Number.isInteger(marginMs) || marginMs < 0)
    throw new CliError('--snippet-margin-ms must be an integer >= 0');
  if (values.csv === '-' && values.json === '-')
    throw new CliError('evaluate: only one of --csv and --json can go to stdout (-)');
  const modelDir = resolveModelArg(installRoot(), values.model as string | undefined);
  if (!existsSync(modelDir)) throw new CliError(`model ${printable(modelDir)}: no such file or folder`);
  for (const k of ['labels', 'truth'] as const) {
    const f = values[k];
    if (typeof f === 'string' && !existsSync(f)) throw new CliError(`${printable(f)}: no such file (--${k})`);
  }
  const controller = new AbortController();
  const onSigint = () => controller.abort();
  process.once('SIGINT', onSigint);
  const progress = progressReporter();
  let report: EvaluateReport;
  try {
    report = await runEvaluateJob(positionals, {
      modelDir,
      labelsFile: values.labels as string | undefined,
      truthFile: values.truth as string | undefined,
      rules,
      thresholds,
      workers,
      signal: controller.signal,
      onProgress: (p) =>
        progress.update(
          p.done,
          p.total,
          `${p.done}/${p.total} windows, ${p.realTimeFactor.toFixed(0)}x real time`,
        ),
    });
  } catch (e) {
    progress.end();
    throw new CliError((e as Error).message);
  } finally {
    process.off('SIGINT', onSigint);
  }
  progress.end();
  const toStdout = values.csv === '-' || values.json === '-';
  (toStdout ? console.error : console.log)(formatEvaluation(report));
  const written = await writeExports([
    [values.csv, () => evaluationCsv(report)],
    [values.json, () => JSON.stringify(report, null, 1) + '\n'],
  ]);
  if (written) return written;
  const snippetDir = values['export-false-accepts'] as string | undefined;
  if (snippetDir !== undefined && !report.cancelled)
    await writeFalseAcceptSnippets(report, snippetDir, marginMs, toStdout);
  if (report.cancelled) {
    console.error('wavebench: evaluate: interrupted (the recordings finished are reported)');
    return 130;
  }
  if (!report.recordings.length) throw new CliError('evaluate: no recording scored');
  return 0;
}

/** --export-false-accepts: the snippets of the false accepts at the report's first listed threshold. */
async function writeFalseAcceptSnippets(
  report: EvaluateReport,
  dir: string,
  marginMs: number,
  toStdout: boolean,
): Promise<void> {
  const say = toStdout ? console.error : console.log;
  const at = report.events[0];
  if (!at) {
    say('false-accept snippets: no threshold to list events at (give --thresholds): none written');
    return;
  }
  try {
    mkdirSync(dir, { recursive: true });
  } catch (e) {
    throw new CliError(`${printable(dir)}: cannot make the folder (${(e as Error).message})`);
  }
  const pool = new WorkerPool({ size: 1 });
  try {
    const r = await exportFalseAccepts(pool, at.falseAccepts, { dir, windowMs: report.windowMs, marginMs });
    for (const p of r.problems) console.error(`wavebench: ${printable(p.path)}: ${printable(p.reason)}`);
    say(
      `false-accept snippets at threshold ${at.threshold}: ${r.written.length} written to ${printable(dir)}` +
        (r.problems.length ? `, ${r.problems.length} not` : ''),
    );
  } finally {
    await pool.dispose();
  }
}

export const evaluateCommand: Command = {
  name: 'evaluate',
  synopsis: 'evaluate AUDIO... [--model M] [...]',
  summary: 'long recordings against their labels: FA/h vs FRR (evaluate --help)',
  help: EVALUATE_HELP,
  run: runEvaluateCommand,
};
