/**
 * LSTM cell.
 *
 *   i_t  = σ(W_i x_t + U_i h_{t−1} + b_i)        input gate
 *   f_t  = σ(W_f x_t + U_f h_{t−1} + b_f)        forget gate
 *   C̃_t  = tanh(W_g x_t + U_g h_{t−1} + b_g)     candidate
 *   o_t  = σ(W_o x_t + U_o h_{t−1} + b_o)        output gate
 *   C_t  = f_t ⊙ C_{t−1} + i_t ⊙ C̃_t
 *   h_t  = o_t ⊙ tanh(C_t)
 *
 * PyTorch layout (`nn.LSTM`): gate blocks stacked in the order i, f, g, o (G = 4):
 * weight_ih [4H, F], weight_hh [4H, H], bias_ih [4H], bias_hh [4H]; b = bias_ih + bias_hh.
 */
import * as tf from '@tensorflow/tfjs';
import { affine, gateBlocks, type CellWeights } from './weights.ts';

export const LSTM_GATES = 4;

/** weight_ih [4H, F], weight_hh [4H, H], bias_ih [4H], bias_hh [4H]; blocks i, f, g, o. */
export type LstmWeights = CellWeights;
export type LstmState = {
  /** h_t: [B, H] */
  h: tf.Tensor2D;
  /** C_t (cell state): [B, H] */
  c: tf.Tensor2D;
};

/**
 * The recurrence for fixed weights: the step given the input term already computed,
 * `inputProjection` = W x_t + b_ih [B, 4H].
 */
export function lstmRecurrence(
  weights: LstmWeights,
): (inputProjection: tf.Tensor2D, state: LstmState) => LstmState {
  return (inputProjection, { h: hPrev, c: cPrev }) => {
    const preActivation = tf.add(inputProjection, affine(hPrev, weights.weightHh, weights.biasHh)) as tf.Tensor2D;
    const [i, f, g, o] = gateBlocks(preActivation, LSTM_GATES); // each [B, H]
    const inputGate = tf.sigmoid(i);
    const forgetGate = tf.sigmoid(f);
    const candidate = tf.tanh(g);
    const outputGate = tf.sigmoid(o);
    const c = tf.add(tf.mul(forgetGate, cPrev), tf.mul(inputGate, candidate)) as tf.Tensor2D;
    const h = tf.mul(outputGate, tf.tanh(c)) as tf.Tensor2D;
    return { h, c };
  };
}

/** One step: x_t [B, F], { h_{t−1}, C_{t−1} } each [B, H] → { h_t, C_t } each [B, H]. */
export function lstmStep(weights: LstmWeights, x: tf.Tensor2D, state: LstmState): LstmState {
  return tf.tidy(() => lstmRecurrence(weights)(affine(x, weights.weightIh, weights.biasIh), state));
}
