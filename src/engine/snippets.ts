import { writeFileSync } from 'node:fs';
import { basename, extname, join } from 'node:path';
import { WaveFile } from 'wavefile';
import { mixdown } from '../audio/mixdown';
import { WavFile, readReason } from '../audio/wavFile';

/** A detection to cut out of its recording: the label and the time it fired (the window's end). */
export interface SnippetEvent {
  label: string;
  timeSec: number;
}

/** One recording's snippets to write: what and where. */
export interface SnippetInput {
  /** The recording (WAV: evaluate scores WAV recordings only). */
  path: string;
  events: SnippetEvent[];
  /** The folder written to (must exist). */
  dir: string;
  /** The model's window: a snippet is [t - windowMs - marginMs, t + marginMs], cut to the recording. */
  windowMs: number;
  marginMs: number;
}

/** What was written (paths) and what could not be, one reason each (`wavebench: PATH: REASON`). */
export interface SnippetOutput {
  written: string[];
  problems: { path: string; reason: string }[];
}

/** A file name part from a label: letters, digits, '.', '-' and '_' kept, anything else '_'. */
const safe = (s: string) => s.replace(/[^\w.-]/g, '_') || '_';

/** `<recording>_<ms>ms_<label>.wav`, the name of a snippet before any suffix. */
export function snippetName(recording: string, e: SnippetEvent): string {
  const stem = basename(recording, extname(recording));
  return `${safe(stem)}_${Math.round(e.timeSec * 1000)}ms_${safe(e.label)}.wav`;
}

/** Float samples as 16-bit PCM: round(x · 32768) clamped, the inverse of the decoder's k / 32768. */
function toPcm16(x: Float32Array): Int16Array {
  const out = new Int16Array(x.length);
  for (let i = 0; i < x.length; i++) out[i] = Math.max(-32768, Math.min(32767, Math.round(x[i] * 32768)));
  return out;
}

/**
 * Writes `bytes` to `dir/name`, never over an existing file: `name-1.wav`, `name-2.wav`, ... when
 * taken (the exclusive-create flag decides, so two writers cannot both take a name).
 */
function writeNew(dir: string, name: string, bytes: Uint8Array): string {
  const ext = extname(name);
  const stem = name.slice(0, name.length - ext.length);
  for (let k = 0; ; k++) {
    const path = join(dir, k ? `${stem}-${k}${ext}` : name);
    try {
      writeFileSync(path, bytes, { flag: 'wx' });
      return path;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    }
  }
}

/**
 * Cuts each event's snippet out of its recording (mono: the channels' mean; at the recording's own
 * rate) and writes it as 16-bit PCM WAV: the model's window ending at the detection time, plus the
 * margin either side. Reads only the snippets' frames. Runs in a worker (the `snippets` job).
 */
export function writeSnippets(i: SnippetInput): SnippetOutput {
  const out: SnippetOutput = { written: [], problems: [] };
  let file: WavFile | undefined;
  try {
    file = WavFile.openSync(i.path);
    const header = file.readHeader();
    const { sampleRate, frames } = header.facts;
    for (const e of i.events) {
      const from = Math.max(
        0,
        Math.round(((e.timeSec * 1000 - i.windowMs - i.marginMs) * sampleRate) / 1000),
      );
      const to = Math.min(frames, Math.round(((e.timeSec * 1000 + i.marginMs) * sampleRate) / 1000));
      const mono = mixdown(file.frames(header, from, Math.max(0, to - from)));
      const wav = new WaveFile();
      wav.fromScratch(1, sampleRate, '16', toPcm16(mono));
      try {
        out.written.push(writeNew(i.dir, snippetName(i.path, e), wav.toBuffer()));
      } catch (err) {
        out.problems.push({ path: join(i.dir, snippetName(i.path, e)), reason: readReason(err) });
      }
    }
  } catch (err) {
    out.problems.push({ path: i.path, reason: readReason(err) });
  } finally {
    file?.close();
  }
  return out;
}
