// Packs the extension: one VSIX per platform with the one onnxruntime-node binary it needs, and a
// universal VSIX without onnxruntime-node (TF.js WebAssembly only: ONNX models say in one line that the
// native backend is not in that package).
//
// Usage: node scripts/package.mjs [--all | --target T[,T...]] [--no-universal] [--no-build]
//   default: linux-x64 + universal; --all: every platform onnxruntime-node ships a binary for
//   (node_modules/onnxruntime-node/bin/napi-v*/<os>/<arch>/: linux-x64, linux-arm64, darwin-arm64,
//   win32-x64, win32-arm64 in 1.31; it has no darwin-x64 binary, so Intel Macs get the universal VSIX).
// Output: dist-vsix/wavebench-<target>.vsix and dist-vsix/wavebench-universal.vsix, sizes printed.
//
// How: vsce with --no-dependencies never packs the top-level node_modules/, so each platform's copy
// of onnxruntime-node (its package.json and dist/*.js, the one bin/napi-v*/<os>/<arch>/ folder) and of
// onnxruntime-common (package.json, dist/cjs) goes to dist/node_modules/ of a staging folder: the
// folder next to dist/onnxChild.js that its require('onnxruntime-node') looks in first.
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const outDir = join(root, 'dist-vsix');
const ORT = join(root, 'node_modules', 'onnxruntime-node');
const COMMON = join(root, 'node_modules', 'onnxruntime-common');
/** What .vscodeignore lets into a VSIX, copied to each staging folder. */
const SHIPPED = ['package.json', 'README.md', 'LICENSE', '.vscodeignore', 'dist', 'media', 'models'];

/** Every `<os>-<arch>` onnxruntime-node ships a binary for, with its folder. */
function platforms() {
  const bin = join(ORT, 'bin');
  const found = new Map();
  for (const napi of readdirSync(bin).filter((d) => d.startsWith('napi-v')))
    for (const os of readdirSync(join(bin, napi)))
      for (const arch of readdirSync(join(bin, napi, os))) {
        const dir = join(bin, napi, os, arch);
        if (existsSync(join(dir, 'onnxruntime_binding.node')))
          found.set(`${os}-${arch}`, { napi, os, arch, dir });
      }
  return found;
}

function parseArgs(argv) {
  const a = { targets: ['linux-x64'], universal: true, build: true };
  for (let i = 0; i < argv.length; i++) {
    const k = argv[i];
    if (k === '--all') a.targets = [...platforms().keys()].sort();
    else if (k === '--target')
      a.targets = String(argv[++i] ?? '')
        .split(',')
        .filter(Boolean);
    else if (k === '--no-universal') a.universal = false;
    else if (k === '--no-build') a.build = false;
    else throw new Error(`package.mjs: unknown argument ${k}`);
  }
  return a;
}

function run(cmd, args, cwd) {
  const r = spawnSync(cmd, args, { cwd, stdio: 'inherit' });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} exited ${r.status}`);
}

/** onnxruntime-node's run-time files for one platform into `modules` (a node_modules folder). */
function copyRuntime(p, modules) {
  const ort = join(modules, 'onnxruntime-node');
  cpSync(join(ORT, 'package.json'), join(ort, 'package.json'));
  cpSync(join(ORT, 'dist'), join(ort, 'dist'), { recursive: true, filter: (f) => !/\.(map|d\.ts)$/.test(f) });
  // macOS: the binding links @rpath/libonnxruntime.1.dylib; npm's copy of the versioned name beside
  // it (libonnxruntime.1.31.1.dylib, a symlink in the release) would double the VSIX for nothing.
  cpSync(p.dir, join(ort, 'bin', p.napi, p.os, p.arch), {
    recursive: true,
    filter: (f) => !/libonnxruntime\.\d+\.\d+\.\d+\.dylib$/.test(f),
  });
  const common = join(modules, 'onnxruntime-common');
  cpSync(join(COMMON, 'package.json'), join(common, 'package.json'));
  cpSync(join(COMMON, 'dist', 'cjs'), join(common, 'dist', 'cjs'), {
    recursive: true,
    filter: (f) => !/\.(map|d\.ts)$/.test(f),
  });
}

/** Stages the shipped files (and a platform's runtime), packs them, returns the VSIX path. */
function pack(target, p) {
  const name = `wavebench-${target ?? 'universal'}.vsix`;
  const stage = join(outDir, `stage-${target ?? 'universal'}`);
  rmSync(stage, { recursive: true, force: true });
  mkdirSync(stage, { recursive: true });
  for (const f of SHIPPED)
    if (existsSync(join(root, f))) cpSync(join(root, f), join(stage, f), { recursive: true });
  rmSync(join(stage, 'dist', 'node_modules'), { recursive: true, force: true });
  if (p) copyRuntime(p, join(stage, 'dist', 'node_modules'));
  const out = join(outDir, name);
  rmSync(out, { force: true });
  const vsce = join(root, 'node_modules', '.bin', 'vsce');
  run(vsce, ['package', '--no-dependencies', ...(target ? ['--target', target] : []), '--out', out], stage);
  rmSync(stage, { recursive: true, force: true });
  return out;
}

function main() {
  const a = parseArgs(process.argv.slice(2));
  const known = platforms();
  for (const t of a.targets)
    if (!known.has(t))
      throw new Error(
        `package.mjs: onnxruntime-node has no binary for ${t} (it ships: ${[...known.keys()].join(', ')})`,
      );
  if (a.build) run(process.execPath, [join(root, 'esbuild.mjs'), '--production'], root);
  mkdirSync(outDir, { recursive: true });
  const made = [];
  for (const t of a.targets) made.push(pack(t, known.get(t)));
  if (a.universal) made.push(pack(undefined, undefined));
  for (const f of made) console.log(`${f}: ${(statSync(f).size / 1e6).toFixed(1)} MB`);
}

try {
  main();
} catch (e) {
  console.error(`wavebench: ${e.message}`);
  process.exit(1);
}
