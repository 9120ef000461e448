/**
 * The top of the seq2seq decoder in training (model.ts), from the decoder states to the loss, as
 * one differentiable op on the native kernels, over the real target steps only:
 *
 *   x_r  = [c_r ; s_r]  (with attention)  or  s_r  ('none')           r: the R real steps (u < U_b)
 *   h̃_r  = tanh(W_c x_r)  (with attention)  or  s_r  ('none')          W_c [H·D, 2·H·D]
 *   z_r  = W_o h̃_r + b_o                                              W_o [V, H·D], b_o [V]
 *   loss = (1/R) Σ_r ℓ(z_r, y_r)      ℓ: cross-entropy with label smoothing ε (nn/cross-entropy.ts)
 *
 * and its gradient, computed with the loss (when a tape records) and kept in module memory until
 * the backward pass hands it out:
 *
 *   δz_r = (softmax(z_r) − q_r) / R,   ∂W_o = δZᵀ H̃,   ∂b_o = Σ_r δz_r,   δh̃ = δZ W_o
 *   δa   = δh̃ ⊙ (1 − h̃²),              ∂W_c = δAᵀ X,    δx = δA W_c  → ∂c_r, ∂s_r  (0 at padded steps)
 *
 * Every product is the module's gemm (split across threads where sori runs several); padded steps are
 * neither projected nor differentiated (their loss weight is 0, so the reference's gradient there
 * is 0 too). The reference is model.ts's project/logits followed by maskedCrossEntropy.
 */
import * as tf from '@tensorflow/tfjs';
import { nativeKernels, type NativeKernels } from '../native/kernels.ts';
import { releaseKept, unusedBlocks, type KeptBlock } from '../native/kept-block.ts';
import { copyFloat32 } from '../backend/read.ts';
import { tensorFromView } from '../backend/tensor-from-view.ts';
import { isRecordingGradients } from '../backend/recording.ts';


export interface OutputLossInputs {
  /** s: decoder states [B, U, H·D] */
  states: tf.Tensor3D;
  /** c: attention contexts [B, U, H·D]; absent for attention 'none' (then no combine either) */
  context?: tf.Tensor3D;
  /** W_c [H·D, 2·H·D] (with context) */
  combine?: tf.Tensor2D;
  /** W_o [V, H·D] */
  weight: tf.Tensor2D;
  /** b_o [V] */
  bias: tf.Tensor1D;
  /** y [B, U] int32 targets (read at real steps only) */
  targets: tf.Tensor2D;
  /** U_b: real target steps per row, each in [0, U] */
  lengths: readonly number[];
  /** ε in [0, 1) */
  labelSmoothing: number;
}

/** The loss above, a scalar differentiable in states, context, combine, weight and bias. */
export function nativeOutputLoss(inputs: OutputLossInputs): tf.Scalar {
  const k = nativeKernels()!;
  const { states, context, combine, weight, bias, lengths, labelSmoothing: eps } = inputs;
  const [B, U, H] = states.shape;
  const V = weight.shape[0];
  const I = context ? 2 * H : H; // x_r [I]
  const y = inputs.targets.dataSync();
  const rows: number[] = []; // flat index b·U + u of each real step
  for (let b = 0; b < B; b++) for (let u = 0; u < Math.min(lengths[b], U); u++) rows.push(b * U + u);
  const R = rows.length;
  for (const n of rows) {
    if (!(Number.isInteger(y[n]) && y[n] >= 0 && y[n] < V)) {
      throw new Error(`targets: expected ids in [0, ${V}), got ${y[n]} at [${Math.floor(n / U)}, ${n % U}]`);
    }
  }

  const inputsList = [states, ...(context ? [context, combine!] : []), weight, bias];
  const op = tf.customGrad(((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    void args;
    const keep = isRecordingGradients();
    const pack = Math.max(k.packed_size(H, V), k.packed_size(V, H), k.packed_size(I, H), k.packed_size(H, I), k.packed_size(R, H), k.packed_size(R, I));
    const m = k.heap.layout({
      sAll: B * U * H, // s [B·U, H]
      cAll: context ? B * U * H : 0, // c [B·U, H]
      x: R * I, // X [R, I]
      h: context ? R * H : 0, // H̃ [R, H] (X itself for 'none')
      z: R * V, // Z [R, V]
      y: R,
      w: R,
      loss: R,
      wo: V * H, // W_o [V, H]
      bias: V, // b_o [V]
      wc: context ? H * I : 0, // W_c [H, I]
      t: Math.max(V * H, I * H, keep ? V * R : 0, keep ? H * R : 0), // a transposed operand
      pack, // a packed operand (gemm's scratch)
      dz: keep ? R * V : 0, // δZ [R, V]
      dh: keep ? R * H : 0, // δH̃, then δA [R, H]
      dx: keep && context ? R * I : 0, // δX [R, I]
    });
    // The gradients, kept in module memory until the backward pass reads them (in input order).
    const g = keep ? k.heap.layout({ dStates: B * U * H, dContext: context ? B * U * H : 0, dCombine: context ? H * I : 0, dWeight: V * H, dBias: V }) : null;
    try {
      const s = k.f32(m.sAll, B * U * H);
      copyFloat32(states, s);
      const c = context ? k.f32(m.cAll, B * U * H) : null;
      if (c) copyFloat32(context!, c);
      const x = k.f32(m.x, R * I);
      const yView = k.i32(m.y, R);
      rows.forEach((n, r) => {
        if (c) x.set(c.subarray(n * H, (n + 1) * H), r * I);
        x.set(s.subarray(n * H, (n + 1) * H), r * I + I - H);
        yView[r] = y[n];
      });
      k.f32(m.w, R).fill(1 / Math.max(R, 1)); // (1/R) Σ_r
      copyFloat32(weight, k.f32(m.wo, V * H));
      const h = context ? m.h : m.x;
      if (context) {
        copyFloat32(combine!, k.f32(m.wc, H * I));
        k.transpose(H, I, m.wc, m.t); // W_cᵀ [I, H]
        k.gemm(R, H, I, m.x, m.t, 0, m.h, 0, m.pack); // W_c x_r
        k.tanh_inplace(R * H, m.h); // h̃_r
      }
      copyFloat32(bias, k.f32(m.bias, V));
      k.transpose(V, H, m.wo, m.t); // W_oᵀ [H, V]
      k.gemm(R, V, H, h, m.t, m.bias, m.z, 0, m.pack); // z_r = W_o h̃_r + b_o
      k.softmax_cross_entropy(R, V, m.z, m.y, m.w, eps, m.loss, keep ? m.dz : 0);
      let loss = 0;
      for (const l of k.f32(m.loss, R)) loss += l;
      if (g) {
        k.gemm(R, H, V, m.dz, m.wo, 0, m.dh, 0, m.pack); // δH̃ = δZ W_o
        k.transpose(R, V, m.dz, m.t); // δZᵀ [V, R]
        k.gemm(V, H, R, m.t, h, 0, g.dWeight, 0, m.pack); // ∂W_o = δZᵀ H̃
        k.column_sums(R, V, m.dz, g.dBias, 0); // ∂b_o
        let dx = m.dh; // δs for 'none'
        if (context) {
          k.tanh_backward(R * H, m.h, m.dh); // δA
          k.gemm(R, I, H, m.dh, m.wc, 0, m.dx, 0, m.pack); // δX = δA W_c
          k.transpose(R, H, m.dh, m.t); // δAᵀ [H, R]
          k.gemm(H, I, R, m.t, m.x, 0, g.dCombine, 0, m.pack); // ∂W_c = δAᵀ X
          dx = m.dx;
        }
        const dxView = k.f32(dx, R * I);
        const dStates = k.f32(g.dStates, B * U * H).fill(0);
        const dContext = context ? k.f32(g.dContext, B * U * H).fill(0) : null;
        rows.forEach((n, r) => {
          if (dContext) dContext.set(dxView.subarray(r * I, r * I + H), n * H);
          dStates.set(dxView.subarray(r * I + I - H, (r + 1) * I), n * H);
        });
      }
      const kept: KeptBlock | null = g && { k, block: g.block, released: false };
      const gradFunc = (dy: tf.Tensor) => {
        if (!kept || kept.released) throw new Error('nativeOutputLoss: the gradient was asked for twice, or outside a recorded pass');
        try {
          const scale = dy.dataSync()[0];
          const at = [g!.dStates, ...(context ? [g!.dContext, g!.dCombine] : []), g!.dWeight, g!.dBias];
          return at.map((address, i) => {
            const values = k.f32(address, inputsList[i].size);
            if (scale !== 1) for (let j = 0; j < values.length; j++) values[j] *= scale;
            return tensorFromView(values, inputsList[i].shape);
          });
        } finally {
          releaseKept(kept);
        }
      };
      if (kept) unusedBlocks.register(gradFunc, kept); // freed with the tape if never asked for
      return { value: tf.scalar(loss), gradFunc };
    } catch (err) {
      if (g) k.heap.release(g.block);
      throw err;
    } finally {
      k.heap.release(m.block);
    }
  }) as unknown as Parameters<typeof tf.customGrad>[0]);
  return op(...inputsList) as tf.Scalar;
}
