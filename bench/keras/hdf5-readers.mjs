// jsfive against h5wasm on the Keras fixtures: read every dataset and attribute, main thread and a
// worker thread; then each library bundled by esbuild (cjs, node, minified) and run.
// h5wasm is not a dependency:  npm install --no-save h5wasm && node bench/keras/hdf5-readers.mjs
import { readFileSync, mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
import { Worker, isMainThread } from 'node:worker_threads';
import { unzipSync } from 'fflate';
import * as jsfive from 'jsfive';
import * as esbuild from 'esbuild';

const F = 'test/fixtures/keras';
function files() {
  const out = [];
  for (const p of ['tutorial-h5/model.h5', 'functional-h5/model.h5']) out.push([p, readFileSync(join(F, p))]);
  for (const p of ['tutorial/model.keras', 'functional/model.keras'])
    out.push([p, Buffer.from(unzipSync(readFileSync(join(F, p)))['model.weights.h5'])]);
  return out;
}
function readJsfive(buf) {
  const f = new jsfive.File(buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength), 'x.h5');
  let n = 0;
  const walk = (g) => {
    void g.attrs;
    for (const k of g.keys) {
      const o = g.get(k);
      if (o instanceof jsfive.Group) walk(o);
      else n += o.value.length ?? 1;
    }
  };
  walk(f);
  return n;
}
async function run() {
  const h5wasm = (await import('h5wasm')).default;
  const t0 = performance.now();
  const { FS } = await h5wasm.ready;
  const init = performance.now() - t0;
  const readH5wasm = (buf, i) => {
    const name = `f${i}.h5`;
    FS.writeFile(name, new Uint8Array(buf));
    const f = new h5wasm.File(name, 'r');
    let n = 0;
    const walk = (g) => {
      void g.attrs;
      for (const k of g.keys()) {
        const o = g.get(k);
        if (o.type === 'Group') walk(o);
        else n += o.value.length ?? 1;
      }
    };
    walk(f);
    f.close();
    FS.unlink(name);
    return n;
  };
  const where = isMainThread ? 'main' : 'worker';
  console.log(`${where}: h5wasm start-up ${init.toFixed(0)} ms`);
  for (const [lib, fn] of [
    ['jsfive', readJsfive],
    ['h5wasm', readH5wasm],
  ]) {
    for (const [p, b] of files()) {
      const ts = [];
      for (let r = 0; r < 15; r++) {
        const t = performance.now();
        fn(b, r);
        ts.push(performance.now() - t);
      }
      const first = ts[0];
      ts.sort((a, c) => a - c);
      console.log(
        `${where} ${lib} ${p} (${b.length} B): first ${first.toFixed(1)} ms, median ${ts[7].toFixed(1)} ms`,
      );
    }
  }
}
await run();
if (isMainThread) {
  await new Promise((res) => new Worker(new URL(import.meta.url)).on('exit', res));
  const dir = mkdtempSync(join(tmpdir(), 'wb-h5-'));
  for (const [lib, src] of [
    ['jsfive', "import * as j from 'jsfive'; console.log('jsfive bundle runs:', typeof j.File);"],
    [
      'h5wasm',
      "import h from 'h5wasm'; h.ready.then(({ FS }) => console.log('h5wasm bundle runs:', typeof FS));",
    ],
  ]) {
    await esbuild.build({
      stdin: { contents: src, resolveDir: process.cwd() },
      bundle: true,
      platform: 'node',
      format: 'cjs',
      minify: true,
      outfile: join(dir, `${lib}.cjs`),
      logLevel: 'silent',
    });
    console.log(
      `${lib}: bundle ${(statSync(join(dir, `${lib}.cjs`)).size / 1024).toFixed(0)} KB;`,
      execFileSync(process.execPath, [join(dir, `${lib}.cjs`)])
        .toString()
        .trim(),
    );
  }
}
