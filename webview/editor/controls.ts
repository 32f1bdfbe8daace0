/** The toolbar's display controls (colormap, frequency scale, dB floor, model input): state <-> DOM. */
import type { ColormapName } from '../../src/audio/colormap';
import type { ViewState } from './viewState';

/** The controls' elements (from layout.ts). */
export interface DisplayUi {
  cmapSel: HTMLSelectElement;
  scaleSel: HTMLSelectElement;
  floor: HTMLInputElement;
  floorLabel: HTMLSpanElement;
  mfccToggle: HTMLInputElement;
  mfccB: { wrap: HTMLDivElement };
}

export class DisplayControls {
  constructor(
    private readonly ui: DisplayUi,
    private readonly state: ViewState,
    on: { persist: () => void; drawAll: () => void; drawSpectrogram: () => void },
  ) {
    const changed = (f: () => void, redraw = on.drawAll) => {
      f();
      on.persist();
      redraw();
    };
    ui.cmapSel.addEventListener('change', () =>
      changed(() => (state.colormap = ui.cmapSel.value as ColormapName)),
    );
    ui.scaleSel.addEventListener('change', () =>
      changed(() => (state.melScale = ui.scaleSel.value === 'mel')),
    );
    ui.floor.addEventListener('input', () =>
      changed(
        () => (state.dbFloor = Number(ui.floor.value)),
        () => {
          on.drawSpectrogram();
          this.sync();
        },
      ),
    );
    ui.mfccToggle.addEventListener('change', () => changed(() => (state.showMfcc = ui.mfccToggle.checked)));
  }

  /** Shows the state in the controls. */
  sync(): void {
    const { ui, state } = this;
    ui.cmapSel.value = state.colormap;
    ui.scaleSel.value = state.melScale ? 'mel' : 'linear';
    ui.floor.value = String(state.dbFloor);
    ui.floorLabel.textContent = `${state.dbFloor} dB`;
    ui.mfccToggle.checked = state.showMfcc;
    ui.mfccB.wrap.hidden = !state.showMfcc;
  }
}
