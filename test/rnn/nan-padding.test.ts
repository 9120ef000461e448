// Padding must never change a result, whatever it holds: NaN and ±Inf in padded steps of x
// reach neither the valid outputs, the final states nor the weight gradients.
import { describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { RnnStack, type CellKind } from '../../src/index.ts';
import { nativeKernelUnavailable } from '../../src/index.ts';
import { uniformArray } from './helpers.ts';

const T = 5;
const F = 3;
const H = 4;
const lengths = [5, 2, 3];
const B = lengths.length;

function inputs(garbage: number) {
  const clean = uniformArray(B * T * F, 31);
  const dirty = clean.map((v, i) => {
    const [b, t] = [Math.floor(i / (T * F)), Math.floor(i / F) % T];
    return t < lengths[b] ? v : garbage;
  });
  const zeroed = clean.map((v, i) => (Math.floor(i / F) % T < lengths[Math.floor(i / (T * F))] ? v : 0));
  return { dirty: tf.tensor3d(dirty, [B, T, F]), zeroed: tf.tensor3d(zeroed, [B, T, F]) };
}

/** Outputs, final h and the gradient of Σ outputs with respect to every weight. */
function run(stack: RnnStack, x: tf.Tensor3D) {
  const { value, grads } = tf.variableGrads(() => tf.sum(stack.apply(x, { lengths }).outputs) as tf.Scalar, stack.trainableWeights);
  const out = stack.apply(x, { lengths });
  const result = {
    outputs: Array.from(out.outputs.dataSync()),
    h: Array.from(out.states.h.dataSync()),
    grads: Object.values(grads).flatMap((g) => Array.from(g.dataSync())),
  };
  tf.dispose([value, out.outputs, out.states.h, out.states.c, ...Object.values(grads)]);
  return result;
}

describe('NaN and Inf in padded steps', () => {
  for (const kernel of ['fused', 'native'] as const) {
    for (const cell of ['simple', 'lstm', 'gru', 'mgu'] as CellKind[]) {
      for (const garbage of [NaN, Infinity]) {
        it(`${cell} (${kernel} kernel, both directions): ${garbage} in padding changes no output, state or weight gradient`, (ctx) => {
          if (kernel === 'native' && nativeKernelUnavailable()) return ctx.skip();
          const stack = new RnnStack({ cell, kernel, inputSize: F, hiddenSize: H, numLayers: 2, bidirectional: true, seed: 41 });
          const { dirty, zeroed } = inputs(garbage);
          const got = run(stack, dirty);
          const want = run(stack, zeroed);
          expect(got.outputs).toEqual(want.outputs);
          expect(got.h).toEqual(want.h);
          expect(got.grads.every(Number.isFinite)).toBe(true);
          expect(got.grads).toEqual(want.grads);
          tf.dispose([dirty, zeroed]);
          stack.dispose();
        });
      }
    }
  }
});
