/**
 * Small DOM helpers shared by the webviews: element builders (text always via textContent, never
 * innerHTML), number formatting, theme colours read from the `--vscode-*` variables, and a hook for
 * theme changes. Browser only.
 */

type Child = Node | string | number | null | undefined | false;
type Handler = (e: Event) => void;

/** Attributes of `h`: `class`, `on<Event>` handlers, `dataset`, booleans (present when true), strings. */
export type Attrs = Record<
  string,
  string | number | boolean | null | undefined | Handler | Record<string, string>
>;

function applyAttrs(el: Element, attrs: Attrs | null | undefined): void {
  if (!attrs) return;
  for (const [k, v] of Object.entries(attrs)) {
    if (v === null || v === undefined || v === false) continue;
    if (typeof v === 'function') {
      el.addEventListener(k.slice(2).toLowerCase(), v);
    } else if (k === 'dataset' && typeof v === 'object') {
      for (const [dk, dv] of Object.entries(v)) (el as HTMLElement).dataset[dk] = dv;
    } else if (k === 'style') {
      throw new Error('h(): set styles through el.style, not the style attribute (CSP)');
    } else if (v === true) {
      el.setAttribute(k, '');
    } else {
      el.setAttribute(k, String(v));
    }
  }
}

function appendChildren(el: Node, children: Child[]): void {
  for (const c of children) {
    if (c === null || c === undefined || c === false) continue;
    el.appendChild(typeof c === 'string' || typeof c === 'number' ? document.createTextNode(String(c)) : c);
  }
}

/** Creates an HTML element: `h('button', { class: 'primary', onClick: f }, 'Export')`. */
export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs?: Attrs | null,
  ...children: (Child | Child[])[]
): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  applyAttrs(el, attrs);
  appendChildren(el, children.flat());
  return el;
}

const SVG_NS = 'http://www.w3.org/2000/svg';

/** Creates an SVG element: `s('rect', { x: 0, y: 0, width: 10, height: 4, class: 'bar' })`. */
export function s<K extends keyof SVGElementTagNameMap>(
  tag: K,
  attrs?: Attrs | null,
  ...children: (Child | Child[])[]
): SVGElementTagNameMap[K] {
  const el = document.createElementNS(SVG_NS, tag);
  applyAttrs(el, attrs);
  appendChildren(el, children.flat());
  return el;
}

/** Replaces every child of `el`. */
export function replaceChildren(el: Element, ...children: (Child | Child[])[]): void {
  el.textContent = '';
  appendChildren(el, children.flat());
}

// ---- formatting -------------------------------------------------------------------------------

/** 0.9123 -> "91.2%" (digits after the point); NaN/null -> "–". */
export function fmtPercent(x: number | null | undefined, digits = 1): string {
  return x === null || x === undefined || !Number.isFinite(x) ? '–' : `${(x * 100).toFixed(digits)}%`;
}

/** A fraction 0..1 with fixed digits: 0.91234 -> "0.912". */
export function fmtFixed(x: number | null | undefined, digits = 3): string {
  return x === null || x === undefined || !Number.isFinite(x) ? '–' : x.toFixed(digits);
}

/** Seconds for people: 0.42 -> "0.42 s", 75 -> "1 min 15 s", 4000 -> "1 h 6 min". */
export function fmtSeconds(sec: number | null | undefined): string {
  if (sec === null || sec === undefined || !Number.isFinite(sec)) return '–';
  if (sec < 10) return `${sec.toFixed(2)} s`;
  if (sec < 60) return `${sec.toFixed(1)} s`;
  const m = Math.floor(sec / 60);
  if (m < 60) return `${m} min ${Math.round(sec - m * 60)} s`;
  return `${Math.floor(m / 60)} h ${m % 60} min`;
}

/** 12345 -> "12,345". */
export function fmtInt(n: number): string {
  return Math.round(n).toLocaleString('en-US');
}

/** Bytes for people: 1536 -> "1.5 KB". */
export function fmtBytes(n: number): string {
  const units = ['B', 'KB', 'MB', 'GB', 'TB'];
  let i = 0;
  let v = n;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${i === 0 ? v : v.toFixed(1)} ${units[i]}`;
}

// ---- theme colours ----------------------------------------------------------------------------

/** An RGBA colour with channels 0..255 and alpha 0..1. */
export interface Rgba {
  r: number;
  g: number;
  b: number;
  a: number;
}

let probe: HTMLElement | undefined;

/**
 * The computed colour of a CSS colour expression, e.g. `var(--vscode-charts-blue)`, resolved by the
 * browser (so any syntax the theme uses works). Falls back to `fallback` when the variable is unset.
 */
export function themeColor(cssVar: string, fallback = '#808080'): Rgba {
  if (!probe) {
    probe = document.createElement('span');
    probe.className = 'wb-color-probe';
    probe.setAttribute('aria-hidden', 'true');
    document.body.appendChild(probe);
  }
  const expr = cssVar.startsWith('--') ? `var(${cssVar}, ${fallback})` : cssVar;
  probe.style.color = '';
  probe.style.color = expr;
  return parseRgb(getComputedStyle(probe).color) ?? parseRgb(fallback) ?? { r: 128, g: 128, b: 128, a: 1 };
}

/** Parses `rgb(…)`, `rgba(…)` and `#rgb/#rrggbb/#rrggbbaa`; undefined otherwise. */
export function parseRgb(text: string): Rgba | undefined {
  const t = text.trim();
  const m = /^rgba?\(\s*([\d.]+)[\s,]+([\d.]+)[\s,]+([\d.]+)(?:[\s,/]+([\d.]+%?))?\s*\)$/.exec(t);
  if (m) {
    const a = m[4] === undefined ? 1 : m[4].endsWith('%') ? parseFloat(m[4]) / 100 : parseFloat(m[4]);
    return { r: +m[1], g: +m[2], b: +m[3], a };
  }
  const hx = /^#([0-9a-f]{3,8})$/i.exec(t);
  if (hx) {
    let s = hx[1];
    if (s.length === 3 || s.length === 4) s = [...s].map((c) => c + c).join('');
    return {
      r: parseInt(s.slice(0, 2), 16),
      g: parseInt(s.slice(2, 4), 16),
      b: parseInt(s.slice(4, 6), 16),
      a: s.length === 8 ? parseInt(s.slice(6, 8), 16) / 255 : 1,
    };
  }
  return undefined;
}

/** `rgb(r g b)` text of a colour (alpha composited away by the caller). */
export function rgbText(c: Rgba): string {
  return `rgb(${Math.round(c.r)}, ${Math.round(c.g)}, ${Math.round(c.b)})`;
}

/** Blends `top` over `bottom` by t (0 = bottom, 1 = top). */
export function mix(bottom: Rgba, top: Rgba, t: number): Rgba {
  const k = Math.max(0, Math.min(1, t));
  return {
    r: bottom.r + (top.r - bottom.r) * k,
    g: bottom.g + (top.g - bottom.g) * k,
    b: bottom.b + (top.b - bottom.b) * k,
    a: 1,
  };
}

/** WCAG relative luminance of a colour. */
export function luminance(c: Rgba): number {
  const f = (v: number) => {
    const x = v / 255;
    return x <= 0.03928 ? x / 12.92 : ((x + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * f(c.r) + 0.7152 * f(c.g) + 0.0722 * f(c.b);
}

/** WCAG contrast ratio of two colours. */
export function contrast(a: Rgba, b: Rgba): number {
  const [x, y] = [luminance(a), luminance(b)].sort((p, q) => q - p);
  return (x + 0.05) / (y + 0.05);
}

/** A colour scale for heat maps: background for 0, `--vscode-<hue>` for 1, and a legible text colour. */
export interface ColorScale {
  /** Fill for a value in 0..1. */
  fill(t: number): string;
  /** The text colour (theme foreground or background) that reads best on the fill of t. */
  text(t: number): string;
}

/**
 * A heat-map scale between two theme variables, read now (call again after a theme change). The
 * low end defaults to the editor background, the high end to `--vscode-charts-blue`. A small floor
 * keeps non-zero cells visibly tinted.
 */
export function colorScale(
  highVar = '--vscode-charts-blue',
  lowVar = '--vscode-editor-background',
  floor = 0.08,
): ColorScale {
  const lo = themeColor(lowVar, '#ffffff');
  const hi = themeColor(highVar, '#3794ff');
  const fg = themeColor('--vscode-editor-foreground', '#333333');
  const at = (t: number) => mix(lo, hi, t <= 0 ? 0 : floor + (1 - floor) * Math.min(1, t));
  return {
    fill: (t) => rgbText(at(t)),
    text: (t) => {
      const c = at(t);
      return rgbText(contrast(c, fg) >= contrast(c, lo) ? fg : lo);
    },
  };
}

/** Calls `cb` whenever VS Code switches theme (the body class changes); returns a disposer. */
export function onThemeChange(cb: () => void): () => void {
  let last = document.body.className;
  const obs = new MutationObserver(() => {
    if (document.body.className === last) return;
    last = document.body.className;
    cb();
  });
  obs.observe(document.body, { attributes: true, attributeFilter: ['class', 'data-vscode-theme-kind'] });
  return () => obs.disconnect();
}

/** Delays `fn` until `ms` have passed without another call. */
export function debounce<A extends unknown[]>(fn: (...args: A) => void, ms: number): (...args: A) => void {
  let timer: ReturnType<typeof setTimeout> | undefined;
  return (...args: A) => {
    if (timer !== undefined) clearTimeout(timer);
    timer = setTimeout(() => fn(...args), ms);
  };
}

/** Resolves after the browser has painted the current DOM (two animation frames). */
export function afterPaint(): Promise<void> {
  return new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(() => resolve())));
}

/** A clickable file name that opens the clip: a link-styled button (keyboard-accessible). */
export function clipLink(rel: string, path: string, open: (path: string) => void): HTMLButtonElement {
  return h('button', { class: 'link', type: 'button', title: path, onClick: () => open(path) }, rel);
}
