import * as vscode from 'vscode';
import { WorkerPool, type PoolModelInfo } from '../engine/pool';
import { resolveModelSetting } from '../model/modelFiles';
import { BUNDLED_MODELS, bundledModel, bundledModelDir } from '../model/bundled';
import { Disposable } from './dispose';
import { readSettings } from './settings';

/**
 * The model in use and the worker pool that has it loaded: one pool for the whole extension, made
 * when first needed, replaced when the model setting (or the editor's choice) changes.
 */
export class ModelService extends Disposable {
  private pool: WorkerPool | undefined;
  private poolDir: string | undefined;
  private override: string | undefined;
  private readonly changed = this._register(new vscode.EventEmitter<void>());
  /** Fires when the model in use changes. */
  readonly onDidChange = this.changed.event;

  constructor(private readonly extensionUri: vscode.Uri) {
    super();
    this._register(
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration('wavebench.modelPath') || e.affectsConfiguration('wavebench.workers'))
          this.reset();
      }),
    );
    this._register(vscode.workspace.onDidGrantWorkspaceTrust(() => this.reset()));
    this._register({ dispose: () => void this.pool?.dispose() });
  }

  /** The bundled default model folder. */
  get defaultDir(): string {
    return bundledModelDir(this.extensionUri.fsPath);
  }

  /** The bundled models as (name, folder), for the model picker. */
  get bundled(): { name: string; description: string; dir: string }[] {
    return BUNDLED_MODELS.map((m) => ({ ...m, dir: bundledModelDir(this.extensionUri.fsPath, m.name) }));
  }

  /**
   * The model folder in use: the editor's choice, the setting (a bundled model's name or a folder),
   * or the default.
   */
  get modelDir(): string {
    if (this.override) return this.override;
    const p = readSettings().modelPath;
    if (!p) return this.defaultDir;
    if (bundledModel(p)) return bundledModelDir(this.extensionUri.fsPath, p);
    // A relative path resolves against the workspace only when it is trusted (resolveModelSetting).
    const folder = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
    return resolveModelSetting(p, folder, vscode.workspace.isTrusted) ?? this.defaultDir;
  }

  /** Uses another model folder for this session (from the editor's model picker). */
  useModel(dir: string | undefined): void {
    this.override = dir;
    this.reset();
  }

  private reset(): void {
    const old = this.pool;
    this.pool = undefined;
    this.poolDir = undefined;
    void old?.dispose();
    this.changed.fire();
  }

  /** The pool for the current model, started if needed; rejects with the model's load error. */
  async getPool(): Promise<{ pool: WorkerPool; info: PoolModelInfo }> {
    const dir = this.modelDir;
    if (!this.pool || this.poolDir !== dir) {
      void this.pool?.dispose();
      const w = readSettings().workers;
      this.pool = new WorkerPool(dir, w > 0 ? w : undefined);
      this.poolDir = dir;
    }
    const pool = this.pool;
    try {
      return { pool, info: await pool.ready() };
    } catch (e) {
      if (this.pool === pool) {
        this.pool = undefined;
        void pool.dispose();
      }
      throw e;
    }
  }
}
