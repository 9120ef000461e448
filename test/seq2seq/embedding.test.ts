// embeddingLookup: rows of the table forward, gradients summed back onto the rows (by hand).
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { embeddingLookup } from '../../src/nn/embedding.ts';

describe('embeddingLookup', () => {
  const table = tf.tensor2d([[1, 2], [3, 4], [5, 6]]); // V 3, E 2
  const ids = tf.tensor2d([[2, 0], [2, 2]], undefined, 'int32'); // [2, 2]

  it('gives the rows of the ids, shaped [..., E]', () => {
    const e = embeddingLookup(table, ids);
    expect(e.shape).toEqual([2, 2, 2]);
    expect(e.arraySync()).toEqual([[[5, 6], [1, 2]], [[5, 6], [5, 6]]]);
  });

  it('sums the gradient of every use of a row into that row (row 2 used three times, row 1 never)', () => {
    const weights = tf.tensor3d([[[1, 10], [2, 20]], [[3, 30], [4, 40]]]); // ∂L/∂e
    const [dTable] = tf.grads((t: tf.Tensor) => tf.sum(tf.mul(embeddingLookup(t as tf.Tensor2D, ids), weights)))([table]);
    expect(dTable.arraySync()).toEqual([[2, 20], [0, 0], [1 + 3 + 4, 10 + 30 + 40]]);
  });

  it('names an id outside the table', () => {
    expect(() => embeddingLookup(table, tf.tensor1d([1, 3], 'int32'))).toThrow(/ids must be in \[0, 3\), got 3 at flat index 1/);
  });
});
