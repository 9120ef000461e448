/**
 * Σ_k Σ_i g_{k,i}² over a list of float32 tensors (a global gradient norm's square) on sori's native
 * kernels (src/native/adam.h: squares and sums in float64), one pass per tensor instead of a square
 * and a sum op each.
 */
import type * as tf from '@tensorflow/tfjs';
import { nativeKernels } from '../native/kernels.ts';
import { copyFloat32 } from './read.ts';

/** Σ g² over every entry of `tensors` (float64), or null where the native kernels do not run. */
export function nativeSumOfSquares(tensors: readonly tf.Tensor[]): number | null {
  const k = nativeKernels();
  if (!k || tensors.some((t) => t.dtype !== 'float32')) return null;
  const largest = Math.max(0, ...tensors.map((t) => t.size));
  const at = k.heap.alloc(4 * largest);
  try {
    let total = 0;
    for (const t of tensors) {
      copyFloat32(t, k.f32(at, t.size));
      total += k.sum_squares(t.size, at);
    }
    return total;
  } finally {
    k.heap.release(at);
  }
}
