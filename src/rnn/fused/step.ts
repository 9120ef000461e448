/**
 * The contract between the fused sequence kernel (sequence.ts) and each cell kind's hand-written
 * step: a forward step that keeps what its backward step needs, and a backward step that turns
 * ∂L/∂h_t (and ∂L/∂C_t) into the gradients of everything the step read.
 *
 * Every cell's recurrent product splits weight_hh [G·H, H] by rows:
 *   rows [0, k·H)   ("direct")  act on h_{t−1}:            a_direct = h_{t−1} U_directᵀ + b_direct
 *   rows [k·H, G·H) ("gated")   act on g_t ⊙ h_{t−1}:      a_gated  = (g_t ⊙ h_{t−1}) U_gatedᵀ + b_gated
 * (k = G for SimpleRNN, LSTM and the reset-after GRU; the lecture GRU gates U_n by r_t, MGU by f_t).
 * The sequence kernel then accumulates ∂L/∂U over all steps in one product per block:
 *   ∂L/∂U_direct = Σ_t (∂L/∂a_direct,t)ᵀ h_{t−1},   ∂L/∂U_gated = Σ_t (∂L/∂a_gated,t)ᵀ (g_t ⊙ h_{t−1}).
 */
import * as tf from '@tensorflow/tfjs';

/** weight_hh and bias_hh split into direct and gated rows, transposed once for the forward product. */
export interface RecurrentWeights {
  /** U_directᵀ: [H, k·H] */
  uDirectT: tf.Tensor2D;
  /** U_direct: [k·H, H] (for ∂L/∂h_{t−1} = ∂L/∂a_direct U_direct) */
  uDirect: tf.Tensor2D;
  /** b_direct: [k·H] */
  bDirect: tf.Tensor1D;
  /** U_gatedᵀ: [H, (G−k)·H]; absent when k = G. */
  uGatedT?: tf.Tensor2D;
  /** U_gated: [(G−k)·H, H] */
  uGated?: tf.Tensor2D;
  /** b_gated: [(G−k)·H] */
  bGated?: tf.Tensor1D;
}

export interface ForwardStep {
  /** h_t^new: [B, H] */
  h: tf.Tensor2D;
  /** C_t^new: [B, H] (LSTM only) */
  c?: tf.Tensor2D;
  /** What the backward step reads, in the cell's own order (all [B, ·]). */
  saved: tf.Tensor[];
}

export interface BackwardStep {
  /** ∂L/∂(W x_t + b_ih): [B, G·H] */
  dInputProjection: tf.Tensor2D;
  /** ∂L/∂a_direct: [B, k·H] */
  dDirect: tf.Tensor2D;
  /** ∂L/∂a_gated: [B, (G−k)·H] (cells with gated rows only) */
  dGated?: tf.Tensor2D;
  /** g_t ⊙ h_{t−1}: [B, H], the input of the gated rows (cells with gated rows only) */
  gatedInput?: tf.Tensor2D;
  /** ∂L/∂h_{t−1} through this step: [B, H] */
  dhPrev: tf.Tensor2D;
  /** ∂L/∂C_{t−1} through this step: [B, H] (LSTM only) */
  dcPrev?: tf.Tensor2D;
}

export interface FusedStep {
  /** k: gate blocks of weight_hh that act on h_{t−1} directly. */
  directGates: number;
  /**
   * inputProjection = W x_t + b_ih [B, G·H], h_{t−1} [B, H], C_{t−1} [B, H] (LSTM) → h_t, C_t
   * and the tensors to keep for the backward step.
   */
  forward(u: RecurrentWeights, inputProjection: tf.Tensor2D, hPrev: tf.Tensor2D, cPrev?: tf.Tensor2D): ForwardStep;
  /** saved (from forward), ∂L/∂h_t [B, H], ∂L/∂C_t [B, H] (LSTM) → the step's gradients. */
  backward(u: RecurrentWeights, saved: tf.Tensor[], dh: tf.Tensor2D, dc?: tf.Tensor2D): BackwardStep;
}

/** σ'(a) from s = σ(a): s ⊙ (1 − s). */
export function sigmoidGrad(s: tf.Tensor2D): tf.Tensor2D {
  return tf.mul(s, tf.sub(1, s));
}

/** tanh'(a) from y = tanh(a): 1 − y². */
export function tanhGrad(y: tf.Tensor2D): tf.Tensor2D {
  return tf.sub(1, tf.square(y));
}

/** x Wᵀ + b with Wᵀ already transposed: [B, H] × [H, n] + [n] → [B, n]. */
export function recurrentProduct(x: tf.Tensor2D, uT: tf.Tensor2D, b: tf.Tensor1D): tf.Tensor2D {
  return tf.add(tf.matMul(x, uT), b);
}
