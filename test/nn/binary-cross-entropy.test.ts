// Binary and categorical cross-entropy against values computed by hand from their definitions.
import { describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { binaryCrossEntropy, categoricalCrossEntropy } from '../../src/index.ts';

const sigmoid = (z: number) => 1 / (1 + Math.exp(-z));

describe('binaryCrossEntropy', () => {
  it('is the mean of −y log σ(z) − (1 − y) log(1 − σ(z))', () => {
    const z = [0, 2, -1.5, 0.3];
    const y = [1, 0, 0, 1];
    const want = z.reduce((s, zi, i) => s - (y[i] * Math.log(sigmoid(zi)) + (1 - y[i]) * Math.log(1 - sigmoid(zi))), 0) / z.length;
    const got = binaryCrossEntropy(tf.tensor1d(z), tf.tensor1d(y)).dataSync()[0];
    expect(got).toBeCloseTo(want, 6);
  });

  it('at z = 0 is log 2 whatever the label', () => {
    expect(binaryCrossEntropy(tf.tensor1d([0, 0]), tf.tensor1d([0, 1])).dataSync()[0]).toBeCloseTo(Math.LN2, 6);
  });

  it('stays finite and exact for large logits (|z| = 100: loss 100 when wrong, 0 when right)', () => {
    expect(binaryCrossEntropy(tf.tensor1d([100]), tf.tensor1d([0])).dataSync()[0]).toBeCloseTo(100, 4);
    expect(binaryCrossEntropy(tf.tensor1d([-100]), tf.tensor1d([1])).dataSync()[0]).toBeCloseTo(100, 4);
    expect(binaryCrossEntropy(tf.tensor1d([100]), tf.tensor1d([1])).dataSync()[0]).toBeCloseTo(0, 6);
  });

  it('has gradient (σ(z) − y) / B', () => {
    const z = tf.tensor1d([0.5, -2]);
    const y = tf.tensor1d([1, 0]);
    const g = tf.grad((zz: tf.Tensor) => binaryCrossEntropy(zz as tf.Tensor1D, y))(z).arraySync() as number[];
    expect(g[0]).toBeCloseTo((sigmoid(0.5) - 1) / 2, 6);
    expect(g[1]).toBeCloseTo(sigmoid(-2) / 2, 6);
  });

  it('names a length mismatch', () => {
    expect(() => binaryCrossEntropy(tf.tensor1d([1, 2]), tf.tensor1d([1]))).toThrow(/targets: expected 2 entries/);
  });
});

describe('categoricalCrossEntropy', () => {
  it('is the mean of −log softmax(z)[y]', () => {
    const z = [
      [1, 2, 3],
      [0, 0, 0],
    ];
    const y = [2, 0];
    const lse = (r: number[]) => Math.log(r.reduce((s, v) => s + Math.exp(v), 0));
    const want = (lse(z[0]) - 3 + (lse(z[1]) - 0)) / 2;
    expect(categoricalCrossEntropy(tf.tensor2d(z), tf.tensor1d(y, 'int32')).dataSync()[0]).toBeCloseTo(want, 6);
  });

  it('for two classes equals the binary loss of the logit difference', () => {
    const z = tf.tensor2d([[0.2, 1.1], [0.5, -0.7]]);
    const y = [1, 0];
    const binary = binaryCrossEntropy(tf.tensor1d([0.9, -1.2]), tf.tensor1d(y)).dataSync()[0];
    expect(categoricalCrossEntropy(z, tf.tensor1d(y, 'int32')).dataSync()[0]).toBeCloseTo(binary, 6);
  });
});
