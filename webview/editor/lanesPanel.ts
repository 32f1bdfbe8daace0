/**
 * The wiring of the "probabilities over time" panel: its threshold control, its legend, the
 * outcomes at the threshold (recomputed only when the prediction or the threshold changes, never by
 * the model), and the marks a click can land on.
 */
import { h } from '../common/dom';
import { drawLanes, labelColour, outcomeColour } from './drawLanes';
import { markAt, truthOutcomes, type Mark, type TruthOutcomes } from './lanes';
import type { Theme } from './draw';
import type { PredictionView } from '../../src/protocol/editor';

/** The panel's elements (from layout.ts). */
export interface LanesUi {
  stripB: { wrap: HTMLDivElement; canvas: HTMLCanvasElement };
  legend: HTMLDivElement;
  threshold: HTMLInputElement;
  thresholdNum: HTMLInputElement;
  thresholdField: HTMLElement;
}

export class LanesPanel {
  private marks: Mark[] = [];
  private cached: { pred: PredictionView; out: TruthOutcomes } | undefined;

  constructor(
    private readonly ui: LanesUi,
    /** A new threshold from the slider or the number box (clamped to [0, 1]). */
    onThreshold: (t: number) => void,
  ) {
    const take = (v: string) => {
      const t = Number(v);
      if (v.trim() !== '' && Number.isFinite(t)) onThreshold(Math.min(1, Math.max(0, t)));
    };
    ui.threshold.addEventListener('input', () => take(ui.threshold.value));
    ui.thresholdNum.addEventListener('change', () => take(ui.thresholdNum.value));
  }

  /** The outcomes at `threshold` against the prediction's label file, if it has one. */
  outcomes(pred: PredictionView | undefined, threshold: number): TruthOutcomes | undefined {
    if (!pred?.truth) return undefined;
    const c = this.cached;
    if (c && c.pred === pred && c.out.threshold === threshold) return c.out;
    const out = truthOutcomes(pred.truth, pred.labels, threshold);
    this.cached = { pred, out };
    return out;
  }

  /** Draws the panel (hidden without windows over time) and its legend; keeps the marks. */
  draw(
    pred: PredictionView | undefined,
    range: [number, number],
    threshold: number,
    width: number,
    theme: Theme,
  ): void {
    const ui = this.ui;
    const shown = !!pred?.windows && pred.windows.length >= 2;
    ui.stripB.wrap.hidden = !shown;
    ui.thresholdField.hidden = !pred?.truth;
    ui.threshold.value = String(threshold);
    if (document.activeElement !== ui.thresholdNum) ui.thresholdNum.value = threshold.toFixed(2);
    if (!pred || !shown) {
      this.marks = [];
      return;
    }
    const out = this.outcomes(pred, threshold);
    this.marks = drawLanes(ui.stripB.canvas, width, pred, out, range, theme);
    const swatch = (colour: string, text: string, cls = 'wb-swatch') => {
      const s = h('span', { class: cls });
      if (cls.includes('wb-missed')) s.style.borderColor = colour;
      else if (cls.includes('wb-mark') || cls.includes('wb-dotted')) s.style.borderTopColor = colour;
      else s.style.background = colour;
      return h('span', { class: 'wb-legend-item' }, s, text);
    };
    ui.legend.replaceChildren(
      ...pred.labels.map((l, i) =>
        swatch(
          labelColour(pred.labels, i, theme),
          l,
          l.startsWith('_') ? 'wb-swatch wb-dotted' : 'wb-swatch',
        ),
      ),
      ...(out
        ? [
            swatch(theme.foreground, '1-s average (best keyword) · - - threshold'),
            swatch(outcomeColour('hit', theme), `hit (${out.counts.hits})`, 'wb-swatch wb-mark'),
            swatch(
              outcomeColour('falseAccept', theme),
              `false accept (${out.counts.falseAccepts})`,
              'wb-swatch wb-mark',
            ),
            swatch(outcomeColour('repeat', theme), `repeat (${out.counts.repeats})`, 'wb-swatch wb-mark'),
            swatch(theme.red, `missed word (${out.counts.misses})`, 'wb-swatch wb-missed'),
          ]
        : [swatch(outcomeColour(undefined, theme), 'detected (speech_commands rule)', 'wb-swatch wb-mark')]),
    );
  }

  /** The mark (detection or word) at (x, y) of the panel's canvas, or undefined. */
  markAt(x: number, y: number): Mark | undefined {
    return markAt(this.marks, x, y);
  }
}
