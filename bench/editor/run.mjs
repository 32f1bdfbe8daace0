// Editor benchmark: opens 1-s sample clips in the Wavebench editor inside the offline VS Code
// (test/runVsCode.mjs) and reports open -> painted and open -> predictions painted, next to VS Code's
// default editor opening the same files (baseline), as medians over the runs. Run: npm run bench:editor
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { runSuite } from '../../test/runVsCode.mjs';

const resultsDir = join(process.cwd(), 'bench', 'results');
mkdirSync(resultsDir, { recursive: true });
const out = join(resultsDir, 'editor-raw.json');
const load0 = loadavg();
const r = await runSuite({
  files: 'editorBench.bench.js',
  timeoutSec: 900,
  resultsDir: join(resultsDir, 'editor-run'),
  env: { WAVEBENCH_BENCH_OUT: out, WAVEBENCH_BENCH_RUNS: process.env.WAVEBENCH_BENCH_RUNS ?? '20' },
});
if (!r.ok) {
  console.error('benchmark run failed:', r.reason ?? '');
  process.exit(1);
}
const { vscode, rows } = JSON.parse(readFileSync(out, 'utf8'));
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const [first, ...warm] = rows;
const summary = {
  machine: {
    cpu: cpus()[0]?.model,
    cores: cpus().length,
    node: process.version,
    vscode,
    loadavg: [load0, loadavg()],
  },
  firstOpen: first,
  runs: warm.length,
  medianInitMs: median(warm.map((x) => x.initMs)),
  medianPredictionsMs: median(warm.map((x) => x.predictionsMs)),
  medianTextEditorMs: median(warm.map((x) => x.defaultEditorMs)),
};
summary.ratioPredictionsToDefaultEditor = summary.medianPredictionsMs / summary.medianTextEditorMs;
writeFileSync(join(resultsDir, 'editor.json'), JSON.stringify(summary, null, 1));
console.log(`| measure (median of ${warm.length} warm 1-s clips) | ms |`);
console.log('|---|---|');
console.log(
  `| open -> Wavebench editor painted (facts, waveform, spectrogram, model input) | ${summary.medianInitMs.toFixed(0)} |`,
);
console.log(`| open -> predictions painted | ${summary.medianPredictionsMs.toFixed(0)} |`);
console.log(
  `| baseline: open -> VS Code default editor tab active | ${summary.medianTextEditorMs.toFixed(0)} |`,
);
console.log(
  `| first open (cold worker pool, model load) -> predictions | ${first.predictionsMs.toFixed(0)} |`,
);
console.log(
  `machine: ${summary.machine.cpu}, ${summary.machine.cores} cores, load ${load0.map((x) => x.toFixed(1)).join(' ')}`,
);
