import * as vscode from 'vscode';
import { modelKey } from '../engine/messages';
import type { ModelSpec, PoolModelInfo, WorkerPool } from '../engine/pool';
import { resolveModelSetting } from '../model/modelFiles';
import { BUNDLED_MODELS, bundledModel, bundledModelDir } from '../model/bundled';
import { Disposable } from './dispose';
import type { PoolService } from './poolService';
import { readSettings } from './settings';

/**
 * The model in use (the editor's choice, the setting, or the bundled default) and its facts as the
 * shared pool's workers loaded it; a change of model fires onDidChange (the pool stays: its workers
 * load the new model with their next task that needs it).
 */
export class ModelService extends Disposable {
  /** The facts of the model in use, loaded once per model (a failed load is tried again next time). */
  private info: { key: string; pool: WorkerPool; info: Promise<PoolModelInfo> } | undefined;
  private override: string | undefined;
  private readonly changed = this._register(new vscode.EventEmitter<void>());
  /** Fires when the model in use changes. */
  readonly onDidChange = this.changed.event;

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly pools: PoolService,
  ) {
    super();
    this._register(
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration('wavebench.modelPath') || e.affectsConfiguration('wavebench.workers'))
          this.reset();
      }),
    );
    this._register(vscode.workspace.onDidGrantWorkspaceTrust(() => this.reset()));
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
    this.info = undefined;
    this.changed.fire();
  }

  /** The model in use as the workers load it. */
  get model(): ModelSpec {
    return { dir: this.modelDir };
  }

  /**
   * The shared pool and the facts of the model in use, or of `other` (a model folder compared with
   * it), loaded in a worker the first time; rejects with the model's load error.
   */
  async getPool(other?: string): Promise<{ pool: WorkerPool; info: PoolModelInfo; model: ModelSpec }> {
    const pool = this.pools.pool;
    if (other !== undefined && other !== this.modelDir) {
      const spec = { dir: other };
      return { pool, info: await pool.model(spec), model: spec };
    }
    const model = this.model;
    const key = modelKey(model);
    if (this.info?.key !== key || this.info.pool !== pool) this.info = { key, pool, info: pool.model(model) };
    const mine = this.info;
    try {
      return { pool, info: await mine.info, model };
    } catch (e) {
      if (this.info === mine) this.info = undefined;
      throw e;
    }
  }
}
