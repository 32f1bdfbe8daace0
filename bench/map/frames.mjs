// Frame times of the dataset map in headless Chromium (no GPU): the map component on the preview's
// 10,000-point sample (test/webview/sample-map.json: a real review's UMAP map) and on 100,000 points
// (the sample repeated 10 times, jittered). Drives 120 drag-pan moves and 120 wheel zooms with
// playwright and reports, per interaction: the component's own draw time per frame (median, p95,
// max) and the requestAnimationFrame intervals during it (median, p95; 16.7 ms = 60 fps), side by side
// with a baseline in the same page: the same frame drawn with one fill call a point (both timed up to
// a getImageData, so the rasterising is counted).
// Run: node bench/map/frames.mjs
/* global requestAnimationFrame */
import * as esbuild from 'esbuild';
import { chromium } from 'playwright-core';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, copyFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { findChromium } from '../../test/chromium.mjs';
import { machine, machineLine } from '../classify/tensorflow.mjs';

const repo = resolve(import.meta.dirname, '..', '..');
const load0 = loadavg();
const tmp = mkdtempSync(join(tmpdir(), 'wb-map-frames-'));
const q = (xs, p) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(p * xs.length))];
const fmt = (xs) =>
  `median ${q(xs, 0.5).toFixed(1)}, p95 ${q(xs, 0.95).toFixed(1)}, max ${Math.max(...xs).toFixed(1)} ms`;
const lines = [`# dataset map frame times, ${new Date().toISOString()}`];
try {
  await esbuild.build({
    bundle: true,
    platform: 'browser',
    format: 'iife',
    target: 'es2022',
    logLevel: 'warning',
    entryPoints: { page: join(repo, 'bench/map/framesPage.ts') },
    outdir: tmp,
  });
  copyFileSync(join(repo, 'media/webview.css'), join(tmp, 'webview.css'));
  const sample = readFileSync(join(repo, 'test/webview/sample-map.json'), 'utf8');
  const browser = await chromium.launch({
    executablePath: findChromium(),
    args: ['--no-sandbox', '--disable-gpu'],
  });
  try {
    for (const copies of [1, 10]) {
      writeFileSync(
        join(tmp, `sample${copies}.js`),
        `window.__sample = ${sample}; window.__copies = ${copies};`,
      );
      writeFileSync(
        join(tmp, `page${copies}.html`),
        `<!DOCTYPE html><html><head><link rel="stylesheet" href="webview.css"></head><body class="vscode-light"><div id="app" style="width:1000px"></div><script src="sample${copies}.js"></script><script src="page.js"></script></body></html>`,
      );
      const page = await browser.newPage({ viewport: { width: 1100, height: 800 } });
      await page.goto(pathToFileURL(join(tmp, `page${copies}.html`)).href);
      await page.waitForFunction(() => globalThis.__painted === true);
      const box = await page.locator('canvas.map-canvas').boundingBox();
      const [cx, cy] = [box.x + box.width / 2, box.y + box.height / 2];
      const measure = async (what, act) => {
        await page.evaluate(() => {
          globalThis.__map.drawMs.length = 0;
          globalThis.__raf = [];
          globalThis.__rafOn = true;
          const tick = (t) => {
            globalThis.__raf.push(t);
            if (globalThis.__rafOn) requestAnimationFrame(tick);
          };
          requestAnimationFrame(tick);
        });
        await act();
        await page.waitForTimeout(100);
        const r = await page.evaluate(() => {
          globalThis.__rafOn = false;
          const t = globalThis.__raf;
          return { draw: [...globalThis.__map.drawMs], gaps: t.slice(1).map((x, i) => x - t[i]) };
        });
        lines.push(
          `${(10000 * copies).toLocaleString('en')} points, ${what}: ${r.draw.length} frames drawn, draw ${fmt(r.draw)}; rAF intervals ${fmt(r.gaps)}`,
        );
        console.error(lines.at(-1));
      };
      await measure('drag pan (120 moves)', async () => {
        await page.mouse.move(cx, cy);
        await page.mouse.down();
        for (let k = 0; k < 120; k++)
          await page.mouse.move(cx + 200 * Math.sin(k / 12), cy + 100 * Math.cos(k / 12));
        await page.mouse.up();
      });
      await measure('wheel zoom (120 steps)', async () => {
        await page.mouse.move(cx + 40, cy - 20);
        for (let k = 0; k < 120; k++) await page.mouse.wheel(0, k < 60 ? -40 : 40);
      });
      const naive = await page.evaluate(() => Array.from({ length: 20 }, () => globalThis.__naive()));
      const batched = await page.evaluate(() => Array.from({ length: 20 }, () => globalThis.__batched()));
      lines.push(
        `${(10000 * copies).toLocaleString('en')} points, one frame at the fitted view: batched (a path a label) ${fmt(batched)}; baseline (a fill a point) ${fmt(naive)}; ratio ${(q(naive, 0.5) / q(batched, 0.5)).toFixed(1)}x`,
      );
      console.error(lines.at(-1));
      await page.close();
    }
  } finally {
    await browser.close();
  }
} finally {
  rmSync(tmp, { recursive: true, force: true });
}
lines.push(machineLine(machine(load0)) + '; headless Chromium, --disable-gpu (software canvas)');
console.log(lines.join('\n'));
