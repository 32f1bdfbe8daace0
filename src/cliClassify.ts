import { parse } from './cliArgs';
import { writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { runClassifyJob } from './engine/classifyJob';
import { resolveModelArg, BUNDLED_MODELS, DEFAULT_MODEL } from './model/bundled';
import { installRoot } from './cliModels';
import { toCsv, toJson, type ClassifyReport } from './model/report';

export const CLASSIFY_HELP = `wavebench classify PATH... [--model NAME|DIR] [--csv OUT] [--json OUT] [--top-k N] [--workers N] [--window-stride-ms N]

Classifies WAV files and folders (folder-per-label datasets: the parent folder is the true label;
_background_noise_ is listed, not scored; folders the model does not know count as _unknown_ when
the model has that label). Prints accuracy, per-class precision/recall/F1 and the confusion matrix.
  --model NAME|DIR       a bundled model (${BUNDLED_MODELS.map((m) => m.name).join(', ')}; 'wavebench models'
                         lists them; default ${DEFAULT_MODEL}) or a model folder (model.json + shards +
                         metadata.json or labels.txt; a folder named like a bundled model: ./NAME)
  --csv OUT, --json OUT  export every row (path,label,predicted,probability,correct,top_k,error) and, in JSON, the metrics
  --top-k N              labels kept per file (default 3)
  --workers N            worker threads (default: cores - 1, at least 1)
  --window-stride-ms N   hop of the sliding windows over files longer than the model's window (default 250)
Exit code: 0 when it ran (unreadable files are listed), 2 for a bad model or no input.`;

function pct(x: number): string {
  return (100 * x).toFixed(1).padStart(5) + '%';
}

/** The summary printed on stdout. */
export function formatSummary(r: ClassifyReport): string {
  const out: string[] = [];
  const m = r.metrics;
  out.push(`model: ${r.model.name} (${r.model.dir})`);
  out.push(
    `files: ${r.counts.files}, scored: ${r.counts.scored}, unlabelled: ${r.counts.unlabelled}, errors: ${r.counts.errors}` +
      (r.counts.background ? `, background noise (not scored): ${r.counts.background}` : '') +
      `, time: ${r.timeSec.toFixed(2)} s${r.cancelled ? ' (cancelled)' : ''}`,
  );
  if (m.scored) {
    out.push(`accuracy: ${pct(m.accuracy)} (${m.correct}/${m.scored}), macro F1 ${m.macroF1.toFixed(3)}`);
    out.push('');
    const w = Math.max(9, ...m.labels.map((l) => l.length));
    out.push(`${'label'.padEnd(w)}  precision  recall      F1  support`);
    for (const c of m.perClass) {
      if (!c.support && !m.confusion.some((row) => row[m.labels.indexOf(c.label)])) continue;
      out.push(
        `${c.label.padEnd(w)}  ${pct(c.precision).padStart(9)}  ${pct(c.recall)}  ${c.f1.toFixed(3).padStart(6)}  ${String(c.support).padStart(7)}`,
      );
    }
    out.push('');
    out.push('confusion matrix (rows: true label, columns: predicted)');
    const used = m.labels
      .map((_, i) => i)
      .filter((i) => m.confusion[i].some((v) => v) || m.confusion.some((row) => row[i]));
    const cw = Math.max(4, ...used.map((i) => m.labels[i].length));
    out.push(''.padEnd(w) + ' ' + used.map((i) => m.labels[i].padStart(cw)).join(' '));
    for (const i of used)
      out.push(
        m.labels[i].padEnd(w) + ' ' + used.map((j) => String(m.confusion[i][j]).padStart(cw)).join(' '),
      );
  } else {
    out.push('no labelled files: nothing scored (labels come from folder names matching the model)');
    for (const row of r.rows.slice(0, 50)) {
      if (!row.error) out.push(`${row.path}: ${row.predicted} ${(row.probability! * 100).toFixed(1)}%`);
    }
  }
  const errs = r.rows.filter((x) => x.error);
  if (errs.length || r.problems.length) {
    out.push('');
    out.push(`unreadable (${errs.length + r.problems.length}):`);
    for (const e of r.problems) out.push(`  ${e.path}: ${e.error}`);
    for (const e of errs) out.push(`  ${e.path}: ${e.error}`);
  }
  return out.join('\n');
}

/** `wavebench classify`; resolves to the exit code. */
export async function runClassifyCommand(args: string[]): Promise<number> {
  const { values, positionals } = parse(args, {
    model: { type: 'string' },
    csv: { type: 'string' },
    json: { type: 'string' },
    'top-k': { type: 'string', default: '3' },
    workers: { type: 'string' },
    'window-stride-ms': { type: 'string', default: '250' },
  });
  if (values.help) {
    console.log(CLASSIFY_HELP);
    return 0;
  }
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
  const modelDir = resolveModelArg(installRoot(), values.model as string | undefined);
  if (!existsSync(modelDir)) {
    console.error(`wavebench: model ${modelDir}: no such folder`);
    return 2;
  }
  const tty = process.stderr.isTTY;
  let report: ClassifyReport;
  const controller = new AbortController();
  const onSigint = () => controller.abort();
  process.once('SIGINT', onSigint);
  try {
    report = await runClassifyJob(positionals, {
      modelDir,
      workers,
      topK,
      windowStrideMs: stride,
      signal: controller.signal,
      progressIntervalMs: tty ? 100 : 2000,
      onProgress: (p) => {
        const line = `${p.done}/${p.total} clips, ${p.clipsPerSec.toFixed(0)} clips/s, ETA ${Number.isFinite(p.etaSec) ? p.etaSec.toFixed(0) + ' s' : '-'}`;
        if (tty) {
          const width = 30;
          const fill = p.total ? Math.round((width * p.done) / p.total) : width;
          process.stderr.write(`\r[${'#'.repeat(fill)}${'.'.repeat(width - fill)}] ${line}   `);
        } else process.stderr.write(line + '\n');
      },
    });
  } catch (e) {
    if (tty) process.stderr.write('\n');
    console.error(`wavebench: ${(e as Error).message}`);
    return 2;
  } finally {
    process.off('SIGINT', onSigint);
  }
  if (tty) process.stderr.write('\n');
  if (!report.rows.length && !report.background.length) {
    for (const p of report.problems) console.error(`wavebench: ${p.path}: ${p.error}`);
    console.error('wavebench: classify: no WAV files found');
    return 2;
  }
  console.log(formatSummary(report));
  if (values.csv) await writeFile(values.csv as string, toCsv(report));
  if (values.json) await writeFile(values.json as string, toJson(report));
  return 0;
}
