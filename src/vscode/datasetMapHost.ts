import * as vscode from 'vscode';
import { datasetMap } from '../dataset/datasetMap';
import type { DatasetMap } from '../dataset/datasetView';
import type { ReviewReport } from '../engine/reviewJob';
import type { DatasetToHost, HostToDataset } from '../protocol/dataset';

/** What the map needs of the label review: implemented by ReviewService and ReviewPanels (extension.ts). */
export interface MapReviews {
  /** The folder's review with a UMAP map (cached, else run with progress); undefined when cancelled. */
  results(folder: string): Promise<ReviewReport | undefined>;
  /** Opens the review page with a queue of just these clips (absolute paths), in this order. */
  queue(folder: string, paths: string[]): Promise<void>;
}

/**
 * The dataset page's map on the host side: builds it from the folder's review on the page's request,
 * and acts on the page's clicks only for clips the map holds (the page cannot name other files).
 */
export class DatasetMapHost {
  private paths = new Set<string>();
  private builtFor: string | undefined;
  private last: DatasetMap | undefined;
  private building = false;

  constructor(
    private readonly root: () => string | undefined,
    private readonly post: (m: HostToDataset) => void,
    private readonly live: () => boolean,
    private readonly reviews: MapReviews,
  ) {}

  /** Is `path` a point of the map shown? */
  has(path: string): boolean {
    return this.builtFor === this.root() && this.paths.has(path);
  }

  /** Sends the map built for the current folder again (the page was reloaded). */
  resend(): void {
    if (this.last && this.builtFor === this.root()) this.post({ type: 'map', map: this.last });
  }

  /** Handles the map's messages; false for the others. */
  async receive(m: DatasetToHost): Promise<boolean> {
    switch (m.type) {
      case 'buildMap':
        await this.build();
        return true;
      case 'reviewClips': {
        const root = this.root();
        const paths = m.paths.filter((p) => this.has(p));
        if (!root || paths.length === 0) return true;
        try {
          await this.reviews.queue(root, paths);
        } catch (e) {
          void vscode.window.showWarningMessage(
            `Wavebench: the ${paths.length} clips could not be queued for review: ${e instanceof Error ? e.message : String(e)}`,
          );
        }
        return true;
      }
      case 'mapPainted':
        return true;
      default:
        return false;
    }
  }

  private async build(): Promise<void> {
    const root = this.root();
    if (!root || this.building) return;
    this.building = true;
    this.post({ type: 'mapStatus', state: 'running' });
    try {
      const r = await this.reviews.results(root);
      if (!this.live()) return;
      const map = r && datasetMap(r);
      if (!map) {
        const why = r
          ? (r.notes.find((n) => /map/.test(n)) ?? 'the review has no map')
          : 'the review did not run (cancelled?)';
        this.post({ type: 'mapStatus', state: r ? 'none' : 'failed', message: why });
        return;
      }
      this.paths = new Set(map.paths);
      this.builtFor = root;
      this.last = map;
      this.post({ type: 'map', map });
    } catch (e) {
      if (this.live())
        this.post({
          type: 'mapStatus',
          state: 'failed',
          message: e instanceof Error ? e.message : String(e),
        });
    } finally {
      this.building = false;
    }
  }
}
