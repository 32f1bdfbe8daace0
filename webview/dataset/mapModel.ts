/**
 * Pure logic of the dataset map (no DOM; unit-tested under Node): the view transform (data -> CSS
 * pixels, wheel zoom about the cursor, drag pan), a uniform grid over the points for hit-testing, and
 * lasso (polygon) selection.
 */

/** Data -> screen: sx = x * scale + tx, sy = -y * scale + ty (y up on the map). */
export interface MapView {
  scale: number;
  tx: number;
  ty: number;
}

/** Bounds of the interleaved points (x0, y0, x1, y1, ...); a unit box around a single point. */
export function boundsOf(xy: ArrayLike<number>): { x0: number; y0: number; x1: number; y1: number } {
  let x0 = Infinity;
  let y0 = Infinity;
  let x1 = -Infinity;
  let y1 = -Infinity;
  for (let i = 0; i + 1 < xy.length; i += 2) {
    const x = xy[i];
    const y = xy[i + 1];
    if (!Number.isFinite(x) || !Number.isFinite(y)) continue;
    if (x < x0) x0 = x;
    if (x > x1) x1 = x;
    if (y < y0) y0 = y;
    if (y > y1) y1 = y;
  }
  if (x0 > x1) return { x0: -1, y0: -1, x1: 1, y1: 1 };
  if (x1 - x0 < 1e-9) [x0, x1] = [x0 - 0.5, x1 + 0.5];
  if (y1 - y0 < 1e-9) [y0, y1] = [y0 - 0.5, y1 + 0.5];
  return { x0, y0, x1, y1 };
}

/** The view that shows every point inside a w x h box with `pad` pixels each side, aspect kept. */
export function fitView(xy: ArrayLike<number>, w: number, h: number, pad = 16): MapView {
  const b = boundsOf(xy);
  const scale = Math.max(1e-9, Math.min((w - 2 * pad) / (b.x1 - b.x0), (h - 2 * pad) / (b.y1 - b.y0)));
  return {
    scale,
    tx: w / 2 - ((b.x0 + b.x1) / 2) * scale,
    ty: h / 2 + ((b.y0 + b.y1) / 2) * scale,
  };
}

/** Screen position of a data point. */
export function toScreen(v: MapView, x: number, y: number): [number, number] {
  return [x * v.scale + v.tx, -y * v.scale + v.ty];
}

/** Data position of a screen point. */
export function toData(v: MapView, sx: number, sy: number): [number, number] {
  return [(sx - v.tx) / v.scale, -(sy - v.ty) / v.scale];
}

/** The view zoomed by `factor` about screen point (sx, sy), which stays where it is. */
export function zoomAt(v: MapView, factor: number, sx: number, sy: number): MapView {
  const scale = v.scale * factor;
  return { scale, tx: sx - (sx - v.tx) * factor, ty: sy - (sy - v.ty) * factor };
}

/** The view moved by (dx, dy) screen pixels. */
export function panBy(v: MapView, dx: number, dy: number): MapView {
  return { scale: v.scale, tx: v.tx + dx, ty: v.ty + dy };
}

/**
 * A uniform grid over the points in data space (about `perCell` points a cell on average), so
 * hit-testing looks at the few cells around the cursor instead of every point.
 */
export class GridIndex {
  private readonly x0: number;
  private readonly y0: number;
  private readonly cell: number;
  private readonly cols: number;
  private readonly rows: number;
  /** Points sorted by cell; cell c's points are order[start[c] .. start[c + 1]). */
  private readonly start: Int32Array;
  private readonly order: Int32Array;

  constructor(
    private readonly xy: ArrayLike<number>,
    perCell = 4,
  ) {
    const b = boundsOf(xy);
    const n = xy.length >> 1;
    const area = (b.x1 - b.x0) * (b.y1 - b.y0);
    this.cell = Math.sqrt((area * perCell) / Math.max(n, 1)) || 1;
    this.cols = Math.min(4096, Math.floor((b.x1 - b.x0) / this.cell) + 1);
    this.rows = Math.min(4096, Math.floor((b.y1 - b.y0) / this.cell) + 1);
    this.x0 = b.x0;
    this.y0 = b.y0;
    const cellOf = new Int32Array(n);
    const count = new Int32Array(this.cols * this.rows + 1);
    for (let i = 0; i < n; i++) {
      const c = this.cellAt(xy[2 * i], xy[2 * i + 1]);
      cellOf[i] = c;
      if (c >= 0) count[c + 1]++;
    }
    for (let c = 0; c < this.cols * this.rows; c++) count[c + 1] += count[c];
    this.start = count.slice();
    this.order = new Int32Array(count[this.cols * this.rows]);
    const fill = count;
    for (let i = 0; i < n; i++) if (cellOf[i] >= 0) this.order[fill[cellOf[i]]++] = i;
  }

  private col(x: number): number {
    return Math.min(this.cols - 1, Math.max(0, Math.floor((x - this.x0) / this.cell)));
  }

  private row(y: number): number {
    return Math.min(this.rows - 1, Math.max(0, Math.floor((y - this.y0) / this.cell)));
  }

  private cellAt(x: number, y: number): number {
    if (!Number.isFinite(x) || !Number.isFinite(y)) return -1;
    return this.row(y) * this.cols + this.col(x);
  }

  /** Calls `f` with every point whose cell meets the box [x0, x1] x [y0, y1]. */
  forEachIn(x0: number, y0: number, x1: number, y1: number, f: (i: number) => void): void {
    const c0 = this.col(x0);
    const c1 = this.col(x1);
    const r0 = this.row(y0);
    const r1 = this.row(y1);
    for (let r = r0; r <= r1; r++)
      for (let c = c0; c <= c1; c++) {
        const cell = r * this.cols + c;
        for (let k = this.start[cell]; k < this.start[cell + 1]; k++) f(this.order[k]);
      }
  }

  /** The point nearest to (x, y) within `radius` (data units) that `visible` accepts, or -1. */
  nearest(x: number, y: number, radius: number, visible: (i: number) => boolean = () => true): number {
    let best = -1;
    let bestD = radius * radius;
    this.forEachIn(x - radius, y - radius, x + radius, y + radius, (i) => {
      const dx = this.xy[2 * i] - x;
      const dy = this.xy[2 * i + 1] - y;
      const d = dx * dx + dy * dy;
      if (d <= bestD && visible(i) && (best < 0 || d < bestD || i < best)) {
        best = i;
        bestD = d;
      }
    });
    return best;
  }
}

/** Is (x, y) inside the polygon (x0, y0, x1, y1, ...)? Even-odd rule (ray casting). */
export function inPolygon(poly: ArrayLike<number>, x: number, y: number): boolean {
  let inside = false;
  const n = poly.length >> 1;
  for (let i = 0, j = n - 1; i < n; j = i++) {
    const xi = poly[2 * i];
    const yi = poly[2 * i + 1];
    const xj = poly[2 * j];
    const yj = poly[2 * j + 1];
    if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
}

/** Indices (ascending) of the points inside a lasso polygon in data space that `visible` accepts. */
export function lassoSelect(
  grid: GridIndex,
  xy: ArrayLike<number>,
  poly: ArrayLike<number>,
  visible: (i: number) => boolean = () => true,
): number[] {
  if (poly.length < 6) return [];
  const b = boundsOf(poly);
  const out: number[] = [];
  grid.forEachIn(b.x0, b.y0, b.x1, b.y1, (i) => {
    if (visible(i) && inPolygon(poly, xy[2 * i], xy[2 * i + 1])) out.push(i);
  });
  return out.sort((a, b) => a - b);
}
