// Bad input gets an error that names the argument and the value found.
import { describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { RnnStack, runDirection, type RnnStackOptions } from '../../src/index.ts';

const make = (extra: Partial<RnnStackOptions> = {}) =>
  new RnnStack({ cell: 'lstm', inputSize: 3, hiddenSize: 4, numLayers: 2, ...extra } as RnnStackOptions);

describe('RnnStack rejects bad options', () => {
  it('an unknown cell kind', () => {
    expect(() => make({ cell: 'transformer' as never })).toThrow(/cell: unknown cell kind 'transformer'/);
  });
  it('an unknown option key', () => {
    expect(() => make({ hiddenSize: 4, hidden_size: 4 } as never)).toThrow(/unknown option 'hidden_size'/);
  });
  it('a non-integer or non-positive size', () => {
    expect(() => make({ hiddenSize: 2.5 })).toThrow(/hiddenSize: .*2\.5/);
    expect(() => make({ inputSize: 0 })).toThrow(/inputSize: .*0/);
    expect(() => make({ numLayers: 0 })).toThrow(/numLayers: .*0/);
  });
  it('a dropout rate outside [0, 1)', () => {
    expect(() => make({ dropout: 1 })).toThrow(/dropout: .*1/);
  });
  it('nonlinearity for a cell other than simple, or an unknown one', () => {
    expect(() => make({ nonlinearity: 'relu' })).toThrow(/nonlinearity: only for cell 'simple'.*'lstm'/);
    expect(() => make({ cell: 'simple', nonlinearity: 'gelu' as never })).toThrow(/nonlinearity: .*'gelu'/);
  });
  it('gruForm for a cell other than gru, or an unknown one', () => {
    expect(() => make({ cell: 'mgu', gruForm: 'lecture' })).toThrow(/gruForm: only for cell 'gru'.*'mgu'/);
    expect(() => make({ cell: 'gru', gruForm: 'before' as never })).toThrow(/gruForm: .*'before'/);
  });
});

describe('RnnStack.apply rejects bad input', () => {
  const stack = make();
  const x = tf.zeros([2, 5, 3]) as tf.Tensor3D;

  it('x of the wrong rank', () => {
    expect(() => stack.apply(tf.zeros([5, 3]) as never)).toThrow(/x: expected rank 3 \[B, T, F\], got shape \[5, 3\]/);
  });
  it('x whose feature size is not inputSize', () => {
    expect(() => stack.apply(tf.zeros([2, 5, 7]) as tf.Tensor3D)).toThrow(/x: axis 2 must be 3 .*got shape \[2, 5, 7\]/);
  });
  it('lengths outside [0, T], not integers, or of the wrong count', () => {
    expect(() => stack.apply(x, { lengths: [5, 6] })).toThrow(/lengths\[1\]: expected an integer in \[0, 5\], got 6/);
    expect(() => stack.apply(x, { lengths: [-1, 5] })).toThrow(/lengths\[0\]: .*got -1/);
    expect(() => stack.apply(x, { lengths: [2.5, 5] })).toThrow(/lengths\[0\]: .*got 2\.5/);
    expect(() => stack.apply(x, { lengths: [5] })).toThrow(/lengths: expected 2 entries .*got 1/);
    expect(() => stack.apply(x, { lengths: tf.tensor2d([[5, 5]]) as never })).toThrow(/lengths: expected rank 1/);
  });
  it('initialStates of the wrong shape, or missing c for an LSTM', () => {
    const h = tf.zeros([2, 2, 4]) as tf.Tensor3D;
    expect(() => stack.apply(x, { initialStates: { h: tf.zeros([1, 2, 4]) as tf.Tensor3D, c: h } })).toThrow(
      /initialStates\.h: axis 0 must be 2 .*got shape \[1, 2, 4\]/,
    );
    expect(() => stack.apply(x, { initialStates: { h, c: tf.zeros([2, 2, 5]) as tf.Tensor3D } })).toThrow(
      /initialStates\.c: axis 2 must be 4/,
    );
    expect(() => stack.apply(x, { initialStates: { h } })).toThrow(/initialStates\.c: expected a tf\.Tensor/);
    const gru = make({ cell: 'gru' });
    expect(() => gru.apply(x, { initialStates: { h, c: h } })).toThrow(/initialStates\.c: only an lstm/);
    gru.dispose();
  });
  it('an unknown apply option', () => {
    expect(() => stack.apply(x, { mask: x } as never)).toThrow(/apply: unknown option 'mask'/);
  });
});

describe('loadTorchStateDict rejects a state_dict that does not fit', () => {
  const stack = new RnnStack({ cell: 'gru', inputSize: 3, hiddenSize: 4 });
  const good = stack.toTorchStateDict();

  it('a missing key, naming it', () => {
    const { bias_hh_l0: _, ...dict } = good;
    expect(() => stack.loadTorchStateDict(dict)).toThrow(/missing key 'bias_hh_l0'/);
  });
  it('an extra key, naming it', () => {
    expect(() => stack.loadTorchStateDict({ ...good, weight_ih_l1: good.weight_ih_l0 })).toThrow(/unexpected key 'weight_ih_l1'/);
  });
  it('a wrong shape, naming the key and both shapes', () => {
    expect(() => stack.loadTorchStateDict({ ...good, weight_hh_l0: good.weight_ih_l0 })).toThrow(
      /weight_hh_l0.*expected shape \[12, 4\], got \[12, 3\]/,
    );
  });
  it('nothing is assigned when the dict is rejected', () => {
    const before = stack.toTorchStateDict();
    const zeros = { ...good, weight_ih_l0: good.weight_ih_l0.map(() => [0, 0, 0]), bias_hh_l0: [1] };
    expect(() => stack.loadTorchStateDict(zeros)).toThrow(/bias_hh_l0/);
    expect(stack.toTorchStateDict()).toEqual(before);
  });
});

describe('runDirection rejects bad input', () => {
  const weights = {
    weightIh: tf.zeros([12, 3]) as tf.Tensor2D,
    weightHh: tf.zeros([12, 4]) as tf.Tensor2D,
    biasIh: tf.zeros([12]) as tf.Tensor1D,
    biasHh: tf.zeros([12]) as tf.Tensor1D,
  };
  it('an unknown cell kind', () => {
    expect(() => runDirection('elman' as never, weights, tf.zeros([1, 2, 3]) as tf.Tensor3D)).toThrow(/cell: unknown cell kind 'elman'/);
  });
  it('weights whose gate count does not fit the cell', () => {
    expect(() => runDirection('lstm', weights, tf.zeros([1, 2, 3]) as tf.Tensor3D)).toThrow(/weights\.weightIh: axis 0 must be 16/);
  });
  it('a mask of the wrong shape', () => {
    expect(() => runDirection('gru', weights, tf.zeros([1, 2, 3]) as tf.Tensor3D, { mask: tf.ones([1, 3]) as tf.Tensor2D })).toThrow(
      /mask: axis 1 must be 2/,
    );
  });
});
