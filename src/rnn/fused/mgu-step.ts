/**
 * MGU step with its hand-written backward (gate blocks f, n).
 *
 *   forward:   f = σ(x_f + h_{t−1} U_fᵀ + b_f),   n = tanh(x_n + (f ⊙ h_{t−1}) U_nᵀ + b_n)
 *              h_t = (1 − f) ⊙ h_{t−1} + f ⊙ n
 *   backward:  δa_n = ∂L/∂h_t ⊙ f ⊙ (1 − n²),   δ(f⊙h) = δa_n U_n
 *              δf = ∂L/∂h_t ⊙ (n − h_{t−1}) + δ(f⊙h) ⊙ h_{t−1},   δa_f = δf ⊙ f(1−f)
 *              ∂L/∂h_{t−1} = ∂L/∂h_t ⊙ (1 − f) + δ(f⊙h) ⊙ f + δa_f U_f
 */
import * as tf from '@tensorflow/tfjs';
import { gateBlocks } from '../weights.ts';
import { recurrentProduct, sigmoidGrad, tanhGrad, type FusedStep } from './step.ts';

export const mguFusedStep: FusedStep = {
  directGates: 1,
  forward(u, inputProjection, hPrev) {
    const [xf, xn] = gateBlocks(inputProjection, 2); // each [B, H]
    const forgetGate = tf.sigmoid(tf.add(xf, recurrentProduct(hPrev, u.uDirectT, u.bDirect))) as tf.Tensor2D;
    const forgetH = tf.mul(forgetGate, hPrev) as tf.Tensor2D; // f ⊙ h_{t−1}
    const candidate = tf.tanh(tf.add(xn, recurrentProduct(forgetH, u.uGatedT!, u.bGated!))) as tf.Tensor2D;
    const h = tf.add(hPrev, tf.mul(forgetGate, tf.sub(candidate, hPrev))) as tf.Tensor2D;
    return { h, saved: [forgetGate, candidate, forgetH, hPrev] };
  },
  backward(u, saved, dh) {
    const [forgetGate, candidate, forgetH, hPrev] = saved as tf.Tensor2D[];
    const dan = tf.mul(tf.mul(dh, forgetGate), tanhGrad(candidate)) as tf.Tensor2D;
    const dForgetH = tf.matMul(dan, u.uGated!); // [B, H]
    const df = tf.add(tf.mul(dh, tf.sub(candidate, hPrev)), tf.mul(dForgetH, hPrev));
    const daf = tf.mul(df, sigmoidGrad(forgetGate)) as tf.Tensor2D;
    const dhPrev = tf.addN([tf.mul(dh, tf.sub(1, forgetGate)), tf.mul(dForgetH, forgetGate), tf.matMul(daf, u.uDirect)]);
    return {
      dInputProjection: tf.concat([daf, dan], 1) as tf.Tensor2D, // [B, 2H]
      dDirect: daf,
      dGated: dan,
      gatedInput: forgetH,
      dhPrev: dhPrev as tf.Tensor2D,
    };
  },
};
