import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { maskedCrossEntropy } from '../../src/nn/cross-entropy.ts';
import { expectClose, uniformArray } from '../rnn/helpers.ts';

// SORI_NATIVE=0 turns the WebAssembly module off: only the reference kernel can run then.
const nativeOff = process.env.SORI_NATIVE === '0';

for (const kernel of ['native', 'reference'] as const) {
  describe.skipIf(kernel === 'native' && nativeOff)(`maskedCrossEntropy (kernel '${kernel}')`, () => {
    // One sample, two steps, V = 3; the second step is padding.
    const logits = tf.tensor3d([[[1, 2, 0], [9, -9, 3]]]);
    const targets = tf.tensor2d([[1, 0]], undefined, 'int32');
    const mask = tf.tensor2d([[1, 0]]);
    const logZ = Math.log(Math.exp(1) + Math.exp(2) + Math.exp(0));

    it('is −log softmax(z)_y averaged over real steps (worked out by hand)', () => {
      expect(maskedCrossEntropy(logits, targets, mask, { kernel }).dataSync()[0]).toBeCloseTo(logZ - 2, 6);
    });

    it('mixes in ε/V of every class with label smoothing (PyTorch definition)', () => {
      const eps = 0.1;
      const logP = [1 - logZ, 2 - logZ, 0 - logZ];
      const expected = -((1 - eps) * logP[1] + (eps / 3) * (logP[0] + logP[1] + logP[2]));
      expect(maskedCrossEntropy(logits, targets, mask, { labelSmoothing: eps, kernel }).dataSync()[0]).toBeCloseTo(expected, 6);
    });

    it('has the gradient softmax(z) − q at real steps and 0 at padding (by hand)', () => {
      const eps = 0.1;
      const [dz] = tf.grads((z: tf.Tensor) => maskedCrossEntropy(z as tf.Tensor3D, targets, mask, { labelSmoothing: eps, kernel }))([logits]);
      const p = [1, 2, 0].map((z) => Math.exp(z - logZ));
      const q = [eps / 3, 1 - eps + eps / 3, eps / 3];
      expectClose(dz, [[p.map((pv, v) => pv - q[v]), [0, 0, 0]]], 1e-6, '∂loss/∂z');
    });

    it('ignores whatever stands at padded steps', () => {
      const other = tf.tensor3d([[[1, 2, 0], [-4, 0, 100]]]);
      expect(maskedCrossEntropy(other, tf.tensor2d([[1, 2]], undefined, 'int32'), mask, { kernel }).dataSync()[0]).toBeCloseTo(logZ - 2, 6);
    });

    it('rejects targets whose shape does not match the logits, naming them', () => {
      expect(() => maskedCrossEntropy(logits, tf.tensor2d([[1, 0, 0]], undefined, 'int32'), mask, { kernel })).toThrow(/targets/);
    });
  });
}

describe.skipIf(nativeOff)("maskedCrossEntropy: kernel 'native' equals the tfjs-ops reference", () => {
  it('loss and gradient on B 3, U 5, V 37 (not a multiple of 4) with padding and ε = 0.1', () => {
    const [B, U, V] = [3, 5, 37];
    const logits = tf.tensor3d(uniformArray(B * U * V, 41).map((v) => 4 * v), [B, U, V]);
    const targets = tf.tensor2d(Array.from({ length: B * U }, (_, i) => (i * 7) % V), [B, U], 'int32');
    const mask = tf.tensor2d([[1, 1, 1, 1, 1], [1, 1, 0, 0, 0], [1, 1, 1, 1, 0]]);
    const run = (kernel: 'native' | 'reference') => {
      const f = (z: tf.Tensor) => maskedCrossEntropy(z as tf.Tensor3D, targets, mask, { labelSmoothing: 0.1, kernel });
      return { loss: f(logits).dataSync()[0], grad: tf.grads(f)([logits])[0].arraySync() as number[][][] };
    };
    const native = run('native');
    const reference = run('reference');
    expect(native.loss).toBeCloseTo(reference.loss, 5);
    expectClose(tf.tensor3d(native.grad), reference.grad, 1e-6, '∂loss/∂z');
  });

  it('names an out-of-range target at a real step', () => {
    const logits = tf.zeros([1, 2, 3]) as tf.Tensor3D;
    const mask = tf.tensor2d([[1, 1]]);
    expect(() => maskedCrossEntropy(logits, tf.tensor2d([[1, 5]], undefined, 'int32'), mask, { kernel: 'native' })).toThrow(
      /targets: expected ids in \[0, 3\), got 5 at \[0, 1\]/,
    );
  });
});
