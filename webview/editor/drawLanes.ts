/**
 * The "probabilities over time" panel (browser only): a row of detection marks, one line per label
 * (its probability per window), with a label file the 1-s average evaluate thresholds and the
 * threshold, then the ground-truth lane. Text labels are thinned (lanes.ts) so none overlap at any
 * zoom. Returns the clickable marks (detections and words) for the page's click handler.
 */
import { AXIS_B, AXIS_L, xOfTime } from './model';
import { columnPeaks, thinLabels, type Mark, type TruthOutcomes } from './lanes';
import { sizeCanvas, timeAxis, type Theme } from './draw';
import type { PredictionView } from '../../src/protocol/editor';
import type { Outcome } from '../../src/model/streaming/rules';

/** Tableau 10: told apart on light and dark backgrounds alike. */
const PALETTE = [
  '#4e79a7',
  '#f28e2b',
  '#e15759',
  '#76b7b2',
  '#59a14f',
  '#edc948',
  '#b07aa1',
  '#ff9da7',
  '#9c755f',
  '#bab0ac',
];

/** The colour of label `i` of `labels`: _silence_/_unknown_ are the theme's muted colour. */
export function labelColour(labels: readonly string[], i: number, theme: Theme): string {
  if (labels[i].startsWith('_')) return theme.muted;
  const k = labels.slice(0, i).filter((l) => !l.startsWith('_')).length;
  return PALETTE[k % PALETTE.length];
}

/** The colour of a detection's outcome (a detection without a label file: blue). */
export function outcomeColour(o: Outcome | undefined, theme: Theme): string {
  return o === 'hit'
    ? theme.green
    : o === 'falseAccept'
      ? theme.red
      : o === 'repeat'
        ? theme.orange
        : theme.blue;
}

const MARK_H = 16;
const PLOT_H = 100;
const TRUTH_H = 30;

/** Draws the panel; `out` (with a label file) colours detections and words at its threshold. */
export function drawLanes(
  canvas: HTMLCanvasElement,
  fallbackW: number,
  p: PredictionView,
  out: TruthOutcomes | undefined,
  range: [number, number],
  theme: Theme,
): Mark[] {
  const truthH = out ? TRUTH_H : 0;
  canvas.dataset.h = String(MARK_H + PLOT_H + truthH + AXIS_B);
  const { w, h: hgt, ctx } = sizeCanvas(canvas, fallbackW);
  ctx.clearRect(0, 0, w, hgt);
  ctx.font = `10px ${theme.fontFamily}`;
  const x = (t: number) => xOfTime(t, range, w, AXIS_L);
  const plotTop = MARK_H;
  const yOf = (v: number) => plotTop + (1 - v) * (PLOT_H - 2) + 1;
  const marks: Mark[] = [];

  // Axes and captions.
  ctx.fillStyle = theme.muted;
  ctx.fillText('detected', 2, 11);
  for (const v of [0, 0.5, 1]) {
    ctx.fillText(
      v.toFixed(1),
      AXIS_L - 20,
      Math.min(plotTop + PLOT_H - 2, Math.max(plotTop + 9, yOf(v) + 3)),
    );
    ctx.fillStyle = theme.border;
    ctx.fillRect(AXIS_L, Math.round(yOf(v)), w - AXIS_L, 1);
    ctx.fillStyle = theme.muted;
  }
  timeAxis(ctx, theme, w, hgt - AXIS_B, range);

  ctx.save();
  ctx.beginPath();
  ctx.rect(AXIS_L, 0, w - AXIS_L, hgt);
  ctx.clip();
  // One line per label: its highest probability in each column.
  const windows = p.windows ?? [];
  const times = windows.map((win) => (win.startSec + win.endSec) / 2);
  const columns = Math.max(1, Math.round(w - AXIS_L));
  const line = (
    values: ArrayLike<number>,
    ts: ArrayLike<number>,
    colour: string,
    width: number,
    dash = false,
  ) => {
    const peaks = columnPeaks(ts, values, range, columns);
    ctx.strokeStyle = colour;
    ctx.lineWidth = width;
    ctx.setLineDash(dash ? [2, 2] : []);
    ctx.beginPath();
    let pen = false;
    peaks.forEach((v, c) => {
      if (Number.isNaN(v)) return;
      const px = AXIS_L + c + 0.5;
      if (pen) ctx.lineTo(px, yOf(v));
      else ctx.moveTo(px, yOf(v));
      pen = true;
    });
    ctx.stroke();
    ctx.setLineDash([]);
  };
  p.labels.forEach((_, k) =>
    line(
      windows.map((win) => win.probabilities[k]),
      times,
      labelColour(p.labels, k, theme),
      1,
      // _silence_ and _unknown_ are never detections: dotted, behind the keywords.
      p.labels[k].startsWith('_'),
    ),
  );
  if (out) {
    // What the threshold applies to: the best keyword's 1-s average, at each window's end.
    line(
      out.track.score,
      Float64Array.from(out.track.endMs, (t) => t / 1000),
      theme.foreground,
      2,
    );
    ctx.strokeStyle = theme.foreground;
    ctx.lineWidth = 1;
    ctx.setLineDash([4, 3]);
    ctx.beginPath();
    ctx.moveTo(AXIS_L, Math.round(yOf(out.threshold)) + 0.5);
    ctx.lineTo(w, Math.round(yOf(out.threshold)) + 0.5);
    ctx.stroke();
    ctx.setLineDash([]);
  }

  // Detections: a triangle each (its colour its outcome), a hairline through the plot, text thinned.
  const dets = out
    ? out.detections.map((d) => ({
        label: d.label,
        t: d.timeMs / 1000,
        outcome: d.outcome as Outcome | undefined,
      }))
    : (p.detections ?? []).map((d) => ({ label: d.label, t: d.timeSec, outcome: undefined }));
  const detBoxes = dets.map((d) => ({
    x: x(d.t) + 8,
    width: ctx.measureText(d.label).width,
    priority: d.outcome === 'hit' ? 1 : 2,
  }));
  dets.forEach((d) => {
    const dx = x(d.t);
    ctx.fillStyle = outcomeColour(d.outcome, theme);
    ctx.globalAlpha = 0.35;
    ctx.fillRect(Math.round(dx), plotTop, 1, PLOT_H);
    ctx.globalAlpha = 1;
    ctx.beginPath();
    ctx.moveTo(dx - 5, 2);
    ctx.lineTo(dx + 5, 2);
    ctx.lineTo(dx, 12);
    ctx.closePath();
    ctx.fill();
    marks.push({ x1: dx - 5, x2: dx + 5, y1: 0, y2: MARK_H, timeSec: d.t });
  });
  // The triangles go first (above every text), so no name is written over another's mark.
  const triangles = dets.map((d) => ({ x: x(d.t) - 5, width: 10, priority: 1e9 }));
  for (const i of thinLabels([...detBoxes, ...triangles], 2)) {
    if (i >= dets.length) continue;
    ctx.fillStyle = outcomeColour(dets[i].outcome, theme);
    ctx.fillText(dets[i].label, detBoxes[i].x, 11);
  }

  // The ground-truth lane: each word a bar from its start to its end (at least 3 px), filled when
  // hit, outlined and crossed when missed; its text under it, thinned.
  if (out) {
    const top = plotTop + PLOT_H + 4;
    const boxes = out.words.map((wd) => ({
      x: x(wd.startMs / 1000),
      width: ctx.measureText(wd.label).width,
      priority: wd.hit ? 1 : 2,
    }));
    out.words.forEach((wd) => {
      const x1 = x(wd.startMs / 1000);
      const x2 = Math.max(x1 + 3, x(wd.endMs / 1000));
      ctx.fillStyle = ctx.strokeStyle = wd.hit ? theme.green : theme.red;
      if (wd.hit) ctx.fillRect(x1, top, x2 - x1, 9);
      else {
        ctx.lineWidth = 1.5;
        ctx.strokeRect(x1 + 0.5, top + 0.5, x2 - x1 - 1, 8);
        ctx.beginPath();
        ctx.moveTo(x1, top);
        ctx.lineTo(x2, top + 9);
        ctx.stroke();
      }
      marks.push({ x1, x2, y1: top - 2, y2: top + TRUTH_H - 4, timeSec: wd.startMs / 1000 });
    });
    for (const i of thinLabels(boxes)) {
      ctx.fillStyle = out.words[i].hit ? theme.green : theme.red;
      ctx.fillText(out.words[i].label, boxes[i].x, top + 20);
    }
  }
  ctx.restore();
  if (out) {
    ctx.fillStyle = theme.muted;
    ctx.fillText('truth', 2, plotTop + PLOT_H + 13);
  }
  return marks;
}
