/**
 * Every message between the extension host and the dataset page, both directions, and the validator its
 * host receives through: imported by both sides (host: src/vscode, browser: webview/).
 * Binary data crosses as an ArrayBuffer plus its shape.
 */
import type { DatasetView } from '../dataset/datasetView';
import { fields, parsePageToHost, type PageToHost } from './parse';

export type { DatasetView, ProblemKind } from '../dataset/datasetView';

/** Host -> dataset webview. */
export type HostToDataset = { type: 'init'; dataset: DatasetView };

/** Dataset webview -> host: the shared page messages. */
export type DatasetToHost = PageToHost;

/** The dataset page's message if `raw` is a well-formed one, else undefined. */
export function parseDatasetToHost(raw: unknown): DatasetToHost | undefined {
  const m = fields(raw);
  return m && parsePageToHost(m);
}
