// The hand-written-BPTT kernels (src/rnn/bptt: the JavaScript loop 'fused' and the WebAssembly SIMD loop
// 'native') compute exactly what the reference loop (runDirection, differentiated by autodiff)
// computes: outputs, final states and every gradient, for every cell kind, one and two
// directions, ragged lengths, given initial states, T = 1 and reversed runs. 'native' runs once per
// variant of the module that loads here (relaxed SIMD with fused multiply-add, plain SIMD).
import { describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { RnnStack } from '../../src/index.ts';
import { runDirection } from '../../src/rnn/layer.ts';
import { nativeKernelUnavailable, runFusedDirection, runNativeDirection } from '../../src/rnn/bptt/direction.ts';
import { initCellWeights } from '../../src/rnn/weights.ts';
import { readFloat32 } from '../../src/backend/read.ts';
import { nativeKernels, nativeKernelsVariants, type NativeVariant } from '../../src/native/kernels.ts';
import { expectClose, expectNoGrowth, uniformArray } from './helpers.ts';
import { B, F, H, T, TOL, describeEquality, type FastKernel } from './bptt-cases.ts';

const RUNS: [FastKernel, NativeVariant | undefined][] = [['fused', undefined], ...nativeKernelsVariants().map((v): [FastKernel, NativeVariant] => ['native', v])];
for (const [kernel, variant] of RUNS) describeEquality(kernel, { variant });

describe.skipIf(process.env.SORI_NATIVE === '0')("kernel 'native'", () => {
  it('is the default where WebAssembly SIMD runs (Node 20 has it), for every cell kind', () => {
    expect(nativeKernelUnavailable()).toBe('');
    for (const cell of ['simple', 'lstm', 'gru', 'mgu'] as const) {
      const stack = new RnnStack({ cell, inputSize: 2, hiddenSize: 3 });
      expect(stack.kernel).toBe('native');
      stack.dispose();
    }
  });
  it('gives back its WebAssembly memory and tensors after inference and after training steps', () => {
    expectNoGrowth({ cell: 'lstm' });
  });

  it('T = 1 and a batch of 1 give what runDirection gives', () => {
    const w = initCellWeights(4, F, 6, 5);
    const x = tf.tensor3d(uniformArray(1 * 1 * F, 7), [1, 1, F]);
    const a = runDirection('lstm', w, x);
    const b = runNativeDirection('lstm', w, x);
    expectClose(b.outputs, a.outputs.arraySync() as number[][][], TOL, 'outputs');
    expectClose(b.state.c!, a.state.c!.arraySync() as number[][], TOL, 'c');
    tf.dispose([x, a.outputs, a.state.h, a.state.c, b.outputs, b.state.h, b.state.c, ...Object.values(w)]);
  });
});

describe('runFusedDirection', () => {
  it('T = 1 and T = 0 give what runDirection gives', () => {
    const w = initCellWeights(4, F, H, 5);
    for (const steps of [1, 0]) {
      const x = tf.tensor3d(uniformArray(B * steps * F, 7), [B, steps, F]);
      const a = runDirection('lstm', w, x, { reverse: true });
      const b = runFusedDirection('lstm', w, x, { reverse: true });
      expectClose(b.outputs, a.outputs.arraySync() as number[][][], TOL, `outputs, T = ${steps}`);
      expectClose(b.state.c!, a.state.c!.arraySync() as number[][], TOL, `c, T = ${steps}`);
      tf.dispose([x, a.outputs, a.state.h, a.state.c, b.outputs, b.state.h, b.state.c]);
    }
    tf.dispose(Object.values(w));
  });

  it('batch consistency: a sample alone equals the same sample padded in a batch of 3', () => {
    const w = initCellWeights(3, F, H, 9);
    const values = uniformArray(B * T * F, 8);
    const x = tf.tensor3d(values, [B, T, F]);
    const mask = tf.tensor2d([[1, 1, 1, 1, 1, 1], [1, 1, 1, 0, 0, 0], [1, 1, 1, 1, 1, 0]]);
    const batch = runFusedDirection('gru', w, x, { mask, reverse: true });
    const alone = tf.tensor3d(values.slice(T * F, T * F + 3 * F), [1, 3, F]); // sample 1, its 3 real steps
    const one = runFusedDirection('gru', w, alone, { reverse: true });
    const batchRows = batch.outputs.arraySync()[1];
    expectClose(batchRows.slice(0, 3), one.outputs.arraySync()[0], TOL, 'real steps');
    expectClose(batchRows.slice(3), [[0, 0, 0, 0], [0, 0, 0, 0], [0, 0, 0, 0]], 0, 'padded steps output 0');
    expectClose([batch.state.h.arraySync()[1]], one.state.h.arraySync(), TOL, 'final state');
    tf.dispose([x, mask, alone, batch.outputs, batch.state.h, one.outputs, one.state.h, ...Object.values(w)]);
  });

  it('names a wrong mask shape', () => {
    const w = initCellWeights(1, F, H, 1);
    const x = tf.zeros([B, T, F]) as tf.Tensor3D;
    expect(() => runFusedDirection('simple', w, x, { mask: tf.ones([B, T + 1]) as tf.Tensor2D })).toThrow(/mask/);
    expect(() => runFusedDirection('lstm', w, x)).toThrow(/weights\.weightIh/);
    tf.dispose([x, ...Object.values(w)]);
  });
});

describe('readFloat32', () => {
  it('returns a copy of the values of a computed tensor', () => {
    const a = tf.tensor2d([1, 2, 3, 4, 5, 6], [2, 3]);
    const b = tf.mul(a, 2);
    const values = readFloat32(b);
    expect(Array.from(values)).toEqual([2, 4, 6, 8, 10, 12]);
    values[0] = 99; // a copy: the tensor is unchanged
    expect(Array.from(b.dataSync())).toEqual([2, 4, 6, 8, 10, 12]);
    tf.dispose([a, b]);
  });
});

describe('fused training steps do not leak tensors', () => {
  it('100 forward + backward + Adam steps of a bidirectional 2-layer LSTM with lengths', () => {
    const stack = new RnnStack({ cell: 'lstm', inputSize: F, hiddenSize: H, numLayers: 2, bidirectional: true, dropout: 0.2, seed: 3 });
    const optimizer = tf.train.adam(1e-3);
    const x = tf.tensor3d(uniformArray(B * T * F, 12), [B, T, F]);
    const step = () => {
      const cost = optimizer.minimize(
        () => tf.mean(tf.square(stack.apply(x, { lengths: [6, 2, 5], training: true }).outputs)) as tf.Scalar,
        true,
        stack.trainableWeights,
      );
      cost?.dispose();
    };
    step();
    const before = tf.memory().numTensors;
    for (let i = 0; i < 100; i++) step();
    expect(tf.memory().numTensors).toBe(before);
    optimizer.dispose();
    stack.dispose();
    x.dispose();
  });
});
