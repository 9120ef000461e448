// What the RnnStack options do: PyTorch's weight names and shapes, seeded initialisation in
// U(−1/√H, 1/√H), dropout between layers in training only.
import { describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { RnnStack } from '../../src/index.ts';
import { uniformArray } from './helpers.ts';

describe('RnnStack options', () => {
  it("names and shapes the weights as PyTorch's nn.GRU(3, 4, num_layers=2, bidirectional=True) does", () => {
    const stack = new RnnStack({ cell: 'gru', inputSize: 3, hiddenSize: 4, numLayers: 2, bidirectional: true });
    const shapes = Object.fromEntries(stack.weightNames.map((n, i) => [n, stack.trainableWeights[i].shape]));
    // PyTorch's state_dict order and shapes (gate blocks r, z, n: 3H = 12)
    expect(Object.entries(shapes)).toEqual([
      ['weight_ih_l0', [12, 3]], ['weight_hh_l0', [12, 4]], ['bias_ih_l0', [12]], ['bias_hh_l0', [12]],
      ['weight_ih_l0_reverse', [12, 3]], ['weight_hh_l0_reverse', [12, 4]], ['bias_ih_l0_reverse', [12]], ['bias_hh_l0_reverse', [12]],
      ['weight_ih_l1', [12, 8]], ['weight_hh_l1', [12, 4]], ['bias_ih_l1', [12]], ['bias_hh_l1', [12]],
      ['weight_ih_l1_reverse', [12, 8]], ['weight_hh_l1_reverse', [12, 4]], ['bias_ih_l1_reverse', [12]], ['bias_hh_l1_reverse', [12]],
    ]);
    expect(stack.trainableWeights.every((w) => w.trainable)).toBe(true);
    stack.dispose();
  });

  it('MGU has two gate blocks (f, n) and LSTM four (i, f, g, o)', () => {
    const mgu = new RnnStack({ cell: 'mgu', inputSize: 3, hiddenSize: 4 });
    const lstm = new RnnStack({ cell: 'lstm', inputSize: 3, hiddenSize: 4 });
    expect(mgu.trainableWeights[0].shape).toEqual([8, 3]);
    expect(lstm.trainableWeights[0].shape).toEqual([16, 3]);
    mgu.dispose();
    lstm.dispose();
  });

  it('initialises in U(−1/√H, 1/√H), reproducibly with a seed', () => {
    const H = 16;
    const a = new RnnStack({ cell: 'lstm', inputSize: 8, hiddenSize: H, seed: 7 });
    const b = new RnnStack({ cell: 'lstm', inputSize: 8, hiddenSize: H, seed: 7 });
    const c = new RnnStack({ cell: 'lstm', inputSize: 8, hiddenSize: H, seed: 8 });
    const values = a.trainableWeights.flatMap((w) => Array.from(w.dataSync()));
    const k = 1 / Math.sqrt(H);
    expect(Math.max(...values.map(Math.abs))).toBeLessThanOrEqual(k);
    expect(Math.max(...values.map(Math.abs))).toBeGreaterThan(0.9 * k); // spread over the interval
    expect(b.toTorchStateDict()).toEqual(a.toTorchStateDict());
    expect(c.toTorchStateDict()).not.toEqual(a.toTorchStateDict());
    [a, b, c].forEach((s) => s.dispose());
  });

  it('dropout acts between layers in training only', () => {
    const withDropout = new RnnStack({ cell: 'gru', inputSize: 3, hiddenSize: 8, numLayers: 2, dropout: 0.5, seed: 41 });
    const without = new RnnStack({ cell: 'gru', inputSize: 3, hiddenSize: 8, numLayers: 2, seed: 41 });
    const oneLayer = new RnnStack({ cell: 'gru', inputSize: 3, hiddenSize: 8, dropout: 0.5, seed: 41 });
    const oneLayerPlain = new RnnStack({ cell: 'gru', inputSize: 3, hiddenSize: 8, seed: 41 });
    const x = tf.tensor3d(uniformArray(2 * 4 * 3, 42), [2, 4, 3]);
    const out = (s: RnnStack, training: boolean) => tf.tidy(() => s.apply(x, { training }).outputs.arraySync());
    expect(out(withDropout, false)).toEqual(out(without, false));
    expect(out(withDropout, true)).not.toEqual(out(without, false));
    expect(out(oneLayer, true)).toEqual(out(oneLayerPlain, false)); // no layer after the last
    tf.dispose(x);
    [withDropout, without, oneLayer, oneLayerPlain].forEach((s) => s.dispose());
  });

  it('dropoutSeed makes the dropout masks repeatable (same seed, same outputs; another seed, others)', () => {
    const stack = new RnnStack({ cell: 'gru', inputSize: 3, hiddenSize: 4, numLayers: 3, dropout: 0.5, seed: 2 });
    const x = tf.tensor3d(uniformArray(2 * 5 * 3, 9), [2, 5, 3]);
    const run = (dropoutSeed: number) => {
      const { outputs, states } = stack.apply(x, { training: true, dropoutSeed });
      const values = Array.from(outputs.dataSync());
      tf.dispose([outputs, states.h]);
      return values;
    };
    expect(run(7)).toEqual(run(7));
    expect(run(7)).not.toEqual(run(8));
    expect(() => stack.apply(x, { training: true, dropoutSeed: NaN })).toThrow(/dropoutSeed: expected a number, got NaN/);
    x.dispose();
    stack.dispose();
  });
});
