import { COLORMAP_NAMES, type ColormapName } from '../../src/audio/colormap';

/** What the editor webview persists across reloads (VS Code's getState/setState). */
export interface ViewState {
  colormap: ColormapName;
  dbFloor: number;
  melScale: boolean;
  showMfcc: boolean;
  /** The zoomed-in time range, or null for the whole file. */
  view: [number, number] | null;
  /** The detection threshold the panel colours detections at (with a label file). */
  threshold: number;
}

/** The threshold a page starts at. */
export const DEFAULT_THRESHOLD = 0.5;

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
    threshold:
      typeof saved.threshold === 'number' && saved.threshold >= 0 && saved.threshold <= 1
        ? saved.threshold
        : DEFAULT_THRESHOLD,
  };
}
