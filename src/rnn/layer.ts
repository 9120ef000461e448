/**
 * One direction of one recurrent layer, run over time.
 *
 *   for t = 1 … T (or T … 1 when reversed):
 *     h_t^new = cell(x_t, state_{t−1})
 *     state_t = m_t ⊙ state_t^new + (1 − m_t) ⊙ state_{t−1}      m_t ∈ {0, 1}: step t is real
 *     y_t     = m_t ⊙ h_t^new                                    padded steps output 0
 *
 * Padding sits at the end of each sample, so a reversed run meets the padded steps first, leaves
 * the state untouched there, and starts for real at the sample's last real step — PyTorch's
 * packed-sequence semantics. The input term W x_t + b_ih is computed for all steps in one
 * matrix product; only the recurrence is sequential.
 *
 * This function is the only place that loops over time: a fused kernel can replace it without
 * touching its callers.
 */
import * as tf from '@tensorflow/tfjs';
import { checkDim, checkRank } from '../check.ts';
import { CELLS, cellSpec, type CellKind, type CellSpec, type CellState } from './cell.ts';
import { affine, type CellWeights } from './weights.ts';

export interface RunDirectionOptions {
  /** [B, T], 1 (or true) at real steps and 0 (false) at padding; default: every step is real. */
  mask?: tf.Tensor2D;
  /** State before the first step: h [B, H] (and c [B, H] for LSTM); default zeros. */
  state0?: CellState;
  /** Run from t = T down to 1; default false. */
  reverse?: boolean;
}

export type RunDirectionResult = {
  /** y_t for every step, in input order: [B, T, H]; 0 at padded steps. */
  outputs: tf.Tensor3D;
  /** The state after each sample's last real step (first, when reversed): h [B, H], c [B, H]. */
  state: CellState;
};

/**
 * The argument checks of one direction, shared by runDirection and the fused kernel: x [B, T, F],
 * weights of G gate blocks, mask [B, T], state0 { h [B, H], c [B, H] }. Returns H.
 */
export function checkDirectionArgs(
  spec: CellSpec,
  weights: CellWeights,
  x: tf.Tensor3D,
  { mask, state0 }: Pick<RunDirectionOptions, 'mask' | 'state0'>,
): number {
  const { gates, stateNames } = CELLS[spec.kind];
  checkRank(x, 3, 'x', '[B, T, F]');
  const [B, T] = x.shape;
  const H = weights.weightHh.shape[1];
  checkDim(weights.weightIh, 0, gates * H, 'weights.weightIh', `G·H = ${gates}·${H} for ${spec.kind}`);
  checkDim(weights.weightHh, 0, gates * H, 'weights.weightHh', `G·H = ${gates}·${H} for ${spec.kind}`);
  checkDim(x, 2, weights.weightIh.shape[1], 'x', 'the input size F of weights.weightIh [G·H, F]');
  if (mask) {
    checkRank(mask, 2, 'mask', '[B, T]');
    checkDim(mask, 0, B, 'mask', 'batch size B of x');
    checkDim(mask, 1, T, 'mask', 'steps T of x');
  }
  if (state0) {
    for (const name of stateNames) {
      const s = state0[name];
      if (!s) throw new Error(`state0.${name}: missing (a ${spec.kind} cell carries ${stateNames.join(', ')})`);
      checkRank(s, 2, `state0.${name}`, '[B, H]');
      checkDim(s, 0, B, `state0.${name}`, 'batch size B of x');
      checkDim(s, 1, H, `state0.${name}`, 'hidden size H');
    }
  }
  return H;
}

/**
 * Run `cell` with `weights` over x [B, T, F]. Returns outputs [B, T, H] and the final state.
 * `cell` is a kind ('lstm') or a spec with its options ({ kind: 'gru', form: 'lecture' }).
 */
export function runDirection(
  cell: CellKind | CellSpec,
  weights: CellWeights,
  x: tf.Tensor3D,
  { mask, state0, reverse = false }: RunDirectionOptions = {},
): RunDirectionResult {
  const spec = cellSpec(cell);
  const { gates, stateNames } = CELLS[spec.kind];
  const [B, T, F] = x.shape;
  const H = checkDirectionArgs(spec, weights, x, { mask, state0 });

  return tf.tidy(() => {
    const recurrence = CELLS[spec.kind].recurrence(spec, weights);
    let state: CellState = { h: state0?.h ?? tf.zeros([B, H]) };
    if (stateNames.includes('c')) state.c = state0?.c ?? tf.zeros([B, H]);
    if (T === 0) return { outputs: tf.zeros([B, 0, H]) as tf.Tensor3D, state };

    const inputProjection = tf.reshape(
      affine(tf.reshape(x, [B * T, F]) as tf.Tensor2D, weights.weightIh, weights.biasIh), // [B·T, G·H]
      [B, T, gates * H],
    ); // [B, T, G·H]
    const projections = unstack(inputProjection, 1) as tf.Tensor2D[]; // T × [B, G·H]
    const maskValues = mask ? tf.cast(mask, 'float32') : null; // [B, T]
    const isReal = maskValues ? (unstack(tf.cast(tf.expandDims(maskValues, 2), 'bool'), 1) as tf.Tensor2D[]) : null; // T × [B, 1]
    // Steps at which every sample is real need no blending (all of them without a mask).
    const everyReal = maskValues ? Array.from(tf.min(maskValues, 0).dataSync(), (m) => m > 0) : null; // [T]

    const hs: tf.Tensor2D[] = new Array(T); // h_t^new, in input order
    for (let k = 0; k < T; k++) {
      const t = reverse ? T - 1 - k : k;
      const next = recurrence(projections[t], state);
      hs[t] = next.h;
      if (!isReal || everyReal![t]) {
        state = next;
        continue;
      }
      // state_t = m_t ? state_t^new : state_{t−1}, per sample
      const m = isReal[t]; // [B, 1]
      const kept: CellState = { h: tf.where(m, next.h, state.h) };
      if (next.c) kept.c = tf.where(m, next.c, state.c!);
      state = kept;
    }
    let outputs = tf.stack(hs, 1) as tf.Tensor3D; // [B, T, H]
    if (maskValues) {
      // y_t = m_t ⊙ h_t^new, as a select so that nothing computed at padding (even inf) leaks
      outputs = tf.where(tf.cast(tf.expandDims(maskValues, 2), 'bool'), outputs, tf.zerosLike(outputs));
    }
    return { outputs, state };
  });
}

/**
 * tf.unstack, except that a size-1 axis becomes a reshape: the gradient of tfjs's Unpack breaks
 * when the op has a single output (it is handed one dy tensor instead of an array).
 */
export function unstack(x: tf.Tensor, axis: number): tf.Tensor[] {
  if (x.shape[axis] !== 1) return tf.unstack(x, axis);
  return [tf.reshape(x, x.shape.filter((_, i) => i !== axis))]; // x without axis `axis`
}
