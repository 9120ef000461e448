// The native kernels with their products split across two threads (src/native/threads.ts) equal
// the autodiff reference exactly as on one thread: the equality cases of bptt.test.ts, with every
// product split, however small (minPartFlops 0); and they leak neither tensors nor module memory.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { RnnStack, setNativeThreads } from '../../src/index.ts';
import { nativeKernels } from '../../src/native/kernels.ts';
import { CONFIGS, describeEquality, expectSame } from './bptt-cases.ts';
import { uniformArray } from './helpers.ts';

beforeAll(() => setNativeThreads(2, { minPartFlops: 0, takeBack: false })); // every product split, the workers' parts run by them
afterAll(() => setNativeThreads(1));

if (!(process.env.SORI_NATIVE === '0')) describeEquality('native', { threads: 2 }); // the variant loaded (test/native/threads.test.ts splits products on each)

describe.skipIf(process.env.SORI_NATIVE === '0')("kernel 'native' on 2 threads", () => {
  // H = 9: a step's product a_t [B, k·H] is 3 rows by up to 36 columns: split by panels of columns
  for (const [name, config] of CONFIGS) {
    it(`${name}: hidden size 9, the per-step products split by columns, ragged lengths`, () => {
      expectSame(config, 'native', { numLayers: 1, bidirectional: true, lengths: [6, 3, 5], hiddenSize: 9 });
    });
  }

  it('gives back its module memory and tensors after inference and training steps', () => {
    const heap = nativeKernels()!.heap;
    const stack = new RnnStack({ cell: 'gru', gruForm: 'lecture', inputSize: 3, hiddenSize: 8, numLayers: 2, bidirectional: true, seed: 3 });
    const optimizer = tf.train.adam(1e-3);
    const x = tf.tensor3d(uniformArray(3 * 6 * 3, 12), [3, 6, 3]);
    const step = () => optimizer.minimize(() => tf.mean(stack.apply(x, { lengths: [6, 2, 5] }).outputs) as tf.Scalar, false, stack.trainableWeights);
    step();
    const bytes = heap.allocatedBytes;
    const tensors = tf.memory().numTensors;
    const r = stack.apply(x, { lengths: [6, 2, 5] });
    tf.dispose([r.outputs, r.states.h]);
    for (let i = 0; i < 3; i++) step();
    expect(heap.allocatedBytes).toBe(bytes);
    expect(tf.memory().numTensors).toBe(tensors);
    tf.dispose([x]);
    optimizer.dispose();
    stack.dispose();
  });
});
