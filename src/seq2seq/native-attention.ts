/**
 * Luong attention (attention.ts, kinds 'luong-dot' and 'luong-general': e_{u,t} = q_uᵀ k_t over
 * real steps, α = softmax_t(e), c_u = Σ_t α_{u,t} h_t) as one differentiable op on the native
 * kernels (src/native/decoder.h: luong_attend and its hand-written gradient), instead of a dozen
 * tfjs ops whose gradients are transposed batched products.
 */
import * as tf from '@tensorflow/tfjs';
import { nativeKernels } from '../native/kernels.ts';
import { copyFloat32, readFloat32 } from '../backend/read.ts';
import { tensorFromView } from '../backend/tensor-from-view.ts';

/**
 * The lengths T_b of a [B, T] mask that is 1 on a prefix of each row and 0 after (lengthMask's
 * form), or null when some row is not of that form.
 */
export function prefixLengths(mask: tf.Tensor2D): number[] | null {
  const [B, T] = mask.shape;
  let m: Float32Array;
  if (mask.dtype === 'float32') m = readFloat32(mask);
  else {
    const cast = tf.cast(mask, 'float32');
    m = readFloat32(cast);
    cast.dispose();
  }
  const lengths: number[] = [];
  for (let b = 0; b < B; b++) {
    let n = 0;
    while (n < T && m[b * T + n] === 1) n++;
    for (let t = n; t < T; t++) if (m[b * T + t] !== 0) return null;
    lengths.push(n);
  }
  return lengths;
}

/**
 * queries [B, U, Hk], keys [B, T, Hk], values [B, T, Hv], real lengths T_b ≥ 1 → context
 * [B, U, Hv] and alpha [B, U, T], differentiable with respect to queries, keys and values.
 */
export function nativeLuongAttend(
  queries: tf.Tensor3D,
  keys: tf.Tensor3D,
  values: tf.Tensor3D,
  lengths: readonly number[],
): { context: tf.Tensor3D; alpha: tf.Tensor3D } {
  const k = nativeKernels()!;
  const [B, U, Hk] = queries.shape;
  const T = keys.shape[1];
  const Hv = values.shape[2];
  const N = B * U;
  /** One block: q, k, v, α, the lengths and which memory row each query reads. */
  const load = <E extends string>(q: tf.Tensor, kk: tf.Tensor, v: tf.Tensor, extra: Record<E, number>) => {
    const p = k.heap.layout({ q: N * Hk, k: B * T * Hk, v: B * T * Hv, alpha: N * T, lengths: B, source: N, ...extra } as Record<'q' | 'k' | 'v' | 'alpha' | 'lengths' | 'source' | E, number>);
    copyFloat32(q, k.f32(p.q, N * Hk));
    copyFloat32(kk, k.f32(p.k, B * T * Hk));
    copyFloat32(v, k.f32(p.v, B * T * Hv));
    k.i32(p.lengths, B).set(lengths);
    const source = k.i32(p.source, N);
    for (let n = 0; n < N; n++) source[n] = Math.floor(n / U); // query b·U + u reads row b
    return p;
  };
  // One op, value = [c | α] per query: [B·U, Hv + T]
  const op = tf.customGrad(((q: tf.Tensor, kk: tf.Tensor, v: tf.Tensor, save: tf.GradSaveFunc) => {
    const p = load(q, kk, v, { context: N * Hv, out: N * (Hv + T) });
    k.luong_attend(N, T, Hk, Hv, p.q, Hk, p.source, p.lengths, p.k, p.v, p.alpha, p.context);
    const context = k.f32(p.context, N * Hv);
    const alpha = k.f32(p.alpha, N * T);
    const out = k.f32(p.out, N * (Hv + T));
    for (let n = 0; n < N; n++) {
      out.set(context.subarray(n * Hv, (n + 1) * Hv), n * (Hv + T));
      out.set(alpha.subarray(n * T, (n + 1) * T), n * (Hv + T) + Hv);
    }
    const value = tensorFromView(out, [N, Hv + T]);
    k.heap.release(p.block);
    save([q, kk, v, value]);
    return {
      value,
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const [sq, sk, sv, forward] = saved;
        const g = load(sq, sk, sv, { dContext: N * Hv, dAlpha: N * T, dq: N * Hk, dk: B * T * Hk, dv: B * T * Hv, scratch: 3 * U * T, f: N * (Hv + T), d: N * (Hv + T) });
        const f = k.f32(g.f, N * (Hv + T)); // [B·U, Hv + T]
        const d = k.f32(g.d, N * (Hv + T)); // [B·U, Hv + T]
        copyFloat32(forward, f);
        copyFloat32(dy, d);
        const alpha = k.f32(g.alpha, N * T);
        const dContext = k.f32(g.dContext, N * Hv);
        const dAlpha = k.f32(g.dAlpha, N * T);
        for (let n = 0; n < N; n++) {
          alpha.set(f.subarray(n * (Hv + T) + Hv, (n + 1) * (Hv + T)), n * T);
          dContext.set(d.subarray(n * (Hv + T), n * (Hv + T) + Hv), n * Hv);
          dAlpha.set(d.subarray(n * (Hv + T) + Hv, (n + 1) * (Hv + T)), n * T);
        }
        k.luong_attend_backward(B, U, T, Hk, Hv, g.q, g.lengths, g.k, g.v, g.alpha, g.dContext, g.dAlpha, g.dq, g.dk, g.dv, g.scratch);
        const grads = [
          tensorFromView(k.f32(g.dq, N * Hk), [B, U, Hk]),
          tensorFromView(k.f32(g.dk, B * T * Hk), [B, T, Hk]),
          tensorFromView(k.f32(g.dv, B * T * Hv), [B, T, Hv]),
        ];
        k.heap.release(g.block);
        return grads;
      },
    };
  }) as unknown as Parameters<typeof tf.customGrad>[0]);
  return tf.tidy(() => {
    const value = op(queries, keys, values); // [B·U, Hv + T]
    const [context, alpha] = tf.split(value, [Hv, T], 1);
    return {
      context: tf.reshape(context, [B, U, Hv]) as tf.Tensor3D, // [B, U, Hv]
      alpha: tf.reshape(alpha, [B, U, T]) as tf.Tensor3D, // [B, U, T]
    };
  });
}
