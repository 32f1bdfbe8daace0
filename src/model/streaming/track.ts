import { Smoother, windowEndMs, type KeywordTrack, type WindowGrid } from './rules';

/**
 * The keyword track of a recording from window probabilities already computed (the editor's
 * classification at the evaluation's stride): window i of `probabilities` must be window i of
 * `grid` (classify's windows start on the same grid and may add one last window ending at the
 * recording's end, which lies off the grid and is left out). The same smoothing as evaluate's
 * segments (Smoother), so the same detections follow from the same probabilities.
 */
export function trackOfWindows(
  grid: WindowGrid,
  probabilities: readonly ArrayLike<number>[],
  labels: readonly string[],
  averageMs: number,
): KeywordTrack {
  if (probabilities.length < grid.count)
    throw new Error(`${probabilities.length} windows for a grid of ${grid.count}`);
  const smoother = new Smoother(labels, averageMs);
  const track: KeywordTrack = {
    endMs: new Float64Array(grid.count),
    label: new Uint16Array(grid.count),
    score: new Float64Array(grid.count),
  };
  for (let i = 0; i < grid.count; i++) {
    track.endMs[i] = windowEndMs(grid, i);
    const best = smoother.push(track.endMs[i], probabilities[i]);
    track.label[i] = best.label;
    track.score[i] = best.score;
  }
  return track;
}
