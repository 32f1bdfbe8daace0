import * as vscode from 'vscode';
import { datasetMap } from '../dataset/datasetMap';
import type { DatasetMap } from '../dataset/datasetView';
import type { ReviewReport } from '../engine/reviewJob';
import type { DatasetToHost, HostToDataset } from '../protocol/dataset';

/** The command that gives a folder's review (runs it when needed): implemented by reviewService. */
export const REVIEW_RESULTS_COMMAND = 'wavebench.reviewResults';
/** The command that queues clips for review: (folder Uri, absolute fs paths). */
export const REVIEW_CLIPS_COMMAND = 'wavebench.reviewClips';

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
          await vscode.commands.executeCommand(REVIEW_CLIPS_COMMAND, vscode.Uri.file(root), paths);
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
      const r = await vscode.commands.executeCommand<ReviewReport | undefined>(
        REVIEW_RESULTS_COMMAND,
        vscode.Uri.file(root),
        { map: 'umap' },
      );
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
