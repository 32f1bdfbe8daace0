/**
 * Canvas drawing of the dataset map: one path a label (a 3-px square a point, filled once), duplicate
 * groups as thin lines under the points, suspects ringed, with a selection the rest drawn faint, the lasso drawn.
 * 10,000 points are about 40 fill/stroke calls, not one DOM node or draw call a point.
 */
import type { DatasetMap } from '../../src/protocol/dataset';
import { type MapView } from './mapModel';

/** Everything one frame shows. */
export interface MapFrame {
  map: DatasetMap;
  view: MapView;
  width: number;
  height: number;
  /** hidden[l]: label l not drawn. */
  hidden: Uint8Array;
  /** selected[i]: point i chosen by the lasso. */
  selected: Uint8Array;
  hover: number;
  /** The lasso being drawn, in screen pixels (x0, y0, x1, y1, ...). */
  lasso: number[] | null;
  colors: string[];
  ink: { fg: string; ring: string; line: string; select: string };
}

/** A colour a label: categorical hues a golden angle apart, lighter on dark themes. */
export function labelColors(n: number, dark: boolean): string[] {
  return Array.from({ length: n }, (_, i) => {
    const hue = (i * 137.508 + 210) % 360;
    const light = (dark ? 62 : 42) + (i % 3) * 6 * (dark ? 1 : -0.5);
    return `hsl(${hue.toFixed(1)} ${i % 2 ? 55 : 70}% ${light}%)`;
  });
}

/** Half a point's side: larger when there are few points, small enough not to merge at 10,000. */
function radiusFor(n: number): number {
  return n <= 1_000 ? 3 : n <= 5_000 ? 2.2 : 1.6;
}

/** Draws one frame on a 2-D context whose transform already maps CSS pixels. */
export function drawMap(g: CanvasRenderingContext2D, f: MapFrame): void {
  const { map, view, hidden, selected } = f;
  const xy = map.xy;
  const n = map.paths.length;
  const R = radiusFor(n);
  const sx = (i: number) => xy[2 * i] * view.scale + view.tx;
  const sy = (i: number) => -xy[2 * i + 1] * view.scale + view.ty;
  const shown = (i: number) => !hidden[map.label[i]];
  const onScreen = (x: number, y: number) => x > -8 && y > -8 && x < f.width + 8 && y < f.height + 8;
  g.clearRect(0, 0, f.width, f.height);

  g.beginPath();
  for (const d of map.duplicates) {
    const m = d.members.filter(shown);
    for (let k = 1; k < m.length; k++) {
      g.moveTo(sx(m[0]), sy(m[0]));
      g.lineTo(sx(m[k]), sy(m[k]));
    }
  }
  g.strokeStyle = f.ink.line;
  g.lineWidth = 1;
  g.stroke();

  // With a selection, the other points are drawn faint first, the selected ones over them.
  const anySelected = selected.some((v) => v === 1);
  const passes = anySelected ? [0, 1] : [-1];
  for (const pass of passes) {
    g.globalAlpha = pass === 0 ? 0.18 : 1;
    const byLabel: number[][] = map.labels.map(() => []);
    for (let i = 0; i < n; i++)
      if (shown(i) && (pass < 0 || selected[i] === pass)) byLabel[map.label[i]].push(i);
    byLabel.forEach((pts, l) => {
      if (!pts.length) return;
      g.beginPath();
      for (const i of pts) {
        const x = sx(i);
        const y = sy(i);
        if (onScreen(x, y)) g.rect(x - R, y - R, 2 * R, 2 * R);
      }
      g.fillStyle = f.colors[l];
      g.fill();
    });
  }
  g.globalAlpha = 1;

  g.beginPath();
  for (const d of map.duplicates)
    for (const i of d.members) {
      if (!shown(i)) continue;
      const x = sx(i);
      const y = sy(i);
      if (!onScreen(x, y)) continue;
      g.moveTo(x - 4, y);
      g.lineTo(x + 4, y);
      g.moveTo(x, y - 4);
      g.lineTo(x, y + 4);
    }
  g.strokeStyle = f.ink.fg;
  g.lineWidth = 1;
  g.stroke();

  g.beginPath();
  for (const s of map.suspects) {
    if (!shown(s.i)) continue;
    const x = sx(s.i);
    const y = sy(s.i);
    if (!onScreen(x, y)) continue;
    g.moveTo(x + 5, y);
    g.arc(x, y, 5, 0, 2 * Math.PI);
  }
  g.strokeStyle = f.ink.ring;
  g.lineWidth = 1.5;
  g.stroke();

  if (f.hover >= 0) {
    g.beginPath();
    g.arc(sx(f.hover), sy(f.hover), 7, 0, 2 * Math.PI);
    g.strokeStyle = f.ink.fg;
    g.lineWidth = 2;
    g.stroke();
  }

  if (f.lasso && f.lasso.length >= 4) {
    g.beginPath();
    g.moveTo(f.lasso[0], f.lasso[1]);
    for (let k = 2; k + 1 < f.lasso.length; k += 2) g.lineTo(f.lasso[k], f.lasso[k + 1]);
    g.closePath();
    g.setLineDash([4, 3]);
    g.strokeStyle = f.ink.select;
    g.lineWidth = 1.5;
    g.stroke();
    g.setLineDash([]);
  }
}
