/**
 * The contract between the fused sequence kernel (sequence.ts) and each cell kind's hand-written
 * step. Steps work on plain Float32Arrays (row-major [B, ·]); only the recurrent matrix products
 * go to the tensor backend. On the wasm backend a tf op costs far more than the arithmetic of one
 * [32, 128] gate, so the gate arithmetic of a step runs as one JavaScript loop instead of a dozen
 * ops (measured: bench/rnn.ts).
 *
 * Every cell's recurrent product splits weight_hh [G·H, H] by rows:
 *   rows [0, k·H)   ("direct")  act on h_{t−1}:            a_direct = h_{t−1} U_directᵀ + b_direct
 *   rows [k·H, G·H) ("gated")   act on g_t ⊙ h_{t−1}:      a_gated  = (g_t ⊙ h_{t−1}) U_gatedᵀ + b_gated
 * (k = G for SimpleRNN, LSTM and the reset-after GRU; the lecture GRU gates U_n by r_t, MGU by f_t).
 * The sequence kernel then accumulates ∂L/∂U over all steps in one product per block:
 *   ∂L/∂U_direct = Σ_t (∂L/∂a_direct,t)ᵀ h_{t−1},   ∂L/∂U_gated = Σ_t (∂L/∂a_gated,t)ᵀ (g_t ⊙ h_{t−1}).
 */

/** The recurrent products of one step, each on B rows. */
export interface Recurrent {
  B: number;
  H: number;
  /** h [B, H] → h U_directᵀ + b_direct: [B, k·H] */
  direct(h: Float32Array): Float32Array;
  /** v [B, H] → v U_gatedᵀ + b_gated: [B, (G−k)·H] */
  gated(v: Float32Array): Float32Array;
  /** δ [B, k·H] → δ U_direct: [B, H] */
  directBack(d: Float32Array): Float32Array;
  /** δ [B, (G−k)·H] → δ U_gated: [B, H] */
  gatedBack(d: Float32Array): Float32Array;
}

export interface ForwardStep {
  /** h_t^new: [B, H] */
  h: Float32Array;
  /** C_t^new: [B, H] (LSTM only) */
  c?: Float32Array;
  /** What the backward step reads, in the cell's own order (each [B, ·]). */
  saved: Float32Array[];
}

export interface BackwardStep {
  /** ∂L/∂(W x_t + b_ih): [B, G·H] */
  dInputProjection: Float32Array;
  /** ∂L/∂a_direct: [B, k·H] */
  dDirect: Float32Array;
  /** ∂L/∂a_gated: [B, (G−k)·H] (cells with gated rows only) */
  dGated?: Float32Array;
  /** g_t ⊙ h_{t−1}: [B, H], the input of the gated rows (cells with gated rows only) */
  gatedInput?: Float32Array;
  /** ∂L/∂h_{t−1} through this step: [B, H] */
  dhPrev: Float32Array;
  /** ∂L/∂C_{t−1} through this step: [B, H] (LSTM only) */
  dcPrev?: Float32Array;
}

export interface FusedStep {
  /** k: gate blocks of weight_hh that act on h_{t−1} directly. */
  directGates: number;
  /**
   * inputProjection = W x_t + b_ih [B, G·H], h_{t−1} [B, H], C_{t−1} [B, H] (LSTM) → h_t, C_t
   * and the arrays to keep for the backward step.
   */
  forward(r: Recurrent, inputProjection: Float32Array, hPrev: Float32Array, cPrev?: Float32Array): ForwardStep;
  /** saved (from forward), ∂L/∂h_t [B, H], ∂L/∂C_t [B, H] (LSTM) → the step's gradients. */
  backward(r: Recurrent, saved: Float32Array[], dh: Float32Array, dc?: Float32Array): BackwardStep;
}

export const sigmoid = (a: number): number => 1 / (1 + Math.exp(-a));

/** tanh(a) = 1 − 2 / (e^{2a} + 1): one Math.exp, which V8 runs faster than Math.tanh. */
export const tanh = (a: number): number => 1 - 2 / (Math.exp(2 * a) + 1);
