// MGU and the lecture's GRU form, which PyTorch lacks, against steps computed by hand from the
// equations (plain arithmetic, H = 2, F = 2, hand-picked weights).
import { describe, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { RnnStack, gruStep, mguStep, type CellWeights } from '../../src/index.ts';
import { expectClose } from './helpers.ts';

const sigma = (v: number) => 1 / (1 + Math.exp(-v));
/** Row j of M times v. */
const dot = (row: number[], v: number[]) => row.reduce((acc, m, k) => acc + m * v[k], 0);

const x1 = [0.5, -1.0];
const x2 = [1.5, 0.25];
const hPrev = [0.3, -0.6];

// Gate blocks stacked along rows: block g is rows [2g, 2g + 2).
const mgu = {
  // f rows 0-1, n rows 2-3
  W: [
    [0.2, -0.4],
    [0.7, 0.1],
    [-0.5, 0.3],
    [0.6, 0.9],
  ],
  U: [
    [0.3, 0.8],
    [-0.2, 0.5],
    [0.4, -0.7],
    [0.1, 0.2],
  ],
  bIh: [0.1, -0.2, 0.05, 0.3],
  bHh: [0.0, 0.15, -0.1, 0.2],
};

/** MGU: f = σ(W_f x + U_f h + b_f); h̃ = tanh(W_n x + U_n (f ⊙ h) + b_n); h' = (1 − f) ⊙ h + f ⊙ h̃. */
function mguByHand(x: number[], h: number[]): number[] {
  const f = [0, 1].map((j) => sigma(dot(mgu.W[j], x) + mgu.bIh[j] + dot(mgu.U[j], h) + mgu.bHh[j]));
  const fh = h.map((v, j) => f[j] * v);
  const candidate = [0, 1].map((j) =>
    Math.tanh(dot(mgu.W[2 + j], x) + mgu.bIh[2 + j] + dot(mgu.U[2 + j], fh) + mgu.bHh[2 + j]),
  );
  return [0, 1].map((j) => (1 - f[j]) * h[j] + f[j] * candidate[j]);
}

const gru = {
  // r rows 0-1, z rows 2-3, n rows 4-5
  W: [
    [0.2, -0.4],
    [0.7, 0.1],
    [-0.5, 0.3],
    [0.6, 0.9],
    [0.25, -0.35],
    [-0.8, 0.45],
  ],
  U: [
    [0.3, 0.8],
    [-0.2, 0.5],
    [0.4, -0.7],
    [0.1, 0.2],
    [0.9, -0.3],
    [0.35, 0.6],
  ],
  bIh: [0.1, -0.2, 0.05, 0.3, -0.15, 0.2],
  bHh: [0.0, 0.15, -0.1, 0.2, 0.25, -0.05],
};

/** Lecture GRU: r, z gates; h̃ = tanh(W_n x + U_n (r ⊙ h) + b_n); h' = (1 − z) ⊙ h̃ + z ⊙ h. */
function lectureGruByHand(x: number[], h: number[]): number[] {
  const gate = (block: number) =>
    [0, 1].map((j) => sigma(dot(gru.W[2 * block + j], x) + gru.bIh[2 * block + j] + dot(gru.U[2 * block + j], h) + gru.bHh[2 * block + j]));
  const r = gate(0);
  const z = gate(1);
  const rh = h.map((v, j) => r[j] * v);
  const candidate = [0, 1].map((j) => Math.tanh(dot(gru.W[4 + j], x) + gru.bIh[4 + j] + dot(gru.U[4 + j], rh) + gru.bHh[4 + j]));
  return [0, 1].map((j) => (1 - z[j]) * candidate[j] + z[j] * h[j]);
}

function weightsOf(w: typeof mgu): CellWeights {
  return {
    weightIh: tf.tensor2d(w.W),
    weightHh: tf.tensor2d(w.U),
    biasIh: tf.tensor1d(w.bIh),
    biasHh: tf.tensor1d(w.bHh),
  };
}

describe('cells PyTorch lacks, against the equations by hand', () => {
  it('mguStep computes one MGU step', () => {
    const weights = weightsOf(mgu);
    const x = tf.tensor2d([x1]);
    const h0 = tf.tensor2d([hPrev]);
    const { h } = mguStep(weights, x, { h: h0 });
    expectClose(h, [mguByHand(x1, hPrev)], 1e-6, 'h_t');
    tf.dispose([...Object.values(weights), x, h0, h]);
  });

  it("gruStep with form 'lecture' computes one step of h̃ = tanh(W[r ⊙ h_{t−1}, x_t] + b)", () => {
    const weights = weightsOf(gru);
    const x = tf.tensor2d([x1]);
    const h0 = tf.tensor2d([hPrev]);
    const { h } = gruStep(weights, x, { h: h0 }, { form: 'lecture' });
    expectClose(h, [lectureGruByHand(x1, hPrev)], 1e-6, 'h_t');
    tf.dispose([...Object.values(weights), x, h0, h]);
  });

  it('an MGU stack runs the hand-computed recursion over two steps from an initial state', () => {
    const stack = new RnnStack({ cell: 'mgu', inputSize: 2, hiddenSize: 2 });
    stack.loadTorchStateDict({ weight_ih_l0: mgu.W, weight_hh_l0: mgu.U, bias_ih_l0: mgu.bIh, bias_hh_l0: mgu.bHh });
    const h1 = mguByHand(x1, hPrev);
    const h2 = mguByHand(x2, h1);
    const x = tf.tensor3d([[x1, x2]]);
    const h0 = tf.tensor3d([[hPrev]]);
    const { outputs, states } = stack.apply(x, { initialStates: { h: h0 } });
    expectClose(outputs, [[h1, h2]], 1e-6, 'outputs');
    expectClose(states.h, [[h2]], 1e-6, 'h_n');
    tf.dispose([x, h0, outputs, states.h]);
    stack.dispose();
  });

  it("a GRU stack with gruForm 'lecture' runs the hand-computed recursion over two steps", () => {
    const stack = new RnnStack({ cell: 'gru', gruForm: 'lecture', inputSize: 2, hiddenSize: 2 });
    stack.loadTorchStateDict({ weight_ih_l0: gru.W, weight_hh_l0: gru.U, bias_ih_l0: gru.bIh, bias_hh_l0: gru.bHh });
    const h1 = lectureGruByHand(x1, [0, 0]);
    const h2 = lectureGruByHand(x2, h1);
    const x = tf.tensor3d([[x1, x2]]);
    const { outputs, states } = stack.apply(x);
    expectClose(outputs, [[h1, h2]], 1e-6, 'outputs');
    expectClose(states.h, [[h2]], 1e-6, 'h_n');
    tf.dispose([x, outputs, states.h]);
    stack.dispose();
  });
});
