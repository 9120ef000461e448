/**
 * Inverted dropout (Srivastava et al., 2014), in training only:
 *
 *   y = x ⊙ m / (1 − p),   m_i ~ Bernoulli(1 − p)
 *
 * Outside training, or with p = 0, y = x (the same tensor, no copy).
 */
import * as tf from '@tensorflow/tfjs';

/**
 * @param x any shape [...]
 * @param rate p in [0, 1)
 * @param options.training apply the mask (default false)
 * @param options.seed seed of the mask (give each batch and each draw its own to repeat a run
 *   exactly); default unseeded
 * @returns [...], the shape of x
 */
export function dropout<T extends tf.Tensor>(
  x: T,
  rate: number,
  { training = false, seed }: { training?: boolean; seed?: number } = {},
): T {
  if (!(rate >= 0 && rate < 1)) throw new Error(`dropout: expected a rate in [0, 1), got ${rate}`);
  if (!training || rate === 0) return x;
  return tf.dropout(x, rate, undefined, seed) as T;
}
