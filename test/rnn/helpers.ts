// Shared by the test/rnn specs: comparing nested arrays with a tolerance, a fixed scalar loss, and
// the check that a stack gives back its module memory and tensors.
import * as tf from '@tensorflow/tfjs';
import { expect } from 'vitest';
import { RnnStack, type RnnResult } from '../../src/index.ts';
import { nativeKernels } from '../../src/native/kernels.ts';

type Nested = number | Nested[];

function flatten(a: Nested): number[] {
  return Array.isArray(a) ? a.flatMap(flatten) : [a];
}

function shapeOf(a: Nested): number[] {
  return Array.isArray(a) ? [a.length, ...(a.length ? shapeOf(a[0]) : [])] : [];
}

/** |actual − expected| ≤ tol · max(1, |expected|) elementwise, and equal shapes. */
export function expectClose(actual: tf.Tensor | Nested, expected: Nested, tol: number, label: string): void {
  const a = actual instanceof tf.Tensor ? (actual.arraySync() as Nested) : actual;
  expect(shapeOf(a), `${label}: shape`).toEqual(shapeOf(expected));
  const fa = flatten(a);
  const fe = flatten(expected);
  let worst = 0;
  let worstAt = -1;
  fe.forEach((e, i) => {
    const err = Math.abs(fa[i] - e) / Math.max(1, Math.abs(e));
    if (!(err <= worst)) {
      worst = err;
      worstAt = i;
    }
  });
  expect(worst, `${label}: worst relative error at flat index ${worstAt} (got ${fa[worstAt]}, want ${fe[worstAt]})`).toBeLessThanOrEqual(tol);
}

/** L = sum(outputs ⊙ R) + sum(h_n ⊙ R_h) (+ sum(c_n ⊙ R_c)): a fixed scalar that touches every result. */
export function fixedLoss(result: RnnResult, R: tf.Tensor, Rh: tf.Tensor, Rc?: tf.Tensor): tf.Scalar {
  let loss = tf.add(tf.sum(tf.mul(result.outputs, R)), tf.sum(tf.mul(result.states.h, Rh)));
  if (Rc && result.states.c) loss = tf.add(loss, tf.sum(tf.mul(result.states.c, Rc)));
  return loss as tf.Scalar;
}

/** A deterministic pseudo-random array in [−1, 1) (mulberry32), for inputs that nobody tuned. */
export function uniformArray(n: number, seed: number): number[] {
  let a = seed >>> 0;
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    out.push((((t ^ (t >>> 14)) >>> 0) / 4294967296) * 2 - 1);
  }
  return out;
}

/**
 * A 2-layer bidirectional stack of `options` (input 3, hidden 8) on a ragged batch [3, 6, 3]
 * (lengths 6, 2, 5): after a warm-up training step, one inference pass and three training steps
 * leave the native module's allocated bytes and tfjs's tensor count where they were.
 */
export function expectNoGrowth(options: Omit<ConstructorParameters<typeof RnnStack>[0], 'inputSize' | 'hiddenSize'>): void {
  const heap = nativeKernels()!.heap;
  const stack = new RnnStack({ inputSize: 3, hiddenSize: 8, numLayers: 2, bidirectional: true, seed: 3, ...options });
  const optimizer = tf.train.adam(1e-3);
  const x = tf.tensor3d(uniformArray(3 * 6 * 3, 12), [3, 6, 3]); // [B, T, F]
  const lengths = [6, 2, 5];
  const step = () => optimizer.minimize(() => tf.mean(stack.apply(x, { lengths }).outputs) as tf.Scalar, false, stack.trainableWeights);
  step();
  const bytes = heap.allocatedBytes;
  const tensors = tf.memory().numTensors;
  const r = stack.apply(x, { lengths });
  tf.dispose([r.outputs, ...Object.values(r.states)]);
  expect(heap.allocatedBytes, 'after inference').toBe(bytes);
  for (let i = 0; i < 3; i++) step();
  expect(heap.allocatedBytes, 'after training steps').toBe(bytes);
  expect(tf.memory().numTensors).toBe(tensors);
  tf.dispose([x]);
  optimizer.dispose();
  stack.dispose();
}
