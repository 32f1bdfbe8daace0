import { parse, applyBackend, BACKEND_HELP, BACKEND_OPTION } from '../args';
import { existsSync } from 'node:fs';
import { runClassifyJob } from '../../engine/classifyJob';
import { DEFAULT_TOP_K, DEFAULT_WINDOW_STRIDE_MS } from '../../model/defaults';
import { resolveModelArg, BUNDLED_MODELS, DEFAULT_MODEL } from '../../model/bundled';
import { installRoot } from '../installRoot';
import type { Command } from '../command';
import { toCsv, toJson, type ClassifyReport } from '../../model/report';
import { printable, runInterruptible, writeExports } from '../output';

export const CLASSIFY_HELP = `wavebench classify PATH... [--model NAME|PATH] [--labels FILE] [--csv OUT] [--json OUT] [--top-k N] [--workers N] [--backend wasm|native] [--window-stride-ms N]

Classifies WAV files and folders (folder-per-label datasets: the parent folder is the true label;
_background_noise_ is listed, not scored; folders the model does not know count as _unknown_ when
the model has that label). Prints accuracy, per-class precision/recall/F1 and the confusion matrix.
  --model NAME|PATH      a bundled model (${BUNDLED_MODELS.map((m) => m.name).join(', ')}; 'wavebench models'
                         lists them; default ${DEFAULT_MODEL}), or a model: a folder (TF.js model.json + shards +
                         metadata.json or labels.txt; Keras .keras/.h5 or TFLite .tflite + metadata.json), or the
                         speech_commands seed's frozen graph (a .pb, or a folder holding one, labels.txt or
                         NAME_labels.txt beside it); a folder named like a bundled model: ./NAME
  --labels FILE          labels, one a line (e.g. the seed's conv_labels.txt), instead of the model's own
  --csv OUT, --json OUT  export every row (path,label,predicted,probability,correct,top_k,error) and, in JSON, the metrics;
                         OUT '-' writes that export to stdout (one of them at most) and the summary to stderr
  --top-k N              labels kept per file (default ${DEFAULT_TOP_K})
  --workers N            worker threads (default: cores - 1, at least 1)
${BACKEND_HELP}
  --window-stride-ms N   hop of the sliding windows over files longer than the model's window (default ${DEFAULT_WINDOW_STRIDE_MS})
Exit code: 0 when it ran (unreadable files are listed), 2 for a bad model or no input, 130 when
interrupted (Ctrl-C: the files done so far are reported and exported; a second Ctrl-C quits at once).`;

function pct(x: number): string {
  return (100 * x).toFixed(1).padStart(5) + '%';
}

/** The summary printed on stdout. */
export function formatSummary(r: ClassifyReport): string {
  const out: string[] = [];
  const m = r.metrics;
  // Names from the disk (model, labels, paths, reasons) may hold control characters: printable().
  const labels = m.labels.map(printable);
  out.push(`model: ${printable(r.model.name)} (${printable(r.model.dir)})`);
  // Which backend ran the model: onnxruntime's native process (ONNX) or TF.js (tfjs-wasm).
  const b = r.engine?.backend;
  if (b) out.push(`backend: ${b.startsWith('onnxruntime') ? b : `tfjs-${b}`}`);
  if (r.engine?.warning) out.push(`warning: ${printable(r.engine.warning)}`);
  out.push(
    `files: ${r.counts.files}, scored: ${r.counts.scored}, unlabelled: ${r.counts.unlabelled}, errors: ${r.counts.errors}` +
      (r.counts.background ? `, background noise (not scored): ${r.counts.background}` : '') +
      `, time: ${r.timeSec.toFixed(2)} s${r.cancelled ? ' (cancelled)' : ''}`,
  );
  if (m.scored) {
    out.push(`accuracy: ${pct(m.accuracy)} (${m.correct}/${m.scored}), macro F1 ${m.macroF1.toFixed(3)}`);
    out.push('');
    const w = Math.max(9, ...labels.map((l) => l.length));
    out.push(`${'label'.padEnd(w)}  precision  recall      F1  support`);
    for (const c of m.perClass) {
      if (!c.support && !m.confusion.some((row) => row[m.labels.indexOf(c.label)])) continue;
      out.push(
        `${printable(c.label).padEnd(w)}  ${pct(c.precision).padStart(9)}  ${pct(c.recall)}  ${c.f1.toFixed(3).padStart(6)}  ${String(c.support).padStart(7)}`,
      );
    }
    out.push('');
    out.push('confusion matrix (rows: true label, columns: predicted)');
    const used = m.labels
      .map((_, i) => i)
      .filter((i) => m.confusion[i].some((v) => v) || m.confusion.some((row) => row[i]));
    const cw = Math.max(4, ...used.map((i) => labels[i].length));
    out.push(''.padEnd(w) + ' ' + used.map((i) => labels[i].padStart(cw)).join(' '));
    for (const i of used)
      out.push(labels[i].padEnd(w) + ' ' + used.map((j) => String(m.confusion[i][j]).padStart(cw)).join(' '));
  } else {
    out.push('no labelled files: nothing scored (labels come from folder names matching the model)');
    for (const row of r.rows.slice(0, 50)) {
      if (!row.error)
        out.push(
          `${printable(row.path)}: ${printable(row.predicted ?? '')} ${(row.probability! * 100).toFixed(1)}%`,
        );
    }
  }
  const errs = r.rows.filter((x) => x.error);
  if (errs.length || r.problems.length) {
    out.push('');
    out.push(`unreadable (${errs.length + r.problems.length}):`);
    for (const e of [...r.problems, ...errs]) out.push(`  ${printable(e.path)}: ${printable(e.error ?? '')}`);
  }
  return out.join('\n');
}

/** `wavebench classify`; resolves to the exit code. */
export async function runClassifyCommand(args: string[]): Promise<number> {
  const { values, positionals } = parse(args, {
    ...BACKEND_OPTION,
    model: { type: 'string' },
    labels: { type: 'string' },
    csv: { type: 'string' },
    json: { type: 'string' },
    'top-k': { type: 'string', default: String(DEFAULT_TOP_K) },
    workers: { type: 'string' },
    'window-stride-ms': { type: 'string', default: String(DEFAULT_WINDOW_STRIDE_MS) },
  });
  if (values.help) {
    console.log(CLASSIFY_HELP);
    return 0;
  }
  applyBackend(values);
  if (!positionals.length) {
    console.error('wavebench: classify: no PATH given');
    return 2;
  }
  const num = (k: string, min: number) => {
    const v = values[k];
    if (v === undefined) return undefined;
    const n = Number(v);
    if (!Number.isInteger(n) || n < min) throw new Error(`--${k} must be an integer >= ${min}`);
    return n;
  };
  let topK: number | undefined, workers: number | undefined, stride: number | undefined;
  try {
    topK = num('top-k', 1);
    workers = num('workers', 1);
    stride = num('window-stride-ms', 1);
  } catch (e) {
    console.error(`wavebench: ${(e as Error).message}`);
    return 2;
  }
  if (values.csv === '-' && values.json === '-') {
    console.error('wavebench: classify: only one of --csv and --json can go to stdout (-)');
    return 2;
  }
  const modelDir = resolveModelArg(installRoot(), values.model as string | undefined);
  if (!existsSync(modelDir)) {
    console.error(`wavebench: model ${printable(modelDir)}: no such file or folder`);
    return 2;
  }
  const labelsFile = values.labels as string | undefined;
  if (labelsFile !== undefined && !existsSync(labelsFile)) {
    console.error(`wavebench: labels ${printable(labelsFile)}: no such file`);
    return 2;
  }
  const report = await runInterruptible((progress) =>
    runClassifyJob(positionals, { modelDir, labelsFile, workers, topK, windowStrideMs: stride, ...progress }),
  );
  if (!report) return 2;
  if (!report.rows.length && !report.background.length && !report.cancelled) {
    for (const p of report.problems) console.error(`wavebench: ${printable(p.path)}: ${printable(p.error)}`);
    console.error('wavebench: classify: no WAV files found');
    return 2;
  }
  // An export to stdout ('-') is the whole of stdout: the summary then goes to stderr.
  const toStdout = values.csv === '-' || values.json === '-';
  (toStdout ? console.error : console.log)(formatSummary(report));
  const written = await writeExports([
    [values.csv, () => toCsv(report)],
    [values.json, () => toJson(report)],
  ]);
  if (written) return written;
  // Ctrl-C: the partial results above are printed and written, and the exit code says so (128 + SIGINT).
  if (report.cancelled) {
    console.error(
      `wavebench: classify: interrupted after ${report.rows.length} files (partial results written)`,
    );
    return 130;
  }
  return 0;
}

export const classifyCommand: Command = {
  name: 'classify',
  synopsis: 'classify PATH... [--model NAME|DIR] [...]',
  summary: 'batch classification with metrics (classify --help)',
  help: CLASSIFY_HELP,
  run: runClassifyCommand,
};
