// Issue 22: model files that lie. Every case of test/fixtures/hostile-models (made by its
// make_hostile.py: cases.json lists them) and a few made here at test time (too large to commit) go
// through the CLI in a child process: `models --describe` and `classify` on a tiny clip. Each must
// give exactly one `wavebench:` line per command naming the model, and nothing else on stderr (no
// XNNPACK status, "Aborted()" or assertion lines from WASM libraries), with exit code 2 - or load
// and classify cleanly when the file is valid. Time and memory are measured by the child itself
// (CPU seconds per case, peak RSS; --max-old-space-size as a guard); the test's own timeout only
// detects a hang.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import {
  closeSync,
  copyFileSync,
  cpSync,
  ftruncateSync,
  mkdirSync,
  openSync,
  readFileSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { unzipSync, zipSync } from 'fflate';
import { tempDir } from '../tempDir';

const ROOT = join(__dirname, '../../..');
const FIX = join(ROOT, 'test/fixtures/hostile-models');
const RUNNER = join(FIX, 'runCases.ts');
const CLIP = join(ROOT, 'test/fixtures/tflite/clips/five__5_lucas_1.wav');

interface Case {
  path: string;
  format: string;
  kind: string;
  expect: 'refused' | 'loads';
  problem: string | null;
}

const cases: Case[] = JSON.parse(readFileSync(join(FIX, 'cases.json'), 'utf8')).cases;
/** Cases per format in cases.json: counted, so an emptied or truncated list fails. */
const COUNTS: Record<string, number> = { tfjs: 11, keras: 17, graphdef: 14, tflite: 11, int8: 15 };

test('the hostile set is complete: cases per format counted, each kind of the issue present', () => {
  const by: Record<string, number> = {};
  for (const c of cases) by[c.format] = (by[c.format] ?? 0) + 1;
  assert.deepEqual(by, COUNTS);
  for (const c of cases) assert.ok(c.expect === 'loads' || c.problem, `${c.path}: no expected problem`);
});

// ---- cases made here ---------------------------------------------------------------------------

const GEN = tempDir('wb-hostile-models-');
const META = readFileSync(join(FIX, 'tfjs/valid/metadata.json'), 'utf8');

/** The base .keras with its config.json rewritten by `edit`. */
function kerasWith(name: string, edit: (cfg: { config: { layers: Record<string, unknown>[] } }) => void) {
  const dir = join(GEN, name);
  mkdirSync(dir);
  const entries = unzipSync(readFileSync(join(FIX, 'keras/valid-keras/model.keras')));
  const cfg = JSON.parse(Buffer.from(entries['config.json']).toString('utf8'));
  edit(cfg);
  entries['config.json'] = new Uint8Array(Buffer.from(JSON.stringify(cfg)));
  writeFileSync(join(dir, 'model.keras'), zipSync(entries, { level: 6 }));
  writeFileSync(join(dir, 'metadata.json'), META);
  return dir;
}

/** A protobuf varint. */
function varint(n: number): number[] {
  const out = [];
  while (n > 127) {
    out.push((n & 127) | 128);
    n >>>= 7;
  }
  out.push(n);
  return out;
}
const field = (tag: number, bytes: Uint8Array | number[]) => [
  ...varint(tag),
  ...varint(bytes.length),
  ...bytes,
];

const generated: Case[] = [
  {
    path: kerasWith('keras-100001-layers', (cfg) => {
      const drop = cfg.config.layers[2];
      cfg.config.layers = Array.from({ length: 100_001 }, (_, i) => ({ ...drop, name: `d${i}` }));
    }),
    format: 'keras',
    kind: '100,001 Keras layers (1,000,000 in the audit)',
    expect: 'refused',
    problem: 'model.keras: 100001 layers \\(limit 100000\\)',
  },
  {
    // Input -> conv -> gap -> 30,000 Activation layers -> dense, listed in reverse: a valid model.
    path: kerasWith('keras-chain-30000-reversed', (cfg) => {
      const [input, conv, gap, dense] = cfg.config.layers as {
        name: string;
        inbound_nodes: { args: { config: { keras_history: unknown[] } }[] }[];
      }[];
      const call = (from: string) => [
        {
          args: [
            { class_name: '__keras_tensor__', config: { shape: [null, 4], keras_history: [from, 0, 0] } },
          ],
          kwargs: {},
        },
      ];
      const chain = Array.from({ length: 30_000 }, (_, i) => ({
        module: 'keras.layers',
        class_name: 'Activation',
        name: `a${i}`,
        config: { name: `a${i}`, activation: 'linear' },
        inbound_nodes: call(i ? `a${i - 1}` : gap.name),
      }));
      dense.inbound_nodes = call('a29999') as typeof dense.inbound_nodes;
      cfg.config.layers = [input, conv, gap, ...chain, dense].reverse() as Record<string, unknown>[];
    }),
    format: 'keras',
    kind: 'a 30,000-layer Functional chain listed in reverse (scheduled once, linearly)',
    expect: 'loads',
    problem: null,
  },
  (() => {
    const dir = join(GEN, 'tfjs-100001-layers');
    cpSync(join(FIX, 'tfjs/valid'), dir, { recursive: true });
    const mj = JSON.parse(readFileSync(join(dir, 'model.json'), 'utf8'));
    const layers = mj.modelTopology.config.layers;
    const drop = Array.from({ length: 100_001 }, (_, i) => ({
      class_name: 'Dropout',
      config: { name: `d${i}`, rate: 0 },
    }));
    mj.modelTopology.config.layers = [layers[0], ...drop, ...layers.slice(1)];
    writeFileSync(join(dir, 'model.json'), JSON.stringify(mj));
    return {
      path: dir,
      format: 'tfjs',
      kind: '100,001 TF.js layers',
      expect: 'refused' as const,
      problem: '100004 layers \\(limit 100000\\)',
    };
  })(),
  (() => {
    // A GraphDef of 110,000 NoOp nodes (600,000 in the audit: 2.4 GB).
    const dir = join(GEN, 'graphdef-110000-nodes');
    mkdirSync(dir);
    const nodes: number[] = [];
    for (let i = 0; i < 110_000; i++)
      nodes.push(...field(0x0a, field(0x0a, Buffer.from(`n${i}`)).concat(field(0x12, Buffer.from('NoOp')))));
    writeFileSync(join(dir, 'model.pb'), Buffer.from(nodes));
    writeFileSync(join(dir, 'model_labels.txt'), 'a\nb\n');
    return {
      path: dir,
      format: 'graphdef',
      kind: 'a GraphDef of 110,000 nodes',
      expect: 'refused' as const,
      problem: '110000 graph nodes \\(limit 100000\\)',
    };
  })(),
  (() => {
    // A model file one byte over the size cap (sparse: no disk, no time).
    const dir = join(GEN, 'over-size-cap');
    mkdirSync(dir);
    copyFileSync(join(FIX, 'tflite/valid/metadata.json'), join(dir, 'metadata.json'));
    const fd = openSync(join(dir, 'model.tflite'), 'w');
    ftruncateSync(fd, 1024 * 1024 * 1024 + 1);
    closeSync(fd);
    return {
      path: dir,
      format: 'tflite',
      kind: 'a model file over the model-size cap',
      expect: 'refused' as const,
      problem: 'model file model.tflite is too large \\(1073741825 bytes, limit 1073741824\\)',
    };
  })(),
];

// ---- running the CLI in children ---------------------------------------------------------------

interface Report {
  cases: Record<string, { codes: number[]; cpuSec: number }>;
  maxRssMB: number;
}

/** One child running `models`: its report and each model's stdout/stderr (split at the markers). */
function runChild(
  models: string[],
): Promise<{ report?: Report; out: Map<string, { out: string; err: string }> }> {
  const reportFile = join(tempDir('wb-hostile-report-'), 'report.json');
  return new Promise((resolve) => {
    const child = spawn(
      process.execPath,
      ['--max-old-space-size=1536', '--import', 'tsx', RUNNER, reportFile, CLIP, ...models],
      { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    const chunks = { out: [] as Buffer[], err: [] as Buffer[] };
    child.stdout.on('data', (b: Buffer) => chunks.out.push(b));
    child.stderr.on('data', (b: Buffer) => chunks.err.push(b));
    // Hang guard only: generous, never an assertion on duration.
    const guard = setTimeout(() => child.kill('SIGKILL'), 30 * 60_000);
    child.on('close', () => {
      clearTimeout(guard);
      const out = new Map<string, { out: string; err: string }>();
      for (const [k, b] of Object.entries(chunks) as ['out' | 'err', Buffer[]][]) {
        let model = '';
        for (const line of Buffer.concat(b).toString('utf8').split('\n')) {
          const m = /^@@@ (.*)$/.exec(line);
          if (m) {
            model = m[1];
            if (!out.has(model)) out.set(model, { out: '', err: '' });
          } else if (line && model) out.get(model)![k] += line + '\n';
          else if (line) out.set('(before any case)', { out: '', err: line });
        }
      }
      let report: Report | undefined;
      try {
        report = JSON.parse(readFileSync(reportFile, 'utf8'));
      } catch {
        // killed before the first case ended
      }
      resolve({ report, out });
    });
  });
}

const all: Case[] = [...cases.map((c) => ({ ...c, path: join(FIX, c.path) })), ...generated];
const formats = [...new Set(all.map((c) => c.format))];
// Two children at a time (one per core here); each runs one format's cases in order.
const runs = new Map<string, ReturnType<typeof runChild>>();
let slot: Promise<unknown> = Promise.resolve();
const slots = [slot, Promise.resolve()];
formats.forEach((f, i) => {
  const models = all.filter((c) => c.format === f).map((c) => c.path);
  const p = slots[i % 2].then(() => runChild(models));
  slots[i % 2] = p;
  runs.set(f, p);
});
slot = Promise.all(slots);

const figures: string[] = [];
const cpu: { f: string; sec: number; name: string; refused: boolean }[] = [];

/** One case's outcome: refused in one line per command naming it, or loaded cleanly. */
function checkCase(c: Case, codes: number[], o: { out: string; err: string }): void {
  const errLines = o.err.split('\n').filter(Boolean);
  const name = c.path.replace(ROOT + '/', '');
  if (c.expect === 'loads') {
    assert.deepEqual(codes, [0, 0], `${name}: exit codes ${codes}; stderr: ${o.err}`);
    // classify's progress lines are the only stderr a clean run gives.
    assert.deepEqual(
      errLines.filter((l) => !/^\d+\/\d+ clips, /.test(l)),
      [],
      `${name}: stderr: ${o.err}`,
    );
    // Nothing from the file reaches the terminal raw: no ESC, BEL, CR, bidi overrides.
    const raw = [...o.out].filter((ch) => {
      const c = ch.codePointAt(0)!;
      return (
        (c < 0x20 && c !== 0x0a && c !== 0x09) ||
        c === 0x7f ||
        (c >= 0x202a && c <= 0x202e) ||
        (c >= 0x2066 && c <= 0x2069)
      );
    });
    assert.deepEqual(raw, [], `${name}: raw control characters in the output`);
    return;
  }
  assert.deepEqual(codes, [2, 2], `${name}: exit codes ${codes}; stderr: ${o.err}`);
  assert.equal(errLines.length, 2, `${name}: not one line per command:\n${o.err}`);
  for (const line of errLines) {
    assert.ok(line.startsWith(`wavebench: model ${c.path}`), `${name}: does not name the model: ${line}`);
    assert.match(line, new RegExp(c.problem!), `${name}: ${line}`);
    assert.doesNotMatch(line, /undefined|is not a function|Aborted\(|XNN|Assertion/, `${name}: ${line}`);
  }
}

for (const f of formats) {
  test(`${f}: every hostile file refused in one line naming it, or loaded cleanly; bounded memory`, async () => {
    const { report, out } = await runs.get(f)!;
    assert.ok(!out.has('(before any case)'), `output before any case: ${out.get('(before any case)')?.err}`);
    assert.ok(report, 'the child wrote no report (killed: a hang or out of memory)');
    const failures: string[] = [];
    for (const c of all.filter((x) => x.format === f)) {
      const r = report.cases[c.path];
      const name = c.path.replace(ROOT + '/', '');
      if (!r) {
        failures.push(`${name}: not run (the child died on an earlier case?)`);
        continue;
      }
      try {
        checkCase(c, r.codes, out.get(c.path) ?? { out: '', err: '' });
      } catch (e) {
        failures.push((e as Error).message);
      }
      cpu.push({ f, sec: r.cpuSec, name, refused: c.expect === 'refused' });
    }
    assert.deepEqual(failures, []);
    assert.ok(report.maxRssMB < 1024, `peak RSS ${report.maxRssMB} MB`);
    const mine = cpu.filter((x) => x.f === f && x.refused).sort((a, b) => b.sec - a.sec);
    figures.push(
      `${f}: ${Object.keys(report.cases).length} cases, peak RSS ${report.maxRssMB.toFixed(0)} MB, ` +
        `slowest refusal ${mine[0]?.sec.toFixed(2)} s CPU (describe + classify: ${mine[0]?.name})`,
    );
  });
}

test('figures', async () => {
  await slot;
  // Reported, not asserted (the child's own CPU seconds per case; the peak RSS of each child).
  for (const l of figures) console.log(`# ${l}`);
});
