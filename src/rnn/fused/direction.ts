/**
 * runFusedDirection: runDirection (layer.ts) computed by the fused sequence kernel. Same
 * arguments, same results, same gradients; the reference loop in layer.ts stays as the
 * specification it is tested against (test/rnn/fused-*.test.ts).
 */
import * as tf from '@tensorflow/tfjs';
import { checkDim, checkRank } from '../../check.ts';
import { CELLS, cellSpec, type CellKind, type CellSpec, type CellState } from '../cell.ts';
import { runDirection, type RunDirectionOptions, type RunDirectionResult } from '../layer.ts';
import type { CellWeights } from '../weights.ts';
import { fusedDirection } from './sequence.ts';

/** Which implementation runs the loop over time: the fused kernel or the autodiff reference. */
export type RnnKernel = 'fused' | 'reference';
export const RNN_KERNELS: readonly RnnKernel[] = ['fused', 'reference'];

/**
 * Run `cell` with `weights` over x [B, T, F] with the fused kernel. Returns outputs [B, T, H]
 * (0 at padded steps) and the final state h [B, H] (c [B, H]). Options as runDirection:
 * mask [B, T], state0 { h [B, H], c [B, H] }, reverse.
 */
export function runFusedDirection(
  cell: CellKind | CellSpec,
  weights: CellWeights,
  x: tf.Tensor3D,
  { mask, state0, reverse = false }: RunDirectionOptions = {},
): RunDirectionResult {
  const spec = cellSpec(cell);
  const { gates, stateNames } = CELLS[spec.kind];
  checkRank(x, 3, 'x', '[B, T, F]');
  const [B, T] = x.shape;
  const H = weights.weightHh.shape[1];
  if (T === 0) return runDirection(spec, weights, x, { mask, state0, reverse }); // nothing to fuse
  checkDim(weights.weightIh, 0, gates * H, 'weights.weightIh', `G·H = ${gates}·${H} for ${spec.kind}`);
  checkDim(weights.weightHh, 0, gates * H, 'weights.weightHh', `G·H = ${gates}·${H} for ${spec.kind}`);
  checkDim(x, 2, weights.weightIh.shape[1], 'x', 'the input size F of weights.weightIh [G·H, F]');
  if (mask) {
    checkRank(mask, 2, 'mask', '[B, T]');
    checkDim(mask, 0, B, 'mask', 'batch size B of x');
    checkDim(mask, 1, T, 'mask', 'steps T of x');
  }
  for (const name of stateNames) {
    const s = state0?.[name];
    if (state0 && !s) throw new Error(`state0.${name}: missing (a ${spec.kind} cell carries ${stateNames.join(', ')})`);
    if (!s) continue;
    checkRank(s, 2, `state0.${name}`, '[B, H]');
    checkDim(s, 0, B, `state0.${name}`, 'batch size B of x');
    checkDim(s, 1, H, `state0.${name}`, 'hidden size H');
  }
  return tf.tidy(() => {
    const initial: CellState = { h: state0?.h ?? tf.zeros([B, H]) };
    if (stateNames.includes('c')) initial.c = state0?.c ?? tf.zeros([B, H]);
    const maskValues = mask ? (tf.cast(mask, 'float32') as tf.Tensor2D) : undefined; // [B, T]
    return fusedDirection(spec, weights, x, { mask: maskValues, state0: initial, reverse });
  });
}
