/** Start offsets of sliding windows of `window` samples every `stride` over n samples; the last one ends at n. */
export function windowStarts(n: number, window: number, stride: number): number[] {
  if (n <= window) return [0];
  const starts: number[] = [];
  for (let s = 0; s + window <= n; s += stride) starts.push(s);
  if (starts[starts.length - 1] + window < n) starts.push(n - window);
  return starts;
}

/** Settings of the streaming recognizer (TensorFlow speech_commands' RecognizeCommands defaults). */
export interface RecognizerOptions {
  averageWindowMs: number;
  detectionThreshold: number;
  suppressionMs: number;
  minimumCount: number;
}

/** RecognizeCommands' defaults (tensorflow/examples/speech_commands/recognize_commands.py). */
export const DEFAULT_RECOGNIZER: RecognizerOptions = {
  averageWindowMs: 1000,
  detectionThreshold: 0.2,
  suppressionMs: 1500,
  minimumCount: 3,
};

/** A word found in a long file. */
export interface Detection {
  label: string;
  timeSec: number;
  score: number;
}

/**
 * The speech_commands streaming rule (RecognizeCommands::ProcessLatestResults) over per-window
 * results, time = window end as the streaming recognizer sees audio: average the scores of the
 * windows within `averageWindowMs`; with at least `minimumCount` of them, the average's top label is
 * a new command when its score exceeds the threshold, it differs from the previous top label, and
 * more than `suppressionMs` passed since that one (always, when the previous was _silence_).
 * Commands whose label starts with '_' (_silence_, _unknown_) are tracked but not reported.
 */
export function recognize(
  labels: string[],
  timesMs: number[],
  scores: Float32Array[],
  options: RecognizerOptions = DEFAULT_RECOGNIZER,
): Detection[] {
  const out: Detection[] = [];
  let previousLabel = '_silence_';
  let previousTime = -Infinity;
  for (let i = 0; i < timesMs.length; i++) {
    const now = timesMs[i];
    const avg = new Float64Array(labels.length);
    let count = 0;
    for (let j = i; j >= 0 && now - timesMs[j] < options.averageWindowMs; j--) {
      for (let k = 0; k < labels.length; k++) avg[k] += scores[j][k];
      count++;
    }
    if (count < options.minimumCount) continue;
    let top = 0;
    for (let k = 1; k < labels.length; k++) if (avg[k] > avg[top]) top = k;
    const score = avg[top] / count;
    const label = labels[top];
    const sinceLast = previousLabel === '_silence_' ? Infinity : now - previousTime;
    if (score > options.detectionThreshold && label !== previousLabel && sinceLast > options.suppressionMs) {
      previousLabel = label;
      previousTime = now;
      if (!label.startsWith('_')) out.push({ label, timeSec: now / 1000, score });
    }
  }
  return out;
}
