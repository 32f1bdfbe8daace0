// The page bench/map/frames.mjs drives: the dataset map component on the preview's 10,000-point
// sample (or that sample repeated to `copies` times as many points, jittered), plus a baseline drawing of
// the same frame with one fill call a point (what batching a path a label avoids).
import { MapCanvas } from '../../webview/dataset/mapCanvas';
import { labelColors } from '../../webview/dataset/mapDraw';
import type { DatasetMap } from '../../src/protocol/dataset';

interface Sample {
  method: 'umap' | 'pca';
  labels: string[];
  points: [number, number, number][];
  suspects: [number, string, number][];
  duplicates: { kind: 'exact' | 'near'; members: number[] }[];
}
const w = window as unknown as {
  __sample: Sample;
  __copies: number;
  __map: MapCanvas;
  __naive: () => number;
  __batched: () => number;
  __painted: boolean;
  __view: () => { scale: number; tx: number; ty: number };
};
const s = w.__sample;
const copies = w.__copies || 1;
const n = s.points.length * copies;
const xy = new Float32Array(2 * n);
const label = new Uint16Array(n);
for (let i = 0; i < n; i++) {
  const p = s.points[i % s.points.length];
  const k = Math.floor(i / s.points.length);
  // Copies are shifted by a deterministic sub-point jitter (a point's width is ~0.05 map units at fit).
  xy[2 * i] = p[1] + (k ? 0.03 * Math.sin(i * 12.9898) : 0);
  xy[2 * i + 1] = p[2] + (k ? 0.03 * Math.cos(i * 78.233) : 0);
  label[i] = p[0];
}
const map: DatasetMap = {
  method: s.method,
  labels: s.labels,
  paths: Array.from({ length: n }, (_, i) => `/d/${s.labels[label[i]]}/clip${i}.wav`),
  label,
  xy,
  suspects: s.suspects.map(([i, suggested, score]) => ({ i, suggested, score })),
  duplicates: s.duplicates,
};
const c = new MapCanvas({
  open: () => undefined,
  queue: () => undefined,
  relative: (p) => p,
  painted: () => (w.__painted = true),
  hidden: [],
  saveHidden: () => undefined,
});
document.getElementById('app')!.appendChild(c.el);
c.show(map);
w.__map = c;

/** The same points drawn one beginPath/rect/fill a point, colour set each time: ms. */
w.__naive = () => {
  const canvas = document.querySelector('canvas.map-canvas') as HTMLCanvasElement;
  const g = canvas.getContext('2d')!;
  const colors = labelColors(map.labels.length, false);
  const v = (c as unknown as { view: { scale: number; tx: number; ty: number } }).view;
  const t0 = performance.now();
  g.clearRect(0, 0, canvas.width, canvas.height);
  for (let i = 0; i < n; i++) {
    g.beginPath();
    g.rect(xy[2 * i] * v.scale + v.tx - 1.6, -xy[2 * i + 1] * v.scale + v.ty - 1.6, 3.2, 3.2);
    g.fillStyle = colors[label[i]];
    g.fill();
  }
  g.getImageData(0, 0, 1, 1); // wait for the drawing to be done, as a frame would
  return performance.now() - t0;
};

/** The component's own frame (a path a label), drawn now and waited for the same way: ms. */
w.__batched = () => {
  const canvas = document.querySelector('canvas.map-canvas') as HTMLCanvasElement;
  const t0 = performance.now();
  (c as unknown as { paint: () => void }).paint();
  canvas.getContext('2d')!.getImageData(0, 0, 1, 1);
  return performance.now() - t0;
};
