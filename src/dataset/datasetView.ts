/**
 * What a dataset inspection finds, as `buildDatasetView` (inspect.ts) makes it and the CLI, the
 * dataset page and its protocol (src/protocol/dataset.ts) read it. Types only: the webview build
 * includes this file.
 */

/** A dataset inspection as the dataset view draws it. */
export interface DatasetView {
  root: string;
  totals: { files: number; bytes: number; durationSec: number; readable: number };
  labels: { label: string; count: number; durations: number[] }[];
  formats: { key: string; count: number; examples: string[] }[];
  /** Files whose format differs from the most common one. */
  oddFormats: { path: string; format: string }[];
  splitSource: 'hash' | 'lists';
  splitPercent: { validation: number; testing: number };
  splits: { name: 'training' | 'validation' | 'testing'; total: number; perLabel: Record<string, number> }[];
  leakage: { speaker: string; splits: string[]; files: number }[];
  problems: { path: string; kind: ProblemKind; message: string }[];
  duplicates: { hash: string; paths: string[]; labels: string[]; splits: string[] }[];
  background: string[];
  timeSec: number;
}

/** Kinds of dataset problems. */
export type ProblemKind =
  'unreadable' | 'empty' | 'silent' | 'clipped' | 'dc-offset' | 'duration' | 'sample-rate' | 'duplicate';

/**
 * The dataset page's map: the review's 2-D points with what is known of each clip, as it crosses to
 * the webview (coordinates and label indices as typed arrays, not one object a point).
 */
export interface DatasetMap {
  method: 'umap' | 'pca';
  /** UMAP: clips it was fitted on. */
  fitted?: number;
  /** PCA: each axis' share of the variance. */
  explained?: [number, number];
  /** Label names; `label[i]` indexes them. */
  labels: string[];
  paths: string[];
  label: Uint16Array;
  /** x0, y0, x1, y1, ... */
  xy: Float32Array;
  /** Points the review doubts: index, the model's label for it, its score. */
  suspects: { i: number; suggested: string; score: number }[];
  /** Duplicate groups with at least two points on the map. */
  duplicates: { kind: 'exact' | 'near'; members: number[] }[];
}
