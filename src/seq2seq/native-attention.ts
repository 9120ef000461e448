/**
 * Luong attention (attention.ts, kinds 'luong-dot' and 'luong-general': e_{u,t} = q_uᵀ k_t over
 * real steps, α = softmax_t(e), c_u = Σ_t α_{u,t} h_t) as one differentiable op on the native
 * kernels (src/native/decoder.h: luong_attend and its hand-written gradient), instead of a dozen
 * tfjs ops whose gradients are transposed batched products.
 */
import * as tf from '@tensorflow/tfjs';
import { nativeKernels, type NativeKernels } from '../native/kernels.ts';
import { releaseKept, unusedBlocks, type KeptBlock } from '../native/kept-block.ts';
import { isRecordingGradients } from '../backend/recording.ts';
import { multiOutputGrad, type MultiOutputOp } from '../backend/multi-output-grad.ts';
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
 * [B, U, Hv] and alpha [B, U, T], differentiable with respect to queries, keys and values: one op
 * with two outputs (multiOutputGrad); a recorded pass keeps q, k, v and α in module memory for
 * its backward.
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
  const op: MultiOutputOp = (q, kk, v) => {
    // q, k, v, α, the lengths and which memory row each query reads
    const p = k.heap.layout({ q: N * Hk, k: B * T * Hk, v: B * T * Hv, alpha: N * T, lengths: B, source: N, context: N * Hv });
    copyFloat32(q, k.f32(p.q, N * Hk));
    copyFloat32(kk, k.f32(p.k, B * T * Hk));
    copyFloat32(v, k.f32(p.v, B * T * Hv));
    k.i32(p.lengths, B).set(lengths);
    const source = k.i32(p.source, N);
    for (let n = 0; n < N; n++) source[n] = Math.floor(n / U); // query b·U + u reads row b
    k.luong_attend(N, T, Hk, Hv, p.q, Hk, p.source, p.lengths, p.k, p.v, p.alpha, p.context);
    const outputs = [tensorFromView(k.f32(p.context, N * Hv), [B, U, Hv]), tensorFromView(k.f32(p.alpha, N * T), [B, U, T])];
    const kept: KeptBlock = { k, block: p.block, released: false };
    if (!isRecordingGradients()) releaseKept(kept);
    const gradFunc = ([dContext, dAlpha]: tf.Tensor[]) => {
      if (kept.released) throw new Error('nativeLuongAttend: a gradient was asked of a pass that was not recorded (or twice)');
      const g = k.heap.layout({ dContext: N * Hv, dAlpha: N * T, dq: N * Hk, dk: B * T * Hk, dv: B * T * Hv, scratch: 3 * U * T });
      try {
        copyFloat32(dContext, k.f32(g.dContext, N * Hv));
        copyFloat32(dAlpha, k.f32(g.dAlpha, N * T));
        k.luong_attend_backward(B, U, T, Hk, Hv, p.q, p.lengths, p.k, p.v, p.alpha, g.dContext, g.dAlpha, g.dq, g.dk, g.dv, g.scratch);
        return [
          tensorFromView(k.f32(g.dq, N * Hk), [B, U, Hk]),
          tensorFromView(k.f32(g.dk, B * T * Hk), [B, T, Hk]),
          tensorFromView(k.f32(g.dv, B * T * Hv), [B, T, Hv]),
        ];
      } finally {
        k.heap.release(g.block);
        releaseKept(kept);
      }
    };
    if (!kept.released) unusedBlocks.register(gradFunc, kept);
    return { outputs, gradFunc };
  };
  const [context, alpha] = multiOutputGrad(op, [queries, keys, values]);
  return { context: context as tf.Tensor3D, alpha: alpha as tf.Tensor3D }; // [B, U, Hv], [B, U, T]
}
