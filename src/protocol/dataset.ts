/**
 * Every message between the extension host and the dataset page, both directions, and the validator its
 * host receives through: imported by both sides (host: src/vscode, browser: webview/).
 * Binary data crosses as an ArrayBuffer plus its shape.
 */
import type { DatasetMap, DatasetView } from '../dataset/datasetView';
import { finite, fields, parsePageToHost, type PageToHost } from './parse';

export type { DatasetMap, DatasetView, ProblemKind } from '../dataset/datasetView';

/** Most clips one "open in review queue" may name (the review is bounded at 100,000 clips). */
export const MAX_QUEUE_PATHS = 100_000;
/** Longest path accepted from the page. */
export const MAX_PATH_LENGTH = 4096;

/** Host -> dataset webview. */
export type HostToDataset =
  | { type: 'init'; dataset: DatasetView }
  | { type: 'map'; map: DatasetMap }
  | { type: 'mapStatus'; state: 'running' | 'failed' | 'none'; message?: string };

/** Dataset webview -> host: the shared page messages, and the map's. */
export type DatasetToHost =
  | PageToHost
  | { type: 'buildMap' }
  | { type: 'reviewClips'; paths: string[] }
  | { type: 'mapPainted'; points: number; checksum: number };

const pathOk = (p: unknown): p is string =>
  typeof p === 'string' && p.length > 0 && p.length <= MAX_PATH_LENGTH;

/** The dataset page's message if `raw` is a well-formed one, else undefined. */
export function parseDatasetToHost(raw: unknown): DatasetToHost | undefined {
  const m = fields(raw);
  if (!m) return undefined;
  switch (m.type) {
    case 'buildMap':
      return { type: 'buildMap' };
    case 'reviewClips': {
      const p = m.paths;
      if (!Array.isArray(p) || p.length === 0 || p.length > MAX_QUEUE_PATHS || !p.every(pathOk))
        return undefined;
      return { type: 'reviewClips', paths: [...(p as string[])] };
    }
    case 'mapPainted':
      return finite(m.points) && Number.isInteger(m.points) && m.points >= 0 && finite(m.checksum)
        ? { type: 'mapPainted', points: m.points, checksum: m.checksum }
        : undefined;
    case 'openClip':
      return pathOk(m.path) ? { type: 'openClip', path: m.path } : undefined;
    default:
      return parsePageToHost(m);
  }
}

/** A summary of a map's coordinates (sum of x + 2y in order): the page reports it, a test compares it. */
export function mapChecksum(xy: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i + 1 < xy.length; i += 2) s += xy[i] + 2 * xy[i + 1];
  return s;
}
