// The lecture's worked example: one SimpleRNN layer over 5 input features and T = 3 steps,
// X = [[1,1,1,1,1], [2,2,2,2,2], [3,3,3,3,3]], against h_t = tanh(W x_t + U h_{t−1} + b)
// computed here by hand with plain arithmetic.
import { describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { RnnStack, simpleStep } from '../../src/index.ts';
import { expectClose } from './helpers.ts';

const X = [
  [1, 1, 1, 1, 1],
  [2, 2, 2, 2, 2],
  [3, 3, 3, 3, 3],
];
// H = 2 hidden units, hand-picked weights.
const W = [
  [0.1, 0.1, 0.1, 0.1, 0.1],
  [0.2, 0.0, -0.2, 0.0, 0.1],
];
const U = [
  [0.5, -0.3],
  [0.2, 0.4],
];
const b = [0.1, -0.1];

/** h_t = tanh(W x_t + U h_{t−1} + b), h_0 = 0, unrolled by hand. */
function byHand(): number[][] {
  const hs: number[][] = [];
  let hPrev = [0, 0];
  for (const x of X) {
    const h = [0, 1].map((j) => {
      const wx = W[j].reduce((acc, w, k) => acc + w * x[k], 0);
      const uh = U[j][0] * hPrev[0] + U[j][1] * hPrev[1];
      return Math.tanh(wx + uh + b[j]);
    });
    hs.push(h);
    hPrev = h;
  }
  return hs;
}

describe('the lecture worked example (SimpleRNN, F = 5, T = 3)', () => {
  it('the stack outputs h_1, h_2, h_3 of the formula and h_3 as final state', () => {
    const expected = byHand();
    // W x_1 = [0.5, 0.1]: h_1 = tanh([0.6, 0.0])
    expect(expected[0][0]).toBeCloseTo(Math.tanh(0.6), 12);
    expect(expected[0][1]).toBeCloseTo(0, 12);

    const stack = new RnnStack({ cell: 'simple', inputSize: 5, hiddenSize: 2 });
    stack.loadTorchStateDict({ weight_ih_l0: W, weight_hh_l0: U, bias_ih_l0: b, bias_hh_l0: [0, 0] });
    const x = tf.tensor3d([X]); // [1, 3, 5]
    const { outputs, states } = stack.apply(x);
    expectClose(outputs, [expected], 1e-6, 'outputs');
    expectClose(states.h, [[expected[2]]], 1e-6, 'h_n');
    tf.dispose([x, outputs, states.h]);
    stack.dispose();
  });

  it('simpleStep computes one step of the same formula', () => {
    const weights = {
      weightIh: tf.tensor2d(W),
      weightHh: tf.tensor2d(U),
      biasIh: tf.tensor1d([0, 0]),
      biasHh: tf.tensor1d(b),
    };
    const h0 = tf.zeros([1, 2]) as tf.Tensor2D;
    const x1 = tf.tensor2d([X[0]]);
    const { h } = simpleStep(weights, x1, { h: h0 });
    expectClose(h, [byHand()[0]], 1e-6, 'h_1');
    tf.dispose([...Object.values(weights), h0, x1, h]);
  });
});
