import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { adam } from '../../src/nn/adam.ts';
import { nativeKernels } from '../../src/native/kernels.ts';

const SHAPES = [[3, 5], [7], [2, 2, 3]];

/** Weights of SHAPES (seeded), stepped `steps` times by `optimizer` with seeded gradients. */
function train(optimizer: tf.Optimizer, steps: number, from = 0, weights = SHAPES.map((s, i) => tf.variable(tf.randomNormal(s, 0, 1, 'float32', 10 + i)))): tf.Variable[] {
  for (let t = from; t < from + steps; t++) {
    if (t === 3) (optimizer as unknown as { learningRate: number }).learningRate = 0.02; // as trainLoop's schedule sets it
    tf.tidy(() => {
      const grads: tf.NamedTensorMap = {};
      weights.forEach((w, i) => (grads[w.name] = tf.randomNormal(w.shape, 0, 1 + i, 'float32', 100 * t + i + 1))); // seeds ≥ 1: tfjs draws seed 0 at random
      optimizer.applyGradients(grads);
    });
  }
  return weights;
}

describe.runIf(nativeKernels())('adam (src/nn/adam.ts) on the native kernels', () => {
  it('gives the weights tf.train.adam gives, step after step (a learning-rate change included)', () => {
    const ours = adam(0.05);
    const theirs = tf.train.adam(0.05);
    const a = train(ours, 6);
    const b = train(theirs, 6);
    a.forEach((w, i) => {
      const x = w.dataSync();
      const y = b[i].dataSync();
      x.forEach((v, j) => expect(Math.abs(v - y[j])).toBeLessThan(1e-6));
    });
    tf.dispose([...a, ...b]);
    ours.dispose();
    theirs.dispose();
  });

  it("keeps tf.train.adam's checkpoint slots: getWeights matches, and setWeights continues the same run", async () => {
    const ours = adam(0.05);
    const theirs = tf.train.adam(0.05);
    const a = train(ours, 4);
    const b = train(theirs, 4);
    const slotsA = await ours.getWeights();
    const slotsB = await theirs.getWeights();
    expect(slotsA.map((s) => s.name.replace(/^.*\//, ''))).toEqual(slotsB.map((s) => s.name.replace(/^.*\//, '')));
    slotsA.forEach((s, i) => {
      const y = slotsB[i].tensor.dataSync();
      s.tensor.dataSync().forEach((v, j) => expect(Math.abs(v - y[j])).toBeLessThan(1e-6));
    });
    // a fresh optimizer from those slots continues as the first one does
    const resumed = adam(0.02); // the rate train() set at step 3
    await resumed.setWeights(slotsA.map((s) => ({ name: s.name, tensor: s.tensor.clone() })));
    const copies = a.map((w) => tf.variable(w.clone()));
    train(ours, 2, 4, a);
    train(resumed, 2, 4, copies);
    a.forEach((w, i) => expect(Array.from(copies[i].dataSync())).toEqual(Array.from(w.dataSync())));
    tf.dispose([...a, ...b, ...copies]);
    [ours, theirs, resumed].forEach((o) => o.dispose());
  });

  it('leaves no tensor behind per step, and its module memory goes with dispose', () => {
    const bytes = nativeKernels()!.heap.allocatedBytes;
    const ours = adam(0.01);
    const weights = train(ours, 1);
    const tensors = tf.memory().numTensors;
    train(ours, 3, 1, weights);
    expect(tf.memory().numTensors).toBe(tensors);
    ours.dispose();
    tf.dispose(weights);
    expect(nativeKernels()!.heap.allocatedBytes).toBe(bytes);
  });
});
