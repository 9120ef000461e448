/**
 * Binary cross-entropy from logits, in the numerically stable form (no log of a rounded sigmoid):
 *
 *   p = σ(z)
 *   ℓ(z, y) = −y log p − (1 − y) log(1 − p)
 *           = max(z, 0) − z·y + log(1 + e^{−|z|})
 *
 * for a logit z ∈ ℝ and a target y ∈ [0, 1] (0/1 labels, or soft targets). The result is the
 * mean over the batch, as Keras's `binary_crossentropy` and PyTorch's `BCEWithLogitsLoss` give.
 */
import * as tf from '@tensorflow/tfjs';
import { checkRank } from '../check.ts';

/** Mean ℓ(z_b, y_b) over b: logits z [B], targets y [B] (float in [0, 1]) → scalar. */
export function binaryCrossEntropy(logits: tf.Tensor1D, targets: tf.Tensor1D): tf.Scalar {
  checkRank(logits, 1, 'logits', '[B]');
  checkRank(targets, 1, 'targets', '[B]');
  if (logits.shape[0] !== targets.shape[0]) {
    throw new Error(`targets: expected ${logits.shape[0]} entries (one per logit), got ${targets.shape[0]}`);
  }
  return tf.tidy(() => {
    const z = logits;
    const y = tf.cast(targets, 'float32');
    const perSample = tf.add(tf.sub(tf.relu(z), tf.mul(z, y)), tf.log1p(tf.exp(tf.neg(tf.abs(z))))); // [B]
    return tf.mean(perSample) as tf.Scalar;
  });
}

/** Mean −log softmax(z_b)[y_b] over b: logits z [B, K], integer classes y [B] in [0, K) → scalar. */
export function categoricalCrossEntropy(logits: tf.Tensor2D, classes: tf.Tensor1D): tf.Scalar {
  checkRank(logits, 2, 'logits', '[B, K]');
  checkRank(classes, 1, 'classes', '[B]');
  const [B, K] = logits.shape;
  if (classes.shape[0] !== B) throw new Error(`classes: expected ${B} entries (one per row of logits), got ${classes.shape[0]}`);
  return tf.tidy(() => {
    const logp = tf.logSoftmax(logits); // [B, K]
    const picked = tf.sum(tf.mul(logp, tf.oneHot(tf.cast(classes, 'int32'), K)), 1); // [B]
    return tf.neg(tf.mean(picked)) as tf.Scalar;
  });
}
