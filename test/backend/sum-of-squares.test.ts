import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { nativeSumOfSquares } from '../../src/backend/sum-of-squares.ts';
import { nativeKernels } from '../../src/native/kernels.ts';

describe.runIf(nativeKernels())('nativeSumOfSquares', () => {
  it('sums the squares of every entry of every tensor (sizes 1, 7, 4·3·5), as a float64 loop does', () => {
    const tensors = [tf.tensor1d([3]), tf.randomNormal([7], 0, 1, 'float32', 1), tf.randomNormal([4, 3, 5], 0, 2, 'float32', 2)];
    let expected = 0;
    for (const t of tensors) for (const v of t.dataSync()) expected += v * v;
    expect(nativeSumOfSquares(tensors)).toBeCloseTo(expected, 9);
    expect(nativeSumOfSquares([])).toBe(0);
    tf.dispose(tensors);
  });
});
