import * as vscode from 'vscode';
import { WorkerPool } from '../engine/pool';
import { Disposable } from './dispose';
import { readSettings } from './settings';

/**
 * The extension's one worker pool, shared by the editor, folder runs and dataset scans (so the
 * editor's interactive task goes ahead of a scan's batches). Started when first needed; replaced
 * when `wavebench.workers` changes or the workspace becomes trusted (tasks of the old one are
 * rejected, as on any disposal).
 */
export class PoolService extends Disposable {
  private current: WorkerPool | undefined;

  constructor() {
    super();
    this._register(
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration('wavebench.workers')) this.reset();
      }),
    );
    this._register(vscode.workspace.onDidGrantWorkspaceTrust(() => this.reset()));
    this._register({ dispose: () => this.reset() });
  }

  /** The pool, started if needed. */
  get pool(): WorkerPool {
    if (this.isDisposed) throw new Error('Wavebench is shutting down');
    const w = readSettings().workers;
    this.current ??= new WorkerPool({ size: w > 0 ? w : undefined });
    return this.current;
  }

  private reset(): void {
    const old = this.current;
    this.current = undefined;
    void old?.dispose();
  }
}
