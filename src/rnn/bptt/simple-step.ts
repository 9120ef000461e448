/**
 * SimpleRNN step with its hand-written backward.
 *
 *   forward:   a_t = W x_t + b_ih + U h_{t−1} + b_hh,   h_t = φ(a_t)
 *   backward:  ∂L/∂a_t = ∂L/∂h_t ⊙ φ'(a_t)     (tanh: 1 − h_t²; relu: [h_t > 0])
 *              ∂L/∂h_{t−1} = ∂L/∂a_t U
 */
import type { SimpleNonlinearity } from '../simple.ts';
import { tanh, type FusedStep } from './step.ts';

export function simpleFusedStep(nonlinearity: SimpleNonlinearity): FusedStep {
  const isTanh = nonlinearity === 'tanh';
  return {
    directGates: 1,
    forward(r, inputProjection, hPrev) {
      const h = r.direct(hPrev); // U h_{t−1} + b_hh, [B, H]
      for (let k = 0; k < h.length; k++) {
        const a = inputProjection[k] + h[k];
        h[k] = isTanh ? tanh(a) : Math.max(a, 0);
      }
      return { h, saved: [h] };
    },
    backward(r, [h], dh) {
      const da = new Float32Array(h.length); // [B, H]
      for (let k = 0; k < h.length; k++) da[k] = dh[k] * (isTanh ? 1 - h[k] * h[k] : h[k] > 0 ? 1 : 0);
      return { dInputProjection: da, dDirect: da, dhPrev: r.directBack(da) };
    },
  };
}
