import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { clipByGlobalNorm } from '../../src/train/train-loop.ts';

describe('clipByGlobalNorm', () => {
  it('scales gradients of norm 5 to norm 1: (3, 4) → (0.6, 0.8)', () => {
    const g = { a: tf.tensor1d([3]), b: tf.tensor1d([4]) };
    const out = clipByGlobalNorm(g, 1);
    expect(out.a.dataSync()[0]).toBeCloseTo(0.6, 6);
    expect(out.b.dataSync()[0]).toBeCloseTo(0.8, 6);
    tf.dispose([g.a, g.b, out.a, out.b]);
  });

  it('returns gradients within the norm as they are', () => {
    const g = { a: tf.tensor1d([0.3, 0.4]) };
    expect(clipByGlobalNorm(g, 1).a).toBe(g.a);
    g.a.dispose();
  });
});
