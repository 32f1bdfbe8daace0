// The Wavebench editor webview's wiring: builds the page, handles the host's messages and the DOM
// events, and calls the drawing functions (draw.ts) and the player (player.ts) over the pure view
// model (model.ts). No signal processing here beyond colour mapping.
import { debounce, h, onThemeChange } from '../common/dom';
import { vscodeApi } from '../common/vscodeApi';
import * as viewModel from './model';
import * as draw from './draw';
import { AXIS_B, AXIS_L, fmtTime } from './model';
import { Player } from './player';
import { LanesPanel } from './lanesPanel';
import { DisplayControls } from './controls';
import { playFrom, viewAround } from './lanes';
import { sidePanel } from './sidePanel';
import { buildLayout, errorPage } from './layout';
import { restoreViewState, type ViewState } from './viewState';
import type {
  EditorToHost,
  FeatureView,
  HostToEditor,
  ModelView,
  PredictionView,
  SpectrogramView,
  WaveformView,
} from '../../src/protocol/editor';
import { COLORMAP_NAMES, type ColormapName } from '../../src/audio/colormap';

const api = vscodeApi<EditorToHost, HostToEditor, Partial<ViewState>>();
const t0 = performance.now();

const saved = api.getState() ?? {};
const state = restoreViewState(saved);
const persist = () => api.setState(state);

type Init = Extract<HostToEditor, { type: 'init' }>;
type Views = { waveform: WaveformView; spectrogram: SpectrogramView };
/** What the host has sent (never modified: updates replace objects). */
const data: {
  init?: Init;
  /** The model and its input for this file: they come with the prediction, from the worker. */
  model?: ModelView;
  features?: FeatureView;
  pred?: PredictionView;
  predError?: string;
  /** Lines of the label file beside the recording that were not used. */
  truthProblems: string[];
  /** The zoomed-in ranges, for the view of the last `requestRange`. */
  detail?: Views;
  requestId: number;
} = { requestId: 0, truthProblems: [] };

const app = document.getElementById('app')!;
app.className = 'wb-editor';

const duration = () => (data.init ? data.init.facts.durationSec : 0);
const viewRange = () => viewModel.viewRange(state.view, duration());
const tOf = (x: number, w: number) => viewModel.timeOfX(x, viewRange(), w, AXIS_L);

// ---- layout ----
const ui = buildLayout(app);

const syncControls = () => controls.sync();

// ---- drawing ----
const controls = new DisplayControls(ui, state, {
  persist,
  drawAll: () => drawAll(),
  drawSpectrogram: () => drawSpectrogram(),
});
/** The detail ranges when they match the view, else the whole-file ones from init. */
function currentViews(): Views | undefined {
  if (!data.init) return undefined;
  const [a, b] = viewRange();
  const d = data.detail;
  if (d && Math.abs(d.waveform.startSec - a) < 1e-6 && Math.abs(d.waveform.endSec - b) < 1e-6) return d;
  return { waveform: data.init.waveform, spectrogram: data.init.spectrogram };
}
const drawWaveform = () =>
  draw.drawWaveform(
    ui.wave.canvas,
    ui.canvases.clientWidth,
    currentViews()?.waveform,
    viewRange(),
    draw.readTheme(),
  );
const drawSpectrogram = () =>
  draw.drawSpectrogram(
    ui.specB.canvas,
    ui.canvases.clientWidth,
    currentViews()?.spectrogram,
    viewRange(),
    state,
    draw.readTheme(),
  );
const drawMfcc = () =>
  draw.drawFeatures(
    ui.mfccB.canvas,
    ui.canvases.clientWidth,
    data.features,
    state.colormap,
    draw.readTheme(),
    data.predError || data.pred
      ? 'No model input: the model could not be loaded.'
      : 'Computing the model input…',
  );
const lanes = new LanesPanel(ui, (t) => {
  state.threshold = t;
  persist();
  drawStrip();
  drawSide();
  reportTruth();
});
const drawStrip = () =>
  lanes.draw(data.pred, viewRange(), state.threshold, ui.canvases.clientWidth, draw.readTheme());
/** Tells the host what the truth lane shows (the counts at the threshold), once it settles. */
const reportTruth = debounce(() => {
  const out = lanes.outcomes(data.pred, state.threshold);
  if (out) api.post({ type: 'drawn', what: 'truth', detail: { threshold: out.threshold, ...out.counts } });
}, 150);
function drawSide() {
  const init = data.init;
  const truth = { problems: data.truthProblems, outcomes: lanes.outcomes(data.pred, state.threshold) };
  ui.side.replaceChildren(
    ...(init ? sidePanel(init.facts, data.model, data.pred, data.predError, truth) : []),
  );
}
function drawCursor() {
  const sec = player.cursorSec;
  for (const c of ui.timeCanvases) {
    const over = c.nextElementSibling as HTMLDivElement | null;
    if (!over || !over.classList.contains('wb-cursor')) continue;
    const w = c.clientWidth;
    const x = viewModel.xOfTime(sec, viewRange(), w, AXIS_L);
    over.hidden = x < AXIS_L || x > w;
    over.style.left = `${x}px`;
    over.style.height = `${c.clientHeight}px`;
  }
  ui.timeLabel.textContent = `${fmtTime(sec)} / ${fmtTime(duration())}`;
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
const PLAY_TEXT = { stopped: 'Play', playing: 'Pause', loading: 'Loading…' } as const;
const player = new Player({
  requestAudio: (requestId, startSec, durationSec) =>
    api.post({ type: 'requestAudio', requestId, startSec, durationSec }),
  onStatus: (s) => {
    ui.playBtn.textContent = PLAY_TEXT[s];
  },
  onCursor: () => drawCursor(),
});
window.addEventListener('pagehide', () => player.dispose());
ui.playBtn.addEventListener('click', () => player.togglePlay());
document.addEventListener('keydown', (e) => {
  if (
    e.code === 'Space' &&
    !(e.target instanceof HTMLInputElement || e.target instanceof HTMLSelectElement)
  ) {
    e.preventDefault();
    player.togglePlay();
  }
});

// ---- interaction ----
function seekFrom(e: MouseEvent) {
  const c = e.currentTarget as HTMLCanvasElement;
  // A detection or a word: hear it, from a second before.
  const mark = c === ui.stripB.canvas ? lanes.markAt(e.offsetX, e.offsetY) : undefined;
  if (mark) {
    player.playFrom(playFrom(mark.timeSec));
    drawCursor();
    return;
  }
  const t = tOf(e.offsetX, c.clientWidth);
  if (t < 0 || t > duration()) return;
  player.seek(t);
  drawCursor();
}
function hover(e: MouseEvent) {
  const c = e.currentTarget as HTMLCanvasElement;
  const t = tOf(e.offsetX, c.clientWidth);
  let text = `t = ${fmtTime(Math.max(0, t))}`;
  const v = currentViews();
  if (c === ui.specB.canvas && v && v.spectrogram.frames) {
    const s = v.spectrogram;
    const plotH = Number(c.dataset.h) - AXIS_B;
    const bin = Math.round(viewModel.binPosAtY(e.offsetY, plotH, s.maxHz, s.bins, state.melScale));
    const f = viewModel.nearestFrame(new Float32Array(s.times), s.frames, t);
    const db = new Float32Array(s.db)[f * s.bins + bin];
    text += ` · f = ${Math.round((bin / (s.bins - 1)) * s.maxHz)} Hz · ${db.toFixed(1)} dB`;
  }
  ui.readout.textContent = text;
}
for (const c of ui.timeCanvases) {
  c.addEventListener('click', seekFrom);
  c.addEventListener('mousemove', hover);
  c.addEventListener(
    'wheel',
    (e) => {
      if (!data.init) return;
      e.preventDefault();
      const [a, b] = viewRange();
      if (e.ctrlKey || e.metaKey || Math.abs(e.deltaY) > Math.abs(e.deltaX) * 2) {
        zoomAround(tOf(e.offsetX, c.clientWidth), e.deltaY > 0 ? 1.25 : 0.8);
      } else {
        const shift = (e.deltaX / c.clientWidth) * (b - a);
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
/** Asks the host for the zoomed-in view's ranges once the view has stopped moving for 120 ms. */
const postRangeRequest = debounce(() => {
  if (!data.init || !state.view) return;
  const [a, b] = viewRange();
  api.post({
    type: 'requestRange',
    requestId: ++data.requestId,
    startSec: a,
    endSec: b,
    columns: Math.round(ui.canvases.clientWidth || 1000),
  });
}, 120);
function requestDetail() {
  if (!data.init) return;
  if (!state.view) data.detail = undefined;
  else postRangeRequest();
}
ui.zoomIn.addEventListener('click', () => {
  const [a, b] = viewRange();
  const c = player.cursorSec;
  zoomAround(player.isPlaying || c > 0 ? c : (a + b) / 2, 0.5);
});
ui.zoomOut.addEventListener('click', () => {
  const [a, b] = viewRange();
  zoomAround((a + b) / 2, 2);
});
ui.zoomAll.addEventListener('click', () => setView(0, duration()));
ui.modelBtn.addEventListener('click', () => api.post({ type: 'pickModel' }));
new ResizeObserver(() => drawAll()).observe(ui.canvases);
onThemeChange(() => drawAll());

const painted = (what: 'init' | 'predictions') =>
  api.post({ type: 'painted', what, ms: Math.round(performance.now() - t0) });

api.onMessage((m) => {
  switch (m.type) {
    case 'init':
      // A file fixed on disk: the host reloads and sends init; the editor comes back from its error page.
      if (app.firstChild !== ui.header) app.replaceChildren(ui.header, ui.toolbar, ui.main);
      data.init = m;
      player.load(m.audio, m.facts.durationSec);
      data.detail = undefined;
      if (!saved.colormap && (COLORMAP_NAMES as readonly string[]).includes(m.settings.colormap))
        state.colormap = m.settings.colormap as ColormapName;
      if (saved.dbFloor === undefined) state.dbFloor = m.settings.dbFloor;
      ui.header.replaceChildren(
        h('span', { class: 'wb-title' }, m.facts.name),
        h('span', { class: 'wb-muted' }, ` ${m.facts.path}`),
      );
      drawAll();
      requestDetail();
      painted('init');
      break;
    case 'overview':
      if (data.init) {
        // Received messages are never modified: a new init with the overview's parts.
        const init = data.init;
        data.init = { ...init, waveform: m.waveform, facts: { ...init.facts, stats: m.stats } };
        drawWaveform();
        drawSide();
      }
      break;
    case 'audio':
      player.received(m);
      break;
    case 'range':
      if (m.requestId === data.requestId) {
        data.detail = { waveform: m.waveform, spectrogram: m.spectrogram };
        drawWaveform();
        drawSpectrogram();
      }
      break;
    case 'truthProblems':
      data.truthProblems = m.lines;
      drawSide();
      break;
    case 'seek': {
      // Centred in the current span (10 s from the whole file), the cursor there, not playing.
      const t = Math.min(duration(), m.timeSec);
      setView(...viewAround(t, viewRange(), !state.view, duration()));
      if (player.isPlaying) player.togglePlay();
      player.seek(t);
      drawCursor();
      const [startSec, endSec] = viewRange();
      api.post({ type: 'drawn', what: 'seek', detail: { cursorSec: player.cursorSec, startSec, endSec } });
      break;
    }
    case 'predictions':
      data.pred = m.prediction;
      data.predError = undefined;
      data.model = m.model;
      data.features = m.features;
      drawSide();
      drawStrip();
      if (state.showMfcc) drawMfcc();
      painted('predictions');
      reportTruth();
      break;
    case 'predictionError':
      data.predError = `Model: ${m.message}`;
      data.pred = undefined;
      data.features = undefined;
      drawSide();
      if (state.showMfcc) drawMfcc();
      break;
    case 'decodeError':
      player.stop();
      app.replaceChildren(
        errorPage(m, {
          retry: () => api.post({ type: 'retry' }),
          reopen: () => api.post({ type: 'reopenWithDefault' }),
        }),
      );
      painted('init');
      break;
  }
});
syncControls();
api.post({ type: 'ready' });
