/**
 * Teacher-forcing loss: cross-entropy of the decoder's predictions against the reference, over the
 * real (non-padding) target steps only, with optional label smoothing ε (PyTorch's
 * CrossEntropyLoss(label_smoothing=ε) definition):
 *
 *   q_v       = (1 − ε) · [v = y_u] + ε / V                       smoothed target distribution
 *   ℓ_{b,u}   = − Σ_v q_v · log softmax(z_{b,u})_v
 *   loss      = Σ_{b,u} m_{b,u} ℓ_{b,u} / Σ_{b,u} m_{b,u}          m = 1 at real steps, 0 at padding
 */
import * as tf from '@tensorflow/tfjs';
import { checkDim, checkRank } from '../check.ts';

/**
 * logits z [B, U, V], targets y [B, U] int32, mask m [B, U] (1 real, 0 padding) → mean loss over
 * real steps (a scalar). `labelSmoothing` ε in [0, 1), default 0.
 */
export function maskedCrossEntropy(
  logits: tf.Tensor3D,
  targets: tf.Tensor2D,
  mask: tf.Tensor2D,
  { labelSmoothing = 0 }: { labelSmoothing?: number } = {},
): tf.Scalar {
  checkRank(logits, 3, 'logits', '[B, U, V]');
  checkRank(targets, 2, 'targets', '[B, U]');
  checkRank(mask, 2, 'mask', '[B, U]');
  const [B, U, V] = logits.shape;
  checkDim(targets, 0, B, 'targets', 'batch size B of logits');
  checkDim(targets, 1, U, 'targets', 'steps U of logits');
  checkDim(mask, 0, B, 'mask', 'batch size B of logits');
  checkDim(mask, 1, U, 'mask', 'steps U of logits');
  if (!(labelSmoothing >= 0 && labelSmoothing < 1)) throw new Error(`labelSmoothing: expected ε in [0, 1), got ${labelSmoothing}`);
  return tf.tidy(() => {
    const logP = tf.logSoftmax(logits, -1); // [B, U, V]
    const oneHot = tf.oneHot(tf.cast(targets, 'int32'), V); // [B, U, V]
    const q = tf.add(tf.mul(oneHot, 1 - labelSmoothing), labelSmoothing / V); // [B, U, V]
    const perStep = tf.neg(tf.sum(tf.mul(q, logP), -1)); // ℓ [B, U]
    const m = tf.cast(mask, 'float32');
    return tf.div(tf.sum(tf.mul(perStep, m)), tf.maximum(tf.sum(m), 1)) as tf.Scalar;
  });
}
