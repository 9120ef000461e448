// linearProduct(x, W) = x Wᵀ with hand-attached gradients equals tfjs's own matMul(x, W, false,
// true) and its autodiff gradients (on sori's native kernels where they load, else on tfjs's matMul).
import { describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { linearProduct } from '../../src/nn/linear.ts';
import { expectClose, uniformArray } from './helpers.ts';
import { nativeKernels } from '../../src/native/kernels.ts';

describe('linearProduct', () => {
  it('value and gradients equal tf.matMul with the transpose flag', () => {
    const x = tf.tensor2d(uniformArray(5 * 3, 1), [5, 3]);
    const w = tf.tensor2d(uniformArray(4 * 3, 2), [4, 3]);
    const r = tf.tensor2d(uniformArray(5 * 4, 3), [5, 4]);
    const loss = (f: (a: tf.Tensor2D, b: tf.Tensor2D) => tf.Tensor) => (a: tf.Tensor, b: tf.Tensor) =>
      tf.sum(tf.mul(f(a as tf.Tensor2D, b as tf.Tensor2D), r));
    const ours = tf.grads(loss(linearProduct))([x, w]);
    const theirs = tf.grads(loss((a, b) => tf.matMul(a, b, false, true)))([x, w]);
    expectClose(linearProduct(x, w), tf.matMul(x, w, false, true).arraySync() as number[][], 1e-6, 'x Wᵀ');
    expectClose(ours[0], theirs[0].arraySync() as number[][], 1e-6, '∂L/∂x');
    expectClose(ours[1], theirs[1].arraySync() as number[][], 1e-6, '∂L/∂W');
    tf.dispose([x, w, r, ...ours, ...theirs]);
  });

  it('equals tf.matMul on shapes that fill no SIMD panel evenly, and leaves no tensor or module memory behind', () => {
    const x = tf.tensor2d(uniformArray(37 * 19, 4), [37, 19]);
    const w = tf.tensor2d(uniformArray(23 * 19, 5), [23, 19]);
    const r = tf.tensor2d(uniformArray(37 * 23, 6), [37, 23]);
    const loss = (f: (a: tf.Tensor2D, b: tf.Tensor2D) => tf.Tensor) => (a: tf.Tensor, b: tf.Tensor) =>
      tf.sum(tf.mul(f(a as tf.Tensor2D, b as tf.Tensor2D), r));
    const run = () => tf.grads(loss(linearProduct))([x, w]);
    tf.dispose(run());
    const tensors = tf.memory().numTensors;
    const bytes = nativeKernels()?.heap.allocatedBytes;
    const ours = run();
    expect(tf.memory().numTensors).toBe(tensors + 2);
    expect(nativeKernels()?.heap.allocatedBytes).toBe(bytes);
    const theirs = tf.grads(loss((a, b) => tf.matMul(a, b, false, true)))([x, w]);
    expectClose(linearProduct(x, w), tf.matMul(x, w, false, true).arraySync() as number[][], 1e-5, 'x Wᵀ');
    expectClose(ours[0], theirs[0].arraySync() as number[][], 1e-5, '∂L/∂x');
    expectClose(ours[1], theirs[1].arraySync() as number[][], 1e-5, '∂L/∂W');
    tf.dispose([x, w, r, ...ours, ...theirs]);
  });

  it('names the shapes when x and W disagree on I', () => {
    const x = tf.zeros([2, 3]) as tf.Tensor2D;
    const w = tf.zeros([4, 5]) as tf.Tensor2D;
    expect(() => linearProduct(x, w)).toThrow(/x \[2,3\] and weight \[4,5\]/);
    tf.dispose([x, w]);
  });
});
