// One bias vector per gate group (Keras) beside PyTorch's two: parameter counts as Keras prints
// them, and the same function as a two-bias stack whose b_hh is 0, on every kernel.
import { describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { RnnStack, type CellKind } from '../../src/index.ts';
import { nativeKernelUnavailable } from '../../src/rnn/bptt/direction.ts';
import { expectClose, uniformArray } from './helpers.ts';

const count = (s: RnnStack) => s.trainableWeights.reduce((n, w) => n + w.size, 0);
const kernels = (['native', 'fused', 'reference'] as const).filter((k) => k !== 'native' || nativeKernelUnavailable() === '');

describe("RnnStack biases: 'one' (Keras) and 'two' (PyTorch)", () => {
  it("Keras's counts for 32 inputs and 32 units: SimpleRNN 2,080, LSTM 8,320 (the lecture's summaries); PyTorch's 2,112 and 8,448", () => {
    const make = (cell: CellKind, biases: 'one' | 'two') => new RnnStack({ cell, inputSize: 32, hiddenSize: 32, biases });
    const stacks = [make('simple', 'one'), make('lstm', 'one'), make('simple', 'two'), make('lstm', 'two')];
    expect(stacks.map(count)).toEqual([2080, 8320, 2112, 8448]);
    expect(stacks[1].weightNames).toEqual(['weight_ih_l0', 'weight_hh_l0', 'bias_ih_l0']);
    stacks.forEach((s) => s.dispose());
  });

  it('rejects an unknown layout, naming it', () => {
    expect(() => new RnnStack({ cell: 'gru', inputSize: 2, hiddenSize: 2, biases: 'three' as never })).toThrow(/biases: expected 'two' or 'one', got 'three'/);
  });

  for (const kernel of kernels) for (const cell of ['simple', 'lstm', 'gru'] as CellKind[]) {
    it(`${cell} (${kernel}): 'one' gives the outputs and bias gradient of 'two' with b_hh = 0 (bidirectional, ragged lengths)`, () => {
      const options = { cell, kernel, inputSize: 3, hiddenSize: 4, bidirectional: true, seed: 5 } as const;
      const one = new RnnStack({ ...options, biases: 'one' });
      const two = new RnnStack(options);
      two.weightNames.forEach((name, i) => {
        if (name.startsWith('bias_hh')) two.trainableWeights[i].assign(tf.zerosLike(two.trainableWeights[i]));
      });
      const x = tf.tensor3d(uniformArray(2 * 5 * 3, 6), [2, 5, 3]);
      const R = tf.tensor3d(uniformArray(2 * 5 * 8, 7), [2, 5, 8]);
      const loss = (s: RnnStack) => () => tf.sum(tf.mul(s.apply(x, { lengths: [5, 3] }).outputs, R)) as tf.Scalar;
      const a = tf.variableGrads(loss(one), one.trainableWeights);
      const b = tf.variableGrads(loss(two), two.trainableWeights);
      expectClose(a.value, b.value.dataSync()[0], 1e-5, 'loss');
      const gradOf = (s: RnnStack, g: tf.NamedTensorMap, name: string) => g[s.trainableWeights[s.weightNames.indexOf(name)].name];
      for (const name of ['bias_ih_l0', 'bias_ih_l0_reverse', 'weight_hh_l0']) {
        expectClose(gradOf(one, a.grads, name), gradOf(two, b.grads, name).arraySync() as number[], 1e-4, name);
      }
      tf.dispose([x, R, a.value, b.value, ...Object.values(a.grads), ...Object.values(b.grads)]);
      one.dispose();
      two.dispose();
    });
  }

  it("dispose frees the constant b_hh of 'one' too", () => {
    const before = tf.memory().numTensors;
    const s = new RnnStack({ cell: 'lstm', inputSize: 3, hiddenSize: 4, numLayers: 2, biases: 'one' });
    s.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });
});
