/**
 * runFusedDirection / runNativeDirection: runDirection (layer.ts) computed by the fused sequence
 * kernel, with the loop over time in JavaScript (js-loop.ts) or in sori's WebAssembly SIMD
 * kernels (native-loop.ts). Same arguments, same results, same gradients; the reference loop in
 * layer.ts stays as the specification both are tested against (test/rnn/bptt.test.ts).
 */
import * as tf from '@tensorflow/tfjs';
import { CELLS, cellSpec, type CellKind, type CellSpec, type CellState } from '../cell.ts';
import { checkDirectionArgs, runDirection, type RunDirectionOptions, type RunDirectionResult } from '../layer.ts';
import type { CellWeights } from '../weights.ts';
import { fusedDirection } from './sequence.ts';
import type { SequenceLoop } from './loop.ts';
import { jsLoop } from './js-loop.ts';
import { nativeLoop } from './native-loop.ts';
import { nativeKernelsUnavailable } from '../../native/kernels.ts';

/**
 * Which implementation runs the loop over time:
 *   'native'     sori's WebAssembly SIMD kernels (src/native/kernels.c), hand-written BPTT
 *   'fused'      the same BPTT with the gate arithmetic in JavaScript and the matrix products on
 *                the tensor backend (where WebAssembly SIMD is missing)
 *   'reference'  runDirection, differentiated by autodiff (the specification)
 */
export type RnnKernel = 'native' | 'fused' | 'reference';
export const RNN_KERNELS: readonly RnnKernel[] = ['native', 'fused', 'reference'];

/** The fastest kernel here: 'native' where WebAssembly SIMD runs, else 'fused'. */
export function defaultRnnKernel(): RnnKernel {
  return nativeKernelsUnavailable() === '' ? 'native' : 'fused';
}

/** Why kernel 'native' cannot run here ('' when it can): the kernels' own reason. */
export const nativeKernelUnavailable = nativeKernelsUnavailable;

function run(
  loop: SequenceLoop,
  cell: CellKind | CellSpec,
  weights: CellWeights,
  x: tf.Tensor3D,
  { mask, state0, reverse = false }: RunDirectionOptions,
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
    return fusedDirection(spec, weights, x, { mask: maskValues, state0: initial, reverse, loop });
  });
}

/**
 * Run `cell` with `weights` over x [B, T, F] with the fused kernel (gate arithmetic in
 * JavaScript). Returns outputs [B, T, H] (0 at padded steps) and the final state h [B, H]
 * (c [B, H]). Options as runDirection: mask [B, T], state0 { h [B, H], c [B, H] }, reverse.
 */
export function runFusedDirection(
  cell: CellKind | CellSpec,
  weights: CellWeights,
  x: tf.Tensor3D,
  options: RunDirectionOptions = {},
): RunDirectionResult {
  return run(jsLoop, cell, weights, x, options);
}

/**
 * runFusedDirection with the loop in sori's WebAssembly SIMD kernels. Same arguments and
 * results; throws, naming the reason, where nativeKernelUnavailable() is not ''.
 */
export function runNativeDirection(
  cell: CellKind | CellSpec,
  weights: CellWeights,
  x: tf.Tensor3D,
  options: RunDirectionOptions = {},
): RunDirectionResult {
  const why = nativeKernelUnavailable();
  if (why) throw new Error(`kernel 'native': ${why}`);
  return run(nativeLoop, cell, weights, x, options);
}
