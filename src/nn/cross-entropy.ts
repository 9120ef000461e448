/**
 * Teacher-forcing loss: cross-entropy of the decoder's predictions against the reference, over the
 * real (non-padding) target steps only, with optional label smoothing ε (PyTorch's
 * CrossEntropyLoss(label_smoothing=ε) definition):
 *
 *   q_v       = (1 − ε) · [v = y_u] + ε / V                       smoothed target distribution
 *   ℓ_{b,u}   = − Σ_v q_v · log softmax(z_{b,u})_v
 *   loss      = Σ_{b,u} m_{b,u} ℓ_{b,u} / Σ_{b,u} m_{b,u}          m = 1 at real steps, 0 at padding
 */
import * as tf from '@tensorflow/tfjs';
import { checkDim, checkRank } from '../check.ts';
import { isRecordingGradients } from '../backend/recording.ts';
import { nativeKernels, nativeKernelsUnavailable, type NativeKernels } from '../native/kernels.ts';
import { readFloat32 } from '../backend/read.ts';

/** Who computes the loss: sori's WebAssembly SIMD kernel (src/native/cross-entropy.h) or tfjs ops. */
export type CrossEntropyKernel = 'native' | 'reference';

/**
 * logits z [B, U, V], targets y [B, U] int32, mask m [B, U] (1 real, 0 padding) → mean loss over
 * real steps (a scalar). `labelSmoothing` ε in [0, 1), default 0. `kernel`: 'native' (default
 * where it runs: one pass per row, gradient w (softmax − q) kept from the forward pass) or
 * 'reference' (the formula above in tfjs ops, differentiated by autodiff).
 */
export function maskedCrossEntropy(
  logits: tf.Tensor3D,
  targets: tf.Tensor2D,
  mask: tf.Tensor2D,
  { labelSmoothing = 0, kernel }: { labelSmoothing?: number; kernel?: CrossEntropyKernel } = {},
): tf.Scalar {
  checkRank(logits, 3, 'logits', '[B, U, V]');
  checkRank(targets, 2, 'targets', '[B, U]');
  checkRank(mask, 2, 'mask', '[B, U]');
  const [B, U, V] = logits.shape;
  checkDim(targets, 0, B, 'targets', 'batch size B of logits');
  checkDim(targets, 1, U, 'targets', 'steps U of logits');
  checkDim(mask, 0, B, 'mask', 'batch size B of logits');
  checkDim(mask, 1, U, 'mask', 'steps U of logits');
  if (!(labelSmoothing >= 0 && labelSmoothing < 1)) throw new Error(`labelSmoothing: expected ε in [0, 1), got ${labelSmoothing}`);
  if (kernel !== undefined && kernel !== 'native' && kernel !== 'reference') {
    throw new Error(`kernel: expected 'native' or 'reference', got '${kernel}'`);
  }
  const native = nativeKernels();
  if (kernel === 'native' && !native) throw new Error(`kernel: 'native' cannot run here: ${nativeKernelsUnavailable()}`);
  if (native && kernel !== 'reference') return nativeCrossEntropy(native, logits, targets, mask, labelSmoothing);
  return tf.tidy(() => {
    const logP = tf.logSoftmax(logits, -1); // [B, U, V]
    const oneHot = tf.oneHot(tf.cast(targets, 'int32'), V); // [B, U, V]
    const q = tf.add(tf.mul(oneHot, 1 - labelSmoothing), labelSmoothing / V); // [B, U, V]
    const perStep = tf.neg(tf.sum(tf.mul(q, logP), -1)); // ℓ [B, U]
    const m = tf.cast(mask, 'float32');
    return tf.div(tf.sum(tf.mul(perStep, m)), tf.maximum(tf.sum(m), 1)) as tf.Scalar;
  });
}

/**
 * The same loss in one pass per row (cross-entropy.h): with w_{b,u} = m_{b,u} / Σ m,
 *   loss = Σ w ℓ,   ∂loss/∂z_{b,u,v} = w_{b,u} (softmax(z_{b,u})_v − q_v)
 * the gradient computed with the loss and kept for the backward pass (when a tape records).
 */
function nativeCrossEntropy(
  k: NativeKernels,
  logits: tf.Tensor3D,
  targets: tf.Tensor2D,
  mask: tf.Tensor2D,
  labelSmoothing: number,
): tf.Scalar {
  const [B, U, V] = logits.shape;
  const N = B * U;
  const y = targets.dataSync(); // [B·U]
  const m = mask.dataSync(); // [B·U]
  let real = 0;
  for (let n = 0; n < N; n++) real += Number(m[n]);
  const lossOf = tf.customGrad(((z: tf.Tensor, save: tf.GradSaveFunc) => {
    void save;
    const keepGradient = isRecordingGradients();
    const mem = k.heap.layout({ z: N * V, y: N, w: N, loss: N, grad: keepGradient ? N * V : 0 });
    k.f32(mem.z, N * V).set(readFloat32(z));
    const yView = k.i32(mem.y, N);
    const wView = k.f32(mem.w, N);
    for (let n = 0; n < N; n++) {
      const target = Number(m[n]) === 0 ? 0 : Number(y[n]); // padded steps: any id, unused
      if (!(Number.isInteger(target) && target >= 0 && target < V)) {
        k.heap.release(mem.block);
        throw new Error(`targets: expected ids in [0, ${V}), got ${target} at [${Math.floor(n / U)}, ${n % U}]`);
      }
      yView[n] = target;
      wView[n] = Number(m[n]) / Math.max(real, 1); // w = m / Σ m
    }
    k.softmax_cross_entropy(N, V, mem.z, mem.y, mem.w, labelSmoothing, mem.loss, keepGradient ? mem.grad : 0);
    let loss = 0;
    for (const l of k.f32(mem.loss, N)) loss += l;
    const gradient = keepGradient ? k.f32(mem.grad, N * V).slice() : null; // ∂loss/∂z [B·U·V]
    k.heap.release(mem.block);
    return {
      value: tf.scalar(loss),
      gradFunc: (dy: tf.Tensor) => [tf.mul(tf.tensor3d(gradient!, [B, U, V]), dy)],
    };
  }) as unknown as Parameters<typeof tf.customGrad>[0]);
  return lossOf(logits) as tf.Scalar;
}
