/**
 * LSTM step with its hand-written backward (gate blocks i, f, g, o as in PyTorch).
 *
 *   forward:   [i, f, g, o] = [σ, σ, tanh, σ](W x_t + b_ih + U h_{t−1} + b_hh)
 *              C_t = f ⊙ C_{t−1} + i ⊙ g,   h_t = o ⊙ tanh(C_t)
 *   backward:  δC  = ∂L/∂C_t + ∂L/∂h_t ⊙ o ⊙ (1 − tanh²(C_t))
 *              δo = ∂L/∂h_t ⊙ tanh(C_t),  δi = δC ⊙ g,  δf = δC ⊙ C_{t−1},  δg = δC ⊙ i
 *              ∂L/∂a = [δi ⊙ i(1−i), δf ⊙ f(1−f), δg ⊙ (1−g²), δo ⊙ o(1−o)]
 *              ∂L/∂C_{t−1} = δC ⊙ f,   ∂L/∂h_{t−1} = ∂L/∂a U
 */
import * as tf from '@tensorflow/tfjs';
import { gateBlocks } from '../weights.ts';
import { recurrentProduct, sigmoidGrad, tanhGrad, type FusedStep } from './step.ts';

export const lstmFusedStep: FusedStep = {
  directGates: 4,
  forward(u, inputProjection, hPrev, cPrev) {
    const a = tf.add(inputProjection, recurrentProduct(hPrev, u.uDirectT, u.bDirect)) as tf.Tensor2D; // [B, 4H]
    const [ai, af, ag, ao] = gateBlocks(a, 4); // each [B, H]
    const inputGate = tf.sigmoid(ai);
    const forgetGate = tf.sigmoid(af);
    const candidate = tf.tanh(ag);
    const outputGate = tf.sigmoid(ao);
    const c = tf.add(tf.mul(forgetGate, cPrev!), tf.mul(inputGate, candidate)) as tf.Tensor2D;
    const tanhC = tf.tanh(c);
    const h = tf.mul(outputGate, tanhC) as tf.Tensor2D;
    return { h, c, saved: [inputGate, forgetGate, candidate, outputGate, cPrev!, tanhC] };
  },
  backward(u, saved, dh, dc) {
    const [inputGate, forgetGate, candidate, outputGate, cPrev, tanhC] = saved as tf.Tensor2D[];
    const deltaC = tf.add(dc!, tf.mul(tf.mul(dh, outputGate), tanhGrad(tanhC))) as tf.Tensor2D;
    const dOutput = tf.mul(dh, tanhC);
    const dInput = tf.mul(deltaC, candidate);
    const dForget = tf.mul(deltaC, cPrev);
    const dCandidate = tf.mul(deltaC, inputGate);
    const da = tf.concat(
      [
        tf.mul(dInput, sigmoidGrad(inputGate)),
        tf.mul(dForget, sigmoidGrad(forgetGate)),
        tf.mul(dCandidate, tanhGrad(candidate)),
        tf.mul(dOutput, sigmoidGrad(outputGate)),
      ],
      1,
    ) as tf.Tensor2D; // [B, 4H]
    return {
      dInputProjection: da,
      dDirect: da,
      dhPrev: tf.matMul(da, u.uDirect),
      dcPrev: tf.mul(deltaC, forgetGate),
    };
  },
};
