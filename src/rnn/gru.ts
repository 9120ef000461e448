/**
 * GRU cell, in two forms that differ only in where the reset gate acts.
 *
 *   r_t = σ(W_r x_t + U_r h_{t−1} + b_r)          reset gate
 *   z_t = σ(W_z x_t + U_z h_{t−1} + b_z)          update gate
 *   h_t = (1 − z_t) ⊙ h̃_t + z_t ⊙ h_{t−1}
 *
 * 'reset-after' (PyTorch `nn.GRU`, cuDNN; the default): r scales U h_{t−1} + b_hn,
 *   h̃_t = tanh(W_n x_t + b_in + r_t ⊙ (U_n h_{t−1} + b_hn))
 * 'lecture' (Cho et al.; the lecture notes): r scales h_{t−1} before U,
 *   h̃_t = tanh(W[r_t ⊙ h_{t−1}, x_t] + b) = tanh(W_n x_t + U_n (r_t ⊙ h_{t−1}) + b_in + b_hn)
 *
 * Both forms keep PyTorch's convention that z_t keeps the old state (z → 1: h_t = h_{t−1}).
 * PyTorch layout: gate blocks stacked in the order r, z, n (G = 3): weight_ih [3H, F],
 * weight_hh [3H, H], bias_ih [3H], bias_hh [3H]. The lecture form uses the same tensors.
 */
import * as tf from '@tensorflow/tfjs';
import { affine, gateBlocks, type CellWeights } from './weights.ts';

export const GRU_GATES = 3;

/** weight_ih [3H, F], weight_hh [3H, H], bias_ih [3H], bias_hh [3H]; blocks r, z, n. */
export type GruWeights = CellWeights;
export type GruForm = 'reset-after' | 'lecture';
export type GruState = {
  /** h_t: [B, H] */
  h: tf.Tensor2D;
};
export interface GruStepOptions {
  /** Where the reset gate acts; default 'reset-after' (PyTorch, cuDNN). */
  form?: GruForm;
}

/**
 * The recurrence for fixed weights and form: returns the step given the input term already
 * computed, `inputProjection` = W x_t + b_ih [B, 3H]. The lecture form splits U and b_hh into
 * (U_r, U_z) and U_n once, outside the loop over time.
 */
export function gruRecurrence(
  weights: GruWeights,
  form: GruForm,
): (inputProjection: tf.Tensor2D, state: GruState) => GruState {
  // h_t = (1 − z) ⊙ h̃ + z ⊙ h_{t−1}
  const mix = (updateGate: tf.Tensor, candidate: tf.Tensor, hPrev: tf.Tensor2D) =>
    tf.add(tf.mul(tf.sub(1, updateGate), candidate), tf.mul(updateGate, hPrev)) as tf.Tensor2D;

  if (form === 'reset-after') {
    return (inputProjection, { h: hPrev }) => {
      const [xr, xz, xn] = gateBlocks(inputProjection, GRU_GATES); // each [B, H]
      const [hr, hz, hn] = gateBlocks(affine(hPrev, weights.weightHh, weights.biasHh), GRU_GATES); // each [B, H]
      const resetGate = tf.sigmoid(tf.add(xr, hr));
      const updateGate = tf.sigmoid(tf.add(xz, hz));
      const candidate = tf.tanh(tf.add(xn, tf.mul(resetGate, hn)));
      return { h: mix(updateGate, candidate, hPrev) };
    };
  }
  const H = weights.weightHh.shape[1];
  // U_r, U_z act on h_{t−1}; U_n on r ⊙ h_{t−1}.
  const [uRz, uN] = tf.split(weights.weightHh, [2 * H, H], 0) as tf.Tensor2D[]; // [2H, H], [H, H]
  const [bRz, bN] = tf.split(weights.biasHh, [2 * H, H]) as tf.Tensor1D[]; // [2H], [H]
  return (inputProjection, { h: hPrev }) => {
    const [xr, xz, xn] = gateBlocks(inputProjection, GRU_GATES); // each [B, H]
    const [hr, hz] = gateBlocks(affine(hPrev, uRz, bRz), 2); // each [B, H]
    const resetGate = tf.sigmoid(tf.add(xr, hr));
    const updateGate = tf.sigmoid(tf.add(xz, hz));
    const candidate = tf.tanh(tf.add(xn, affine(tf.mul(resetGate, hPrev) as tf.Tensor2D, uN, bN)));
    return { h: mix(updateGate, candidate, hPrev) };
  };
}

/** One step: x_t [B, F], h_{t−1} [B, H] → { h: h_t [B, H] }. */
export function gruStep(
  weights: GruWeights,
  x: tf.Tensor2D,
  state: GruState,
  { form = 'reset-after' }: GruStepOptions = {},
): GruState {
  if (form !== 'reset-after' && form !== 'lecture') {
    throw new Error(`form: expected 'reset-after' or 'lecture', got '${form}'`);
  }
  return tf.tidy(() => gruRecurrence(weights, form)(affine(x, weights.weightIh, weights.biasIh), state));
}
