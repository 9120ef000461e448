/**
 * GRU steps with their hand-written backward, both forms (gate blocks r, z, n as in PyTorch).
 *
 *   forward:   r = σ(x_r + h_r),  z = σ(x_z + h_z),  h_t = (1 − z) ⊙ n + z ⊙ h_{t−1}
 *              reset-after:  [h_r, h_z, h_n] = h_{t−1} Uᵀ + b_hh,   n = tanh(x_n + r ⊙ h_n)
 *              lecture:      [h_r, h_z] = h_{t−1} U_rzᵀ + b_rz,     n = tanh(x_n + (r ⊙ h_{t−1}) U_nᵀ + b_n)
 *   backward:  δn = ∂L/∂h_t ⊙ (1 − z),  δz = ∂L/∂h_t ⊙ (h_{t−1} − n),  δa_n = δn ⊙ (1 − n²)
 *              reset-after:  δr = δa_n ⊙ h_n,  ∂L/∂h_n = δa_n ⊙ r
 *              lecture:      δ(r⊙h) = δa_n U_n,  δr = δ(r⊙h) ⊙ h_{t−1}
 *              δa_r = δr ⊙ r(1−r),  δa_z = δz ⊙ z(1−z)
 *              ∂L/∂h_{t−1} = ∂L/∂h_t ⊙ z + [δa_r, δa_z, (∂L/∂h_n)] U_direct (+ δ(r⊙h) ⊙ r, lecture)
 */
import * as tf from '@tensorflow/tfjs';
import type { GruForm } from '../gru.ts';
import { gateBlocks } from '../weights.ts';
import { recurrentProduct, sigmoidGrad, tanhGrad, type FusedStep } from './step.ts';

export function gruFusedStep(form: GruForm): FusedStep {
  return form === 'reset-after' ? resetAfter : lecture;
}

const resetAfter: FusedStep = {
  directGates: 3,
  forward(u, inputProjection, hPrev) {
    const [xr, xz, xn] = gateBlocks(inputProjection, 3); // each [B, H]
    const [hr, hz, hn] = gateBlocks(recurrentProduct(hPrev, u.uDirectT, u.bDirect), 3); // each [B, H]
    const resetGate = tf.sigmoid(tf.add(xr, hr)) as tf.Tensor2D;
    const updateGate = tf.sigmoid(tf.add(xz, hz)) as tf.Tensor2D;
    const candidate = tf.tanh(tf.add(xn, tf.mul(resetGate, hn))) as tf.Tensor2D;
    const h = tf.add(candidate, tf.mul(updateGate, tf.sub(hPrev, candidate))) as tf.Tensor2D;
    return { h, saved: [resetGate, updateGate, candidate, hn, hPrev] };
  },
  backward(u, saved, dh) {
    const [resetGate, updateGate, candidate, hn, hPrev] = saved as tf.Tensor2D[];
    const dn = tf.mul(dh, tf.sub(1, updateGate));
    const dz = tf.mul(dh, tf.sub(hPrev, candidate));
    const dan = tf.mul(dn, tanhGrad(candidate)) as tf.Tensor2D;
    const dar = tf.mul(tf.mul(dan, hn), sigmoidGrad(resetGate)) as tf.Tensor2D;
    const daz = tf.mul(dz, sigmoidGrad(updateGate)) as tf.Tensor2D;
    const dDirect = tf.concat([dar, daz, tf.mul(dan, resetGate)], 1) as tf.Tensor2D; // [B, 3H]
    return {
      dInputProjection: tf.concat([dar, daz, dan], 1) as tf.Tensor2D, // [B, 3H]
      dDirect,
      dhPrev: tf.add(tf.mul(dh, updateGate), tf.matMul(dDirect, u.uDirect)) as tf.Tensor2D,
    };
  },
};

const lecture: FusedStep = {
  directGates: 2,
  forward(u, inputProjection, hPrev) {
    const [xr, xz, xn] = gateBlocks(inputProjection, 3); // each [B, H]
    const [hr, hz] = gateBlocks(recurrentProduct(hPrev, u.uDirectT, u.bDirect), 2); // each [B, H]
    const resetGate = tf.sigmoid(tf.add(xr, hr)) as tf.Tensor2D;
    const updateGate = tf.sigmoid(tf.add(xz, hz)) as tf.Tensor2D;
    const resetH = tf.mul(resetGate, hPrev) as tf.Tensor2D; // r ⊙ h_{t−1}
    const candidate = tf.tanh(tf.add(xn, recurrentProduct(resetH, u.uGatedT!, u.bGated!))) as tf.Tensor2D;
    const h = tf.add(candidate, tf.mul(updateGate, tf.sub(hPrev, candidate))) as tf.Tensor2D;
    return { h, saved: [resetGate, updateGate, candidate, resetH, hPrev] };
  },
  backward(u, saved, dh) {
    const [resetGate, updateGate, candidate, resetH, hPrev] = saved as tf.Tensor2D[];
    const dn = tf.mul(dh, tf.sub(1, updateGate));
    const dz = tf.mul(dh, tf.sub(hPrev, candidate));
    const dan = tf.mul(dn, tanhGrad(candidate)) as tf.Tensor2D;
    const dResetH = tf.matMul(dan, u.uGated!); // [B, H]
    const dar = tf.mul(tf.mul(dResetH, hPrev), sigmoidGrad(resetGate)) as tf.Tensor2D;
    const daz = tf.mul(dz, sigmoidGrad(updateGate)) as tf.Tensor2D;
    const dDirect = tf.concat([dar, daz], 1) as tf.Tensor2D; // [B, 2H]
    const dhPrev = tf.addN([tf.mul(dh, updateGate), tf.mul(dResetH, resetGate), tf.matMul(dDirect, u.uDirect)]);
    return {
      dInputProjection: tf.concat([dar, daz, dan], 1) as tf.Tensor2D, // [B, 3H]
      dDirect,
      dGated: dan,
      gatedInput: resetH,
      dhPrev: dhPrev as tf.Tensor2D,
    };
  },
};
