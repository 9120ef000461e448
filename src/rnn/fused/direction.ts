/**
 * runFusedDirection: runDirection (layer.ts) computed by the fused sequence kernel. Same
 * arguments, same results, same gradients; the reference loop in layer.ts stays as the
 * specification it is tested against (test/rnn/fused-*.test.ts).
 */
import * as tf from '@tensorflow/tfjs';
import { CELLS, cellSpec, type CellKind, type CellSpec, type CellState } from '../cell.ts';
import { checkDirectionArgs, runDirection, type RunDirectionOptions, type RunDirectionResult } from '../layer.ts';
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
  const { stateNames } = CELLS[spec.kind];
  const [B, T] = x.shape;
  if (T === 0) return runDirection(spec, weights, x, { mask, state0, reverse }); // nothing to fuse
  const H = checkDirectionArgs(spec, weights, x, { mask, state0 });
  return tf.tidy(() => {
    const initial: CellState = { h: state0?.h ?? tf.zeros([B, H]) };
    if (stateNames.includes('c')) initial.c = state0?.c ?? tf.zeros([B, H]);
    const maskValues = mask ? (tf.cast(mask, 'float32') as tf.Tensor2D) : undefined; // [B, T]
    return fusedDirection(spec, weights, x, { mask: maskValues, state0: initial, reverse });
  });
}
