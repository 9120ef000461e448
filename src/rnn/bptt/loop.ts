/**
 * The contract between the fused sequence op (sequence.ts, which wraps it with tf.customGrad)
 * and the two implementations of its arithmetic: js-loop.ts (gate arithmetic in JavaScript,
 * matrix products on the tensor backend) and native-loop.ts (everything in sori's WebAssembly
 * SIMD kernels, src/native/kernels.c). Both compute, for one direction of one layer:
 *
 *   forward:   P = X W_ihᵀ + b_ih                          all T steps in one product  [T·B, G·H]
 *              for t (T … 1 when reversed):  state_t^new = step(P_t, state_{t−1})
 *                state_t = m_t ⊙ state_t^new + (1 − m_t) ⊙ state_{t−1},   y_t = m_t ⊙ h_t^new
 *   backward:  for t in the opposite order, with δS = ∂L/∂state_t (from t+1 and the final state):
 *                ∂L/∂h_t^new = m_t ⊙ (δS_h + ∂L/∂y_t),   ∂L/∂C_t^new = m_t ⊙ δS_C
 *                δS ← step⁻¹(…) + (1 − m_t) ⊙ δS                       (kept state flows through)
 *              then once for all steps:
 *                ∂L/∂W_ih = δPᵀ X,   ∂L/∂b_ih = Σ δP,   ∂L/∂X = δP W_ih
 *                ∂L/∂U_direct = δA_directᵀ H_prev,   ∂L/∂U_gated = δA_gatedᵀ (g ⊙ H_prev),   ∂L/∂b_hh = Σ δA
 *
 * All arrays are plain row-major Float32Arrays; sequences are time-major (row t·B + b).
 */
import type { CellSpec } from '../cell.ts';

export interface LoopShape {
  spec: CellSpec;
  B: number;
  T: number;
  F: number;
  H: number;
  /** G·H: rows of weight_hh. */
  GH: number;
  /** k·H: rows of weight_hh acting on h_{t−1} directly (the rest act on g_t ⊙ h_{t−1}). */
  kH: number;
  /** Steps in the order they run: 0 … T−1, or T−1 … 0 when reversed. */
  order: number[];
  /** [T·B] 1 at real steps, 0 at padding; null: every step is real. */
  maskValues: Float32Array | null;
  /** everyReal[k]: no padding at the k-th step run. */
  everyReal: boolean[];
}

export interface LoopInputs {
  /** x time-major: [T·B, F] */
  x: Float32Array;
  /** [G·H, F], [G·H, H], [G·H], [G·H] */
  weightIh: Float32Array;
  weightHh: Float32Array;
  biasIh: Float32Array;
  biasHh: Float32Array;
  /** h_0, C_0 (LSTM): [B, H] */
  h0: Float32Array;
  c0?: Float32Array;
}

/**
 * ∂L/∂ of every input, same shapes as LoopInputs. ∂L/∂x is a product of its own (δP W_ih), made
 * only when dx() is called: the first layer's input seldom needs a gradient. done() gives back what
 * dx() reads (and the arrays here, where they are views): call it once, after dx() or instead of it.
 */
export interface LoopGradients {
  dx(): Float32Array;
  done(): void;
  dWeightIh: Float32Array;
  dWeightHh: Float32Array;
  dBiasIh: Float32Array;
  dBiasHh: Float32Array;
  dh0: Float32Array;
  dc0?: Float32Array;
}

/** ∂L/∂ of the loop's outputs. */
export interface LoopOutputGradients {
  /** ∂L/∂y_1 … ∂L/∂y_T: [T·B, H] */
  dys: Float32Array;
  /** ∂L/∂h_n, ∂L/∂c_n (LSTM): [B, H] */
  dh: Float32Array;
  dc?: Float32Array;
}

/**
 * What the loop gives back, and backward's gradients, may be views of the native kernels' memory
 * (native-loop.ts): valid until the next call of a native kernel, so copy or use them at once.
 */
export interface LoopForward {
  /** [y_1 … y_T ; h_n ; c_n]: [(T + S)·B, H] */
  value: Float32Array;
  /** ∂L/∂ of the outputs → every input's gradient. Absent when not kept. */
  backward?(dy: LoopOutputGradients): LoopGradients;
}

/**
 * Run forward; with `keepForBackward` false (no gradient can be asked for: nothing is being
 * recorded), skip keeping what backward would read.
 */
export type SequenceLoop = ((shape: LoopShape, inputs: LoopInputs, keepForBackward: boolean) => LoopForward) & {
  /**
   * The loop copies its inputs, and backward its ∂L/∂ outputs, before any tensor operation runs
   * (native-loop.ts: into the kernels' memory), so views of the tensors' memory serve as inputs.
   */
  readsInputsAtOnce?: boolean;
};
