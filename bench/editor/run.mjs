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
const med = (k) => median(warm.map((x) => x[k]));
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
  medianMs: Object.fromEntries(
    [
      'initMs',
      'predictionsMs',
      'defaultEditorMs',
      'emptyWebviewMs',
      'readyMs',
      'initSentMs',
      'predictionsSentMs',
    ].map((k) => [k, med(k)]),
  ),
};
const m = summary.medianMs;
summary.overEmptyWebviewMs = m.predictionsMs - m.emptyWebviewMs;
writeFileSync(join(resultsDir, 'editor.json'), JSON.stringify(summary, null, 1));
const row = (what, v) => console.log(`| ${what} | ${v.toFixed(0)} |`);
console.log(`| measure (median of ${warm.length} warm 1-s clips, ms after the open command) | ms |`);
console.log('|---|---|');
row('Wavebench editor painted (facts, waveform, spectrogram, model input)', m.initMs);
row('predictions painted', m.predictionsMs);
row('baseline: an empty webview panel posts its first message (VS Code webview start-up)', m.emptyWebviewMs);
row('baseline: VS Code default editor tab active', m.defaultEditorMs);
row("Wavebench webview 'ready' received by the host", m.readyMs);
row('init sent (host: decode, stats, spectrogram, model input)', m.initSentMs);
row('predictions sent (worker pool inference)', m.predictionsSentMs);
row('predictions painted minus the empty-webview baseline', summary.overEmptyWebviewMs);
row('first open (cold worker pool, model load): predictions painted', first.predictionsMs);
console.log(
  `machine: ${summary.machine.cpu}, ${summary.machine.cores} cores, node ${process.version}, VS Code ${vscode}, load ${load0.map((x) => x.toFixed(1)).join(' ')}`,
);
