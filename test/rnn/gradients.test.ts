// Autodiff through RnnStack.apply against central finite differences, for every cell kind,
// along fixed pseudo-random directions in the input and in each weight tensor.
import { describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { RnnStack, type RnnStackOptions } from '../../src/index.ts';
import { fixedLoss, uniformArray } from './helpers.ts';

const B = 2;
const T = 4;
const F = 3;
const H = 3;
const lengths = [4, 2];

const cells: { label: string; options: RnnStackOptions; eps: number }[] = [
  { label: 'SimpleRNN tanh', options: { cell: 'simple', inputSize: F, hiddenSize: H }, eps: 1e-2 },
  { label: 'SimpleRNN relu', options: { cell: 'simple', nonlinearity: 'relu', inputSize: F, hiddenSize: H }, eps: 1e-3 },
  { label: 'LSTM', options: { cell: 'lstm', inputSize: F, hiddenSize: H }, eps: 1e-2 },
  { label: 'GRU reset-after', options: { cell: 'gru', inputSize: F, hiddenSize: H }, eps: 1e-2 },
  { label: 'GRU lecture', options: { cell: 'gru', gruForm: 'lecture', inputSize: F, hiddenSize: H }, eps: 1e-2 },
  { label: 'MGU', options: { cell: 'mgu', inputSize: F, hiddenSize: H }, eps: 1e-2 },
];

/** |finite difference − autodiff| ≤ 1e-2 · max(|autodiff|, 0.1). */
function expectDirectionalMatch(fd: number, ad: number, label: string): void {
  expect(Math.abs(fd - ad), `${label}: finite difference ${fd} vs autodiff ${ad}`).toBeLessThanOrEqual(
    1e-2 * Math.max(Math.abs(ad), 0.1),
  );
}

describe('gradients of RnnStack.apply match finite differences', () => {
  for (const kernel of ['reference', 'fused'] as const) for (const { label, options, eps } of cells) {
    it(`${label} (${kernel} kernel), bidirectional, ragged lengths: d/dx and d/d every weight`, () => {
      const stack = new RnnStack({ ...options, kernel, bidirectional: true, seed: 11 });
      const isLstm = options.cell === 'lstm';
      const x = tf.tensor3d(uniformArray(B * T * F, 1), [B, T, F]);
      const R = tf.tensor3d(uniformArray(B * T * 2 * H, 2), [B, T, 2 * H]);
      const Rh = tf.tensor3d(uniformArray(2 * B * H, 3), [2, B, H]);
      const Rc = isLstm ? tf.tensor3d(uniformArray(2 * B * H, 4), [2, B, H]) : undefined;
      const loss = (xx: tf.Tensor) => fixedLoss(stack.apply(xx as tf.Tensor3D, { lengths }), R, Rh, Rc);
      const lossValue = (xx: tf.Tensor) => tf.tidy(() => loss(xx).dataSync()[0]);

      // d/dx along v
      const v = tf.tensor3d(uniformArray(B * T * F, 5), [B, T, F]);
      const [gx] = tf.grads(loss)([x]);
      const adX = tf.sum(tf.mul(gx, v)).dataSync()[0];
      const fdX = tf.tidy(() => (lossValue(tf.add(x, tf.mul(eps, v))) - lossValue(tf.sub(x, tf.mul(eps, v)))) / (2 * eps));
      expectDirectionalMatch(fdX, adX, 'dL/dx');

      // d/dW along a direction, for every weight tensor
      const { grads } = tf.variableGrads(() => loss(x));
      stack.trainableWeights.forEach((w, i) => {
        const dir = tf.tensor(uniformArray(w.size, 100 + i), w.shape);
        const ad = tf.sum(tf.mul(grads[w.name], dir)).dataSync()[0];
        const original = w.clone();
        w.assign(tf.tidy(() => tf.add(original, tf.mul(eps, dir))));
        const plus = lossValue(x);
        w.assign(tf.tidy(() => tf.sub(original, tf.mul(eps, dir))));
        const minus = lossValue(x);
        w.assign(original);
        expectDirectionalMatch((plus - minus) / (2 * eps), ad, `dL/d${stack.weightNames[i]}`);
        tf.dispose([dir, original]);
      });
      tf.dispose([x, R, Rh, Rc, v, gx, ...Object.values(grads)]);
      stack.dispose();
    });
  }

  it('an optimizer minimises a loss through apply (gradients reach every weight)', () => {
    const stack = new RnnStack({ cell: 'lstm', inputSize: F, hiddenSize: H, numLayers: 2, seed: 3 });
    const x = tf.tensor3d(uniformArray(B * T * F, 7), [B, T, F]);
    const target = tf.tensor3d(uniformArray(B * T * H, 8), [B, T, H]);
    const optimizer = tf.train.adam(0.05);
    const mse = () => tf.losses.meanSquaredError(target, stack.apply(x).outputs) as tf.Scalar;
    const first = tf.tidy(() => mse().dataSync()[0]);
    const before = stack.trainableWeights.map((w) => w.clone());
    for (let i = 0; i < 30; i++) optimizer.minimize(mse, true)?.dispose();
    const last = tf.tidy(() => mse().dataSync()[0]);
    expect(last).toBeLessThan(0.7 * first);
    stack.trainableWeights.forEach((w, i) => {
      const moved = tf.tidy(() => tf.max(tf.abs(tf.sub(w, before[i]))).dataSync()[0]);
      expect(moved, stack.weightNames[i]).toBeGreaterThan(0);
    });
    tf.dispose([x, target, ...before]);
    optimizer.dispose();
    stack.dispose();
  });

  it('gradients flow with a single step and a single layer (T = 1, L·D = 1)', () => {
    const stack = new RnnStack({ cell: 'gru', inputSize: F, hiddenSize: H, seed: 4 });
    const x = tf.tensor3d(uniformArray(B * F, 9), [B, 1, F]);
    const h0 = tf.tensor3d(uniformArray(B * H, 10), [1, B, H]);
    const [gx, gh] = tf.grads((xx: tf.Tensor, hh: tf.Tensor) =>
      tf.sum(stack.apply(xx as tf.Tensor3D, { initialStates: { h: hh as tf.Tensor3D } }).outputs),
    )([x, h0]);
    expect(gx.shape).toEqual([B, 1, F]);
    expect(gh.shape).toEqual([1, B, H]);
    expect(tf.tidy(() => tf.sum(tf.abs(gh)).dataSync()[0])).toBeGreaterThan(0);
    tf.dispose([x, h0, gx, gh]);
    stack.dispose();
  });
});
