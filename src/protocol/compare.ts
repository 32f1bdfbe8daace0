/**
 * Every message between the extension host and the Compare page (model A against model B on one
 * folder), both directions, and the validator its host receives through: imported by both sides.
 */
import { fields, parsePageToHost, type PageToHost } from './parse';

/** One model's side of a comparison (src/model/compare.ts ModelComparison's models[i]). */
export interface CompareModel {
  name: string;
  dir: string;
  accuracy: number;
  scored: number;
  perClass: { label: string; precision: number; recall: number; f1: number; support: number }[];
}

/** A comparison as the Compare page draws it: `wavebench compare`'s JSON plus the folder and cache hits. */
export interface CompareView {
  title: string;
  /** The folder compared (clip names are shown relative to it). */
  root: string;
  models: CompareModel[];
  flips: { onlyA: string[]; onlyB: string[] };
  paired: number;
  mcnemarP: number;
  /** The p-value as the verdict writes it (src/model/mcnemar.ts formatP). */
  pText: string;
  verdict: string;
  /** Results each model's run took from the result cache. */
  cached: number[];
}

/** Host -> Compare page. */
export type HostToCompare = { type: 'init'; compare: CompareView };

/** Compare page -> host: the shared page messages (ready, painted, a clip to open). */
export type CompareToHost = PageToHost;

/** The Compare page's message if `raw` is a well-formed one, else undefined. */
export function parseCompareToHost(raw: unknown): CompareToHost | undefined {
  const m = fields(raw);
  return m && parsePageToHost(m);
}
