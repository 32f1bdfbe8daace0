/**
 * Ground-truth files of long recordings: the words really said, with times. Three formats, told
 * apart by their first data line:
 * - Audacity label track (`.txt`): `start<TAB>end<TAB>label`, seconds; a point label has start = end;
 *   lines starting with `\` (a spectral selection under the label before) are skipped;
 * - CSV: `file,start,end,label` (seconds, optional header line, fields may be "quoted"), for many recordings;
 * - TensorFlow's streaming ground truth (generate_streaming_test_wav.py): `label,onset_ms`, a point label.
 * Each bad line is one problem naming the file and line; the other lines are still read.
 */
import type { Word } from './rules';

/** A word read from a ground-truth file, times in whole ms. `file` is set by CSV rows. */
export interface TruthWord extends Word {
  file?: string;
  line: number;
}

/** A line that was not used, and why. */
export interface TruthProblem {
  path: string;
  line: number;
  reason: string;
}

/** What a ground-truth file held. */
export interface ParsedTruth {
  format: 'audacity' | 'csv' | 'tensorflow';
  words: TruthWord[];
  problems: TruthProblem[];
}

/** Seconds (or ms) as whole milliseconds; undefined when not a finite number >= 0. */
function msOf(text: string, scale: number): number | undefined {
  const t = text.trim();
  if (!/^[+]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(t)) return undefined;
  const v = Number(t) * scale;
  return Number.isFinite(v) ? Math.round(v) : undefined;
}

/**
 * One CSV line's fields (RFC 4180 quoting: "a, b" and "" for a quote). Hand-written: a quoted
 * field spanning lines is refused rather than joined, so that every problem still names one line;
 * a CSV library would join it silently.
 */
export function csvFields(line: string): string[] | undefined {
  const out: string[] = [];
  let i = 0;
  for (;;) {
    let field = '';
    if (line[i] === '"') {
      i++;
      for (;;) {
        if (i >= line.length) return undefined;
        if (line[i] === '"') {
          if (line[i + 1] === '"') {
            field += '"';
            i += 2;
            continue;
          }
          i++;
          break;
        }
        field += line[i++];
      }
      if (i < line.length && line[i] !== ',') return undefined;
    } else {
      const end = line.indexOf(',', i);
      field = line.slice(i, end < 0 ? line.length : end);
      i = end < 0 ? line.length : end;
    }
    out.push(field);
    if (i >= line.length) return out;
    i++;
  }
}

/** Parses a ground-truth file's text; the format comes from its first non-empty line. */
export function parseTruth(path: string, text: string): ParsedTruth {
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  const first = lines.find((l) => l.trim() !== '');
  const problems: TruthProblem[] = [];
  const words: TruthWord[] = [];
  const bad = (line: number, reason: string): void => void problems.push({ path, line, reason });
  if (first === undefined) return { format: 'audacity', words, problems };
  const format: ParsedTruth['format'] = first.includes('\t')
    ? 'audacity'
    : (csvFields(first)?.length ?? 0) >= 3
      ? 'csv'
      : 'tensorflow';
  lines.forEach((raw, k) => {
    const line = k + 1;
    if (raw.trim() === '') return;
    if (format === 'audacity') {
      if (raw.startsWith('\\')) return;
      const f = raw.split('\t');
      if (f.length < 3) return bad(line, 'expected start<TAB>end<TAB>label');
      const start = msOf(f[0], 1000);
      const end = msOf(f[1], 1000);
      const label = f.slice(2).join('\t').trim();
      if (start === undefined || end === undefined)
        return bad(line, `times '${f[0]}', '${f[1]}' are not seconds >= 0`);
      if (end < start) return bad(line, `ends (${f[1]} s) before it starts (${f[0]} s)`);
      if (!label) return bad(line, 'no label');
      words.push({ label, startMs: start, endMs: end, line });
      return;
    }
    const f = csvFields(raw);
    if (!f) return bad(line, 'unbalanced quotes');
    if (format === 'csv') {
      if (line === 1 && f.map((x) => x.trim().toLowerCase()).join(',') === 'file,start,end,label') return;
      if (f.length !== 4) return bad(line, `expected file,start,end,label (${f.length} fields)`);
      const start = msOf(f[1], 1000);
      const end = msOf(f[2], 1000);
      const label = f[3].trim();
      if (!f[0].trim()) return bad(line, 'no file');
      if (start === undefined || end === undefined)
        return bad(line, `times '${f[1]}', '${f[2]}' are not seconds >= 0`);
      if (end < start) return bad(line, `ends (${f[2]} s) before it starts (${f[1]} s)`);
      if (!label) return bad(line, 'no label');
      words.push({ file: f[0].trim(), label, startMs: start, endMs: end, line });
      return;
    }
    if (f.length !== 2) return bad(line, `expected label,onset_ms (${f.length} fields)`);
    const label = f[0].trim();
    const onset = msOf(f[1], 1);
    if (onset === undefined) return bad(line, `onset '${f[1]}' is not milliseconds >= 0`);
    if (!label) return bad(line, 'no label');
    words.push({ label, startMs: onset, endMs: onset, line });
  });
  return { format, words, problems };
}

/**
 * The words one recording is scored against: a word is skipped (one problem each) when its label
 * is not one of the model's keywords, it ends after the recording, or it overlaps an earlier word of
 * the same label (the same word labelled twice). Words of different labels may overlap.
 */
export function checkWords(
  path: string,
  words: TruthWord[],
  keywords: readonly string[],
  durationMs: number,
): { words: TruthWord[]; problems: TruthProblem[] } {
  const problems: TruthProblem[] = [];
  const kept: TruthWord[] = [];
  const sorted = [...words].sort((a, b) => a.startMs - b.startMs || a.line - b.line);
  const lastOf = new Map<string, TruthWord>();
  for (const w of sorted) {
    const bad = (reason: string) => problems.push({ path, line: w.line, reason });
    if (!keywords.includes(w.label)) {
      bad(`label '${w.label}' is not one of the model's keywords (${keywords.join(', ')}): skipped`);
      continue;
    }
    if (w.endMs > durationMs) {
      bad(
        `${(w.endMs / 1000).toFixed(3)} s is past the recording's end (${(durationMs / 1000).toFixed(3)} s): skipped`,
      );
      continue;
    }
    const before = lastOf.get(w.label);
    if (before && w.startMs < before.endMs) {
      bad(`overlaps the '${w.label}' on line ${before.line}: skipped`);
      continue;
    }
    lastOf.set(w.label, w);
    kept.push(w);
  }
  return { words: kept, problems };
}
