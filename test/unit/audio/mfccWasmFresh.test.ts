// The committed MFCC kernel (src/audio/native/mfcc.wasm) is the one mfcc.c gives, and it is the one the
// tests and the engine from sources load (never a leftover dist/mfcc.wasm).
// - Everywhere: mfcc.c and mfcc.wasm have the sha256 recorded by `npm run build-wasm` in mfcc.wasm.json
//   (an edit to mfcc.c without a rebuild fails here, with or without clang).
// - Where clang + wasm-ld are installed (README's test command installs them): a rebuild from mfcc.c
//   into a temporary folder gives the committed bytes. Without clang that check is skipped with a
//   reason, or fails when CI or WAVEBENCH_REQUIRE_CLANG is set.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { locateMfccWasm } from '../../../src/audio/mfccWasm';

const ROOT = join(__dirname, '../../..');
const NATIVE = join(ROOT, 'src/audio/native');
const WASM = join(NATIVE, 'mfcc.wasm');
const STALE = 'src/audio/native/mfcc.wasm is stale: run npm run build-wasm';

interface BuildScript {
  buildWasm(out: string): { out: string; bytes: number; clang: string; version: string };
  findClang(): { clang: string; version: string } | undefined;
  sha256(path: string): string;
}
// The build script itself (plain ESM), so the flags are the ones `npm run build-wasm` uses.
const script = import(join(ROOT, 'scripts/build-wasm.mjs')) as Promise<BuildScript>;
const record = JSON.parse(readFileSync(join(NATIVE, 'mfcc.wasm.json'), 'utf8')) as {
  sourceSha256: string;
  wasmSha256: string;
  compiler: string;
};

test('mfcc.wasm: mfcc.c and mfcc.wasm are those recorded by npm run build-wasm', async () => {
  const { sha256 } = await script;
  assert.equal(sha256(join(NATIVE, 'mfcc.c')), record.sourceSha256, `${STALE} (mfcc.c changed since)`);
  assert.equal(sha256(WASM), record.wasmSha256, `${STALE} (mfcc.wasm differs from its record)`);
});

test('mfcc.wasm: rebuilt from mfcc.c with clang, it is byte for byte the committed one', async (t) => {
  const { buildWasm, findClang } = await script;
  const clang = findClang();
  if (!clang) {
    const why = 'clang not installed: the rebuild check needs clang + lld (apt-get install clang lld)';
    if (process.env.CI || process.env.WAVEBENCH_REQUIRE_CLANG) assert.fail(why);
    t.skip(why);
    return;
  }
  const dir = mkdtempSync(join(tmpdir(), 'wb-wasm-'));
  try {
    const built = buildWasm(join(dir, 'mfcc.wasm'));
    const fresh = readFileSync(built.out);
    const committed = readFileSync(WASM);
    const sameCompiler = clang.version === record.compiler;
    assert.ok(
      fresh.equals(committed),
      `${STALE} (rebuilt: ${fresh.length} bytes, committed: ${committed.length} bytes; ` +
        (sameCompiler
          ? `same compiler, ${clang.version})`
          : `committed by "${record.compiler}", rebuilt by "${clang.version}": rebuild with this ` +
            'compiler and run the exactness tests, or use the recorded one)'),
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('mfcc.wasm: the engine from sources loads the committed file, not dist/', () => {
  assert.equal(process.env.WAVEBENCH_MFCC_WASM, undefined, 'WAVEBENCH_MFCC_WASM overrides the kernel');
  assert.equal(locateMfccWasm(), WASM);
});
