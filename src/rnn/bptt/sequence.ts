/**
 * The fused sequence kernel: one direction of one recurrent layer over all T steps, as a single
 * differentiable op whose backward pass (back-propagation through time) is written by hand. The
 * arithmetic (loop.ts) runs in js-loop.ts or native-loop.ts; this file turns tensors into the
 * loops' time-major arrays and back, and attaches the backward pass by hand, so the gradient tape
 * holds one node per direction instead of a dozen per step: one op with three outputs y, h_n, c_n
 * (multiOutputGrad: tf.customGrad allows one, and tf.split of one on the wasm backend, with its
 * gradient, cost more than a layer's input projection).
 *
 * Same semantics as the reference loop in layer.ts (which autodiff differentiates): padded steps
 * keep the state and output 0, whatever the padding holds (it is zeroed before the loop runs).
 */
import * as tf from '@tensorflow/tfjs';
import type { CellSpec, CellState } from '../cell.ts';
import type { CellWeights } from '../weights.ts';
import type { SequenceLoop } from './loop.ts';
import { readFloat32, viewFloat32 } from '../../backend/read.ts';
import { fusedStepOf } from './js-loop.ts';
import { isRecordingGradients } from '../../backend/recording.ts';
import { multiOutputGrad, type MultiOutputOp } from '../../backend/multi-output-grad.ts';
import { tensorFromView } from '../../backend/tensor-from-view.ts';

export interface FusedDirectionOptions {
  /** [B, T] float 1 at real steps, 0 at padding; absent: every step is real. */
  mask?: tf.Tensor2D;
  /** State before the first step: h [B, H], and c [B, H] for LSTM (required: pass zeros). */
  state0: CellState;
  /** Run from t = T down to 1. */
  reverse: boolean;
  /** The loop over time. */
  loop: SequenceLoop;
}

/**
 * Zero the rows of `rows` [N, n] (time-major, row t·B + b) at padded steps (mask 0), in place:
 * whatever padding holds (NaN, ±Inf) then never meets a 0 in a product (0 · NaN = NaN), so it
 * reaches no valid output, state or weight gradient. Rows past the mask (final states) are kept.
 * `rows` must be a copy of its own (fusedDirection makes one where it read a view).
 */
function zeroPadded(rows: Float32Array, maskValues: Float32Array | null, n: number): Float32Array {
  if (!maskValues) return rows;
  for (let r = 0; r < maskValues.length; r++) if (maskValues[r] === 0) rows.fill(0, r * n, (r + 1) * n);
  return rows;
}

/**
 * x [B, T, F] (T ≥ 1) → outputs [B, T, H] and final state h [B, H] (c [B, H]), differentiable
 * with respect to x, every weight and state0. Arguments are checked by the caller (direction.ts).
 */
export function fusedDirection(
  spec: CellSpec,
  weights: CellWeights,
  x: tf.Tensor3D,
  { mask, state0, reverse, loop }: FusedDirectionOptions,
): { outputs: tf.Tensor3D; state: CellState } {
  const hasCell = spec.kind === 'lstm';
  const [B, T, F] = x.shape;
  const H = weights.weightHh.shape[1];
  const GH = weights.weightHh.shape[0];
  const kH = fusedStepOf(spec).directGates * H; // rows of weight_hh acting on h_{t−1} directly
  const order = Array.from({ length: T }, (_, k) => (reverse ? T - 1 - k : k)); // forward time order
  const maskValues = mask ? readFloat32(tf.transpose(mask)) : null; // [T·B]
  const everyReal = order.map((t) => !maskValues || maskValues.subarray(t * B, (t + 1) * B).every((m) => m === 1));
  const shape = { spec, B, T, F, H, GH, kH, order, maskValues, everyReal };

  // One op for the whole sequence: y_1 … y_T time-major [T·B, H], h_n [B, H] (, c_n [B, H]).
  // Where the loop copies its inputs at once, views of the tensors' memory serve (no allocation);
  // padded rows are then zeroed in a copy, not in the tensor.
  const borrow = loop.readsInputsAtOnce === true;
  const read = borrow ? viewFloat32 : readFloat32;
  const padded = (rows: Float32Array, n: number) => zeroPadded(borrow && maskValues ? rows.slice() : rows, maskValues, n);
  const kernel: MultiOutputOp = (xx, weightIh, weightHh, biasIh, biasHh, h0, c0) => {
    const inputs = {
      x: padded(read(tf.transpose(xx, [1, 0, 2])), F), // [T, B, F] = [T·B, F]
      weightIh: read(weightIh),
      weightHh: read(weightHh),
      biasIh: read(biasIh),
      biasHh: read(biasHh),
      h0: read(h0),
      c0: c0 && read(c0),
    };
    const run = loop(shape, inputs, isRecordingGradients());
    const TBH = T * B * H;
    const outputs = [tensorFromView(run.value.subarray(0, TBH), [T * B, H]), tensorFromView(run.value.subarray(TBH, TBH + B * H), [B, H])];
    if (hasCell) outputs.push(tensorFromView(run.value.subarray(TBH + B * H, TBH + 2 * B * H), [B, H]));
    const gradFunc = (dys: tf.Tensor[]): (() => tf.Tensor)[] => {
      if (!run.backward) throw new Error('fused RNN kernel: a gradient was asked of a pass that was not recorded');
      const [dy, dh, dc] = dys.map(read); // [T·B, H], [B, H], [B, H]
      const g = run.backward({ dys: padded(dy, H), dh, dc });
      const grads = [
        tensorFromView(g.dWeightIh, [GH, F]),
        tensorFromView(g.dWeightHh, [GH, H]),
        tensorFromView(g.dBiasIh, [GH]),
        tensorFromView(g.dBiasHh, [GH]),
        tensorFromView(g.dh0, [B, H]),
      ];
      if (hasCell) grads.push(tensorFromView(g.dc0!, [B, H]));
      // ∂L/∂x only when tfjs asks for it, which it does first if at all (inputs in order, only
      // those a gradient flows to): the first layer's input, data, needs none. Whichever is asked
      // first settles it, and what dx() reads is given back.
      let settled = false;
      const settle = () => {
        if (!settled) g.done();
        settled = true;
      };
      const dx = () => {
        if (settled) throw new Error('fused RNN kernel: ∂L/∂x was asked after another input\'s gradient');
        try {
          return tf.transpose(tensorFromView(g.dx(), [T, B, F]), [1, 0, 2]); // [B, T, F]
        } finally {
          settle();
        }
      };
      return [dx, ...grads.map((t) => () => (settle(), t))];
    };
    return { outputs, gradFunc };
  };

  const inputs: tf.Tensor[] = [x, weights.weightIh, weights.weightHh, weights.biasIh, weights.biasHh, state0.h];
  if (hasCell) inputs.push(state0.c!);
  const [ys, h, c] = multiOutputGrad(kernel, inputs); // [T·B, H], [B, H], [B, H]
  const outputs = tf.transpose(tf.reshape(ys, [T, B, H]), [1, 0, 2]) as tf.Tensor3D; // [B, T, H]
  const state: CellState = { h: h as tf.Tensor2D };
  if (hasCell) state.c = c as tf.Tensor2D;
  return { outputs, state };
}
