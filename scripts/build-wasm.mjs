// Builds dist/mfcc.wasm from src/audio/native/mfcc.c with clang's wasm32 target and lld (no emscripten,
// no libc). Needs Debian's `clang` and `lld` (wasm-ld) packages. Usage: node scripts/build-wasm.mjs [--out FILE]
// Also importable: `import { buildWasm } from './scripts/build-wasm.mjs'`.
import { spawnSync } from 'node:child_process';
import { mkdirSync, statSync, existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const WASM_SOURCE = join(root, 'src/audio/native/mfcc.c');
export const WASM_OUT = join(root, 'dist/mfcc.wasm');

/** The clang to use: $CLANG, else clang, else clang-NN from Debian's versioned packages. */
function findClang() {
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
    if (r.status === 0) return c;
  }
  return undefined;
}

/** Compiles and links; throws with a clear message when clang or wasm-ld is missing or fails. */
export function buildWasm(out = WASM_OUT) {
  const clang = findClang();
  if (!clang) {
    throw new Error(
      'build-wasm: clang not found. Building dist/mfcc.wasm needs clang and lld (wasm-ld): ' +
        'apt-get install clang lld  (or set CLANG=/path/to/clang)',
    );
  }
  mkdirSync(dirname(out), { recursive: true });
  const args = [
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
    '-o',
    out,
    WASM_SOURCE,
  ];
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
  return { out, bytes: statSync(out).size, clang };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const i = process.argv.indexOf('--out');
  try {
    const r = buildWasm(i > 0 ? resolve(process.argv[i + 1]) : WASM_OUT);
    console.log(`build-wasm: ${r.out} (${r.bytes} bytes, ${r.clang})`);
  } catch (e) {
    console.error(e.message);
    process.exit(1);
  }
}
