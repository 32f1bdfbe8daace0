import { readFile, stat } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import type { DatasetView, ProblemKind } from './datasetView';
import type { IndexRecord } from './indexFile';
import { BACKGROUND_FOLDER } from './scan';
import {
  DEFAULT_TESTING_PERCENT,
  DEFAULT_VALIDATION_PERCENT,
  speakerOf,
  splitFromLists,
  whichSet,
  type SplitName,
} from './splits';

/** Thresholds and split settings of `buildDatasetView` (all optional; defaults in the comments). */
export interface InspectOptions {
  /** Hash split: percent of files in validation (default 10). */
  validationPercent?: number;
  /** Hash split: percent of files in testing (default 10). */
  testingPercent?: number;
  /** A file whose RMS is below this (dBFS) is 'silent' (default -60). */
  silenceThresholdDb?: number;
  /** Expected clip length; 'duration' when off by more than 1 ms (default 1.0). */
  expectedDurationSec?: number;
  /** Expected sample rate (default: the most common one). */
  expectedSampleRate?: number;
  /** clippedRatio above this is 'clipped' (default 0.001). */
  clipThreshold?: number;
  /** |DC offset| above this is 'dc-offset' (default 0.01). */
  dcThreshold?: number;
  /** speech_commands' validation/testing lists (paths relative to the root); replace the hash split. */
  lists?: { validation: string[]; testing: string[] };
}

/** Label of files lying directly in the root. */
export const NO_LABEL = '(none)';
const DURATION_TOLERANCE_SEC = 0.001;
const SPLITS: SplitName[] = ['training', 'validation', 'testing'];

/** `16000 Hz · 16-bit pcm · mono`: the format table's key. */
export function formatKey(r: IndexRecord): string {
  const ch = r.channels === 1 ? 'mono' : r.channels === 2 ? 'stereo' : `${r.channels} ch`;
  // Lossy codecs have no bit depth (they decode to float): `44100 Hz · mp3 · stereo`.
  const lossy = r.format === 'mp3' || r.format === 'vorbis' || r.format === 'opus';
  return `${r.sampleRate} Hz · ${lossy ? '' : `${r.bitsPerSample}-bit `}${r.format} · ${ch}`;
}

/** The most frequent key (ties: the first met, so the result follows the input order). */
function mostCommon<T>(counts: Map<T, number>): T | undefined {
  let best: T | undefined;
  let n = 0;
  for (const [k, c] of counts) if (c > n) [best, n] = [k, c];
  return best;
}

function dbfs(x: number): string {
  return x > 0 ? `${(20 * Math.log10(x)).toFixed(1)} dBFS` : '-inf dBFS';
}

/** A path relative to the root with `/` separators, as split lists write them. */
function relPosix(root: string, path: string): string {
  const r = relative(root, path);
  return sep === '/' ? r : r.split(sep).join('/');
}

/**
 * Builds the dataset report from index records: labels (parent folder under `root`), formats and odd
 * ones out, splits (speech_commands' hash, or its lists when given), speaker leakage across splits,
 * per-file problems and exact duplicates. Pure: no file access, so it runs anywhere.
 */
export function buildDatasetView(
  root: string,
  records: IndexRecord[],
  background: string[],
  options: InspectOptions,
  timeSec: number,
): DatasetView {
  const validationPercent = options.validationPercent ?? DEFAULT_VALIDATION_PERCENT;
  const testingPercent = options.testingPercent ?? DEFAULT_TESTING_PERCENT;
  const silentBelow = 10 ** ((options.silenceThresholdDb ?? -60) / 20);
  const expectedDuration = options.expectedDurationSec ?? 1.0;
  const clipThreshold = options.clipThreshold ?? 0.001;
  const dcThreshold = options.dcThreshold ?? 0.01;
  const lists = options.lists && {
    validation: new Set(options.lists.validation.map((p) => p.replace(/\\/g, '/'))),
    testing: new Set(options.lists.testing.map((p) => p.replace(/\\/g, '/'))),
  };

  // Background noise is listed apart, never counted as clips, even if the caller passed it in records.
  const bg = [...background];
  const files: { r: IndexRecord; rel: string; label: string; split: SplitName; ok: boolean }[] = [];
  for (const r of records) {
    const rel = relPosix(root, r.path);
    const parts = rel.split('/');
    const label = parts.length > 1 ? parts[parts.length - 2] : NO_LABEL;
    if (label === BACKGROUND_FOLDER) {
      bg.push(r.path);
      continue;
    }
    const split = lists ? splitFromLists(rel, lists) : whichSet(rel, validationPercent, testingPercent);
    files.push({ r, rel, label, split, ok: !r.error && r.sampleRate !== undefined });
  }

  // Labels, in name order.
  const labelMap = new Map<string, { count: number; durations: number[] }>();
  for (const f of files) {
    let l = labelMap.get(f.label);
    if (!l) labelMap.set(f.label, (l = { count: 0, durations: [] }));
    l.count++;
    if (f.ok) l.durations.push(f.r.durationSec!);
  }
  const labelNames = [...labelMap.keys()].sort();

  // Formats: most common first; odd ones are every readable file not in the most common format.
  const formatMap = new Map<string, { count: number; examples: string[] }>();
  const rateCounts = new Map<number, number>();
  for (const f of files) {
    if (!f.ok) continue;
    const key = formatKey(f.r);
    let e = formatMap.get(key);
    if (!e) formatMap.set(key, (e = { count: 0, examples: [] }));
    e.count++;
    if (e.examples.length < 3) e.examples.push(f.r.path);
    rateCounts.set(f.r.sampleRate!, (rateCounts.get(f.r.sampleRate!) ?? 0) + 1);
  }
  const formats = [...formatMap].map(([key, v]) => ({ key, ...v })).sort((a, b) => b.count - a.count);
  const mainFormat = formats[0]?.key;
  const oddFormats = files
    .filter((f) => f.ok && formatKey(f.r) !== mainFormat)
    .map((f) => ({ path: f.r.path, format: formatKey(f.r) }));
  const expectedRate = options.expectedSampleRate ?? mostCommon(rateCounts);

  // Splits.
  const splits = SPLITS.map((name) => ({ name, total: 0, perLabel: {} as Record<string, number> }));
  for (const s of splits) for (const l of labelNames) s.perLabel[l] = 0;
  for (const f of files) {
    const s = splits[SPLITS.indexOf(f.split)];
    s.total++;
    s.perLabel[f.label]++;
  }

  // Speaker leakage: one speaker's files in more than one split.
  const speakers = new Map<string, { splits: Set<SplitName>; files: number }>();
  for (const f of files) {
    const spk = speakerOf(f.rel);
    if (spk === undefined) continue;
    let e = speakers.get(spk);
    if (!e) speakers.set(spk, (e = { splits: new Set(), files: 0 }));
    e.splits.add(f.split);
    e.files++;
  }
  const leakage = [...speakers]
    .filter(([, e]) => e.splits.size > 1)
    .map(([speaker, e]) => ({ speaker, splits: SPLITS.filter((s) => e.splits.has(s)), files: e.files }))
    .sort((a, b) => b.files - a.files || (a.speaker < b.speaker ? -1 : 1));

  // Exact duplicates: every group of 2+ files with the same bytes (unreadable ones too: a copied
  // broken file is still a copy), whatever their labels and splits.
  const byHash = new Map<string, typeof files>();
  for (const f of files) {
    if (!f.r.hash) continue;
    const g = byHash.get(f.r.hash);
    if (g) g.push(f);
    else byHash.set(f.r.hash, [f]);
  }
  const duplicates: DatasetView['duplicates'] = [];
  const dupOf = new Map<IndexRecord, typeof files>();
  for (const [hash, g] of byHash) {
    if (g.length < 2) continue;
    duplicates.push({
      hash,
      paths: g.map((f) => f.r.path),
      labels: [...new Set(g.map((f) => f.label))],
      splits: SPLITS.filter((s) => g.some((f) => f.split === s)),
    });
    for (const f of g) dupOf.set(f.r, g);
  }

  // Problems: at most one per file per kind, in file order then ProblemKind order. An empty (0-frame) file
  // gets only 'empty': silence and duration would just restate it.
  const problems: DatasetView['problems'] = [];
  for (const f of files) {
    const r = f.r;
    const add = (kind: ProblemKind, message: string) => problems.push({ path: r.path, kind, message });
    if (!f.ok) add('unreadable', r.error ?? 'unreadable');
    else if (r.frames === 0 || r.durationSec === 0) add('empty', 'no audio frames (0 samples)');
    else {
      if (r.rms! < silentBelow) add('silent', `RMS ${dbfs(r.rms!)}, below ${dbfs(silentBelow)}`);
      if (r.clippedRatio! > clipThreshold)
        add('clipped', `${(100 * r.clippedRatio!).toFixed(2)}% of samples at full scale`);
      if (Math.abs(r.dcOffset!) > dcThreshold) add('dc-offset', `DC offset ${r.dcOffset!.toFixed(4)}`);
      if (Math.abs(r.durationSec! - expectedDuration) > DURATION_TOLERANCE_SEC)
        add('duration', `${r.durationSec!.toFixed(3)} s, expected ${expectedDuration} s`);
    }
    if (f.ok && expectedRate !== undefined && r.sampleRate !== expectedRate)
      add('sample-rate', `${r.sampleRate} Hz, expected ${expectedRate} Hz`);
    const g = dupOf.get(r);
    if (g) {
      // A few names, not all, and found without a pass over the group (g.filter per member was
      // quadratic: 100,000 identical clips took minutes): the first four members hold three others.
      const named = g
        .slice(0, 4)
        .filter((o) => o !== f)
        .slice(0, 3)
        .map((o) => `${o.rel} (${o.label}, ${o.split})`);
      const others = g.length - 1;
      const more = others > 3 ? ` and ${others - 3} more` : '';
      add('duplicate', `same bytes as ${named.join(', ')}${more}`);
    }
  }

  let bytes = 0;
  let durationSec = 0;
  let readable = 0;
  for (const f of files) {
    bytes += f.r.size;
    if (f.ok) {
      readable++;
      durationSec += f.r.durationSec!;
    }
  }
  return {
    root,
    totals: { files: files.length, bytes, durationSec, readable },
    labels: labelNames.map((label) => ({ label, ...labelMap.get(label)! })),
    formats,
    oddFormats,
    splitSource: lists ? 'lists' : 'hash',
    splitPercent: lists
      ? {
          validation: files.length ? (100 * splits[1].total) / files.length : 0,
          testing: files.length ? (100 * splits[2].total) / files.length : 0,
        }
      : { validation: validationPercent, testing: testingPercent },
    splits,
    leakage,
    problems,
    duplicates,
    background: bg,
    timeSec,
  };
}

/** Reads one list file: one relative path per line; undefined when the file does not exist. */
async function readList(path: string): Promise<string[] | undefined> {
  let text: string;
  try {
    // Regular files only: a FIFO named validation_list.txt would block the read forever.
    if (!(await stat(path)).isFile()) throw new Error(`${path}: not a regular file`);
    text = await readFile(path, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw e;
  }
  return text
    .split(/\r?\n/)
    .map((l) => l.trim().replace(/\\/g, '/'))
    .filter((l) => l.length > 0);
}

/** speech_commands' `validation_list.txt` and `testing_list.txt` in `root`; undefined when neither exists. */
export async function readSplitLists(
  root: string,
): Promise<{ validation: string[]; testing: string[] } | undefined> {
  const [validation, testing] = await Promise.all([
    readList(join(root, 'validation_list.txt')),
    readList(join(root, 'testing_list.txt')),
  ]);
  if (!validation && !testing) return undefined;
  return { validation: validation ?? [], testing: testing ?? [] };
}
