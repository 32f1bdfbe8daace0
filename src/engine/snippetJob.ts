import type { ThresholdEvents } from '../model/streaming/evaluation';
import type { WorkerPool } from './pool';
import type { SnippetOutput } from './snippets';

/** Where and how false-accept snippets are written. */
export interface SnippetExport {
  /** The folder written to (it exists). */
  dir: string;
  /** The model's window (EvaluateReport.windowMs). */
  windowMs: number;
  /** Audio kept before the window and after the detection (default 0). */
  marginMs?: number;
  signal?: AbortSignal;
}

/**
 * Writes a WAV snippet of every false accept at one threshold (`wavebench evaluate
 * --export-false-accepts`, the evaluation page's export): one worker task per recording, so the
 * audio is read and written in the workers, never on the caller's thread. Existing files are never
 * overwritten (a suffix is added).
 */
export async function exportFalseAccepts(
  pool: WorkerPool,
  falseAccepts: ThresholdEvents['falseAccepts'],
  o: SnippetExport,
): Promise<SnippetOutput> {
  const byFile = new Map<string, { label: string; timeSec: number }[]>();
  for (const f of falseAccepts) {
    const list = byFile.get(f.file) ?? [];
    list.push({ label: f.label, timeSec: f.timeSec });
    byFile.set(f.file, list);
  }
  const results = await Promise.all(
    [...byFile].map(([path, events]) =>
      pool.run(
        'snippets',
        { path, events, dir: o.dir, windowMs: o.windowMs, marginMs: o.marginMs ?? 0 },
        { signal: o.signal },
      ),
    ),
  );
  return {
    written: results.flatMap((r) => r.written),
    problems: results.flatMap((r) => r.problems),
  };
}
