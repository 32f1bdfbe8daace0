// One build script for every bundle: extension host, CLI, workers, webviews, and the integration tests.
import * as esbuild from 'esbuild';
import { copyFileSync, mkdirSync, readdirSync, existsSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';

const watch = process.argv.includes('--watch');
const production = process.argv.includes('--production');
mkdirSync('dist', { recursive: true });

// Emscripten/ESM modules read import.meta.url; in a CJS bundle it becomes this file's URL.
const importMetaUrl = {
  banner: { js: "const __import_meta_url = require('url').pathToFileURL(__filename).href;" },
  define: { 'import.meta.url': '__import_meta_url' },
};

/**
 * codec-parser (used inside three of the audio decoders) is LGPL-3.0-or-later: it is not inlined
 * into our bundles but built on its own, unmodified, into dist/codec-parser.js (with its licence
 * beside it), which every bundle requires at run time. A user may replace that file with their own
 * build of codec-parser, as the LGPL requires of a combined work.
 */
const codecParserExternal = {
  name: 'codec-parser-external',
  setup(b) {
    const out = b.initialOptions.outdir ?? dirname(b.initialOptions.outfile);
    const path = './' + relative(out, 'dist/codec-parser.js').replaceAll('\\', '/');
    b.onResolve({ filter: /^codec-parser$/ }, () => ({ path, external: true }));
  },
};

const node = {
  bundle: true,
  plugins: [codecParserExternal],
  // ogg-opus-decoder imports its 4-MB ML decoder (opus-ml) only for speechQualityEnhancement, which
  // Wavebench never asks for: left out of the bundles (the import is never reached).
  // onnxruntime-node holds native binaries (one per platform): never bundled, required from
  // node_modules at run time by dist/onnxChild.js (a VSIX must ship node_modules/onnxruntime-node, or
  // ONNX models report it missing; the TF.js formats do not need it).
  external: ['@wasm-audio-decoders/opus-ml', 'onnxruntime-node'],
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
  copyFileSync('node_modules/codec-parser/LICENSE', 'dist/codec-parser.LICENSE');
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
  { ...node, entryPoints: ['src/engine/onnxChild.ts'], outfile: 'dist/onnxChild.js' },
  {
    // codec-parser alone, unmodified and not minified (see codecParserExternal).
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    logLevel: 'info',
    entryPoints: ['node_modules/codec-parser/index.js'],
    outfile: 'dist/codec-parser.js',
    banner: {
      js: '// codec-parser (https://github.com/eshaz/codec-parser), LGPL-3.0-or-later: see codec-parser.LICENSE.\n// Built unmodified from node_modules/codec-parser by esbuild.mjs; replaceable by any build of it.',
    },
    // The decoders import it as an ES module from CommonJS bundles (node mode: the default import is
    // module.exports): the exports become the default export's properties.
    footer: {
      js:
        'for (const [k, v] of Object.entries(module.exports)) Object.defineProperty(module.exports.default, k, { value: v });\n' +
        'module.exports = module.exports.default;',
    },
  },
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
      review: 'webview/review/main.ts',
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
