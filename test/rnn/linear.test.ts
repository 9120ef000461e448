// linearProduct(x, W) = x Wᵀ with hand-attached gradients equals tfjs's own matMul(x, W, false,
// true) and its autodiff gradients (on sori's native kernels where they load, else on tfjs's matMul).
import { describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { applyLinear, applyLinearSteps, linearProduct } from '../../src/nn/linear.ts';
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

  it('applyLinearSteps is the mask times applyLinear, values and gradients, on a ragged batch (B = 3)', () => {
    const layer = { weight: tf.variable(tf.tensor2d(uniformArray(5 * 7, 7), [5, 7])) };
    const x = tf.tensor3d(uniformArray(3 * 4 * 7, 8), [3, 4, 7]); // not 0 at padding: the mask decides
    const r = tf.tensor3d(uniformArray(3 * 4 * 5, 9), [3, 4, 5]);
    const lengths = [4, 1, 2];
    const mask = tf.tensor3d(lengths.flatMap((len) => [0, 1, 2, 3].map((t) => (t < len ? 1 : 0))), [3, 4, 1]);
    const grads = (f: (a: tf.Tensor3D) => tf.Tensor) => {
      const { value, grads: g } = tf.variableGrads(() => tf.sum(tf.mul(f(x), r)) as tf.Scalar, [layer.weight]);
      const [dx] = tf.grads((a: tf.Tensor) => tf.sum(tf.mul(f(a as tf.Tensor3D), r)))([x]);
      return [value, g[layer.weight.name], dx];
    };
    const ours = grads((a) => applyLinearSteps(layer, a, lengths));
    const theirs = grads((a) => tf.mul(applyLinear(layer, a), mask));
    expectClose(applyLinearSteps(layer, x, lengths), tf.mul(applyLinear(layer, x), mask).arraySync() as number[][][], 1e-5, 'm ⊙ x Wᵀ');
    ours.forEach((t, i) => expectClose(t, theirs[i].arraySync() as number, 1e-5, ['loss', '∂W', '∂x'][i]));
    tf.dispose([layer.weight, x, r, mask, ...ours, ...theirs]);
  });

  it('names the shapes when x and W disagree on I', () => {
    const x = tf.zeros([2, 3]) as tf.Tensor2D;
    const w = tf.zeros([4, 5]) as tf.Tensor2D;
    expect(() => linearProduct(x, w)).toThrow(/x \[2,3\] and weight \[4,5\]/);
    tf.dispose([x, w]);
  });
});
