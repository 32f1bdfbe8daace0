/** The editor page's DOM: header, toolbar and its controls, the plot canvases, the side panel, the error page. */
import { h } from '../common/dom';
import type { HostToEditor } from '../../src/protocol/editor';
import { COLORMAP_NAMES } from '../../src/audio/colormap';

/** Builds the editor's layout into `app`; returns its parts for the wiring (main.ts) to fill and listen to. */
export function buildLayout(app: HTMLElement) {
  const header = h('div', { class: 'wb-header' });
  const toolbar = h('div', { class: 'wb-toolbar' });
  const canvases = h('div', { class: 'wb-canvases' });
  const side = h('div', { class: 'wb-side' });
  const main = h('div', { class: 'wb-main' }, canvases, side);
  app.append(header, toolbar, main);

  function canvasBlock(title: string, height: number): { wrap: HTMLDivElement; canvas: HTMLCanvasElement } {
    const canvas = h('canvas', { class: 'wb-canvas', height, dataset: { h: String(height) } });
    const wrap = h('div', { class: 'wb-block' }, h('div', { class: 'wb-block-title' }, title), canvas);
    canvases.append(wrap);
    return { wrap, canvas };
  }
  const wave = canvasBlock('Waveform', 110);
  const specB = canvasBlock('Spectrogram', 240);
  // Over time before the first window's model input: on a long recording it is what matters.
  const stripB = canvasBlock('Probabilities over time', 10);
  const mfccB = canvasBlock('Model input (the features exactly as the model sees them)', 150);
  const legend = h('div', { class: 'wb-legend' });
  const readout = h('div', { class: 'wb-readout' }, ' ');
  canvases.append(readout);
  /** The canvases with a play cursor (a positioned div right after each). */
  const timeCanvases = [wave.canvas, specB.canvas, stripB.canvas];
  for (const c of timeCanvases) c.after(h('div', { class: 'wb-cursor' }));
  stripB.wrap.append(legend);

  const playBtn = h('button', { class: 'wb-button', title: 'Play / pause (Space)' }, 'Play');
  const timeLabel = h('span', { class: 'wb-time' }, '0.000 s');
  const cmapSel = h(
    'select',
    null,
    COLORMAP_NAMES.map((c) => h('option', { value: c }, c)),
  );
  const scaleSel = h(
    'select',
    null,
    h('option', { value: 'linear' }, 'linear Hz'),
    h('option', { value: 'mel' }, 'mel'),
  );
  const floor = h('input', { type: 'range', min: '-160', max: '-20', step: '5' });
  const floorLabel = h('span', { class: 'wb-muted' });
  const mfccToggle = h('input', { type: 'checkbox' });
  const zoomIn = h('button', { class: 'wb-button', title: 'Zoom in' }, '+');
  const zoomOut = h('button', { class: 'wb-button', title: 'Zoom out' }, '−');
  const zoomAll = h('button', { class: 'wb-button', title: 'Show the whole file' }, 'All');
  const modelBtn = h('button', { class: 'wb-button wb-secondary' }, 'Model…');
  // The threshold detections are coloured at, shown with a label file beside the recording.
  const threshold = h('input', {
    type: 'range',
    min: '0',
    max: '1',
    step: '0.01',
    title: 'Detection threshold',
  });
  const thresholdNum = h('input', {
    type: 'number',
    class: 'wb-number',
    min: '0',
    max: '1',
    step: '0.01',
    title: 'Detection threshold (the 1-s average of the best keyword)',
  });
  const thresholdField = h(
    'label',
    { class: 'wb-field', hidden: true },
    h('span', { class: 'wb-muted' }, 'Threshold'),
    threshold,
    thresholdNum,
  );
  const label = (t: string, c: HTMLElement) =>
    h('label', { class: 'wb-field' }, h('span', { class: 'wb-muted' }, t), c);
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
    thresholdField,
  );
  return {
    header,
    toolbar,
    canvases,
    side,
    main,
    wave,
    specB,
    mfccB,
    stripB,
    legend,
    readout,
    timeCanvases,
    playBtn,
    timeLabel,
    cmapSel,
    scaleSel,
    floor,
    floorLabel,
    mfccToggle,
    zoomIn,
    zoomOut,
    zoomAll,
    modelBtn,
    threshold,
    thresholdNum,
    thresholdField,
  };
}

/** The page shown instead of the editor when the file cannot be decoded: the reason and the ways out. */
export function errorPage(
  m: Extract<HostToEditor, { type: 'decodeError' }>,
  on: { retry: () => void; reopen: () => void },
): HTMLElement {
  return h(
    'div',
    { class: 'wb-error-page' },
    h('h2', null, 'Wavebench cannot decode this file'),
    h('p', { class: 'wb-error' }, m.message),
    h('p', { class: 'wb-muted' }, m.path),
    h(
      'p',
      { class: 'wb-actions' },
      h('button', { onClick: on.retry }, 'Try again'),
      ' ',
      h('button', { onClick: on.reopen }, 'Open in the default editor'),
    ),
    h('p', { class: 'wb-muted' }, 'The editor comes back by itself when the file is fixed on disk.'),
  );
}
