// What the classify benchmarks share: the TensorFlow Python side (tf_classify.py, batch 32, one JSON
// line on stdout), the machine the run was measured on, running under tsx, and the median.
import { spawnSync } from 'node:child_process';
import { cpus, loadavg } from 'node:os';

/** Runs tf_classify.py on the files listed in `list` (timed over `repeat` passes); its JSON result and the process's wall time. */
export function runTensorFlow(modelDir, list, repeat = 1) {
  const t0 = performance.now();
  const py = spawnSync(
    'python3',
    [
      'bench/classify/tf_classify.py',
      '--model-dir',
      modelDir,
      '--list',
      list,
      '--batch',
      '32',
      '--repeat',
      String(repeat),
    ],
    { encoding: 'utf8', maxBuffer: 1 << 28 },
  );
  const wallSec = (performance.now() - t0) / 1000;
  try {
    return { result: JSON.parse(py.stdout.trim().split('\n').pop()), wallSec };
  } catch {
    console.error(py.stderr);
    throw new Error(`tf_classify.py gave no JSON (exit ${py.status})`);
  }
}

/** The machine, with the load average at the start (`load0`) and now. */
export function machine(load0) {
  return { cpu: cpus()[0]?.model, cores: cpus().length, node: process.version, loadavg: [load0, loadavg()] };
}

/** One line naming the machine and the load before -> after, for a benchmark's printout. */
export function machineLine(m) {
  const load = (l) => l.map((x) => x.toFixed(1)).join(' ');
  return `machine: ${m.cpu}, ${m.cores} cores, load ${load(m.loadavg[0])} -> ${load(m.loadavg[1])}`;
}

/**
 * Makes sure the script runs with tsx loaded (it imports the TypeScript sources): if not, runs the same
 * script again under `node --import tsx` and exits with its status.
 */
export function underTsx() {
  if (process.execArgv.some((a) => a.includes('tsx'))) return;
  const r = spawnSync(process.execPath, ['--import', 'tsx', ...process.argv.slice(1)], { stdio: 'inherit' });
  process.exit(r.status ?? 1);
}

/** The median of `xs` (the lower middle one for an even count): always one of the values. */
export const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)];
