import * as vscode from 'vscode';
import { DEFAULT_TESTING_PERCENT, DEFAULT_VALIDATION_PERCENT } from '../dataset/splits';

/** Wavebench's settings, as read for the current workspace trust. */
export interface WavebenchSettings {
  /** A model folder, or '' for the bundled default. */
  modelPath: string;
  workers: number;
  colormap: string;
  dbFloor: number;
  silenceThresholdDb: number;
  validationPercent: number;
  testingPercent: number;
}

/**
 * Reads the settings. In an untrusted workspace, `modelPath` and `workers` come only from the
 * user's own settings: a workspace cannot point the extension at other files or raise its thread
 * count (package.json also declares both restricted configurations), and a relative user-level
 * `modelPath` is not resolved against an untrusted workspace (ModelService).
 */
export function readSettings(): WavebenchSettings {
  const c = vscode.workspace.getConfiguration('wavebench');
  let modelPath = c.get<string>('modelPath', '') ?? '';
  if (!vscode.workspace.isTrusted) modelPath = c.inspect<string>('modelPath')?.globalValue ?? '';
  const num = (k: string, d: number, lo: number, hi: number) => {
    const v = c.get<number>(k, d);
    return typeof v === 'number' && Number.isFinite(v) ? Math.min(hi, Math.max(lo, v)) : d;
  };
  // Worker threads are a machine resource: an untrusted workspace cannot raise them (package.json
  // also lists the setting as restricted); only the user's own value counts there.
  let workers = num('workers', 0, 0, 64);
  if (!vscode.workspace.isTrusted) {
    const g = c.inspect<number>('workers')?.globalValue;
    workers = typeof g === 'number' && Number.isFinite(g) ? Math.min(64, Math.max(0, g)) : 0;
  }
  return {
    modelPath: modelPath.trim(),
    workers,
    colormap: c.get<string>('colormap', 'viridis') ?? 'viridis',
    dbFloor: num('dbFloor', -100, -200, 0),
    silenceThresholdDb: num('silenceThresholdDb', -60, -200, 0),
    validationPercent: num('validationPercent', DEFAULT_VALIDATION_PERCENT, 0, 100),
    testingPercent: num('testingPercent', DEFAULT_TESTING_PERCENT, 0, 100),
  };
}
