// maskedMeanMax: mean and max over the real steps in one op, with its gradient written out.
// Reference values are worked by hand; the gradient is checked against finite differences.
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { maskedMeanMax } from '../../src/classify/masked-mean-max.ts';

// B = 2, T = 3, F = 2; sample 0 has 2 real steps, sample 1 none (an empty text).
const y = () =>
  tf.tensor3d(
    [
      [[1, -4], [3, -2], [100, 100]], // step 3 is padding: never read
      [[5, 6], [7, 8], [9, 10]],
    ],
    [2, 3, 2],
  );
const mask = () => tf.tensor2d([[1, 1, 0], [0, 0, 0]], [2, 3]);

describe('maskedMeanMax', () => {
  it('pools the real steps only: mean (1+3)/2, (−4−2)/2 and max 3, −2; an empty sample pools to zeros', () => {
    const out = maskedMeanMax(y(), mask());
    expect(out.shape).toEqual([2, 4]);
    expect(Array.from(out.dataSync())).toEqual([2, -3, 3, -2, 0, 0, 0, 0]);
  });

  it('sends the mean gradient 1/n to every real step and the max gradient to the first step holding the maximum', () => {
    const ties = tf.tensor3d([[[2, 0], [2, 1], [0, 0]]], [1, 3, 2]); // feature 0 ties at steps 1 and 2
    const m = tf.tensor2d([[1, 1, 1]], [1, 3]);
    const dy = tf.tensor2d([[3, 6, 10, 20]], [1, 4]); // ∂L/∂[mean₀, mean₁, max₀, max₁]
    const g = tf.grad((x: tf.Tensor) => tf.sum(tf.mul(maskedMeanMax(x as tf.Tensor3D, m), dy)))(ties);
    // mean: 3/3 = 1 and 6/3 = 2 everywhere; max₀ (10) to step 1 only, max₁ (20) to step 2
    expect(Array.from(g.dataSync())).toEqual([11, 2, 1, 22, 1, 2]);
  });

  it('matches finite differences (no ties), and gives padded steps no gradient', () => {
    const x0 = tf.tensor3d([[[0.3, -1.2], [0.9, 0.4], [-0.5, 2.0]], [[1.1, 0.2], [-0.7, 0.8], [0.05, -0.3]]], [2, 3, 2]);
    const m = tf.tensor2d([[1, 1, 1], [1, 1, 0]], [2, 3]);
    const w = tf.tensor2d([[0.5, -1, 2, 0.25], [1.5, 0.7, -0.4, 1]], [2, 4]);
    const f = (x: tf.Tensor) => tf.sum(tf.mul(maskedMeanMax(x as tf.Tensor3D, m), w));
    const analytic = tf.grad(f)(x0).dataSync();
    const base = x0.dataSync();
    const eps = 1e-3;
    for (let i = 0; i < base.length; i++) {
      const plus = Float32Array.from(base);
      const minus = Float32Array.from(base);
      plus[i] += eps;
      minus[i] -= eps;
      const numeric = (f(tf.tensor3d(plus, [2, 3, 2])).dataSync()[0] - f(tf.tensor3d(minus, [2, 3, 2])).dataSync()[0]) / (2 * eps);
      expect(analytic[i], `element ${i}`).toBeCloseTo(numeric, 3);
    }
    expect(analytic[10]).toBe(0); // sample 1, step 3 (padding)
    expect(analytic[11]).toBe(0);
  });

  it('leaves no tensor behind, forward and backward', () => {
    const x = y();
    const m = mask();
    const before = tf.memory().numTensors;
    tf.dispose(tf.grad((t: tf.Tensor) => tf.sum(maskedMeanMax(t as tf.Tensor3D, m)))(x));
    tf.dispose(maskedMeanMax(x, m));
    expect(tf.memory().numTensors).toBe(before);
  });

  it('names a mask whose shape is not [B, T] of y', () => {
    expect(() => maskedMeanMax(y(), tf.ones([2, 4]) as tf.Tensor2D)).toThrow(/mask: expected \[B, T\] = \[2, 3\] as y, got \[2, 4\]/);
  });
});
