// Builds src/audio/native/mfcc.wasm from src/audio/native/mfcc.c with clang's wasm32 target and lld (no
// emscripten, no libc), and records what it was built from in src/audio/native/mfcc.wasm.json (the
// sha256 of mfcc.c and of the .wasm, the compiler, the flags).
//
// The .wasm is committed: `npm run build` only copies it into dist/, so building and running Wavebench
// needs Node alone, no C toolchain. Whoever edits mfcc.c runs `npm run build-wasm` (needs Debian's `clang`
// and `lld` packages) and commits both files; test/unit/audio/mfccWasmFresh.test.ts fails when mfcc.c no longer
// matches the record, and, where clang is installed, when a rebuild does not give the committed bytes.
//
// Usage: node scripts/build-wasm.mjs [--out FILE]   (--out: build elsewhere, record nothing)
// Also importable: `import { buildWasm, findClang } from './scripts/build-wasm.mjs'`.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, statSync, existsSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const WASM_SOURCE = join(root, 'src/audio/native/mfcc.c');
export const WASM_OUT = join(root, 'src/audio/native/mfcc.wasm');
export const WASM_RECORD = join(root, 'src/audio/native/mfcc.wasm.json');

export const FLAGS = [
  '--target=wasm32',
  '-O3',
  '-msimd128',
  '-nostdlib',
  '-ffreestanding',
  '-fno-builtin',
  '-Wall',
  '-Werror',
  '-Wl,--no-entry',
  '-Wl,--export-dynamic',
  '-Wl,--initial-memory=1048576', // 16 pages: tables + a few clips; the allocator grows it as needed
  '-Wl,-z,stack-size=65536',
  '-Wl,--strip-all',
];

/** sha256 of a file, hex. */
export function sha256(path) {
  return createHash('sha256').update(readFileSync(path)).digest('hex');
}

/** The clang to use and its version line: $CLANG, else clang, else clang-NN; undefined when none runs. */
export function findClang() {
  const candidates = [
    process.env.CLANG,
    'clang',
    'clang-19',
    'clang-18',
    'clang-17',
    'clang-16',
    'clang-15',
    'clang-14',
  ];
  for (const c of candidates) {
    if (!c) continue;
    const r = spawnSync(c, ['--version'], { encoding: 'utf8' });
    if (r.status === 0) return { clang: c, version: r.stdout.split('\n')[0].trim() };
  }
  return undefined;
}

/** Compiles and links; throws with a clear message when clang or wasm-ld is missing or fails. */
export function buildWasm(out = WASM_OUT) {
  const found = findClang();
  if (!found) {
    throw new Error(
      'build-wasm: clang not found. Building mfcc.wasm needs clang and lld (wasm-ld): ' +
        'apt-get install clang lld  (or set CLANG=/path/to/clang)',
    );
  }
  const { clang, version } = found;
  mkdirSync(dirname(out), { recursive: true });
  const args = [...FLAGS, '-o', out, WASM_SOURCE];
  const r = spawnSync(clang, args, { encoding: 'utf8' });
  if (r.error) throw new Error(`build-wasm: cannot run ${clang}: ${r.error.message}`);
  if (r.status !== 0) {
    const msg = `${r.stderr}${r.stdout}`;
    const hint = /wasm-ld|unable to execute|No such file/i.test(msg)
      ? '\nbuild-wasm: the wasm32 linker is missing: apt-get install lld'
      : '';
    throw new Error(`build-wasm: ${clang} ${args.join(' ')} failed (exit ${r.status}):\n${msg}${hint}`);
  }
  if (!existsSync(out)) throw new Error(`build-wasm: ${out} was not produced`);
  return { out, bytes: statSync(out).size, clang, version };
}

/** What the committed .wasm was built from, written next to it. */
export function writeRecord(built) {
  const record = {
    source: relative(root, WASM_SOURCE),
    sourceSha256: sha256(WASM_SOURCE),
    wasm: relative(root, WASM_OUT),
    wasmSha256: sha256(WASM_OUT),
    bytes: built.bytes,
    compiler: built.version,
    flags: FLAGS,
    rebuild: 'npm run build-wasm',
  };
  writeFileSync(WASM_RECORD, JSON.stringify(record, null, 2) + '\n');
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const i = process.argv.indexOf('--out');
  try {
    const out = i > 0 ? resolve(process.argv[i + 1]) : WASM_OUT;
    const r = buildWasm(out);
    if (out === WASM_OUT) writeRecord(r);
    console.log(`build-wasm: ${relative(process.cwd(), r.out)} (${r.bytes} bytes, ${r.version})`);
  } catch (e) {
    console.error(e.message);
    process.exit(1);
  }
}
