/**
 * SpecAugment's masking (Park et al., 2019) on feature batches, for training only:
 *
 *   frequency masks: f ~ U{0, …, F′}, f₀ ~ U{0, …, F − f}:   x[:, :, f₀ … f₀+f) = 0
 *   time masks:      τ ~ U{0, …, T′}, t₀ ~ U{0, …, T_b − τ}:  x[b, t₀ … t₀+τ, :) = 0
 *
 * drawn independently per utterance b from `random`, so a seeded generator makes the masks
 * reproducible (and a resumed training sees the same ones). Features are assumed normalised
 * (CMVN), so 0 is the mean.
 */
import * as tf from '@tensorflow/tfjs';
import { checkKeys, checkRank } from '../check.ts';

export type SpecAugmentConfig = {
  /** Frequency masks per utterance. */
  freqMasks: number;
  /** F′: the widest frequency mask, in feature bins. */
  freqWidth: number;
  /** Time masks per utterance. */
  timeMasks: number;
  /** T′: the widest time mask, in frames. */
  timeWidth: number;
};

export const specAugmentDefaults: SpecAugmentConfig = { freqMasks: 2, freqWidth: 3, timeMasks: 2, timeWidth: 8 };

/**
 * @param x features [B, T, F]
 * @param lengths frames per utterance [B] (masks stay inside them)
 * @param random uniform numbers in [0, 1)
 * @returns masked features [B, T, F]
 */
export function specAugment(
  x: tf.Tensor3D,
  lengths: readonly number[],
  config: SpecAugmentConfig,
  random: () => number,
): tf.Tensor3D {
  checkKeys(config, Object.keys(specAugmentDefaults), 'specAugment config');
  checkRank(x, 3, 'x', '[B, T, F]');
  const [B, T, F] = x.shape;
  if (lengths.length !== B) throw new Error(`lengths: expected ${B} entries (batch size B of x), got ${lengths.length}`);
  const draw = (n: number) => Math.floor(random() * (n + 1)); // U{0, …, n}
  const keep = new Float32Array(B * T * F).fill(1); // [B, T, F]
  for (let b = 0; b < B; b++) {
    const Tb = lengths[b];
    for (let m = 0; m < config.freqMasks; m++) {
      const f = draw(Math.min(config.freqWidth, F));
      const f0 = draw(F - f);
      for (let t = 0; t < T; t++) keep.fill(0, (b * T + t) * F + f0, (b * T + t) * F + f0 + f);
    }
    for (let m = 0; m < config.timeMasks; m++) {
      const tau = draw(Math.min(config.timeWidth, Tb));
      const t0 = draw(Tb - tau);
      keep.fill(0, (b * T + t0) * F, (b * T + t0 + tau) * F);
    }
  }
  return tf.tidy(() => tf.mul(x, tf.tensor3d(keep, [B, T, F])) as tf.Tensor3D);
}
