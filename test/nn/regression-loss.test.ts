// Masked MSE and MAE: values by hand, masked entries carry no gradient, all-masked gives 0.
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { maskedMae, maskedMse, regressionLoss } from '../../src/index.ts';

const pred = tf.tensor2d([[1, 2], [3, 10]]);
const target = tf.tensor2d([[0, 4], [3, -100]]);
const mask = tf.tensor2d([[1, 1], [1, 0]]);

describe('masked regression losses', () => {
  it('MSE averages the squared errors of the kept entries: (1 + 4 + 0) / 3', () => {
    expect(maskedMse(pred, target, mask).dataSync()[0]).toBeCloseTo(5 / 3, 6);
  });

  it('MAE averages the absolute errors of the kept entries: (1 + 2 + 0) / 3', () => {
    expect(maskedMae(pred, target, mask).dataSync()[0]).toBeCloseTo(1, 6);
  });

  it('gives masked entries no gradient', () => {
    for (const loss of [maskedMse, maskedMae]) {
      const g = tf.grad((p: tf.Tensor) => loss(p, target, mask))(pred).arraySync() as number[][];
      expect(g[1][1]).toBe(0);
      expect(g[0][0]).not.toBe(0);
    }
  });

  it('is 0 when every entry is masked', () => {
    expect(maskedMse(pred, target, tf.zerosLike(mask)).dataSync()[0]).toBe(0);
  });

  it('names a shape that does not match the predictions', () => {
    expect(() => maskedMae(pred, tf.zeros([2, 3]), mask)).toThrow(/target has shape \[2,3\], the predictions \[2,2\]/);
  });

  it('rejects an unknown loss name', () => {
    expect(() => regressionLoss('huber' as 'mse')).toThrow(/expected one of mse, mae, got 'huber'/);
  });
});
