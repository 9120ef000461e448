// No tensor leaks: repeated forward + backward passes leave tf.memory().numTensors unchanged.
import { describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { RnnStack, type CellKind } from '../../src/index.ts';
import { uniformArray } from './helpers.ts';

describe('no tensor leaks', () => {
  for (const cell of ['simple', 'lstm', 'gru', 'mgu'] as CellKind[]) {
    it(`${cell}: forward and backward with lengths, initial states and dropout`, () => {
      const stack = new RnnStack({ cell, inputSize: 3, hiddenSize: 4, numLayers: 2, bidirectional: true, dropout: 0.3, seed: 31 });
      const x = tf.tensor3d(uniformArray(2 * 5 * 3, 32), [2, 5, 3]);
      const h0 = tf.zeros([4, 2, 4]) as tf.Tensor3D;
      const c0 = cell === 'lstm' ? (tf.zeros([4, 2, 4]) as tf.Tensor3D) : undefined;
      const pass = () => {
        const r = stack.apply(x, { lengths: [5, 3], initialStates: { h: h0, ...(c0 ? { c: c0 } : {}) }, training: true });
        tf.dispose([r.outputs, r.states.h, r.states.c]);
        const { value, grads } = tf.variableGrads(() =>
          tf.sum(stack.apply(x, { lengths: [5, 3], training: true }).outputs) as tf.Scalar,
        );
        tf.dispose([value, ...Object.values(grads)]);
        const g = tf.grads((xx: tf.Tensor) => tf.sum(stack.apply(xx as tf.Tensor3D).outputs))([x]);
        tf.dispose(g);
      };
      pass();
      const before = tf.memory().numTensors;
      for (let i = 0; i < 3; i++) pass();
      expect(tf.memory().numTensors).toBe(before);
      tf.dispose([x, h0, c0]);
      stack.dispose();
    });
  }

  it('dispose frees the weights', () => {
    const before = tf.memory().numTensors;
    const stack = new RnnStack({ cell: 'lstm', inputSize: 3, hiddenSize: 4, numLayers: 2 });
    expect(tf.memory().numTensors).toBe(before + 8);
    stack.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });
});
