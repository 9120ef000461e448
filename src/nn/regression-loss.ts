/**
 * Regression losses with masking: the mean over the entries whose mask is 1,
 *
 *   MSE = Σ m (ŷ − y)² / Σ m          MAE = Σ m |ŷ − y| / Σ m
 *
 * for predictions ŷ, targets y and a 0/1 mask m of one shape (e.g. [B, K, C]: batch, horizon,
 * targets). Masked entries contribute neither to the value nor to the gradient; an all-zero mask
 * gives 0. MSE fits the conditional mean, MAE the conditional median (the minimiser of the MAE
 * metric).
 */
import * as tf from '@tensorflow/tfjs';

export const REGRESSION_LOSSES = ['mse', 'mae'] as const;
export type RegressionLoss = (typeof REGRESSION_LOSSES)[number];

function checkSameShape(pred: tf.Tensor, target: tf.Tensor, mask: tf.Tensor, name: string): void {
  for (const [what, t] of [['target', target], ['mask', mask]] as const) {
    if (!tf.util.arraysEqual(pred.shape, t.shape)) {
      throw new Error(`${name}: ${what} has shape [${t.shape}], the predictions [${pred.shape}]`);
    }
  }
}

function maskedMean(errors: tf.Tensor, mask: tf.Tensor): tf.Scalar {
  return tf.tidy(() => tf.div(tf.sum(tf.mul(errors, mask)), tf.maximum(tf.sum(mask), 1)) as tf.Scalar);
}

/** Σ m (ŷ − y)² / Σ m: pred, target, mask of one shape [...]; returns a scalar. */
export function maskedMse(pred: tf.Tensor, target: tf.Tensor, mask: tf.Tensor): tf.Scalar {
  checkSameShape(pred, target, mask, 'maskedMse');
  return tf.tidy(() => maskedMean(tf.square(tf.sub(pred, target)), mask));
}

/** Σ m |ŷ − y| / Σ m: pred, target, mask of one shape [...]; returns a scalar. */
export function maskedMae(pred: tf.Tensor, target: tf.Tensor, mask: tf.Tensor): tf.Scalar {
  checkSameShape(pred, target, mask, 'maskedMae');
  return tf.tidy(() => maskedMean(tf.abs(tf.sub(pred, target)), mask));
}

/** The masked loss named `kind` ('mse' | 'mae'). */
export function regressionLoss(kind: RegressionLoss): (pred: tf.Tensor, target: tf.Tensor, mask: tf.Tensor) => tf.Scalar {
  if (kind === 'mse') return maskedMse;
  if (kind === 'mae') return maskedMae;
  throw new Error(`regression loss: expected one of ${REGRESSION_LOSSES.join(', ')}, got '${kind}'`);
}
