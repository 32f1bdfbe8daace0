/**
 * Every message between the extension host and the dataset page, both directions, and the validator its
 * host receives through: imported by both sides (host: src/vscode, browser: webview/).
 * Binary data crosses as an ArrayBuffer plus its shape.
 */
import type { DatasetView } from '../dataset/datasetView';
import { fields, finite } from './parse';

export type { DatasetView, ProblemKind } from '../dataset/datasetView';

/** Host -> dataset webview. */
export type HostToDataset = { type: 'init'; dataset: DatasetView };

/** Dataset webview -> host. */
export type DatasetToHost =
  { type: 'ready' } | { type: 'openClip'; path: string } | { type: 'painted'; ms: number };

/** The dataset page's message if `raw` is a well-formed one, else undefined. */
export function parseDatasetToHost(raw: unknown): DatasetToHost | undefined {
  const m = fields(raw);
  if (!m) return undefined;
  switch (m.type) {
    case 'ready':
      return { type: 'ready' };
    case 'painted':
      return finite(m.ms) ? { type: 'painted', ms: m.ms } : undefined;
    case 'openClip':
      return typeof m.path === 'string' && m.path ? { type: 'openClip', path: m.path } : undefined;
    default:
      return undefined;
  }
}
