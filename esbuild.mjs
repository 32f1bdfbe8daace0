// One build script for every bundle: extension host, CLI, workers, webviews, and the integration tests.
import * as esbuild from 'esbuild';
import { copyFileSync, mkdirSync, readdirSync, existsSync } from 'node:fs';
import { join } from 'node:path';

const watch = process.argv.includes('--watch');
const production = process.argv.includes('--production');
mkdirSync('dist', { recursive: true });

// Emscripten/ESM modules read import.meta.url; in a CJS bundle it becomes this file's URL.
const importMetaUrl = {
  banner: { js: "const __import_meta_url = require('url').pathToFileURL(__filename).href;" },
  define: { 'import.meta.url': '__import_meta_url' },
};

const node = {
  bundle: true,
  // ogg-opus-decoder imports its 4-MB ML decoder (opus-ml) only for speechQualityEnhancement, which
  // Wavebench never asks for: left out of the bundles (the import is never reached).
  external: ['@wasm-audio-decoders/opus-ml'],
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: !production,
  minify: production,
  logLevel: 'info',
  ...importMetaUrl,
};

/**
 * WASM files the bundles load at run time from dist/. Our MFCC kernel is the committed
 * src/audio/native/mfcc.wasm (built from mfcc.c by `npm run build-wasm`, checked fresh by
 * test/unit/audio/mfccWasmFresh.test.ts): building needs no C toolchain.
 */
function copyWasm() {
  copyFileSync('src/audio/native/mfcc.wasm', 'dist/mfcc.wasm');
  copyFileSync('node_modules/@echogarden/pffft-wasm/dist/simd/pffft.wasm', 'dist/pffft.wasm');
  const tfWasm = 'node_modules/@tensorflow/tfjs-backend-wasm/dist';
  for (const f of readdirSync(tfWasm))
    if (f.endsWith('.wasm')) copyFileSync(join(tfWasm, f), join('dist', f));
}

const integrationTests = existsSync('test/integration')
  ? readdirSync('test/integration')
      .filter((f) => f.endsWith('.ts'))
      .map((f) => join('test/integration', f))
  : [];

const builds = [
  {
    ...node,
    entryPoints: ['src/extension.ts'],
    outfile: 'dist/extension.js',
    external: ['vscode', ...node.external],
  },
  {
    ...node,
    entryPoints: ['src/cli/main.ts'],
    outfile: 'dist/cli.js',
    banner: { js: '#!/usr/bin/env node\n' + importMetaUrl.banner.js },
  },
  { ...node, entryPoints: ['src/engine/worker.ts'], outfile: 'dist/worker.js' },
  {
    bundle: true,
    platform: 'browser',
    target: 'es2022',
    format: 'iife',
    sourcemap: !production,
    minify: production,
    logLevel: 'info',
    entryPoints: {
      editor: 'webview/editor/main.ts',
      report: 'webview/report/main.ts',
      dataset: 'webview/dataset/main.ts',
      evaluation: 'webview/evaluation/main.ts',
      compare: 'webview/compare/main.ts',
    },
    outdir: 'dist/webview',
  },
];
if (integrationTests.length) {
  builds.push({
    ...node,
    entryPoints: integrationTests,
    outdir: 'dist/test/integration',
    external: ['vscode', 'mocha', ...node.external],
  });
}

copyWasm();
if (watch) {
  for (const b of builds) await (await esbuild.context(b)).watch();
} else {
  await Promise.all(builds.map((b) => esbuild.build(b)));
}
