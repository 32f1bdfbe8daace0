/**
 * The editor's drawing: canvas plots (waveform, spectrogram, model input; the probability panel is drawLanes.ts), as
 * functions of a canvas and the data to show (the side panel is sidePanel.ts). No module state: the caller passes the
 * view range, the display settings and the theme colours read at draw time. The geometry (time
 * ticks, column -> frame, row -> bin, dB range) is in model.ts, unit-tested in Node.
 */
import {
  AXIS_B,
  AXIS_L,
  colourIndex,
  dbRange,
  framesForColumns,
  rowsToBins,
  timeTicks,
  yOfHz,
} from './model';
import type { FeatureView, SpectrogramView, WaveformView } from '../../src/protocol/editor';
import { colormapTable, type ColormapName } from '../../src/audio/colormap';

/** The theme colours and font the plots use, read from the `--vscode-*` variables at draw time. */
export interface Theme {
  muted: string;
  blue: string;
  border: string;
  red: string;
  green: string;
  orange: string;
  foreground: string;
  fontFamily: string;
}

/** The current theme (browser only). */
export function readTheme(): Theme {
  const css = (name: string, fallback: string) =>
    getComputedStyle(document.body).getPropertyValue(name).trim() || fallback;
  return {
    muted: css('--vscode-descriptionForeground', '#888'),
    blue: css('--vscode-charts-blue', '#3794ff'),
    border: css('--vscode-panel-border', '#8884'),
    red: css('--vscode-charts-red', '#f14c4c'),
    green: css('--vscode-charts-green', '#89d185'),
    orange: css('--vscode-charts-orange', '#d18616'),
    foreground: css('--vscode-foreground', '#ccc'),
    fontFamily: css('--vscode-font-family', 'sans-serif'),
  };
}

// ---- canvas drawing (browser only) ----

/** Sizes a canvas to its CSS width (or `fallbackW`) and its `data-h` height at the device pixel ratio. */
export function sizeCanvas(
  c: HTMLCanvasElement,
  fallbackW: number,
): { w: number; h: number; ctx: CanvasRenderingContext2D } {
  const dpr = window.devicePixelRatio || 1;
  const w = Math.max(100, c.clientWidth || fallbackW || 600);
  const hgt = Number(c.dataset.h);
  c.width = Math.round(w * dpr);
  c.height = Math.round(hgt * dpr);
  c.style.height = `${hgt}px`;
  const ctx = c.getContext('2d')!;
  ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
  return { w, h: hgt, ctx };
}

/** The time axis along y (ticks and their times). */
export function timeAxis(
  ctx: CanvasRenderingContext2D,
  theme: Theme,
  w: number,
  y: number,
  range: [number, number],
) {
  ctx.fillStyle = theme.muted;
  ctx.font = `10px ${theme.fontFamily}`;
  for (const { x, text } of timeTicks(range[0], range[1], w).ticks) {
    ctx.fillRect(x, y, 1, 3);
    ctx.fillText(text, x + 2, y + 11);
  }
}

/** Paints an ImageData onto `ctx` at (x, y), scaled to w x h when given, without smoothing. */
function paintImage(
  ctx: CanvasRenderingContext2D,
  img: ImageData,
  x: number,
  y: number,
  w?: number,
  hh?: number,
) {
  // putImageData ignores the canvas transform: paint off-screen, then draw it scaled like the axes.
  const off = document.createElement('canvas');
  off.width = img.width;
  off.height = img.height;
  off.getContext('2d')!.putImageData(img, 0, 0);
  ctx.imageSmoothingEnabled = false;
  if (w === undefined || hh === undefined) ctx.drawImage(off, x, y);
  else ctx.drawImage(off, x, y, w, hh);
}

/** The waveform (min/max per column, one lane per channel); `wf` undefined draws nothing. */
export function drawWaveform(
  canvas: HTMLCanvasElement,
  fallbackW: number,
  wf: WaveformView | undefined,
  range: [number, number],
  theme: Theme,
): void {
  const { w, h: hgt, ctx } = sizeCanvas(canvas, fallbackW);
  ctx.clearRect(0, 0, w, hgt);
  if (!wf) return;
  if (!wf.columns) {
    ctx.fillStyle = theme.muted;
    ctx.font = `12px ${theme.fontFamily}`;
    ctx.fillText('Measuring the whole file (one pass over it)…', AXIS_L, hgt / 2);
    return;
  }
  const min = new Float32Array(wf.min);
  const max = new Float32Array(wf.max);
  const [a, b] = range;
  const chH = (hgt - AXIS_B) / wf.channels;
  for (let c = 0; c < wf.channels; c++) {
    const mid = c * chH + chH / 2;
    ctx.fillStyle = theme.border;
    ctx.fillRect(AXIS_L, mid, w - AXIS_L, 1);
    ctx.fillStyle = theme.blue;
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
    ctx.fillStyle = theme.muted;
    ctx.font = `10px ${theme.fontFamily}`;
    ctx.fillText(wf.channels > 1 ? `ch${c}` : '', 4, mid + 3);
  }
  timeAxis(ctx, theme, w, hgt - AXIS_B, range);
}

/** The spectrogram with its frequency axis and dB colour bar; nothing without frames. */
export function drawSpectrogram(
  canvas: HTMLCanvasElement,
  fallbackW: number,
  s: SpectrogramView | undefined,
  range: [number, number],
  opts: { colormap: ColormapName; dbFloor: number; melScale: boolean },
  theme: Theme,
): void {
  const { w, h: hgt, ctx } = sizeCanvas(canvas, fallbackW);
  ctx.clearRect(0, 0, w, hgt);
  if (!s || !s.frames) return;
  const db = new Float32Array(s.db);
  const times = new Float32Array(s.times);
  const plotW = Math.floor(w - AXIS_L - 40);
  const plotH = hgt - AXIS_B;
  const { maxDb, floorDb } = dbRange(db, opts.dbFloor);
  const table = colormapTable(opts.colormap);
  const img = new ImageData(plotW, plotH);
  // Column -> nearest frame by time; row -> bin by the chosen frequency scale.
  const frameForCol = framesForColumns(times, s.frames, plotW, range);
  const rows = rowsToBins(plotH, s.maxHz, s.bins, opts.melScale);
  for (let y = 0; y < plotH; y++) {
    const b0 = Math.max(0, rows.lo[y]);
    const t = rows.t[y];
    for (let x = 0; x < plotW; x++) {
      const row = frameForCol[x] * s.bins;
      const d = db[row + b0] * (1 - t) + db[row + Math.min(s.bins - 1, b0 + 1)] * t;
      const k = colourIndex(d, floorDb, maxDb);
      const o = (y * plotW + x) * 4;
      img.data[o] = table[3 * k];
      img.data[o + 1] = table[3 * k + 1];
      img.data[o + 2] = table[3 * k + 2];
      img.data[o + 3] = 255;
    }
  }
  paintImage(ctx, img, AXIS_L, 0);
  ctx.fillStyle = theme.muted;
  ctx.font = `10px ${theme.fontFamily}`;
  const ticks = opts.melScale
    ? [100, 250, 500, 1000, 2000, 4000, 8000, 16000]
    : [0, 1000, 2000, 4000, 6000, 8000, 12000, 16000, 20000];
  for (const hz of ticks) {
    if (hz > s.maxHz) continue;
    const y = yOfHz(hz, plotH, s.maxHz, opts.melScale);
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
  ctx.fillStyle = theme.muted;
  ctx.fillText(`${Math.round(maxDb)}`, cbX - 2, 9);
  ctx.fillText(`${Math.round(floorDb)}`, cbX - 2, plotH - 2);
  ctx.fillText('dB', cbX + 10, plotH / 2);
  timeAxis(ctx, theme, w - 40, hgt - AXIS_B, range);
}

/** The model's input features, one pixel per (frame, bin) scaled up, low bins at the bottom. */
export function drawFeatures(
  canvas: HTMLCanvasElement,
  fallbackW: number,
  f: FeatureView | undefined,
  colormap: ColormapName,
  theme: Theme,
  /** What to say while there are no features (still computing, or the model failed). */
  missing: string,
): void {
  const { w, h: hgt, ctx } = sizeCanvas(canvas, fallbackW);
  ctx.clearRect(0, 0, w, hgt);
  if (!f) {
    ctx.fillStyle = theme.muted;
    ctx.fillText(missing, AXIS_L, 20);
    return;
  }
  const data = new Float32Array(f.data);
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of data) {
    lo = Math.min(lo, v);
    hi = Math.max(hi, v);
  }
  const table = colormapTable(colormap);
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
  paintImage(ctx, img, AXIS_L, 0, w - AXIS_L - 40, hgt - AXIS_B);
  ctx.fillStyle = theme.muted;
  ctx.font = `10px ${theme.fontFamily}`;
  ctx.fillText(`${f.type}`, 4, 10);
  ctx.fillText(`${f.bins} bins`, 4, 22);
  ctx.fillText(
    `${f.frames} frames (first ${(f.frames + 2) * 10} ms window) · range ${lo.toFixed(1)} … ${hi.toFixed(1)}`,
    AXIS_L,
    hgt - 3,
  );
}
