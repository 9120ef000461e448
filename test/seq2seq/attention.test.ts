import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { Attention } from '../../src/seq2seq/attention.ts';

const softmax = (e: number[]) => {
  const m = Math.max(...e);
  const z = e.map((x) => Math.exp(x - m));
  const s = z.reduce((a, b) => a + b, 0);
  return z.map((x) => x / s);
};

describe('Attention', () => {
  it("luong-dot reproduces α = softmax(q·h), c = Σ α h worked out by hand", () => {
    const attention = new Attention('luong-dot', { querySize: 2, keySize: 2 });
    const h = [[1, 0], [0, 2], [1, 1]];
    const q = [0.5, -1];
    const values = tf.tensor3d([h]); // [1, 3, 2]
    const { context, alpha } = attention.attend(tf.tensor3d([[q]]), attention.keys(values), values, tf.tensor2d([[1, 1, 1]]));
    // scores: 0.5, −2, −0.5
    const a = softmax([0.5, -2, -0.5]);
    expect(Array.from(alpha.dataSync())).toEqual(a.map((x) => expect.closeTo(x, 6)));
    const c = [a[0] * 1 + a[2] * 1, a[1] * 2 + a[2] * 1];
    expect(Array.from(context.dataSync())).toEqual(c.map((x) => expect.closeTo(x, 6)));
  });

  it('gives padded source steps zero weight, and their values do not matter', () => {
    for (const kind of ['bahdanau', 'luong-dot', 'luong-general'] as const) {
      const attention = new Attention(kind, { querySize: 3, keySize: 3, seed: 7 });
      const queries = tf.randomNormal([1, 2, 3], 0, 1, 'float32', 1) as tf.Tensor3D;
      const real = tf.randomNormal([1, 2, 3], 0, 1, 'float32', 2) as tf.Tensor3D;
      const pad1 = tf.concat([real, tf.fill([1, 2, 3], 5)], 1) as tf.Tensor3D; // [1, 4, 3]
      const pad2 = tf.concat([real, tf.fill([1, 2, 3], -9)], 1) as tf.Tensor3D;
      const mask = tf.tensor2d([[1, 1, 0, 0]]);
      const short = attention.attend(queries, attention.keys(real), real, tf.tensor2d([[1, 1]]));
      const a = attention.attend(queries, attention.keys(pad1), pad1, mask);
      const b = attention.attend(queries, attention.keys(pad2), pad2, mask);
      const alpha = a.alpha.arraySync()[0];
      for (const row of alpha) {
        expect(row[2]).toBe(0);
        expect(row[3]).toBe(0);
        expect(row[0] + row[1]).toBeCloseTo(1, 6);
      }
      expect(a.context.arraySync()).toEqual(b.context.arraySync());
      const shortContext = short.context.arraySync().flat(2);
      a.context.arraySync().flat(2).forEach((x, i) => expect(x).toBeCloseTo(shortContext[i], 5));
      attention.dispose();
    }
  });

  it('bahdanau scores e = vᵀ tanh(W_q q + W_k h + b) as written out in plain arithmetic', () => {
    const attention = new Attention('bahdanau', { querySize: 2, keySize: 2, attentionSize: 2, seed: 3 });
    const w = attention.namedWeights();
    w['attention.query.weight'].assign(tf.tensor2d([[1, 0], [0, -1]]));
    w['attention.key.weight'].assign(tf.tensor2d([[0.5, 0.5], [1, 0]]));
    w['attention.key.bias'].assign(tf.tensor1d([0.1, -0.2]));
    w['attention.v.weight'].assign(tf.tensor2d([[2, 1]]));
    const h = [[1, 2], [-1, 0]];
    const q = [0.3, 0.7];
    const values = tf.tensor3d([h]);
    const { alpha } = attention.attend(tf.tensor3d([[q]]), attention.keys(values), values, tf.tensor2d([[1, 1]]));
    // W_q q = [0.3, −0.7]; W_k h_1 + b = [1.6, 0.8]; W_k h_2 + b = [−0.4, −1.2]
    const e1 = 2 * Math.tanh(0.3 + 1.6) + Math.tanh(-0.7 + 0.8);
    const e2 = 2 * Math.tanh(0.3 - 0.4) + Math.tanh(-0.7 - 1.2);
    expect(Array.from(alpha.dataSync())).toEqual(softmax([e1, e2]).map((x) => expect.closeTo(x, 6)));
  });

  it("rejects luong-dot when query and key sizes differ, naming both", () => {
    expect(() => new Attention('luong-dot', { querySize: 4, keySize: 8 })).toThrow(/4.*8/);
  });
});
