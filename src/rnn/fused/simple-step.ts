/**
 * SimpleRNN step with its hand-written backward.
 *
 *   forward:   a_t = W x_t + b_ih + U h_{t−1} + b_hh,   h_t = φ(a_t)
 *   backward:  ∂L/∂a_t = ∂L/∂h_t ⊙ φ'(a_t)     (tanh: 1 − h_t²; relu: [h_t > 0])
 *              ∂L/∂h_{t−1} = ∂L/∂a_t U
 */
import * as tf from '@tensorflow/tfjs';
import type { SimpleNonlinearity } from '../simple.ts';
import { recurrentProduct, tanhGrad, type FusedStep } from './step.ts';

export function simpleFusedStep(nonlinearity: SimpleNonlinearity): FusedStep {
  return {
    directGates: 1,
    forward(u, inputProjection, hPrev) {
      const a = tf.add(inputProjection, recurrentProduct(hPrev, u.uDirectT, u.bDirect)) as tf.Tensor2D;
      const h = nonlinearity === 'tanh' ? tf.tanh(a) : tf.relu(a);
      return { h, saved: [h] };
    },
    backward(u, [h], dh) {
      const phiPrime = nonlinearity === 'tanh' ? tanhGrad(h as tf.Tensor2D) : tf.step(h); // [B, H]
      const da = tf.mul(dh, phiPrime) as tf.Tensor2D;
      return { dInputProjection: da, dDirect: da, dhPrev: tf.matMul(da, u.uDirect) };
    },
  };
}
