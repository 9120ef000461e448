/**
 * MGU, the minimal gated unit (Zhou et al. 2016): a GRU with a single forget gate.
 *
 *   f_t = σ(W_f x_t + U_f h_{t−1} + b_f)                      forget gate
 *   h̃_t = tanh(W[f_t ⊙ h_{t−1}, x_t] + b)
 *       = tanh(W_n x_t + U_n (f_t ⊙ h_{t−1}) + b_in + b_hn)
 *   h_t = (1 − f_t) ⊙ h_{t−1} + f_t ⊙ h̃_t
 *
 * PyTorch has no MGU; its weights follow the same naming in the same spirit, with gate blocks
 * stacked in the order f, n (G = 2): weight_ih [2H, F], weight_hh [2H, H], bias_ih [2H],
 * bias_hh [2H].
 */
import * as tf from '@tensorflow/tfjs';
import { affine, gateBlocks, type CellWeights } from './weights.ts';

export const MGU_GATES = 2;

/** weight_ih [2H, F], weight_hh [2H, H], bias_ih [2H], bias_hh [2H]; blocks f, n. */
export type MguWeights = CellWeights;
export type MguState = {
  /** h_t: [B, H] */
  h: tf.Tensor2D;
};

/**
 * The recurrence for fixed weights: splits U and b_hh into their gate blocks once, and returns
 * the step given the input term already computed, `inputProjection` = W x_t + b_ih [B, 2H].
 */
export function mguRecurrence(weights: MguWeights): (inputProjection: tf.Tensor2D, state: MguState) => MguState {
  const [uF, uN] = tf.split(weights.weightHh, MGU_GATES, 0) as tf.Tensor2D[]; // each [H, H]
  const [bF, bN] = tf.split(weights.biasHh, MGU_GATES) as tf.Tensor1D[]; // each [H]
  return (inputProjection, { h: hPrev }) => {
    const [xf, xn] = gateBlocks(inputProjection, MGU_GATES); // each [B, H]
    const forgetGate = tf.sigmoid(tf.add(xf, affine(hPrev, uF, bF))) as tf.Tensor2D;
    const candidate = tf.tanh(tf.add(xn, affine(tf.mul(forgetGate, hPrev) as tf.Tensor2D, uN, bN)));
    // h_t = (1 − f) ⊙ h_{t−1} + f ⊙ h̃
    const h = tf.add(tf.mul(tf.sub(1, forgetGate), hPrev), tf.mul(forgetGate, candidate)) as tf.Tensor2D;
    return { h };
  };
}

/** One step: x_t [B, F], h_{t−1} [B, H] → { h: h_t [B, H] }. */
export function mguStep(weights: MguWeights, x: tf.Tensor2D, state: MguState): MguState {
  return tf.tidy(() => mguRecurrence(weights)(affine(x, weights.weightIh, weights.biasIh), state));
}
