// Per-sample lengths: padded steps change no state, output 0, and do not leak into the reverse
// direction, so a padded batch gives each sample exactly what it gives alone (B = 1).
import { describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { RnnStack, runDirection, type CellKind } from '../../src/index.ts';
import { expectClose, uniformArray } from './helpers.ts';

const T = 5;
const F = 3;
const H = 4;
const lengths = [5, 2, 3];
const B = lengths.length;

describe('masking by per-sample lengths', () => {
  for (const kernel of ['reference', 'fused'] as const) for (const cell of ['simple', 'lstm', 'gru', 'mgu'] as CellKind[]) {
    it(`${cell} (${kernel} kernel): each sample of a padded B = 3 batch equals the sample run alone (2 layers, both directions)`, () => {
      const stack = new RnnStack({ cell, kernel, inputSize: F, hiddenSize: H, numLayers: 2, bidirectional: true, seed: 21 });
      // Padding holds large garbage: it must not reach any result.
      const rows = uniformArray(B * T * F, 22).map((v, i) => {
        const [b, t] = [Math.floor(i / (T * F)), Math.floor(i / F) % T];
        return t < lengths[b] ? v : 100 * v;
      });
      const x = tf.tensor3d(rows, [B, T, F]);
      const padded = stack.apply(x, { lengths });
      const outputs = padded.outputs.arraySync();
      const h = padded.states.h.arraySync();
      const c = padded.states.c?.arraySync();
      lengths.forEach((len, b) => {
        const alone = tf.tidy(() => {
          const xb = tf.slice(x, [b, 0, 0], [1, len, F]); // [1, len, F]
          const r = stack.apply(xb as tf.Tensor3D);
          return { outputs: r.outputs.arraySync(), h: r.states.h.arraySync(), c: r.states.c?.arraySync() };
        });
        expectClose(outputs[b].slice(0, len), alone.outputs[0], 1e-5, `sample ${b} outputs`);
        expectClose(outputs[b].slice(len), Array.from({ length: T - len }, () => new Array(2 * H).fill(0)), 0, `sample ${b} padded outputs`);
        expectClose(h.map((s) => s[b]), alone.h.map((s) => s[0]), 1e-5, `sample ${b} h_n`);
        if (c) expectClose(c.map((s) => s[b]), alone.c!.map((s) => s[0]), 1e-5, `sample ${b} c_n`);
      });
      tf.dispose([x, padded.outputs, padded.states.h, padded.states.c]);
      stack.dispose();
    });
  }

  it('lengths given as an int Tensor1D act like the number array', () => {
    const stack = new RnnStack({ cell: 'gru', inputSize: F, hiddenSize: H, bidirectional: true, seed: 23 });
    const x = tf.tensor3d(uniformArray(B * T * F, 24), [B, T, F]);
    const len = tf.tensor1d(lengths, 'int32');
    const a = stack.apply(x, { lengths });
    const b = stack.apply(x, { lengths: len });
    expectClose(b.outputs, a.outputs.arraySync() as number[][][], 0, 'outputs');
    expectClose(b.states.h, a.states.h.arraySync() as number[][][], 0, 'h_n');
    tf.dispose([x, len, a.outputs, a.states.h, b.outputs, b.states.h]);
    stack.dispose();
  });

  it('a sample of length 0 keeps its initial state and outputs only zeros', () => {
    const stack = new RnnStack({ cell: 'lstm', inputSize: F, hiddenSize: H, bidirectional: true, seed: 25 });
    const x = tf.tensor3d(uniformArray(2 * T * F, 26), [2, T, F]);
    const h0 = tf.tensor3d(uniformArray(2 * 2 * H, 27), [2, 2, H]);
    const c0 = tf.tensor3d(uniformArray(2 * 2 * H, 28), [2, 2, H]);
    const { outputs, states } = stack.apply(x, { lengths: [0, T], initialStates: { h: h0, c: c0 } });
    const h0a = h0.arraySync();
    const c0a = c0.arraySync();
    expectClose(outputs.arraySync()[0], Array.from({ length: T }, () => new Array(2 * H).fill(0)), 0, 'outputs');
    expectClose(states.h.arraySync().map((s) => s[0]), h0a.map((s) => s[0]), 0, 'h_n');
    expectClose(states.c!.arraySync().map((s) => s[0]), c0a.map((s) => s[0]), 0, 'c_n');
    // and the full-length sample did move
    expect(Math.abs(states.h.arraySync()[0][1][0] - h0a[0][1][0])).toBeGreaterThan(0);
    tf.dispose([x, h0, c0, outputs, states.h, states.c]);
    stack.dispose();
  });

  it('runDirection with a mask keeps the state of step `length` through the padding', () => {
    const stack = new RnnStack({ cell: 'simple', inputSize: F, hiddenSize: H, seed: 29 });
    const [weightIh, weightHh, biasIh, biasHh] = stack.trainableWeights as unknown as [
      tf.Tensor2D, tf.Tensor2D, tf.Tensor1D, tf.Tensor1D,
    ];
    const weights = { weightIh, weightHh, biasIh, biasHh };
    const x = tf.tensor3d(uniformArray(T * F, 30), [1, T, F]);
    const mask = tf.tensor2d([[1, 1, 0, 0, 0]]);
    const full = runDirection('simple', weights, x);
    const masked = runDirection('simple', weights, x, { mask });
    // state after 2 real steps = unmasked output at t = 2
    expectClose(masked.state.h, [full.outputs.arraySync()[0][1]], 1e-6, 'h after padding');
    tf.dispose([x, mask, full.outputs, full.state.h, masked.outputs, masked.state.h]);
    stack.dispose();
  });

  it('an empty sequence (T = 0) gives no outputs and the initial state', () => {
    const stack = new RnnStack({ cell: 'lstm', inputSize: F, hiddenSize: H, bidirectional: true, seed: 33 });
    const x = tf.zeros([2, 0, F]) as tf.Tensor3D;
    const h0 = tf.tensor3d(uniformArray(2 * 2 * H, 34), [2, 2, H]);
    const c0 = tf.tensor3d(uniformArray(2 * 2 * H, 35), [2, 2, H]);
    const { outputs, states } = stack.apply(x, { lengths: [0, 0], initialStates: { h: h0, c: c0 } });
    expect(outputs.shape).toEqual([2, 0, 2 * H]);
    expectClose(states.h, h0.arraySync(), 0, 'h_n');
    expectClose(states.c!, c0.arraySync(), 0, 'c_n');
    tf.dispose([x, h0, c0, outputs, states.h, states.c]);
    stack.dispose();
  });
});
