import { afterPaint, debounce, onThemeChange } from './dom';

/**
 * The life cycle the report and dataset pages share: render each `init`, post `painted` after the first
 * paint (restoring the saved scroll position first), redraw charts on theme changes, remember the
 * scroll position, and finally ask the host for the data with `ready`.
 */
export function runPageLifecycle<Init>(o: {
  t0: number;
  onMessage: (handler: (m: { type: string }) => void) => void;
  post: (m: { type: 'ready' } | { type: 'painted'; ms: number }) => void;
  render: (init: Init) => void;
  initOf: (m: { type: string }) => Init | undefined;
  redrawCharts: () => void;
  scroll: { get: () => number; set: (y: number) => void };
}): void {
  let painted = false;
  let rendered = false;
  o.onMessage((msg) => {
    const init = o.initOf(msg);
    if (init === undefined) return;
    o.render(init);
    rendered = true;
    if (!painted) {
      painted = true;
      if (o.scroll.get() > 0) window.scrollTo(0, o.scroll.get());
      void afterPaint().then(() => o.post({ type: 'painted', ms: performance.now() - o.t0 }));
    }
  });
  onThemeChange(() => {
    if (rendered) o.redrawCharts();
  });
  window.addEventListener(
    'scroll',
    debounce(() => o.scroll.set(window.scrollY), 200),
    { passive: true },
  );
  o.post({ type: 'ready' });
}
