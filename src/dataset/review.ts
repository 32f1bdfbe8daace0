import { findDuplicates, medianNearestDistance, NEAR_DUPLICATE_FACTOR, type NearCheck } from './duplicates';
import { cosineDistance, nearestNeighbours, normalizeRows, type KnnOptions, type Neighbours } from './knn';
import { shiftThreshold } from './shiftMatch';
import { findOutliers, MIN_CLIPS_FOR_OUTLIERS } from './outliers';
import { projectMap, type MapOptions } from './mapProjection';
import { findSuspects } from './suspects';

/** Neighbours kept a clip for the near-duplicate search. */
const NEAR_K = 10;

/** One clip as the review sees it. */
export interface ReviewClip {
  path: string;
  /** The label folder's name (what the user sees). */
  folder?: string;
  /** The model label it is scored under (the folder, or `_unknown_`); undefined: not judged. */
  label?: string;
  split?: string;
  contentHash?: string;
  probabilities?: ArrayLike<number>;
  error?: string;
  /** The model was trained on this clip (its probabilities are in-sample). */
  inSample?: boolean;
}

/** What the review is given. */
export interface ReviewInput {
  modelLabels: string[];
  clips: ReviewClip[];
  /** N x dim embeddings (row i: clip i), with `hasEmbedding[i]` set where one was computed. */
  embeddings?: Float32Array;
  dim?: number;
  hasEmbedding?: Uint8Array;
  /** An absolute cosine-distance threshold for near-duplicates instead of 0.13 x the median. */
  nearThreshold?: number;
  knn?: KnnOptions;
  /** Include the 2-D map (default true): UMAP, or PCA below UMAP_MIN clips or when asked. */
  map?: boolean | MapOptions;
  /** The kNN search already made (reviewNeighbours), e.g. to measure the shift check's pairs first. */
  neighbours?: ReviewNeighbours;
  /**
   * The shift check's candidate pairs (indices into `neighbours.rows`, two a pair, from candidatePairs)
   * and their shift distances (NaN: not measured); near copies under 0.13 x their median are added.
   */
  shift?: { pairs: Int32Array; distance: Float32Array };
}

/** The embeddings' kNN search: the clips searched (`rows`: indices into `clips`) and their neighbours. */
export interface ReviewNeighbours {
  rows: Int32Array;
  nn: Neighbours;
}

/** Normalises the embeddings and finds each clip's NEAR_K nearest; undefined with fewer than 2 clips. */
export function reviewNeighbours(input: ReviewInput): ReviewNeighbours | undefined {
  const { clips, embeddings, dim } = input;
  const rows = Int32Array.from(
    clips.map((_, i) => i).filter((i) => input.hasEmbedding?.[i] && !clips[i].error),
  );
  if (!embeddings || !dim || rows.length < 2) return undefined;
  normalizeRows(embeddings, dim);
  return { rows, nn: nearestNeighbours(embeddings, dim, rows, NEAR_K, input.knn) };
}

/** The review's findings (the JSON the CLI writes). */
export interface ReviewResult {
  clips: number;
  suspects: {
    path: string;
    label: string;
    suggested: string;
    score: number;
    method: string;
    inSample?: boolean;
  }[];
  duplicates: {
    kind: 'exact' | 'near';
    paths: string[];
    distance: number;
    labels: string[];
    crossLabel: boolean;
    crossSplit: boolean;
    /** Near copies: the checks that found the group ('embedding', 'shift'). */
    found?: NearCheck[];
    /** Near copies the shift check found: the largest shift distance that joined them. */
    shiftDistance?: number;
  }[];
  outliers: { path: string; label: string; distance: number; labelMedian: number; reason: string }[];
  /** Clips (or labels) the review could not judge, and why. */
  unjudged: { path: string; reason: string }[];
  nearDuplicates?: {
    threshold: number;
    rule: string;
    medianNearestDistance: number;
    neighbours: string;
    /** The shift check's threshold (0.13 x the median of each clip's smallest shift distance) and pairs measured. */
    shift?: { threshold: number; pairs: number; measured: number };
  };
  notes: string[];
  /**
   * The 2-D map of the clips with embeddings (label: the folder's). PCA gives each axis' share of
   * the variance; UMAP how many clips it was fitted on (the rest placed among their nearest fitted clips).
   */
  map?: {
    method: 'umap' | 'pca';
    explained?: [number, number];
    fitted?: number;
    points: { path: string; label: string; x: number; y: number }[];
  };
}

/** Runs the three analyses on classified clips; never touches a file. */
export function reviewClips(input: ReviewInput): ReviewResult {
  const { clips, modelLabels } = input;
  const notes: string[] = [];
  const unjudged: ReviewResult['unjudged'] = [];
  const K = modelLabels.length;
  const index = new Map(modelLabels.map((l, i) => [l, i]));
  const judged: number[] = [];
  clips.forEach((c, i) => {
    if (c.error) unjudged.push({ path: c.path, reason: c.error });
    else if (c.label === undefined || !index.has(c.label))
      unjudged.push({
        path: c.path,
        reason: `its folder '${c.folder ?? ''}' is not one of the model's labels`,
      });
    else if (!c.probabilities || c.probabilities.length !== K)
      unjudged.push({ path: c.path, reason: 'no probabilities for it' });
    else judged.push(i);
  });
  const labels = Int32Array.from(judged, (i) => index.get(clips[i].label!)!);
  const probs = judged.map((i) => Float64Array.from(clips[i].probabilities!));
  const present = new Set(labels);
  if (present.size === 1)
    notes.push(
      `every judged clip has the label '${modelLabels[labels[0]]}': a label can only be doubted against the model's other labels`,
    );
  const suspects = findSuspects(labels, probs, K).map((s) => {
    const c = clips[judged[s.row]];
    return {
      path: c.path,
      label: c.folder ?? modelLabels[s.given],
      suggested: modelLabels[s.suggested],
      score: s.score,
      method: s.method,
      ...(c.inSample ? { inSample: true } : {}),
    };
  });
  const inSample = judged.filter((i) => clips[i].inSample).length;
  if (inSample)
    notes.push(
      `${inSample} of ${judged.length} clips are in the model's training data: their probabilities are in-sample, so their label errors are under-reported (the model learnt those labels)`,
    );

  const result: ReviewResult = {
    clips: clips.length,
    suspects,
    duplicates: [],
    outliers: [],
    unjudged,
    notes,
  };
  const { embeddings, dim } = input;
  const found = input.neighbours ?? reviewNeighbours(input);
  const rows = found?.rows ?? new Int32Array(0);
  const hashes = clips.map((c) => c.contentHash);
  const groupLabels = clips.map((c) => c.folder ?? c.label);
  const splits = clips.map((c) => c.split);
  const nn = found?.nn;
  let threshold = 0;
  let shift;
  if (nn && embeddings && dim) {
    const median = medianNearestDistance(nn);
    threshold = input.nearThreshold ?? NEAR_DUPLICATE_FACTOR * Math.max(median, 1e-6);
    result.nearDuplicates = {
      threshold,
      rule:
        input.nearThreshold !== undefined
          ? 'absolute'
          : `${NEAR_DUPLICATE_FACTOR} x median nearest-neighbour distance`,
      medianNearestDistance: median,
      neighbours: nn.method === 'exact' ? 'exact' : 'approximate (random-projection LSH)',
    };
    if (input.shift) {
      const { pairs, distance } = input.shift;
      const t = shiftThreshold(pairs, distance, rows.length);
      result.nearDuplicates.shift = {
        threshold: t,
        pairs: distance.length,
        measured: distance.filter((d) => !Number.isNaN(d)).length,
      };
      shift = {
        pairs,
        distance,
        threshold: t,
        embeddingDistance: (a: number, b: number) => cosineDistance(embeddings, dim, rows[a], rows[b]),
      };
    }
  } else notes.push('no embeddings: near-duplicates, outliers and the map were not computed');
  result.duplicates = findDuplicates(hashes, groupLabels, splits, nn, rows, threshold, shift).map((g) => ({
    kind: g.kind,
    paths: g.rows.map((r) => clips[r].path),
    distance: g.distance,
    ...(g.found ? { found: g.found } : {}),
    ...(g.shiftDistance !== undefined ? { shiftDistance: g.shiftDistance } : {}),
    labels: [...new Set(g.rows.map((r) => groupLabels[r] ?? ''))],
    crossLabel: g.crossLabel,
    crossSplit: g.crossSplit,
  }));
  if (embeddings && dim && nn) {
    const { outliers, tooSmall } = findOutliers(embeddings, dim, rows, groupLabels, nn, input.knn);
    result.outliers = outliers.map((o) => ({
      path: clips[o.row].path,
      label: groupLabels[o.row] ?? '',
      distance: o.distance,
      labelMedian: o.labelMedian,
      reason: o.reason,
    }));
    if (tooSmall.length)
      notes.push(
        `outliers not judged in ${tooSmall.map((l) => `'${l}'`).join(', ')}: fewer than ${MIN_CLIPS_FOR_OUTLIERS} clips`,
      );
    if (input.map !== false) {
      const m = projectMap(embeddings, dim, rows, input.map === true ? {} : input.map);
      result.map = {
        method: m.method,
        ...(m.explained ? { explained: m.explained } : {}),
        ...(m.fitted !== undefined ? { fitted: m.fitted } : {}),
        points: Array.from(rows, (r, k) => ({
          path: clips[r].path,
          label: groupLabels[r] ?? '',
          x: m.x[k],
          y: m.y[k],
        })),
      };
    }
  }
  return result;
}
