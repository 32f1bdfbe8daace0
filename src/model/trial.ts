import * as tf from '@tensorflow/tfjs';
import { ModelLimitError, trialOutputProblem } from './limits';

/**
 * The trial prediction every format runs at load, on zeros: two windows, which must give two rows
 * of finite values, one per label (limits.ts's trialOutputProblem). A graph that only takes one
 * window (a converter fixed its batch at 1) is tried on one, and then run one window at a time.
 * Throws what the model throws when even one window fails.
 */
export async function trialPredict(
  predict: (x: tf.Tensor) => tf.Tensor,
  shapeOf: (n: number) => number[],
  labels: number,
): Promise<{ problem?: string; oneAtATime: boolean }> {
  const run = async (n: number) => {
    const probe = tf.tidy(() => predict(tf.zeros(shapeOf(n))));
    try {
      return trialOutputProblem(probe.shape, await probe.data(), n, labels);
    } finally {
      probe.dispose();
    }
  };
  try {
    return { problem: await run(2), oneAtATime: false };
  } catch (e) {
    if (e instanceof ModelLimitError) throw e;
    return { problem: await run(1), oneAtATime: true };
  }
}

/** `predict` for a model that takes one window at a time: each window alone, the rows stacked. */
export function oneAtATime(predict: (x: tf.Tensor) => tf.Tensor): (x: tf.Tensor) => tf.Tensor {
  return (x) =>
    x.shape[0] === 1 ? predict(x) : tf.tidy(() => tf.concat(tf.split(x, x.shape[0]).map(predict)));
}
