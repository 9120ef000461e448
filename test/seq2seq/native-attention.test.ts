import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { Attention, type AttentionKernel } from '../../src/seq2seq/attention.ts';
import { lengthMask } from '../../src/seq2seq/batch.ts';
import { nativeKernels } from '../../src/native/kernels.ts';

const H = 6;
const U = 4;
const T = 5;

/** context, alpha and the gradients of Σ w_c c + Σ w_α α (random weights) by one kernel. */
function run(kind: 'luong-dot' | 'luong-general', lengths: number[], kernel: AttentionKernel): Float32Array[] {
  const B = lengths.length;
  const attention = new Attention(kind, { querySize: H, keySize: H, seed: 3 });
  const out = tf.tidy(() => {
    const queries = tf.randomNormal([B, U, H], 0, 1, 'float32', 1) as tf.Tensor3D;
    const values = tf.randomNormal([B, T, H], 0, 1, 'float32', 2) as tf.Tensor3D;
    const wc = tf.randomNormal([B, U, H], 0, 1, 'float32', 4);
    const wa = tf.randomNormal([B, U, T], 0, 1, 'float32', 5);
    const mask = lengthMask(lengths, T);
    const f = (q: tf.Tensor, v: tf.Tensor) => {
      const { context, alpha } = attention.attend(q as tf.Tensor3D, attention.keys(v as tf.Tensor3D), v as tf.Tensor3D, mask, { kernel });
      return tf.add(tf.sum(tf.mul(context, wc)), tf.sum(tf.mul(alpha, wa))) as tf.Scalar;
    };
    const { context, alpha } = attention.attend(queries, attention.keys(values), values, mask, { kernel });
    const weights = Object.values(attention.namedWeights());
    const grads = weights.length > 0 ? tf.variableGrads(() => f(queries, values), weights).grads : {};
    const [dq, dv] = tf.grads(f)([queries, values]);
    return [context, alpha, dq, dv, ...weights.map((w) => grads[w.name])];
  });
  const arrays = out.map((t) => t.dataSync() as Float32Array);
  tf.dispose(out);
  attention.dispose();
  return arrays;
}

function expectClose(a: Float32Array, b: Float32Array): void {
  expect(a.length).toBe(b.length);
  let worst = 0;
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i] - b[i]));
  expect(worst).toBeLessThan(1e-5);
}

describe.runIf(nativeKernels())('native Luong attention', () => {
  for (const kind of ['luong-dot', 'luong-general'] as const) {
    for (const lengths of [[T], [T, 2, 4]]) {
      it(`${kind}: context, α and every gradient equal the reference ops (B = ${lengths.length}, lengths ${lengths})`, () => {
        const native = run(kind, lengths, 'native');
        const reference = run(kind, lengths, 'reference');
        expect(native.length).toBe(reference.length);
        native.forEach((a, i) => expectClose(a, reference[i]));
      });
    }
  }

  it('luong-general with values of another size than the queries (the captioner: Hv = C ≠ Hk)', () => {
    const grads = (kernel: AttentionKernel) => {
      const attention = new Attention('luong-general', { querySize: 4, keySize: 7, seed: 9 });
      const out = tf.tidy(() => {
        const q = tf.randomNormal([3, 2, 4], 0, 1, 'float32', 1) as tf.Tensor3D;
        const v = tf.randomNormal([3, T, 7], 0, 1, 'float32', 2) as tf.Tensor3D;
        const w = tf.randomNormal([3, 2, 7], 0, 1, 'float32', 3);
        const mask = lengthMask([T, 1, 3], T);
        const f = (a: tf.Tensor, b: tf.Tensor) => tf.sum(tf.mul(attention.attend(a as tf.Tensor3D, attention.keys(b as tf.Tensor3D), b as tf.Tensor3D, mask, { kernel }).context, w));
        return [f(q, v), ...tf.grads(f)([q, v])];
      });
      const arrays = out.map((t) => t.dataSync() as Float32Array);
      tf.dispose(out);
      attention.dispose();
      return arrays;
    };
    const native = grads('native');
    grads('reference').forEach((a, i) => expectClose(native[i], a));
  });

  it('leaves no tensor behind, forward and backward', () => {
    run('luong-general', [T, 2, 4], 'native');
    const before = tf.memory().numTensors;
    const bytes = nativeKernels()!.heap.allocatedBytes;
    run('luong-general', [T, 2, 4], 'native');
    expect(tf.memory().numTensors).toBe(before);
    expect(nativeKernels()!.heap.allocatedBytes).toBe(bytes);
  });

  it("takes masks that are not a prefix of ones to the reference ops, and refuses them with kernel 'native'", () => {
    const attention = new Attention('luong-dot', { querySize: H, keySize: H });
    const q = tf.randomNormal([1, 1, H]) as tf.Tensor3D;
    const v = tf.randomNormal([1, 3, H]) as tf.Tensor3D;
    const holed = tf.tensor2d([[1, 0, 1]]);
    const { alpha } = attention.attend(q, v, v, holed);
    expect(alpha.arraySync()[0][0][1]).toBe(0);
    expect(() => attention.attend(q, v, v, holed, { kernel: 'native' })).toThrow(/kernel: 'native' cannot run here/);
    tf.dispose([q, v, holed, alpha]);
  });
});
