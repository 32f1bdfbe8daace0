/**
 * The DET plot on a canvas: FRR (linear, 0–100 %) against false accepts per hour (log axis), one line
 * per keyword and a thicker one overall, a legend, and a readout of the point under the pointer
 * (threshold, FRR, FA/h). Geometry comes from model.ts; this file only draws.
 */
import type { CurveView } from '../../src/protocol/evaluation';
import { fmtFixed, fmtPercent, h, replaceChildren, rgbText, themeColor } from '../common/dom';
import {
  type LogAxis,
  type PlacedPoint,
  type PlotBox,
  logAxis,
  envelopePath,
  logFraction,
  nearestPoint,
  placeCurve,
  rateLabel,
  ratesOf,
} from './model';

const CHART_VARS = [
  '--vscode-charts-blue',
  '--vscode-charts-orange',
  '--vscode-charts-green',
  '--vscode-charts-purple',
  '--vscode-charts-red',
  '--vscode-charts-yellow',
];
const HEIGHT = 320;
const MARGIN = { left: 52, right: 16, top: 12, bottom: 40 };

/** The DET plot of an evaluation's curves (overall first). */
export class DetPlot {
  readonly canvas = h('canvas', { class: 'det', role: 'img', 'aria-label': 'DET curve' });
  readonly readout = h(
    'div',
    { class: 'det-readout muted', 'aria-live': 'polite' },
    'Hover the curve for values.',
  );
  readonly legend = h('div', { class: 'det-legend' });
  readonly box = h('div', { class: 'det-wrap' }, this.canvas, this.legend, this.readout);
  private placed: PlacedPoint[][] = [];
  private hover: { curve: number; at: PlacedPoint } | undefined;

  constructor(private readonly curves: CurveView[]) {
    this.canvas.addEventListener('mousemove', (e) => {
      const r = this.canvas.getBoundingClientRect();
      this.hover = nearestPoint(this.placed, e.clientX - r.left, e.clientY - r.top, 24);
      this.draw();
      this.showReadout();
    });
    this.canvas.addEventListener('mouseleave', () => {
      this.hover = undefined;
      this.draw();
    });
  }

  private colour(i: number): string {
    return i === 0
      ? rgbText(themeColor('--vscode-editor-foreground', '#333333'))
      : rgbText(themeColor(CHART_VARS[(i - 1) % CHART_VARS.length], '#3794ff'));
  }

  private dashed(i: number): boolean {
    return i > CHART_VARS.length;
  }

  /** Draws everything again (first time, resize, theme change). */
  render(): void {
    replaceChildren(
      this.legend,
      this.curves.map((c, i) => {
        const swatch = h('span', { class: 'swatch' });
        swatch.style.borderTop = `3px ${this.dashed(i) ? 'dashed' : 'solid'} ${this.colour(i)}`;
        return h(
          'span',
          { class: 'legend-item' },
          swatch,
          `${c.label} (${c.words} word${c.words === 1 ? '' : 's'})`,
        );
      }),
    );
    this.draw();
  }

  private draw(): void {
    const width = Math.max(320, this.box.clientWidth || 640);
    const dpr = window.devicePixelRatio || 1;
    this.canvas.width = Math.round(width * dpr);
    this.canvas.height = Math.round(HEIGHT * dpr);
    this.canvas.style.width = `${width}px`;
    this.canvas.style.height = `${HEIGHT}px`;
    const g = this.canvas.getContext('2d');
    if (!g) return;
    g.setTransform(dpr, 0, 0, dpr, 0, 0);
    const fg = rgbText(themeColor('--vscode-editor-foreground', '#333333'));
    const grid = rgbText(themeColor('--vscode-panel-border', '#cccccc'));
    const font = getComputedStyle(document.body).fontFamily;
    const box: PlotBox = {
      left: MARGIN.left,
      top: MARGIN.top,
      width: width - MARGIN.left - MARGIN.right,
      height: HEIGHT - MARGIN.top - MARGIN.bottom,
    };
    const axis = logAxis(ratesOf(this.curves));
    this.placed = this.curves.map((c) => placeCurve(c.points, axis, box));
    g.clearRect(0, 0, width, HEIGHT);
    this.axes(g, axis, box, fg, grid, font);
    // Overall last, on top.
    for (let i = this.curves.length - 1; i >= 0; i--) {
      const pts = this.placed[i];
      g.strokeStyle = this.colour(i);
      g.lineWidth = i === 0 ? 2.5 : 1.5;
      // Past the theme's six chart colours, lines repeat them dashed.
      g.setLineDash(this.dashed(i) ? [6, 3] : []);
      g.beginPath();
      const endX =
        box.left +
        logFraction(axis, Math.max(0, ...this.curves[i].points.map((p) => p.faPerHour))) * box.width;
      envelopePath(pts, endX).forEach((p, k) => (k === 0 ? g.moveTo(p.x, p.y) : g.lineTo(p.x, p.y)));
      g.stroke();
    }
    g.setLineDash([]);
    if (this.hover) {
      g.fillStyle = this.colour(this.hover.curve);
      g.beginPath();
      g.arc(this.hover.at.x, this.hover.at.y, 4, 0, 2 * Math.PI);
      g.fill();
    }
  }

  private axes(
    g: CanvasRenderingContext2D,
    axis: LogAxis,
    box: PlotBox,
    fg: string,
    grid: string,
    font: string,
  ): void {
    g.font = `11px ${font}`;
    g.fillStyle = fg;
    g.strokeStyle = grid;
    g.lineWidth = 1;
    const bottom = box.top + box.height;
    g.textAlign = 'center';
    g.textBaseline = 'top';
    for (const t of axis.ticks) {
      const x =
        box.left +
        ((Math.log10(t) - Math.log10(axis.lo)) / (Math.log10(axis.hi) - Math.log10(axis.lo))) * box.width;
      g.beginPath();
      g.moveTo(x, box.top);
      g.lineTo(x, bottom);
      g.stroke();
      g.fillText(rateLabel(t), x, bottom + 4);
    }
    g.fillText('false accepts per hour (log; 0 at the left edge)', box.left + box.width / 2, bottom + 20);
    g.textAlign = 'right';
    g.textBaseline = 'middle';
    for (let f = 0; f <= 1.001; f += 0.2) {
      const y = box.top + (1 - f) * box.height;
      g.beginPath();
      g.moveTo(box.left, y);
      g.lineTo(box.left + box.width, y);
      g.stroke();
      g.fillText(`${Math.round(f * 100)} %`, box.left - 6, y);
    }
    g.save();
    g.translate(12, box.top + box.height / 2);
    g.rotate(-Math.PI / 2);
    g.textAlign = 'center';
    g.fillText('false rejection rate', 0, 0);
    g.restore();
  }

  private showReadout(): void {
    if (!this.hover) return;
    const p = this.hover.at.point;
    replaceChildren(
      this.readout,
      `${this.curves[this.hover.curve].label}: threshold ${fmtFixed(p.threshold)} · FRR ${fmtPercent(p.frr)} · ` +
        `${fmtFixed(p.faPerHour, 2)} FA/h · ${p.hits} hits, ${p.falseAccepts} false accepts, ${p.repeats} repeats`,
    );
  }
}
