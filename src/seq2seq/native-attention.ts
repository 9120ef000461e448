/**
 * Luong attention (attention.ts, kinds 'luong-dot' and 'luong-general': e_{u,t} = q_uᵀ k_t over
 * real steps, α = softmax_t(e), c_u = Σ_t α_{u,t} h_t) as one differentiable op on the native
 * kernels (src/native/decoder.h: luong_attend and its hand-written gradient), instead of a dozen
 * tfjs ops whose gradients are transposed batched products.
 */
import * as tf from '@tensorflow/tfjs';
import { nativeKernels } from '../native/kernels.ts';
import { readFloat32 } from '../backend/read.ts';

/**
 * The lengths T_b of a [B, T] mask that is 1 on a prefix of each row and 0 after (lengthMask's
 * form), or null when some row is not of that form.
 */
export function prefixLengths(mask: tf.Tensor2D): number[] | null {
  const [B, T] = mask.shape;
  const m = readFloat32(tf.tidy(() => tf.cast(mask, 'float32')));
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
 * queries [B, U, H], keys and values [B, T, H], real lengths T_b ≥ 1 → context [B, U, H] and
 * alpha [B, U, T], differentiable with respect to queries, keys and values.
 */
export function nativeLuongAttend(
  queries: tf.Tensor3D,
  keys: tf.Tensor3D,
  values: tf.Tensor3D,
  lengths: readonly number[],
): { context: tf.Tensor3D; alpha: tf.Tensor3D } {
  const k = nativeKernels()!;
  const [B, U, H] = queries.shape;
  const T = keys.shape[1];
  const N = B * U;
  /** One block: q, k, v, α, the lengths and which memory row each query reads. */
  const load = <E extends string>(q: tf.Tensor, kk: tf.Tensor, v: tf.Tensor, extra: Record<E, number>) => {
    const p = k.heap.layout({ q: N * H, k: B * T * H, v: B * T * H, alpha: N * T, lengths: B, source: N, ...extra } as Record<'q' | 'k' | 'v' | 'alpha' | 'lengths' | 'source' | E, number>);
    k.f32(p.q, N * H).set(readFloat32(q));
    k.f32(p.k, B * T * H).set(readFloat32(kk));
    k.f32(p.v, B * T * H).set(readFloat32(v));
    k.i32(p.lengths, B).set(lengths);
    const source = k.i32(p.source, N);
    for (let n = 0; n < N; n++) source[n] = Math.floor(n / U); // query b·U + u reads row b
    return p;
  };
  // One op, value = [c | α] per query: [B·U, H + T]
  const op = tf.customGrad(((q: tf.Tensor, kk: tf.Tensor, v: tf.Tensor, save: tf.GradSaveFunc) => {
    const p = load(q, kk, v, { context: N * H });
    k.luong_attend(N, T, H, p.q, H, p.source, p.lengths, p.k, p.v, p.alpha, p.context);
    const context = k.f32(p.context, N * H);
    const alpha = k.f32(p.alpha, N * T);
    const out = new Float32Array(N * (H + T));
    for (let n = 0; n < N; n++) {
      out.set(context.subarray(n * H, (n + 1) * H), n * (H + T));
      out.set(alpha.subarray(n * T, (n + 1) * T), n * (H + T) + H);
    }
    k.heap.release(p.block);
    const value = tf.tensor2d(out, [N, H + T]);
    save([q, kk, v, value]);
    return {
      value,
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const [sq, sk, sv, forward] = saved;
        const g = load(sq, sk, sv, { dContext: N * H, dAlpha: N * T, dq: N * H, dk: B * T * H, dv: B * T * H, scratch: T });
        const f = readFloat32(forward); // [B·U, H + T]
        const d = readFloat32(dy); // [B·U, H + T]
        const alpha = k.f32(g.alpha, N * T);
        const dContext = k.f32(g.dContext, N * H);
        const dAlpha = k.f32(g.dAlpha, N * T);
        for (let n = 0; n < N; n++) {
          alpha.set(f.subarray(n * (H + T) + H, (n + 1) * (H + T)), n * T);
          dContext.set(d.subarray(n * (H + T), n * (H + T) + H), n * H);
          dAlpha.set(d.subarray(n * (H + T) + H, (n + 1) * (H + T)), n * T);
        }
        k.luong_attend_backward(B, U, T, H, g.q, g.lengths, g.k, g.v, g.alpha, g.dContext, g.dAlpha, g.dq, g.dk, g.dv, g.scratch);
        const grads = [
          tf.tensor3d(k.f32(g.dq, N * H).slice(), [B, U, H]),
          tf.tensor3d(k.f32(g.dk, B * T * H).slice(), [B, T, H]),
          tf.tensor3d(k.f32(g.dv, B * T * H).slice(), [B, T, H]),
        ];
        k.heap.release(g.block);
        return grads;
      },
    };
  }) as unknown as Parameters<typeof tf.customGrad>[0]);
  return tf.tidy(() => {
    const value = op(queries, keys, values); // [B·U, H + T]
    const [context, alpha] = tf.split(value, [H, T], 1);
    return {
      context: tf.reshape(context, [B, U, H]) as tf.Tensor3D, // [B, U, H]
      alpha: tf.reshape(alpha, [B, U, T]) as tf.Tensor3D, // [B, U, T]
    };
  });
}
