// The Wavebench editor webview: draws what the host computed (facts, waveform, spectrogram, the
// model's input, probabilities), plays the audio with a moving cursor. No signal processing here
// beyond colour mapping.
import { h, onThemeChange } from '../common/dom';
import { vscodeApi } from '../common/vscodeApi';
import * as viewModel from './model';
import type {
  EditorToHost,
  HostToEditor,
  PredictionView,
  SpectrogramView,
  WaveformView,
} from '../../src/protocol';
import { COLORMAP_NAMES, colormapTable, type ColormapName } from '../../src/audio/colormap';

const api = vscodeApi<EditorToHost, HostToEditor, Partial<ViewState>>();
const t0 = performance.now();

interface ViewState {
  colormap: ColormapName;
  dbFloor: number;
  melScale: boolean;
  showMfcc: boolean;
  view: [number, number] | null;
}
const saved = api.getState() ?? {};
const state: ViewState = {
  colormap: (COLORMAP_NAMES as readonly string[]).includes(saved.colormap ?? '')
    ? saved.colormap!
    : 'viridis',
  dbFloor: typeof saved.dbFloor === 'number' ? saved.dbFloor : -100,
  melScale: !!saved.melScale,
  showMfcc: saved.showMfcc ?? true,
  view: saved.view ?? null,
};
const persist = () => api.setState(state);

type Init = Extract<HostToEditor, { type: 'init' }>;
let init: Init | undefined;
let pred: PredictionView | undefined;
let predError: string | undefined;
let detail: { waveform: WaveformView; spectrogram: SpectrogramView } | undefined;
let requestId = 0;
let audioCtx: AudioContext | undefined;
let source: AudioBufferSourceNode | undefined;
let playStart = 0;
let playOffset = 0;
let playing = false;
let cursorSec = 0;

/** `h` with only a class and a text, the editor's common case. */
const el = <K extends keyof HTMLElementTagNameMap>(tag: K, cls?: string, text?: string) =>
  h(tag, cls ? { class: cls } : null, text);
const css = (name: string, fallback: string) =>
  getComputedStyle(document.body).getPropertyValue(name).trim() || fallback;
const fmtDb = (x: number) => (Number.isFinite(x) ? `${x.toFixed(1)} dBFS` : '-inf dBFS');
const fmtTime = (s: number) =>
  s >= 60 ? `${Math.floor(s / 60)}:${(s % 60).toFixed(2).padStart(5, '0')}` : `${s.toFixed(3)} s`;

const app = document.getElementById('app')!;
app.className = 'wb-editor';

function duration(): number {
  return init ? init.facts.durationSec : 0;
}
function viewRange(): [number, number] {
  return viewModel.viewRange(state.view, duration());
}

// ---- layout ----
const header = el('div', 'wb-header');
const toolbar = el('div', 'wb-toolbar');
const canvases = el('div', 'wb-canvases');
const side = el('div', 'wb-side');
const main = el('div', 'wb-main');
main.append(canvases, side);
app.append(header, toolbar, main);

function canvasBlock(title: string, height: number): { wrap: HTMLDivElement; canvas: HTMLCanvasElement } {
  const wrap = el('div', 'wb-block');
  wrap.append(el('div', 'wb-block-title', title));
  const canvas = el('canvas', 'wb-canvas');
  canvas.height = height;
  canvas.dataset.h = String(height);
  wrap.append(canvas);
  canvases.append(wrap);
  return { wrap, canvas };
}
const wave = canvasBlock('Waveform', 110);
const specB = canvasBlock('Spectrogram', 240);
const mfccB = canvasBlock('Model input (the features exactly as the model sees them)', 150);
const stripB = canvasBlock('Probabilities over time', 10);
const readout = el('div', 'wb-readout', ' ');
canvases.append(readout);

const playBtn = el('button', 'wb-button', 'Play');
playBtn.title = 'Play / pause (Space)';
const timeLabel = el('span', 'wb-time', '0.000 s');
const cmapSel = el('select');
for (const c of COLORMAP_NAMES) {
  const o = el('option', undefined, c);
  o.value = c;
  cmapSel.append(o);
}
const scaleSel = el('select');
for (const [v, t] of [
  ['linear', 'linear Hz'],
  ['mel', 'mel'],
]) {
  const o = el('option', undefined, t);
  o.value = v;
  scaleSel.append(o);
}
const floor = el('input');
floor.type = 'range';
floor.min = '-160';
floor.max = '-20';
floor.step = '5';
const floorLabel = el('span', 'wb-muted');
const mfccToggle = el('input');
mfccToggle.type = 'checkbox';
const zoomIn = el('button', 'wb-button', '+');
zoomIn.title = 'Zoom in';
const zoomOut = el('button', 'wb-button', '−');
zoomOut.title = 'Zoom out';
const zoomAll = el('button', 'wb-button', 'All');
zoomAll.title = 'Show the whole file';
const modelBtn = el('button', 'wb-button wb-secondary', 'Model…');
const label = (t: string, c: HTMLElement) => {
  const l = el('label', 'wb-field');
  l.append(el('span', 'wb-muted', t), c);
  return l;
};
toolbar.append(
  playBtn,
  timeLabel,
  label('Colormap', cmapSel),
  label('Scale', scaleSel),
  label('Floor', floor),
  floorLabel,
  label('MFCC', mfccToggle),
  zoomIn,
  zoomOut,
  zoomAll,
  modelBtn,
);

function syncControls() {
  cmapSel.value = state.colormap;
  scaleSel.value = state.melScale ? 'mel' : 'linear';
  floor.value = String(state.dbFloor);
  floorLabel.textContent = `${state.dbFloor} dB`;
  mfccToggle.checked = state.showMfcc;
  mfccB.wrap.hidden = !state.showMfcc;
}

// ---- drawing ----
function sizeCanvas(c: HTMLCanvasElement): { w: number; h: number; ctx: CanvasRenderingContext2D } {
  const dpr = window.devicePixelRatio || 1;
  const w = Math.max(100, c.clientWidth || canvases.clientWidth || 600);
  const h = Number(c.dataset.h);
  c.width = Math.round(w * dpr);
  c.height = Math.round(h * dpr);
  c.style.height = `${h}px`;
  const ctx = c.getContext('2d')!;
  ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
  return { w, h, ctx };
}
const AXIS_L = 48;
const AXIS_B = 16;

function timeAxis(ctx: CanvasRenderingContext2D, w: number, y: number, t0s: number, t1s: number) {
  ctx.fillStyle = css('--vscode-descriptionForeground', '#888');
  ctx.font = `10px ${css('--vscode-font-family', 'sans-serif')}`;
  const span = t1s - t0s;
  const steps = [
    0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1, 2, 5, 10, 30, 60, 120, 300, 600, 1800,
  ];
  const step = steps.find((s) => span / s <= (w - AXIS_L) / 70) ?? 3600;
  for (let t = Math.ceil(t0s / step) * step; t <= t1s; t += step) {
    const x = AXIS_L + ((t - t0s) / span) * (w - AXIS_L);
    ctx.fillRect(x, y, 1, 3);
    ctx.fillText(step < 1 ? `${+t.toFixed(3)}s` : fmtTime(t).replace('.000 s', ' s'), x + 2, y + 11);
  }
}
const xOf = (t: number, w: number) => viewModel.xOfTime(t, viewRange(), w, AXIS_L);
const tOf = (x: number, w: number) => viewModel.timeOfX(x, viewRange(), w, AXIS_L);

function currentViews(): { waveform: WaveformView; spectrogram: SpectrogramView } | undefined {
  if (!init) return undefined;
  const [a, b] = viewRange();
  if (detail && Math.abs(detail.waveform.startSec - a) < 1e-6 && Math.abs(detail.waveform.endSec - b) < 1e-6)
    return detail;
  return { waveform: init.waveform, spectrogram: init.spectrogram };
}

function drawWaveform() {
  const v = currentViews();
  const { w, h, ctx } = sizeCanvas(wave.canvas);
  ctx.clearRect(0, 0, w, h);
  if (!v || !init) return;
  const wf = v.waveform;
  if (!wf.columns) {
    ctx.fillStyle = css('--vscode-descriptionForeground', '#888');
    ctx.font = `12px ${css('--vscode-font-family', 'sans-serif')}`;
    ctx.fillText('Measuring the whole file (one pass over it)…', AXIS_L, h / 2);
    return;
  }
  const min = new Float32Array(wf.min);
  const max = new Float32Array(wf.max);
  const [a, b] = viewRange();
  const chH = (h - AXIS_B) / wf.channels;
  const fg = css('--vscode-charts-blue', '#3794ff');
  for (let c = 0; c < wf.channels; c++) {
    const mid = c * chH + chH / 2;
    ctx.fillStyle = css('--vscode-panel-border', '#8884');
    ctx.fillRect(AXIS_L, mid, w - AXIS_L, 1);
    ctx.fillStyle = fg;
    for (let x = AXIS_L; x < w; x++) {
      const t = a + ((x - AXIS_L) / (w - AXIS_L)) * (b - a);
      const col = Math.floor(((t - wf.startSec) / (wf.endSec - wf.startSec || 1)) * wf.columns);
      if (col < 0 || col >= wf.columns) continue;
      const lo = min[c * wf.columns + col];
      const hi = max[c * wf.columns + col];
      const y1 = mid - (hi * chH) / 2;
      const y2 = mid - (lo * chH) / 2;
      ctx.fillRect(x, y1, 1, Math.max(1, y2 - y1));
    }
    ctx.fillStyle = css('--vscode-descriptionForeground', '#888');
    ctx.font = `10px ${css('--vscode-font-family', 'sans-serif')}`;
    ctx.fillText(wf.channels > 1 ? `ch${c}` : '', 4, mid + 3);
  }
  timeAxis(ctx, w, h - AXIS_B, a, b);
}

function binPosAtY(y: number, h: number, maxHz: number, bins: number): number {
  return viewModel.binPosAtY(y, h, maxHz, bins, state.melScale);
}
function binAtY(y: number, h: number, maxHz: number, bins: number): number {
  return Math.round(binPosAtY(y, h, maxHz, bins));
}
function yOfHz(hz: number, h: number, maxHz: number): number {
  return viewModel.yOfHz(hz, h, maxHz, state.melScale);
}

function drawSpectrogram() {
  const v = currentViews();
  const { w, h, ctx } = sizeCanvas(specB.canvas);
  ctx.clearRect(0, 0, w, h);
  if (!v || !v.spectrogram.frames) return;
  const s = v.spectrogram;
  const db = new Float32Array(s.db);
  const times = new Float32Array(s.times);
  const plotW = Math.floor(w - AXIS_L - 40);
  const plotH = h - AXIS_B;
  let maxDb = -Infinity;
  for (const d of db) if (d > maxDb) maxDb = d;
  const floorDb = Math.min(maxDb - 1, maxDb + state.dbFloor + 0);
  const table = colormapTable(state.colormap);
  const img = new ImageData(plotW, plotH);
  const [a, b] = viewRange();
  // Column -> nearest frame by time; row -> bin by the chosen frequency scale.
  const frameForCol = new Int32Array(plotW);
  let f = 0;
  for (let x = 0; x < plotW; x++) {
    const t = a + ((x + 0.5) / plotW) * (b - a);
    while (f + 1 < s.frames && Math.abs(times[f + 1] - t) <= Math.abs(times[f] - t)) f++;
    frameForCol[x] = f;
  }
  // Rows interpolate linearly between the two nearest bins (nearest-bin rows stripe when the plot
  // has more rows than there are bins, or a non-integer ratio of them).
  const binLo = new Int32Array(plotH);
  const binT = new Float32Array(plotH);
  for (let y = 0; y < plotH; y++) {
    const pos = binPosAtY(y + 0.5, plotH, s.maxHz, s.bins);
    binLo[y] = Math.min(s.bins - 2, Math.floor(pos));
    binT[y] = pos - binLo[y];
  }
  for (let y = 0; y < plotH; y++) {
    const b0 = Math.max(0, binLo[y]);
    const t = binT[y];
    for (let x = 0; x < plotW; x++) {
      const row = frameForCol[x] * s.bins;
      const d = db[row + b0] * (1 - t) + db[row + Math.min(s.bins - 1, b0 + 1)] * t;
      let k = Math.round(((d - floorDb) / (maxDb - floorDb)) * 255);
      k = k < 0 ? 0 : k > 255 ? 255 : k;
      const o = (y * plotW + x) * 4;
      img.data[o] = table[3 * k];
      img.data[o + 1] = table[3 * k + 1];
      img.data[o + 2] = table[3 * k + 2];
      img.data[o + 3] = 255;
    }
  }
  // putImageData ignores the canvas transform: paint off-screen, then draw it scaled like the axes.
  const off = document.createElement('canvas');
  off.width = plotW;
  off.height = plotH;
  off.getContext('2d')!.putImageData(img, 0, 0);
  ctx.imageSmoothingEnabled = false;
  ctx.drawImage(off, AXIS_L, 0);
  ctx.fillStyle = css('--vscode-descriptionForeground', '#888');
  ctx.font = `10px ${css('--vscode-font-family', 'sans-serif')}`;
  const ticks = state.melScale
    ? [100, 250, 500, 1000, 2000, 4000, 8000, 16000]
    : [0, 1000, 2000, 4000, 6000, 8000, 12000, 16000, 20000];
  for (const hz of ticks) {
    if (hz > s.maxHz) continue;
    const y = yOfHz(hz, plotH, s.maxHz);
    ctx.fillRect(AXIS_L - 4, y, 4, 1);
    ctx.fillText(hz >= 1000 ? `${hz / 1000}k` : `${hz}`, 4, Math.max(9, Math.min(plotH, y + 3)));
  }
  ctx.fillText('Hz', 4, plotH + 12);
  // dB colour bar
  const cbX = w - 30;
  for (let y = 0; y < plotH; y++) {
    const k = Math.round((1 - y / plotH) * 255);
    ctx.fillStyle = `rgb(${table[3 * k]},${table[3 * k + 1]},${table[3 * k + 2]})`;
    ctx.fillRect(cbX, y, 8, 1);
  }
  ctx.fillStyle = css('--vscode-descriptionForeground', '#888');
  ctx.fillText(`${Math.round(maxDb)}`, cbX - 2, 9);
  ctx.fillText(`${Math.round(floorDb)}`, cbX - 2, plotH - 2);
  ctx.fillText('dB', cbX + 10, plotH / 2);
  timeAxis(ctx, w - 40, h - AXIS_B, a, b);
}

function drawMfcc() {
  const { w, h, ctx } = sizeCanvas(mfccB.canvas);
  ctx.clearRect(0, 0, w, h);
  const f = init?.features;
  if (!f) {
    ctx.fillStyle = css('--vscode-descriptionForeground', '#888');
    ctx.fillText('No model input: the model could not be loaded.', AXIS_L, 20);
    return;
  }
  const data = new Float32Array(f.data);
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of data) {
    lo = Math.min(lo, v);
    hi = Math.max(hi, v);
  }
  const table = colormapTable(state.colormap);
  const plotW = w - AXIS_L - 40;
  const plotH = h - AXIS_B;
  // One pixel per (frame, bin), low bins at the bottom, then scaled up without smoothing.
  const img = new ImageData(f.frames, f.bins);
  for (let fr = 0; fr < f.frames; fr++) {
    for (let b = 0; b < f.bins; b++) {
      const k = Math.round(((data[fr * f.bins + b] - lo) / (hi - lo || 1)) * 255);
      const o = ((f.bins - 1 - b) * f.frames + fr) * 4;
      img.data[o] = table[3 * k];
      img.data[o + 1] = table[3 * k + 1];
      img.data[o + 2] = table[3 * k + 2];
      img.data[o + 3] = 255;
    }
  }
  const off = document.createElement('canvas');
  off.width = f.frames;
  off.height = f.bins;
  off.getContext('2d')!.putImageData(img, 0, 0);
  ctx.imageSmoothingEnabled = false;
  ctx.drawImage(off, AXIS_L, 0, plotW, plotH);
  ctx.fillStyle = css('--vscode-descriptionForeground', '#888');
  ctx.font = `10px ${css('--vscode-font-family', 'sans-serif')}`;
  ctx.fillText(`${f.type}`, 4, 10);
  ctx.fillText(`${f.bins} bins`, 4, 22);
  ctx.fillText(
    `${f.frames} frames (first ${(f.frames + 2) * 10} ms window) · range ${lo.toFixed(1)} … ${hi.toFixed(1)}`,
    AXIS_L,
    h - 3,
  );
}

function drawStrip() {
  const p = pred;
  const windows = p?.windows;
  stripB.wrap.hidden = !windows || windows.length < 2;
  if (!p || !windows || windows.length < 2) return;
  const rowH = 12;
  stripB.canvas.dataset.h = String(p.labels.length * rowH + AXIS_B);
  const { w, h, ctx } = sizeCanvas(stripB.canvas);
  ctx.clearRect(0, 0, w, h);
  const table = colormapTable(state.colormap);
  const [a, b] = viewRange();
  ctx.font = `10px ${css('--vscode-font-family', 'sans-serif')}`;
  p.labels.forEach((lab, i) => {
    ctx.fillStyle = css('--vscode-descriptionForeground', '#888');
    ctx.fillText(lab.slice(0, 8), 2, i * rowH + 10);
    for (const win of windows) {
      const centre = (win.startSec + win.endSec) / 2;
      const hop = windows.length > 1 ? windows[1].startSec - windows[0].startSec : 1;
      const x1 = xOf(centre - hop / 2, w);
      const x2 = xOf(centre + hop / 2, w);
      if (x2 < AXIS_L || x1 > w) continue;
      const k = Math.round(win.probabilities[i] * 255);
      ctx.fillStyle = `rgb(${table[3 * k]},${table[3 * k + 1]},${table[3 * k + 2]})`;
      ctx.fillRect(Math.max(AXIS_L, x1), i * rowH, Math.max(1, x2 - Math.max(AXIS_L, x1)), rowH - 1);
    }
  });
  ctx.fillStyle = css('--vscode-charts-red', '#f14c4c');
  for (const d of p.detections ?? []) {
    const x = xOf(d.timeSec, w);
    const i = p.labels.indexOf(d.label);
    ctx.fillRect(x - 1, 0, 2, h - AXIS_B);
    ctx.fillText(d.label, x + 3, Math.max(10, i * rowH + 10));
  }
  timeAxis(ctx, w, h - AXIS_B, a, b);
}

function drawSide() {
  side.replaceChildren();
  if (!init) return;
  const f = init.facts;
  const facts = el('div', 'wb-facts');
  facts.append(el('h3', undefined, f.name));
  const dl = el('dl');
  const add = (k: string, v: string) => dl.append(el('dt', undefined, k), el('dd', undefined, v));
  add('Format', `${f.container} ${f.format} ${f.bitsPerSample}-bit`);
  add('Rate', `${f.sampleRate} Hz`);
  add('Channels', String(f.channels));
  add('Duration', `${fmtTime(f.durationSec)} (${f.frames} frames)`);
  if (!f.stats.length) add('Levels', 'measuring…');
  f.stats.forEach((s, i) => {
    const p = f.stats.length > 1 ? `ch${i} ` : '';
    add(`${p}Peak`, fmtDb(s.peakDbfs));
    add(`${p}RMS`, fmtDb(s.rmsDbfs));
    add(`${p}DC offset`, s.dcOffset.toExponential(2));
    add(`${p}Clipped`, `${(100 * s.clippedRatio).toFixed(2)}%`);
    add(`${p}Silent`, `${(100 * s.silenceRatio).toFixed(0)}%`);
  });
  facts.append(dl);
  for (const w of f.warnings) facts.append(el('div', 'wb-warning', `⚠ ${w}`));
  side.append(facts);
  const probs = el('div', 'wb-probs');
  probs.append(el('h3', undefined, 'Prediction'));
  const model = init.model;
  probs.append(
    el(
      'div',
      'wb-muted',
      model
        ? `Model: ${model.name}${model.isDefault ? ' (bundled)' : ''} · ${model.labels.length} labels`
        : 'Model: loading…',
    ),
  );
  if (predError) probs.append(el('div', 'wb-error', predError));
  else if (!pred) probs.append(el('div', 'wb-muted', 'Classifying…'));
  else {
    if (pred.windows && pred.windows.length > 1)
      probs.append(el('div', 'wb-muted', 'First window (what decode_wav(desired_samples) gives the model):'));
    const order = pred.labels.map((l, i) => ({ l, p: pred!.clip[i] })).sort((a, b) => b.p - a.p);
    for (const { l, p } of order) {
      const row = el('div', 'wb-bar-row');
      const bar = el('div', 'wb-bar');
      const fill = el('div', 'wb-bar-fill');
      fill.style.width = `${(100 * p).toFixed(1)}%`;
      bar.append(fill);
      row.append(el('span', 'wb-bar-label', l), bar, el('span', 'wb-bar-value', `${(100 * p).toFixed(1)}%`));
      probs.append(row);
    }
    if (pred.detections?.length) {
      probs.append(el('h3', undefined, 'Detected words'));
      for (const d of pred.detections)
        probs.append(
          el('div', undefined, `${fmtTime(d.timeSec)}: ${d.label} (${(100 * d.score).toFixed(0)}%)`),
        );
    }
  }
  side.append(probs);
}

function drawCursor() {
  for (const c of [wave.canvas, specB.canvas, stripB.canvas]) {
    const over = c.nextElementSibling as HTMLDivElement | null;
    if (!over || !over.classList.contains('wb-cursor')) continue;
    const w = c.clientWidth;
    const x = xOf(cursorSec, w);
    over.hidden = x < AXIS_L || x > w;
    over.style.left = `${x}px`;
    over.style.height = `${c.clientHeight}px`;
  }
  timeLabel.textContent = `${fmtTime(cursorSec)} / ${fmtTime(duration())}`;
}
for (const c of [wave.canvas, specB.canvas, stripB.canvas]) {
  const over = el('div', 'wb-cursor');
  c.after(over);
}

function drawAll() {
  syncControls();
  drawWaveform();
  drawSpectrogram();
  if (state.showMfcc) drawMfcc();
  drawStrip();
  drawSide();
  drawCursor();
}

// ---- playback ----
// Short files come whole with init; long ones in chunks the host decodes on request.
const CHUNK_SEC = 30;
let chunk: { startSec: number; buffer: AudioBuffer } | undefined;
let audioRequest = 0;
let pendingPlayFrom: number | undefined;

function toBuffer(sampleRate: number, data: ArrayBuffer): AudioBuffer {
  audioCtx ??= new AudioContext();
  const samples = new Float32Array(data);
  const buf = audioCtx.createBuffer(1, Math.max(1, samples.length), sampleRate);
  buf.copyToChannel(samples, 0);
  return buf;
}
function stop() {
  if (source) {
    source.onended = null;
    source.stop();
    source.disconnect();
    source = undefined;
  }
  playing = false;
  pendingPlayFrom = undefined;
  playBtn.textContent = 'Play';
}
function startSource(buf: AudioBuffer, bufStartSec: number, from: number) {
  if (!audioCtx) return;
  void audioCtx.resume();
  source = audioCtx.createBufferSource();
  source.buffer = buf;
  source.connect(audioCtx.destination);
  playOffset = from;
  playStart = audioCtx.currentTime;
  source.start(0, Math.max(0, from - bufStartSec));
  const end = bufStartSec + buf.duration;
  source.onended = () => {
    source = undefined;
    if (playing && !init?.audio && end < duration() - 1e-3) {
      play(end);
      return;
    }
    stop();
    cursorSec = 0;
    drawCursor();
  };
  playing = true;
  playBtn.textContent = 'Pause';
  const tick = () => {
    if (!playing || !audioCtx) return;
    cursorSec = playOffset + (audioCtx.currentTime - playStart);
    drawCursor();
    requestAnimationFrame(tick);
  };
  requestAnimationFrame(tick);
}
function play(from: number) {
  stop();
  if (!init) return;
  if (init.audio) {
    chunk ??= { startSec: 0, buffer: toBuffer(init.audio.sampleRate, init.audio.samples) };
    startSource(chunk.buffer, 0, Math.min(from, chunk.buffer.duration));
    return;
  }
  if (chunk && from >= chunk.startSec && from < chunk.startSec + chunk.buffer.duration - 0.05) {
    startSource(chunk.buffer, chunk.startSec, from);
    return;
  }
  pendingPlayFrom = from;
  playBtn.textContent = 'Loading…';
  api.post({
    type: 'requestAudio',
    requestId: ++audioRequest,
    startSec: from,
    durationSec: CHUNK_SEC,
  });
}
function togglePlay() {
  if (playing) {
    cursorSec = playOffset + (audioCtx!.currentTime - playStart);
    stop();
    drawCursor();
  } else play(cursorSec);
}
playBtn.addEventListener('click', togglePlay);
document.addEventListener('keydown', (e) => {
  if (
    e.code === 'Space' &&
    !(e.target instanceof HTMLInputElement || e.target instanceof HTMLSelectElement)
  ) {
    e.preventDefault();
    togglePlay();
  }
});

// ---- interaction ----
function seekFrom(e: MouseEvent) {
  const c = e.currentTarget as HTMLCanvasElement;
  const t = tOf(e.offsetX, c.clientWidth);
  if (t < 0 || t > duration()) return;
  cursorSec = t;
  if (playing) play(t);
  drawCursor();
}
function hover(e: MouseEvent) {
  const c = e.currentTarget as HTMLCanvasElement;
  const t = tOf(e.offsetX, c.clientWidth);
  let text = `t = ${fmtTime(Math.max(0, t))}`;
  const v = currentViews();
  if (c === specB.canvas && v && v.spectrogram.frames) {
    const s = v.spectrogram;
    const plotH = Number(c.dataset.h) - AXIS_B;
    const bin = binAtY(e.offsetY, plotH, s.maxHz, s.bins);
    const times = new Float32Array(s.times);
    let f = 0;
    for (let i = 1; i < s.frames; i++) if (Math.abs(times[i] - t) < Math.abs(times[f] - t)) f = i;
    const db = new Float32Array(s.db)[f * s.bins + bin];
    text += ` · f = ${Math.round((bin / (s.bins - 1)) * s.maxHz)} Hz · ${db.toFixed(1)} dB`;
  }
  readout.textContent = text;
}
for (const c of [wave.canvas, specB.canvas, stripB.canvas]) {
  c.addEventListener('click', seekFrom);
  c.addEventListener('mousemove', hover);
  c.addEventListener(
    'wheel',
    (e) => {
      if (!init) return;
      e.preventDefault();
      const [a, b] = viewRange();
      const span = b - a;
      if (e.ctrlKey || e.metaKey || Math.abs(e.deltaY) > Math.abs(e.deltaX) * 2) {
        const t = tOf(e.offsetX, c.clientWidth);
        zoomAround(t, e.deltaY > 0 ? 1.25 : 0.8);
      } else {
        const shift = (e.deltaX / c.clientWidth) * span;
        setView(a + shift, b + shift);
      }
    },
    { passive: false },
  );
}
function setView(a: number, b: number) {
  state.view = viewModel.clampView(a, b, duration());
  persist();
  requestDetail();
  drawAll();
}
function zoomAround(t: number, factor: number) {
  const v = viewModel.zoomAround(state.view, duration(), t, factor);
  setView(...(v ?? [0, duration()]));
}
let detailTimer: ReturnType<typeof setTimeout> | undefined;
function requestDetail() {
  if (!init) return;
  clearTimeout(detailTimer);
  const [a, b] = viewRange();
  if (!state.view) {
    detail = undefined;
    return;
  }
  detailTimer = setTimeout(() => {
    api.post({
      type: 'requestRange',
      requestId: ++requestId,
      startSec: a,
      endSec: b,
      columns: Math.round(canvases.clientWidth || 1000),
    });
  }, 120);
}
zoomIn.addEventListener('click', () => {
  const [a, b] = viewRange();
  zoomAround(playing || cursorSec > 0 ? cursorSec : (a + b) / 2, 0.5);
});
zoomOut.addEventListener('click', () => {
  const [a, b] = viewRange();
  zoomAround((a + b) / 2, 2);
});
zoomAll.addEventListener('click', () => setView(0, duration()));
cmapSel.addEventListener('change', () => {
  state.colormap = cmapSel.value as ColormapName;
  persist();
  drawAll();
});
scaleSel.addEventListener('change', () => {
  state.melScale = scaleSel.value === 'mel';
  persist();
  drawAll();
});
floor.addEventListener('input', () => {
  state.dbFloor = Number(floor.value);
  persist();
  drawSpectrogram();
  syncControls();
});
mfccToggle.addEventListener('change', () => {
  state.showMfcc = mfccToggle.checked;
  persist();
  drawAll();
});
modelBtn.addEventListener('click', () => api.post({ type: 'pickModel' }));
new ResizeObserver(() => drawAll()).observe(canvases);
onThemeChange(() => drawAll());

api.onMessage((m) => {
  switch (m.type) {
    case 'init':
      // A file fixed on disk: the host reloads and sends init; the editor comes back from its error page.
      if (app.firstChild !== header) app.replaceChildren(header, toolbar, main);
      init = m;
      chunk = undefined;
      stop();
      detail = undefined;
      if (!saved.colormap && (COLORMAP_NAMES as readonly string[]).includes(m.settings.colormap))
        state.colormap = m.settings.colormap as ColormapName;
      if (saved.dbFloor === undefined) state.dbFloor = m.settings.dbFloor;
      header.replaceChildren(
        el('span', 'wb-title', m.facts.name),
        el('span', 'wb-muted', ` ${m.facts.path}`),
      );
      drawAll();
      requestDetail();
      api.post({ type: 'painted', what: 'init', ms: Math.round(performance.now() - t0) });
      break;
    case 'overview':
      if (init) {
        // Received messages are never modified: a new init with the overview's parts.
        init = { ...init, waveform: m.waveform, facts: { ...init.facts, stats: m.stats } };
        drawWaveform();
        drawSide();
      }
      break;
    case 'audio':
      if (m.requestId === audioRequest && pendingPlayFrom !== undefined) {
        const from = pendingPlayFrom;
        chunk = { startSec: m.startSec, buffer: toBuffer(m.audio.sampleRate, m.audio.samples) };
        pendingPlayFrom = undefined;
        startSource(chunk.buffer, chunk.startSec, Math.max(from, m.startSec));
      }
      break;
    case 'range':
      if (m.requestId === requestId) {
        detail = { waveform: m.waveform, spectrogram: m.spectrogram };
        drawWaveform();
        drawSpectrogram();
      }
      break;
    case 'predictions':
      pred = m.prediction;
      predError = undefined;
      if (init) init = { ...init, model: m.model };
      drawSide();
      drawStrip();
      api.post({ type: 'painted', what: 'predictions', ms: Math.round(performance.now() - t0) });
      break;
    case 'predictionError':
      predError = `Model: ${m.message}`;
      pred = undefined;
      drawSide();
      break;
    case 'decodeError':
      {
        stop();
        const page = el('div', 'wb-error-page');
        const retry = el('button', undefined, 'Try again');
        retry.addEventListener('click', () => api.post({ type: 'retry' }));
        const reopen = el('button', undefined, 'Open in the default editor');
        reopen.addEventListener('click', () => api.post({ type: 'reopenWithDefault' }));
        const actions = el('p', 'wb-actions');
        actions.append(retry, ' ', reopen);
        page.append(
          el('h2', undefined, 'Wavebench cannot decode this file'),
          el('p', 'wb-error', m.message),
          el('p', 'wb-muted', m.path),
          actions,
          el('p', 'wb-muted', 'The editor comes back by itself when the file is fixed on disk.'),
        );
        app.replaceChildren(page);
      }
      api.post({ type: 'painted', what: 'init', ms: Math.round(performance.now() - t0) });
      break;
  }
});
syncControls();
api.post({ type: 'ready' });
