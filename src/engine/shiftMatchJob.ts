import { decodeAnyToRate } from '../audio/load';
import { openFrameReader } from '../audio/audioFile';
import { mixdown } from '../audio/mixdown';
import { resample } from '../audio/resample';
import { WavFile } from '../audio/wavFile';
import { quantizeFeatures, shiftDistance } from '../dataset/shiftMatch';
import type { Classifier } from '../model/classifier';

/** A task of the review's shift check: candidate pairs (indices into `files`, two a pair) to measure. */
export interface ShiftMatchInput {
  /** Names one review run: a worker's feature cache is emptied when it changes (files may have changed). */
  run: string;
  files: string[];
  pairs: Int32Array;
}

/** Each pair's shift distance (NaN where a clip could not be read), and how many clips were computed. */
export interface ShiftMatchOutput {
  distance: Float32Array;
  computed: number;
}

/** Files up to this size are read and decoded whole (as classifyFiles does); larger ones only their head. */
const WHOLE_BYTES = 2 * 1024 * 1024;
/**
 * Feature bytes a worker keeps between tasks: the host sends pairs in an order where each clip's
 * partners come soon after it (localityOrder), so a small cache saves most recomputation without
 * holding every clip's matrix (100,000 speech_commands clips would be 740 MB as float32).
 */
const CACHE_BYTES = 32 * 1024 * 1024;

/**
 * A cached matrix as int16, scaled to its largest value: twice the clips in the same bytes (whole
 * Speech Commands tree, bench/review/run.mjs: 1.72 -> 1.10 computations a clip), and compared as it
 * is (a cosine ignores a matrix's scale), for a change of the shift distance under 5e-6 (200 Speech
 * Commands clips, 2,000 pairs), far under the thresholds (~0.05) and copies' distances (~0.003).
 */
let cacheRun = '';
const cache = new Map<string, Int16Array | undefined>();
let cacheBytes = 0;

/** The first window of `path` at the model's rate, reading only its head when the file is large. */
async function head(path: string, c: Classifier): Promise<Float32Array> {
  const rate = c.model.metadata.sampleRate;
  const file = WavFile.openSync(path);
  try {
    if (file.size <= WHOLE_BYTES) return (await decodeAnyToRate(path, file.readAll(file.size), rate)).samples;
    const reader = await openFrameReader(file);
    try {
      const { facts } = reader;
      const need = Math.min(facts.frames, Math.ceil((c.window / rate) * facts.sampleRate * 1.05 + 64));
      return resample(mixdown(await reader.frames(0, need)), facts.sampleRate, rate);
    } finally {
      await reader.close();
    }
  } finally {
    file.close();
  }
}

/** The features of `path` for the check, from the cache or computed (undefined: unreadable). */
async function featuresOf(path: string, c: Classifier, count: () => void): Promise<Int16Array | undefined> {
  if (cache.has(path)) {
    const q = cache.get(path);
    cache.delete(path);
    cache.set(path, q);
    return q;
  }
  count();
  let s: Int16Array | undefined;
  try {
    s = quantizeFeatures(c.matchFeatures(await head(path, c)).data);
  } catch {
    // The classification pass already reported this file; here its pairs are just not measured.
    s = undefined;
  }
  cache.set(path, s);
  cacheBytes += s?.byteLength ?? 0;
  for (const [k, v] of cache) {
    if (cacheBytes <= CACHE_BYTES) break;
    cache.delete(k);
    cacheBytes -= v?.byteLength ?? 0;
  }
  return s;
}

/** Measures a task's pairs (ShiftMatchInput) with the loaded model's front end; runs in a worker. */
export async function runShiftMatch(i: ShiftMatchInput, c: Classifier): Promise<ShiftMatchOutput> {
  if (i.run !== cacheRun) {
    cache.clear();
    cacheBytes = 0;
    cacheRun = i.run;
  }
  let computed = 0;
  const count = () => computed++;
  const bins = c.matchFeatures(new Float32Array(0)).bins;
  const distance = new Float32Array(i.pairs.length / 2);
  for (let p = 0; p < distance.length; p++) {
    const a = await featuresOf(i.files[i.pairs[2 * p]], c, count);
    const b = await featuresOf(i.files[i.pairs[2 * p + 1]], c, count);
    distance[p] = a && b ? shiftDistance(a, b, bins) : NaN;
  }
  return { distance, computed };
}
