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
