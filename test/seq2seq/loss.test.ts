import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { maskedCrossEntropy } from '../../src/seq2seq/loss.ts';

describe('maskedCrossEntropy', () => {
  // One sample, two steps, V = 3; the second step is padding.
  const logits = tf.tensor3d([[[1, 2, 0], [9, -9, 3]]]);
  const targets = tf.tensor2d([[1, 0]], undefined, 'int32');
  const mask = tf.tensor2d([[1, 0]]);
  const logZ = Math.log(Math.exp(1) + Math.exp(2) + Math.exp(0));

  it('is −log softmax(z)_y averaged over real steps (worked out by hand)', () => {
    expect(maskedCrossEntropy(logits, targets, mask).dataSync()[0]).toBeCloseTo(logZ - 2, 6);
  });

  it('mixes in ε/V of every class with label smoothing (PyTorch definition)', () => {
    const eps = 0.1;
    const logP = [1 - logZ, 2 - logZ, 0 - logZ];
    const expected = -((1 - eps) * logP[1] + (eps / 3) * (logP[0] + logP[1] + logP[2]));
    expect(maskedCrossEntropy(logits, targets, mask, { labelSmoothing: eps }).dataSync()[0]).toBeCloseTo(expected, 6);
  });

  it('ignores whatever stands at padded steps', () => {
    const other = tf.tensor3d([[[1, 2, 0], [-4, 0, 100]]]);
    expect(maskedCrossEntropy(other, tf.tensor2d([[1, 2]], undefined, 'int32'), mask).dataSync()[0]).toBeCloseTo(logZ - 2, 6);
  });

  it('rejects targets whose shape does not match the logits, naming them', () => {
    expect(() => maskedCrossEntropy(logits, tf.tensor2d([[1, 0, 0]], undefined, 'int32'), mask)).toThrow(/targets/);
  });
});
