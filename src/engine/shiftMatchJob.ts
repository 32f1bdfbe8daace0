import { decodeAnyToRate } from '../audio/load';
import { openFrameReader } from '../audio/audioFile';
import { mixdown } from '../audio/mixdown';
import { resample } from '../audio/resample';
import { WavFile } from '../audio/wavFile';
import { shiftDistance } from '../dataset/shiftMatch';
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
 * holding every clip's matrix (100,000 speech_commands clips would be 1.5 GB).
 */
const CACHE_BYTES = 32 * 1024 * 1024;

type Features = Float32Array | undefined;
let cacheRun = '';
const cache = new Map<string, Features>();
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
async function featuresOf(path: string, c: Classifier, count: () => void): Promise<Features> {
  if (cache.has(path)) {
    const f = cache.get(path);
    cache.delete(path);
    cache.set(path, f);
    return f;
  }
  count();
  let f: Features;
  try {
    f = c.matchFeatures(await head(path, c)).data;
  } catch {
    // The classification pass already reported this file; here its pairs are just not measured.
    f = undefined;
  }
  cache.set(path, f);
  cacheBytes += f?.byteLength ?? 0;
  for (const [k, v] of cache) {
    if (cacheBytes <= CACHE_BYTES) break;
    cache.delete(k);
    cacheBytes -= v?.byteLength ?? 0;
  }
  return f;
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
