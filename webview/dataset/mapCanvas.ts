/**
 * The dataset map's component: a canvas (wheel zoom about the cursor, drag pan, shift-drag or Lasso
 * mode to select), a hover tooltip, a legend whose labels toggle, and a selection bar that queues the
 * selected clips for review. A click on a point opens the clip. Redraws only on requestAnimationFrame.
 */
import type { DatasetMap } from '../../src/protocol/dataset';
import { mapChecksum } from '../../src/protocol/dataset';
import { fmtInt, h, replaceChildren, rgbText, themeColor } from '../common/dom';
import { drawMap, labelColors, type MapFrame } from './mapDraw';
import { renderMapLegend } from './mapLegend';
import { fitView, GridIndex, lassoSelect, panBy, toData, zoomAt, type MapView as View } from './mapModel';

const HEIGHT = 480;
/** Hover/click reach in CSS pixels. */
const REACH = 6;

/** What the map asks of its page. */
export interface MapHooks {
  open(path: string): void;
  queue(paths: string[]): void;
  relative(path: string): string;
  /** After the first frame of a map: its point count and coordinate checksum. */
  painted(points: number, checksum: number): void;
  /** Labels hidden (persisted by the page). */
  hidden: string[];
  saveHidden(hidden: string[]): void;
}

/** The map component; `el` goes into the page. */
export class MapCanvas {
  readonly el: HTMLElement;
  private readonly canvas = h('canvas', { class: 'map-canvas', tabindex: '0', 'aria-label': 'Dataset map' });
  private readonly tip = h('div', { class: 'map-tip', hidden: true });
  private readonly legend = h('div', { class: 'legend map-legend' });
  private readonly bar = h('div', { class: 'map-bar' });
  private readonly note = h('p', { class: 'muted hint' });
  private map: DatasetMap | undefined;
  private grid: GridIndex | undefined;
  private view: View = { scale: 1, tx: 0, ty: 0 };
  private hidden = new Uint8Array(0);
  private selected = new Uint8Array(0);
  private selectedCount = 0;
  private hover = -1;
  private lasso: number[] | null = null;
  private lassoMode = false;
  private colors: string[] = [];
  private frame = 0;
  private width = 640;
  private suspectOf = new Map<number, { suggested: string; score: number }>();
  private dupOf = new Map<number, number>();
  /** Milliseconds each of the last frames took to draw (read by the preview's frame-time bench). */
  readonly drawMs: number[] = [];

  constructor(private readonly hooks: MapHooks) {
    const wrap = h('div', { class: 'map-wrap' }, this.canvas, this.tip);
    this.el = h('div', { class: 'map' }, this.bar, wrap, this.legend, this.note);
    this.listen();
  }

  /** Shows a new map, fitted to the canvas. */
  show(map: DatasetMap): void {
    this.map = map;
    this.grid = new GridIndex(map.xy);
    const hiddenNames = new Set(this.hooks.hidden);
    this.hidden = Uint8Array.from(map.labels, (l) => (hiddenNames.has(l) ? 1 : 0));
    this.selected = new Uint8Array(map.paths.length);
    this.selectedCount = 0;
    this.suspectOf = new Map(map.suspects.map((s) => [s.i, s]));
    this.dupOf = new Map(map.duplicates.flatMap((d, g) => d.members.map((i) => [i, g] as [number, number])));
    this.width = this.measure();
    this.view = fitView(map.xy, this.width, HEIGHT);
    const how =
      map.method === 'umap'
        ? `UMAP (seeded)${map.fitted !== undefined && map.fitted < map.paths.length ? `, fitted on ${fmtInt(map.fitted)} clips, the rest placed among their nearest fitted clips` : ''}`
        : `PCA${map.explained ? ` (axes: ${(100 * map.explained[0]).toFixed(1)}% and ${(100 * map.explained[1]).toFixed(1)}% of the variance)` : ''}`;
    this.note.textContent = `${fmtInt(map.paths.length)} clips by ${how}. Nearby points: the model hears them alike. Wheel: zoom; drag: pan; shift-drag or Lasso: select; click: open.`;
    this.renderLegend();
    this.renderBar();
    this.redraw();
    requestAnimationFrame(() => this.hooks.painted(map.paths.length, mapChecksum(map.xy)));
  }

  /** Redraws with the theme's colours and the current width (theme change, resize). */
  redraw(): void {
    if (!this.map) return;
    const w = this.measure();
    if (Math.abs(w - this.width) > 1) {
      this.view = panBy(this.view, (w - this.width) / 2, 0);
      this.width = w;
    }
    const dark = /vscode-dark|vscode-high-contrast(?!-light)/.test(document.body.className);
    this.colors = labelColors(this.map.labels.length, dark);
    this.renderLegend();
    this.schedule();
  }

  private measure(): number {
    return Math.max(320, this.el.clientWidth || this.el.parentElement?.clientWidth || 640);
  }

  private schedule(): void {
    if (this.frame) return;
    this.frame = requestAnimationFrame(() => {
      this.frame = 0;
      this.paint();
    });
  }

  private paint(): void {
    const map = this.map;
    if (!map) return;
    const t0 = performance.now();
    const dpr = window.devicePixelRatio || 1;
    const W = Math.round(this.width * dpr);
    const H = Math.round(HEIGHT * dpr);
    if (this.canvas.width !== W || this.canvas.height !== H) {
      this.canvas.width = W;
      this.canvas.height = H;
      this.canvas.style.width = `${this.width}px`;
      this.canvas.style.height = `${HEIGHT}px`;
    }
    const g = this.canvas.getContext('2d');
    if (!g) return;
    g.setTransform(dpr, 0, 0, dpr, 0, 0);
    const frame: MapFrame = {
      map,
      view: this.view,
      width: this.width,
      height: HEIGHT,
      hidden: this.hidden,
      selected: this.selected,
      hover: this.hover,
      lasso: this.lasso,
      colors: this.colors.length ? this.colors : labelColors(map.labels.length, false),
      ink: {
        fg: rgbText(themeColor('--vscode-editor-foreground', '#333333')),
        ring: rgbText(themeColor('--vscode-charts-red', '#e51400')),
        line: rgbText({ ...themeColor('--vscode-editor-foreground', '#333333'), a: 0.45 }),
        select: rgbText(themeColor('--vscode-focusBorder', '#0090f1')),
      },
    };
    drawMap(g, frame);
    this.drawMs.push(performance.now() - t0);
    if (this.drawMs.length > 600) this.drawMs.splice(0, this.drawMs.length - 600);
  }

  private visible = (i: number): boolean => !!this.map && !this.hidden[this.map.label[i]];

  private hit(x: number, y: number): number {
    if (!this.grid) return -1;
    const [dx, dy] = toData(this.view, x, y);
    return this.grid.nearest(dx, dy, REACH / this.view.scale, this.visible);
  }

  private listen(): void {
    const c = this.canvas;
    const local = (e: MouseEvent): [number, number] => {
      const r = c.getBoundingClientRect();
      return [e.clientX - r.left, e.clientY - r.top];
    };
    c.addEventListener(
      'wheel',
      (e) => {
        if (!this.map) return;
        e.preventDefault();
        const [x, y] = local(e);
        this.view = zoomAt(this.view, Math.exp(-e.deltaY * 0.0015), x, y);
        this.schedule();
      },
      { passive: false },
    );
    let down: { x: number; y: number; last: [number, number]; lasso: boolean; moved: boolean } | undefined;
    c.addEventListener('pointerdown', (e) => {
      if (!this.map || e.button !== 0) return;
      c.setPointerCapture(e.pointerId);
      const [x, y] = local(e);
      const lasso = this.lassoMode || e.shiftKey;
      down = { x, y, last: [x, y], lasso, moved: false };
      this.lasso = lasso ? [x, y] : null;
    });
    c.addEventListener('pointermove', (e) => {
      const [x, y] = local(e);
      if (down) {
        if (Math.hypot(x - down.x, y - down.y) > 3) down.moved = true;
        if (down.lasso) this.lasso?.push(x, y);
        else this.view = panBy(this.view, x - down.last[0], y - down.last[1]);
        down.last = [x, y];
        this.setHover(-1, 0, 0);
        this.schedule();
        return;
      }
      this.setHover(this.hit(x, y), x, y);
    });
    c.addEventListener('pointerup', (e) => {
      const d = down;
      down = undefined;
      if (!d || !this.map) return;
      const [x, y] = local(e);
      if (!d.moved) {
        const i = this.hit(x, y);
        if (i >= 0) this.hooks.open(this.map.paths[i]);
      } else if (d.lasso && this.lasso && this.grid) {
        const poly: number[] = [];
        for (let k = 0; k + 1 < this.lasso.length; k += 2)
          poly.push(...toData(this.view, this.lasso[k], this.lasso[k + 1]));
        this.select(lassoSelect(this.grid, this.map.xy, poly, this.visible));
      }
      this.lasso = null;
      this.schedule();
    });
    c.addEventListener('pointerleave', () => this.setHover(-1, 0, 0));
    c.addEventListener('keydown', (e) => {
      if (e.key === 'Escape') this.select([]);
    });
  }

  private setHover(i: number, x: number, y: number): void {
    const map = this.map;
    if (i !== this.hover) {
      this.hover = i;
      this.schedule();
    }
    if (i < 0 || !map) {
      this.tip.hidden = true;
      return;
    }
    const s = this.suspectOf.get(i);
    const g = this.dupOf.get(i);
    const dup = g === undefined ? undefined : map.duplicates[g];
    replaceChildren(
      this.tip,
      h('div', { class: 'mono' }, this.hooks.relative(map.paths[i])),
      h('div', null, `label: ${map.labels[map.label[i]]}`),
      s
        ? h(
            'div',
            { class: 'bad-text' },
            `suspect: the model says '${s.suggested}' (score ${s.score.toFixed(2)})`,
          )
        : null,
      dup
        ? h('div', { class: 'warn-text' }, `${dup.kind} duplicate of ${dup.members.length - 1} other clip(s)`)
        : null,
    );
    this.tip.hidden = false;
    const left = Math.min(x + 12, this.width - 260);
    this.tip.style.left = `${Math.max(0, left)}px`;
    this.tip.style.top = `${y + 14}px`;
  }

  private select(indices: number[]): void {
    this.selected.fill(0);
    for (const i of indices) this.selected[i] = 1;
    this.selectedCount = indices.length;
    this.renderBar();
    this.schedule();
  }

  private renderBar(): void {
    const map = this.map;
    const mode = (lasso: boolean, text: string) =>
      h(
        'button',
        {
          type: 'button',
          class: 'secondary small',
          'aria-pressed': String(this.lassoMode === lasso),
          onClick: () => {
            this.lassoMode = lasso;
            this.renderBar();
          },
        },
        text,
      );
    const chosen = map ? map.paths.filter((_, i) => this.selected[i]) : [];
    replaceChildren(
      this.bar,
      mode(false, 'Pan'),
      mode(true, 'Lasso'),
      h(
        'button',
        {
          type: 'button',
          class: 'secondary small',
          onClick: () => {
            if (!map) return;
            this.view = fitView(map.xy, this.width, HEIGHT);
            this.schedule();
          },
        },
        'Fit',
      ),
      h('span', { class: 'muted' }, `${fmtInt(this.selectedCount)} selected`),
      h(
        'button',
        {
          type: 'button',
          class: 'small',
          disabled: chosen.length === 0,
          onClick: () => this.hooks.queue(chosen),
        },
        `Open ${fmtInt(chosen.length)} clips in review queue`,
      ),
      h(
        'button',
        {
          type: 'button',
          class: 'secondary small',
          disabled: chosen.length === 0,
          onClick: () => this.select([]),
        },
        'Clear',
      ),
    );
  }

  private renderLegend(): void {
    if (!this.map) return;
    renderMapLegend(this.legend, this.map, this.colors, this.hidden, () => this.saveHidden());
  }

  private saveHidden(): void {
    if (!this.map) return;
    this.hooks.saveHidden(this.map.labels.filter((_, l) => this.hidden[l]));
    this.hover = -1;
    this.tip.hidden = true;
    this.renderLegend();
    this.schedule();
  }
}
