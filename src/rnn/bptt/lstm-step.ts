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
import { sigmoid, tanh, type FusedStep } from './step.ts';

export const lstmFusedStep: FusedStep = {
  directGates: 4,
  forward(r, inputProjection, hPrev, cPrev) {
    const { B, H } = r;
    const a = r.direct(hPrev); // U h_{t−1} + b_hh, [B, 4H]
    const n = B * H;
    const [inputGate, forgetGate, candidate, outputGate, c, tanhC, h] = Array.from({ length: 7 }, () => new Float32Array(n));
    for (let b = 0; b < B; b++) {
      for (let j = 0; j < H; j++) {
        const k = b * H + j; // [B, H] index
        const row = 4 * b * H + j; // gate block 0 of [B, 4H]
        inputGate[k] = sigmoid(inputProjection[row] + a[row]);
        forgetGate[k] = sigmoid(inputProjection[row + H] + a[row + H]);
        candidate[k] = tanh(inputProjection[row + 2 * H] + a[row + 2 * H]);
        outputGate[k] = sigmoid(inputProjection[row + 3 * H] + a[row + 3 * H]);
        c[k] = forgetGate[k] * cPrev![k] + inputGate[k] * candidate[k];
        tanhC[k] = tanh(c[k]);
        h[k] = outputGate[k] * tanhC[k];
      }
    }
    return { h, c, saved: [inputGate, forgetGate, candidate, outputGate, cPrev!, tanhC] };
  },
  backward(r, saved, dh, dc) {
    const { B, H } = r;
    const [inputGate, forgetGate, candidate, outputGate, cPrev, tanhC] = saved;
    const da = new Float32Array(4 * B * H); // [B, 4H]
    const dcPrev = new Float32Array(B * H);
    for (let b = 0; b < B; b++) {
      for (let j = 0; j < H; j++) {
        const k = b * H + j;
        const row = 4 * b * H + j;
        const i = inputGate[k], f = forgetGate[k], g = candidate[k], o = outputGate[k], tc = tanhC[k];
        const deltaC = dc![k] + dh[k] * o * (1 - tc * tc);
        da[row] = deltaC * g * i * (1 - i);
        da[row + H] = deltaC * cPrev[k] * f * (1 - f);
        da[row + 2 * H] = deltaC * i * (1 - g * g);
        da[row + 3 * H] = dh[k] * tc * o * (1 - o);
        dcPrev[k] = deltaC * f;
      }
    }
    return { dInputProjection: da, dDirect: da, dhPrev: r.directBack(da), dcPrev };
  },
};
