import { COLORMAP_NAMES, type ColormapName } from '../../src/audio/colormap';

/** What the editor webview persists across reloads (VS Code's getState/setState). */
export interface ViewState {
  colormap: ColormapName;
  dbFloor: number;
  melScale: boolean;
  showMfcc: boolean;
  /** The zoomed-in time range, or null for the whole file. */
  view: [number, number] | null;
}

/** The view state from what was saved (any field missing or unknown: its default). */
export function restoreViewState(saved: Partial<ViewState>): ViewState {
  return {
    colormap: (COLORMAP_NAMES as readonly string[]).includes(saved.colormap ?? '')
      ? saved.colormap!
      : 'viridis',
    dbFloor: typeof saved.dbFloor === 'number' ? saved.dbFloor : -100,
    melScale: !!saved.melScale,
    showMfcc: saved.showMfcc ?? true,
    view: saved.view ?? null,
  };
}
