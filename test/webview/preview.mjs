// Preview harness for the report, dataset and editor webviews: bundles them with esbuild, loads each in
// headless Chromium under the production CSP with a fake acquireVsCodeApi, posts sample data, waits
// for `painted`, clicks a confusion cell, and writes screenshots for the light and dark themes to
// test-results/preview/. Exits non-zero on a page error, a CSP violation, or a missing `painted`.
//
//   node test/webview/preview.mjs            # both views, both themes
//   node test/webview/preview.mjs report     # one view
import * as esbuild from 'esbuild';
import { chromium } from 'playwright-core';
import { findChromium } from '../chromium.mjs';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync, copyFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const repo = resolve(import.meta.dirname ?? new URL('.', import.meta.url).pathname, '../..');
const outDir = join(repo, 'test-results/preview');
const views = process.argv.slice(2).length
  ? process.argv.slice(2)
  : ['report', 'dataset', 'editor', 'evaluation', 'compare'];
// PREVIEW_THEMES=light,dark,hc to add the high-contrast theme.
const themes = (process.env.PREVIEW_THEMES ?? 'light,dark').split(',');

/** A few real values of VS Code's Default Light Modern / Dark Modern themes. */
const THEMES = {
  light: {
    bodyClass: 'vscode-light',
    kind: 'vscode-light',
    vars: {
      'font-family':
        '-apple-system, BlinkMacSystemFont, "Segoe WPC", "Segoe UI", "Ubuntu", "Droid Sans", sans-serif',
      'font-size': '13px',
      'font-weight': 'normal',
      'editor-font-family': 'Consolas, "Courier New", monospace',
      'editor-background': '#ffffff',
      'editor-foreground': '#3b3b3b',
      foreground: '#3b3b3b',
      descriptionForeground: '#3b3b3b',
      'panel-border': '#e5e5e5',
      focusBorder: '#005fb8',
      'list-hoverBackground': '#f2f2f2',
      'button-background': '#005fb8',
      'button-foreground': '#ffffff',
      'button-hoverBackground': '#0258a8',
      'button-border': '#0000001a',
      'button-secondaryBackground': '#e5e5e5',
      'button-secondaryForeground': '#3b3b3b',
      'button-secondaryHoverBackground': '#cccccc',
      'input-background': '#ffffff',
      'input-foreground': '#3b3b3b',
      'input-border': '#cecece',
      'dropdown-background': '#ffffff',
      'dropdown-border': '#cecece',
      'dropdown-foreground': '#3b3b3b',
      'badge-background': '#cccccc',
      'badge-foreground': '#3b3b3b',
      'editorWidget-background': '#f8f8f8',
      'textLink-foreground': '#005fb8',
      'textLink-activeForeground': '#005fb8',
      'editorWarning-foreground': '#bf8803',
      errorForeground: '#f85149',
      'charts-red': '#e51400',
      'charts-green': '#388a34',
      'charts-blue': '#1a85ff',
      'charts-yellow': '#bf8803',
      'charts-orange': '#d18616',
      'charts-purple': '#652d90',
    },
  },
  dark: {
    bodyClass: 'vscode-dark',
    kind: 'vscode-dark',
    vars: {
      'font-family':
        '-apple-system, BlinkMacSystemFont, "Segoe WPC", "Segoe UI", "Ubuntu", "Droid Sans", sans-serif',
      'font-size': '13px',
      'font-weight': 'normal',
      'editor-font-family': 'Consolas, "Courier New", monospace',
      'editor-background': '#1f1f1f',
      'editor-foreground': '#cccccc',
      foreground: '#cccccc',
      descriptionForeground: '#9d9d9d',
      'panel-border': '#2b2b2b',
      focusBorder: '#0078d4',
      'list-hoverBackground': '#2a2d2e',
      'button-background': '#0078d4',
      'button-foreground': '#ffffff',
      'button-hoverBackground': '#026ec1',
      'button-border': '#ffffff12',
      'button-secondaryBackground': '#313131',
      'button-secondaryForeground': '#cccccc',
      'button-secondaryHoverBackground': '#3c3c3c',
      'input-background': '#313131',
      'input-foreground': '#cccccc',
      'input-border': '#3c3c3c',
      'dropdown-background': '#313131',
      'dropdown-border': '#3c3c3c',
      'dropdown-foreground': '#cccccc',
      'badge-background': '#616161',
      'badge-foreground': '#f8f8f8',
      'editorWidget-background': '#202020',
      'textLink-foreground': '#4daafc',
      'textLink-activeForeground': '#4daafc',
      'editorWarning-foreground': '#cca700',
      errorForeground: '#f85149',
      'charts-red': '#f14c4c',
      'charts-green': '#89d185',
      'charts-blue': '#3794ff',
      'charts-yellow': '#cca700',
      'charts-orange': '#d18616',
      'charts-purple': '#b180d7',
    },
  },
};

/** A few values of VS Code's Default High Contrast theme. */
THEMES.hc = {
  bodyClass: 'vscode-high-contrast',
  kind: 'vscode-high-contrast',
  vars: {
    ...THEMES.dark.vars,
    'editor-background': '#000000',
    'editor-foreground': '#ffffff',
    foreground: '#ffffff',
    descriptionForeground: '#ffffffb3',
    'panel-border': '#6fc3df',
    contrastBorder: '#6fc3df',
    contrastActiveBorder: '#f38518',
    focusBorder: '#f38518',
    'list-hoverBackground': 'transparent',
    'button-background': '#000000',
    'button-foreground': '#ffffff',
    'button-border': '#6fc3df',
    'button-secondaryBackground': '#000000',
    'button-secondaryForeground': '#ffffff',
    'input-background': '#000000',
    'input-border': '#6fc3df',
    'dropdown-background': '#000000',
    'dropdown-border': '#6fc3df',
    'badge-background': '#000000',
    'badge-foreground': '#ffffff',
    'editorWidget-background': '#0c141f',
    'textLink-foreground': '#21a6ff',
    'textLink-activeForeground': '#21a6ff',
    'editorWarning-foreground': '#ffd370',
    errorForeground: '#f48771',
  },
};

/** The editor's sample messages (built in the page: typed arrays cross as ArrayBuffers, as from the host). */
const EDITOR_SAMPLE = `
(function () {
  var rate = 16000, n = rate, cols = 1600, frames = 98, bins = 257, mf = 98, mb = 20;
  var x = new Float32Array(n);
  for (var i = 0; i < n; i++) {
    var f = 440 + 1560 * (i / n);
    x[i] = 0.6 * Math.sin(2 * Math.PI * f * i / rate) * Math.min(1, i / 800, (n - i) / 800);
  }
  var min = new Float32Array(cols), max = new Float32Array(cols);
  for (var c = 0; c < cols; c++) {
    var a = Math.floor(c * n / cols), b = Math.floor((c + 1) * n / cols), lo = 0, hi = 0;
    for (var j = a; j < b; j++) { lo = Math.min(lo, x[j]); hi = Math.max(hi, x[j]); }
    min[c] = lo; max[c] = hi;
  }
  var db = new Float32Array(frames * bins), times = new Float32Array(frames);
  for (var t = 0; t < frames; t++) {
    times[t] = (t * 160 + 240) / rate;
    var peak = (440 + 1560 * times[t]) / 8000 * (bins - 1);
    for (var k = 0; k < bins; k++) db[t * bins + k] = -90 + 80 * Math.exp(-Math.pow((k - peak) / 3, 2)) + 5 * Math.sin(k + t);
  }
  var feat = new Float32Array(mf * mb);
  for (var q = 0; q < feat.length; q++) feat[q] = Math.sin(q / 7) * 2;
  window.__initMessage = function () {
    return {
      type: 'init',
      facts: { path: '/data/yes/clip.wav', name: 'clip.wav', container: 'RIFF', format: 'pcm', bitsPerSample: 16,
        sampleRate: rate, channels: 1, channelsShown: 1, frames: n, durationSec: 1, warnings: [],
        stats: [{ peakDbfs: -4.4, rmsDbfs: -7.5, dcOffset: 0, clippedRatio: 0, silenceRatio: 0 }] },
      settings: { colormap: 'viridis', dbFloor: -100 },
      waveform: { startSec: 0, endSec: 1, columns: cols, channels: 1, min: min.slice().buffer, max: max.slice().buffer },
      spectrogram: { startSec: 0, endSec: 1, frames: frames, bins: bins, maxHz: 8000, db: db.slice().buffer, times: times.slice().buffer },
      audio: { sampleRate: rate, samples: x.slice().buffer },
    };
  };
  window.__predictions = function () {
    return { type: 'predictions', model: { name: 'tiny', dir: '/models/tiny', labels: ['_silence_', '_unknown_', 'yes', 'no'], isDefault: true },
      prediction: { labels: ['_silence_', '_unknown_', 'yes', 'no'], clip: [0.02, 0.08, 0.85, 0.05] },
      features: { type: 'mfcc', windowMs: 1000, frames: mf, bins: mb, data: feat.slice().buffer,
        summary: '20 MFCCs (TensorFlow Mfcc) from 40 mel bands, 20-4000 Hz, 30 ms frames every 10 ms, of each 1000 ms window at 16000 Hz' } };
  };
})();
`;

const FAKE_API = `
window.__posted = [];
window.__state = undefined;
window.acquireVsCodeApi = function () {
  if (window.__acquired) throw new Error('acquireVsCodeApi called twice');
  window.__acquired = true;
  return {
    postMessage: function (m) {
      window.__posted.push(m);
      if (m && m.type === 'ready') {
        setTimeout(function () { window.postMessage(window.__initMessage(), '*'); }, 0);
      }
    },
    getState: function () { return window.__state; },
    setState: function (s) { window.__state = s; return s; },
  };
};
document.addEventListener('securitypolicyviolation', function (e) {
  console.error('CSP violation: ' + e.violatedDirective + ' ' + (e.blockedURI || '') + ' ' + (e.sample || ''));
});
`;

function themeCss(theme) {
  const t = THEMES[theme];
  const lines = Object.entries(t.vars).map(([k, v]) => `  --vscode-${k}: ${v};`);
  return `:root {\n${lines.join('\n')}\n}\n`;
}

function pageHtml(name, theme, sample = name) {
  const csp = [
    "default-src 'none'",
    'img-src file: data: blob:',
    'style-src file:',
    'font-src file:',
    'script-src file:',
    'media-src blob:',
  ].join('; ');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="theme-${theme}.css">
<link rel="stylesheet" href="webview.css">
${name === 'editor' ? '<link rel="stylesheet" href="editor.css">' : ''}
<title>${name}</title>
</head>
<body class="${THEMES[theme].bodyClass}" data-vscode-theme-kind="${THEMES[theme].kind}" data-view="${name}">
<div id="app"></div>
<script src="fake-api.js"></script>
<script src="sample-${sample}.js"></script>
<script src="${name}.js"></script>
</body>
</html>
`;
}

/**
 * Opens one view's page (written to `tmp`) in a new browser tab and waits up to `timeoutSec` for its 'painted' message.
 * `errors` collects page errors and console errors (and the missing 'painted' message).
 */
async function openPainted(browser, tmp, file, name, theme, sample, timeoutSec) {
  const errors = [];
  const page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(`console: ${m.text()}`);
  });
  const path = join(tmp, `${file}.html`);
  writeFileSync(path, pageHtml(name, theme, sample));
  await page.goto(pathToFileURL(path).href);
  const painted = await page
    .waitForFunction(() => globalThis.__posted.find((m) => m.type === 'painted'), null, {
      timeout: timeoutSec * 1000,
    })
    .then((h) => h.jsonValue())
    .catch(() => null);
  if (!painted) errors.push(`no painted message within ${timeoutSec} s`);
  return { page, errors, painted };
}

/** Pixels drawn (alpha > 0) on the page's canvas matching `selector`. */
function inkedPixels(page, selector) {
  return page.evaluate((sel) => {
    const c = globalThis.document.querySelector(sel);
    const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
    let n = 0;
    for (let i = 3; i < d.length; i += 4) if (d[i] > 0) n++;
    return n;
  }, selector);
}

/**
 * The evaluation page on sample-evaluation.json: one table row per keyword and overall, a drawn DET canvas, and
 * a hover over its overall curve's first point giving the readout.
 */
async function checkEvaluation(page) {
  const errors = [];
  const rows = await page.locator('section table.data tbody tr').count();
  if (rows !== 9) errors.push(`operating points: ${rows} rows, expected 9 (overall + 8 keywords)`);
  const inked = await inkedPixels(page, 'canvas.det');
  if (inked < 1000) errors.push(`DET canvas: ${inked} drawn pixels`);
  const box = await page.locator('canvas.det').boundingBox();
  // The plot's left edge (FA/h = 0) half way up (FRR 50 %): the "on" curve's first envelope point.
  await page.mouse.move(box.x + 52, box.y + 146);
  const readout = await page.locator('.det-readout').textContent();
  if (!/^on: threshold .* FRR 50\.0% · 0\.00 FA\/h/.test(readout)) errors.push(`hover readout: ${readout}`);
  return errors;
}

/** Appends to the dataset sample: `window.__mapMessage()`, the map of sample-map.json under `root`. */
function mapSample(root) {
  const m = JSON.parse(readFileSync(join(repo, 'test/webview/sample-map.json'), 'utf8'));
  return `window.__mapMessage = function () {
  var m = ${JSON.stringify(m)};
  var n = m.points.length, xy = new Float32Array(2 * n), label = new Uint16Array(n), paths = [];
  m.points.forEach(function (p, i) {
    label[i] = p[0]; xy[2 * i] = p[1]; xy[2 * i + 1] = p[2];
    paths.push(${JSON.stringify(root)} + '/' + m.labels[p[0]] + '/clip' + i + '.wav');
  });
  return { type: 'map', map: { method: m.method, fitted: m.fitted, labels: m.labels, paths: paths, label: label, xy: xy,
    suspects: m.suspects.map(function (s) { return { i: s[0], suggested: s[1], score: s[2] }; }),
    duplicates: m.duplicates } };
};\n`;
}

/**
 * The dataset page's map: "Build map" posts buildMap; the 10,000-point map is drawn (mapPainted with
 * its count), a hover shows the tooltip, a click on a point posts openClip with its path, a shift-drag
 * lasso selects points and "Open N clips in review queue" posts those N paths.
 */
async function checkMap(page) {
  const errors = [];
  await page.getByRole('button', { name: 'Build map (runs the model)' }).click();
  if (!(await page.evaluate(() => globalThis.__posted.some((m) => m.type === 'buildMap'))))
    errors.push('"Build map" posted no buildMap');
  await page.evaluate(() => {
    globalThis.postMessage({ type: 'mapStatus', state: 'running' }, '*');
    globalThis.postMessage(globalThis.__mapMessage(), '*');
  });
  const shown = await page
    .waitForFunction(() => globalThis.__posted.find((m) => m.type === 'mapPainted'), null, { timeout: 10000 })
    .then((h) => h.jsonValue())
    .catch(() => null);
  if (!shown || shown.points !== 10000) return [...errors, `mapPainted: ${JSON.stringify(shown)}`];
  const canvas = page.locator('canvas.map-canvas');
  const box = await canvas.boundingBox();
  const ink = await inkedPixels(page, 'canvas.map-canvas');
  if (ink < 20000) errors.push(`map canvas: ${ink} drawn pixels`);
  // Aim at drawn pixels: scan the centre row for an inked pixel, hover it, expect the tooltip.
  let hit = null;
  for (let dx = 0; dx < box.width / 2 && !hit; dx += 3)
    for (const x of [box.x + box.width / 2 + dx, box.x + box.width / 2 - dx]) {
      await page.mouse.move(x, box.y + box.height / 2);
      if (await page.locator('.map-tip:not([hidden])').count()) {
        hit = x;
        break;
      }
    }
  if (!hit) errors.push('no tooltip anywhere along the centre row');
  else {
    const tip = await page.locator('.map-tip').textContent();
    if (!/clip\d+\.wav.*label: /.test(tip)) errors.push(`tooltip: ${tip}`);
    await page.mouse.down();
    await page.mouse.up();
    const open = await page.evaluate(() => globalThis.__posted.filter((m) => m.type === 'openClip').pop());
    if (
      !open ||
      !/\/clip\d+\.wav$/.test(open.path) ||
      !tip.includes(open.path.split('/').slice(-2).join('/'))
    )
      errors.push(`click on the hovered point posted ${JSON.stringify(open)} (tooltip ${tip})`);
  }
  // Lasso: shift-drag a box around the middle of the map.
  const [cx, cy] = [box.x + box.width / 2, box.y + box.height / 2];
  await page.keyboard.down('Shift');
  await page.mouse.move(cx - 120, cy - 90);
  await page.mouse.down();
  for (const [x, y] of [
    [cx + 120, cy - 90],
    [cx + 120, cy + 90],
    [cx - 120, cy + 90],
    [cx - 120, cy - 88],
  ])
    await page.mouse.move(x, y, { steps: 6 });
  await page.mouse.up();
  await page.keyboard.up('Shift');
  const queue = page.getByRole('button', { name: /^Open [\d,]+ clips in review queue$/ });
  const label = await queue.textContent();
  const n = Number(label.match(/[\d,]+/)[0].replace(/,/g, ''));
  if (!(n > 0)) errors.push(`lasso selected ${n} points`);
  else {
    await queue.click();
    const q = await page.evaluate(() => globalThis.__posted.filter((m) => m.type === 'reviewClips').pop());
    if (!q || q.paths.length !== n)
      errors.push(`queue posted ${q ? q.paths.length : 'nothing'} for ${n} selected`);
  }
  await page.mouse.move(0, 0);
  return errors;
}

async function main() {
  const tmp = mkdtempSync(join(tmpdir(), 'wavebench-preview-'));
  let failed = false;
  try {
    await esbuild.build({
      bundle: true,
      platform: 'browser',
      target: 'es2022',
      format: 'iife',
      logLevel: 'warning',
      entryPoints: {
        report: join(repo, 'webview/report/main.ts'),
        dataset: join(repo, 'webview/dataset/main.ts'),
        editor: join(repo, 'webview/editor/main.ts'),
        evaluation: join(repo, 'webview/evaluation/main.ts'),
        compare: join(repo, 'webview/compare/main.ts'),
      },
      outdir: tmp,
    });
    // The evaluation page's samples are `wavebench evaluate` JSON, turned into the page's view by the
    // host's own code: `node dist/cli.js evaluate test/fixtures/streaming --model models/speech-commands
    // [--thresholds 0.5,0.7,0.9] --json OUT`, the repository's path replaced by /home/dev/wavebench.
    await esbuild.build({
      bundle: true,
      platform: 'node',
      format: 'esm',
      logLevel: 'warning',
      entryPoints: { evaluationView: join(repo, 'src/vscode/evaluationView.ts') },
      outdir: tmp,
      outExtension: { '.js': '.mjs' },
    });
    const { evaluationView } = await import(pathToFileURL(join(tmp, 'evaluationView.mjs')).href);
    for (const [file, sample] of [
      ['sample-evaluation.js', 'sample-evaluation.json'],
      ['sample-evaluation-thresholds.js', 'sample-evaluation-thresholds.json'],
    ]) {
      const cli = JSON.parse(readFileSync(join(repo, 'test/webview', sample), 'utf8'));
      const view = evaluationView(
        cli,
        '/home/dev/wavebench/test/fixtures/streaming',
        'speech-commands on streaming',
      );
      writeFileSync(
        join(tmp, file),
        `window.__initMessage = function () { return { type: 'init', evaluation: ${JSON.stringify(view)} }; };\n`,
      );
    }
    copyFileSync(join(repo, 'media/webview.css'), join(tmp, 'webview.css'));
    copyFileSync(join(repo, 'media/editor.css'), join(tmp, 'editor.css'));
    writeFileSync(join(tmp, 'fake-api.js'), FAKE_API);
    const report = JSON.parse(readFileSync(join(repo, 'test/webview/sample-report.json'), 'utf8'));
    const dataset = JSON.parse(readFileSync(join(repo, 'test/webview/sample-dataset.json'), 'utf8'));
    // `wavebench compare samples/speech-commands --model speech-commands --model digits --json` with
    // the folder renamed, plus the page's title, root, cache hits and p as text.
    const compare = readFileSync(join(repo, 'test/webview/sample-compare.json'), 'utf8');
    writeFileSync(
      join(tmp, 'sample-compare.js'),
      `window.__initMessage = function () { return { type: 'init', compare: ${compare} }; };\n`,
    );
    writeFileSync(
      join(tmp, 'sample-report.js'),
      `window.__initMessage = function () { return { type: 'init', report: ${JSON.stringify(report)} }; };\n`,
    );
    writeFileSync(
      join(tmp, 'sample-dataset.js'),
      `window.__initMessage = function () { return { type: 'init', dataset: ${JSON.stringify(dataset)} }; };\n`,
    );
    // The map: 10,000 points of a real review (sample-map.json, made by make-sample-map.mjs), as the
    // host sends it (coordinates and label indices as typed arrays).
    writeFileSync(join(tmp, 'sample-dataset.js'), mapSample(dataset.root), { flag: 'a' });
    // The editor: a synthetic 1-s clip (a 440 Hz tone rising to 2 kHz) as the host would send it:
    // waveform columns, spectrogram dB frames, model input and samples, all as ArrayBuffers.
    writeFileSync(join(tmp, 'sample-editor.js'), EDITOR_SAMPLE);
    // A 100k-row report made by repeating the sample's rows (checks that the table stays paged and fast).
    writeFileSync(
      join(tmp, 'sample-report-large.js'),
      `window.__initMessage = function () {
  var r = ${JSON.stringify(report)};
  var base = r.rows, rows = [];
  for (var i = 0; rows.length < 100000; i++) {
    var b = base[i % base.length];
    rows.push(Object.assign({}, b, { rel: 'copy' + Math.floor(i / base.length) + '/' + b.rel, path: b.path + '#' + i }));
  }
  r.rows = rows;
  return { type: 'init', report: r };
};\n`,
    );
    for (const theme of themes) writeFileSync(join(tmp, `theme-${theme}.css`), themeCss(theme));
    mkdirSync(outDir, { recursive: true });

    const browser = await chromium.launch({
      executablePath: findChromium(),
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--no-first-run',
      ],
    });
    try {
      for (const name of views) {
        for (const theme of themes) {
          const { page, errors, painted } = await openPainted(
            browser,
            tmp,
            `${name}-${theme}`,
            name,
            theme,
            name,
            10,
          );
          if (painted) console.log(`${name}-${theme}: painted after ${painted.ms.toFixed(0)} ms`);

          if (painted && name === 'report') {
            // Click the first off-diagonal non-zero cell and check its clip list.
            const cell = page.locator('button.cell:not(.diag):not(.zero)').first();
            const count = Number(await cell.textContent());
            await cell.click();
            const items = await page.locator('.cell-clips ul.clip-list li').count();
            if (items !== Math.min(count, 200)) errors.push(`cell of ${count} listed ${items} clips`);
            await page.locator('.cell-clips ul.clip-list li button.link').first().click();
            const posted = await page.evaluate(() => globalThis.__posted.map((m) => m.type));
            if (!posted.includes('openClip')) errors.push('clicking a clip posted no openClip');
            // Quick view: "Wrong" leaves only wrong rows.
            await page.getByRole('button', { name: 'Wrong', exact: true }).click();
            const bad = await page.locator('table.clips tbody tr:not(.wrong)').count();
            if (bad !== 0) errors.push(`"Wrong" left ${bad} correct rows`);
            await page.getByRole('button', { name: 'Reset', exact: true }).click();
            await page.getByRole('button', { name: 'Export CSV' }).click();
            const exp = await page.evaluate(() => globalThis.__posted.filter((m) => m.type === 'export'));
            if (exp.length !== 1 || exp[0].format !== 'csv')
              errors.push('Export CSV posted ' + JSON.stringify(exp));
            await page.mouse.move(0, 0);
          }
          if (painted && name === 'editor') {
            // Predictions arrive after init: the side panel and strip paint them.
            await page.evaluate(() => globalThis.postMessage(globalThis.__predictions(), '*'));
            await page.waitForFunction(() =>
              globalThis.__posted.some((m) => m.type === 'painted' && m.what === 'predictions'),
            );
            if (!(await page.getByText('yes', { exact: true }).count())) errors.push('no label "yes" shown');
            // The error page offers its ways out, and the editor comes back when the host sends init again.
            await page.evaluate(() =>
              globalThis.postMessage(
                { type: 'decodeError', path: '/d/clip.wav', message: 'data chunk truncated' },
                '*',
              ),
            );
            await page.getByRole('button', { name: 'Try again' }).click();
            const posted = await page.evaluate(() => globalThis.__posted.map((m) => m.type));
            if (!posted.includes('retry')) errors.push('"Try again" posted no retry');
            await page.evaluate(() => globalThis.postMessage(globalThis.__initMessage(), '*'));
            await page.waitForFunction(
              () => globalThis.__posted.filter((m) => m.type === 'painted' && m.what === 'init').length >= 2,
            );
            if (await page.locator('.wb-error-page').count()) errors.push('the error page stayed after init');
            if (!(await page.locator('canvas').count())) errors.push('no canvases after recovering');
            await page.evaluate(() => globalThis.postMessage(globalThis.__predictions(), '*'));
            await page.waitForTimeout(300);
          }
          if (painted && name === 'evaluation') errors.push(...(await checkEvaluation(page)));
          if (painted && name === 'compare') {
            const rows = await page.locator('table.per-class tbody tr').count();
            if (rows !== 12) errors.push(`per-class F1 table has ${rows} rows, not 12`);
            const flips = await page.locator('ul.file-list button.link').count();
            if (flips !== 2) errors.push(`${flips} flip links, not 2`);
            await page.locator('ul.file-list button.link').first().click();
            const opened = await page.evaluate(() =>
              globalThis.__posted.filter((m) => m.type === 'openClip'),
            );
            if (opened.length !== 1 || !opened[0].path.startsWith('/data/speech-commands/'))
              errors.push('clicking a flip posted ' + JSON.stringify(opened));
          }
          if (painted && name === 'dataset') {
            const bars = await page.locator('svg.bars rect').count();
            if (bars === 0) errors.push('no bars drawn');
            await page.locator('details.group ul.file-list button.link').first().click();
            const opened = await page.evaluate(() =>
              globalThis.__posted.filter((m) => m.type === 'openClip'),
            );
            if (opened.length !== 1) errors.push('clicking a problem file posted ' + JSON.stringify(opened));
            errors.push(...(await checkMap(page)));
            // Theme switch redraws without errors.
            await page.evaluate(() => {
              globalThis.document.body.className = 'vscode-high-contrast';
            });
            await page.evaluate((cls) => {
              globalThis.document.body.className = cls;
            }, THEMES[theme].bodyClass);
          }
          await page.evaluate(() => globalThis.scrollTo(0, 0));
          await page.screenshot({ path: join(outDir, `${name}-${theme}.png`), fullPage: true });
          // PREVIEW_CROPS=<dir>: also 1200x1400 slices of the page, easier to look at than one tall picture.
          if (process.env.PREVIEW_CROPS) {
            mkdirSync(process.env.PREVIEW_CROPS, { recursive: true });
            const height = await page.evaluate(() => globalThis.document.documentElement.scrollHeight);
            for (let y = 0, i = 0; y < height && i < 8; y += 1400, i++) {
              await page.screenshot({
                path: join(process.env.PREVIEW_CROPS, `${name}-${theme}-${i}.png`),
                fullPage: true,
                clip: { x: 0, y, width: 1200, height: Math.min(1400, height - y) },
              });
            }
          }
          await page.close();
          if (errors.length) {
            failed = true;
            console.error(`${name}-${theme}:\n  ${errors.join('\n  ')}`);
          } else console.log(`${name}-${theme}: ok -> ${join(outDir, `${name}-${theme}.png`)}`);
        }
      }
      if (views.includes('evaluation')) {
        // Fixed thresholds (--thresholds 0.5,0.7,0.9): no operating points, but false accepts and misses.
        const { page, errors } = await openPainted(
          browser,
          tmp,
          'evaluation-thresholds',
          'evaluation',
          'dark',
          'evaluation-thresholds',
          10,
        );
        const links = await page.locator('ul.event-list button.link').count();
        if (links !== 13)
          errors.push(`threshold 0.5: ${links} event links, expected 3 false accepts + 10 misses`);
        await page.locator('ul.event-list button.link').first().click();
        const opened = await page.evaluate(() =>
          globalThis.__posted.filter((m) => m.type === 'openRecording'),
        );
        if (opened.length !== 1 || !(opened[0].timeSec >= 0))
          errors.push('an event link posted ' + JSON.stringify(opened));
        // Another threshold: asked of the host (eventsAt); the export button posts the shown threshold.
        await page.locator('input.threshold-input').first().fill('0.63');
        await page.getByRole('button', { name: 'Export false accepts as WAV…' }).click();
        const asked = await page.evaluate(() =>
          globalThis.__posted.filter((m) => m.type === 'eventsAt' || m.type === 'exportFalseAccepts'),
        );
        if (
          JSON.stringify(asked) !==
          JSON.stringify([
            { type: 'eventsAt', threshold: 0.63 },
            { type: 'exportFalseAccepts', threshold: 0.63, marginMs: 0 },
          ])
        )
          errors.push('threshold 0.63 and export posted ' + JSON.stringify(asked));
        await page.locator('input.threshold-input').first().fill('0.5');
        await page.screenshot({ path: join(outDir, 'evaluation-thresholds-dark.png'), fullPage: true });
        await page.close();
        if (errors.length) {
          failed = true;
          console.error(`evaluation-thresholds:\n  ${errors.join('\n  ')}`);
        } else console.log(`evaluation-thresholds: ok -> ${join(outDir, 'evaluation-thresholds-dark.png')}`);
      }
      if (views.includes('report')) {
        const { page, errors, painted } = await openPainted(
          browser,
          tmp,
          'report-large',
          'report',
          'dark',
          'report-large',
          30,
        );
        const trs = await page.locator('table.clips tbody tr').count();
        if (trs !== 200) errors.push(`100k rows: ${trs} table rows in the DOM, expected one page of 200`);
        const t = Date.now();
        await page.getByRole('button', { name: 'Least confident', exact: true }).click();
        await page.locator('table.clips thead th.prob-col[aria-sort="ascending"]').waitFor();
        const sortMs = Date.now() - t;
        // The rows shown must be the least confident of the 100k, lowest first: each shown clip's
        // probability from the report data, compared with the data's own order (error rows are not in
        // the clip table: the errors section lists them). Sorting by path (copy0/..., copy1/...) fails.
        const shown = await page.locator('table.clips tbody tr td.path').allTextContents();
        const base = report.rows.map((r) => (r.error === null ? r.probability : null));
        const probOf = new Map(report.rows.map((r) => [r.rel, r.probability]));
        const got = shown.map((rel) => probOf.get(rel.replace(/^copy\d+\//, '')));
        const want = [...Array(100000).keys()]
          .map((i) => base[i % base.length])
          .filter((p) => p !== null)
          .sort((a, b) => a - b)
          .slice(0, shown.length);
        if (shown.length !== 200 || JSON.stringify(got) !== JSON.stringify(want))
          errors.push(
            `"Least confident": the ${shown.length} rows shown are not the least confident, lowest first ` +
              `(first ${JSON.stringify(got.slice(0, 5))}, expected ${JSON.stringify(want.slice(0, 5))})`,
          );
        await page.close();
        if (errors.length) {
          failed = true;
          console.error(`report-100k:\n  ${errors.join('\n  ')}`);
        } else
          console.log(
            `report-100k: painted after ${painted.ms.toFixed(0)} ms; "Least confident" in ${sortMs} ms`,
          );
      }
    } finally {
      await browser.close();
    }
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
  process.exit(failed ? 1 : 0);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
