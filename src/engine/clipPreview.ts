import { openFileSource } from '../audio/byteSource';
import { WavDocumentModel, type SpectrogramRangeView } from '../audio/wavDocumentModel';

/** Seconds of a clip the review queue shows and plays (a clip is about 1 s; longer files are cut). */
export const PREVIEW_MAX_SEC = 10;

/** A clip as the review queue shows it: the editor's spectrogram of it and its mono audio. */
export interface ClipPreview {
  path: string;
  durationSec: number;
  sampleRate: number;
  spectrogram: SpectrogramRangeView;
  /** Mono samples of the first PREVIEW_MAX_SEC seconds, for playback in the page. */
  samples: Float32Array;
}

/**
 * Opens `path` as the editor does (WavDocumentModel: WAV, FLAC, MP3, Ogg Vorbis, Opus) and returns
 * the spectrogram of its first PREVIEW_MAX_SEC seconds at `columns` columns with the audio to play.
 * Runs in a pool worker (job `preview`), so decoding never blocks the extension host.
 */
export async function previewClip(path: string, columns: number): Promise<ClipPreview> {
  const source = await openFileSource(path);
  let model: WavDocumentModel;
  try {
    model = await WavDocumentModel.open(source);
  } catch (e) {
    await source.close();
    throw e;
  }
  try {
    const f = model.facts;
    const end = Math.min(f.durationSec, PREVIEW_MAX_SEC);
    const spectrogram = await model.spectrogram(0, end, columns);
    const { samples } = await model.audio(0, end);
    return { path, durationSec: f.durationSec, sampleRate: f.sampleRate, spectrogram, samples };
  } finally {
    model.dispose();
  }
}
