/**
 * MGU step with its hand-written backward (gate blocks f, n).
 *
 *   forward:   f = σ(x_f + h_{t−1} U_fᵀ + b_f),   n = tanh(x_n + (f ⊙ h_{t−1}) U_nᵀ + b_n)
 *              h_t = (1 − f) ⊙ h_{t−1} + f ⊙ n
 *   backward:  δa_n = ∂L/∂h_t ⊙ f ⊙ (1 − n²),   δ(f⊙h) = δa_n U_n
 *              δf = ∂L/∂h_t ⊙ (n − h_{t−1}) + δ(f⊙h) ⊙ h_{t−1},   δa_f = δf ⊙ f(1−f)
 *              ∂L/∂h_{t−1} = ∂L/∂h_t ⊙ (1 − f) + δ(f⊙h) ⊙ f + δa_f U_f
 */
import { sigmoid, tanh, type FusedStep } from './step.ts';

export const mguFusedStep: FusedStep = {
  directGates: 1,
  forward(r, inputProjection, hPrev) {
    const { B, H } = r;
    const a = r.direct(hPrev); // h_{t−1} U_fᵀ + b_f, [B, H]
    const [forgetGate, forgetH, candidate, h] = Array.from({ length: 4 }, () => new Float32Array(B * H));
    for (let b = 0; b < B; b++) {
      for (let j = 0; j < H; j++) {
        const k = b * H + j;
        forgetGate[k] = sigmoid(inputProjection[2 * b * H + j] + a[k]);
        forgetH[k] = forgetGate[k] * hPrev[k]; // f ⊙ h_{t−1}
      }
    }
    const un = r.gated(forgetH); // (f ⊙ h_{t−1}) U_nᵀ + b_n, [B, H]
    for (let b = 0; b < B; b++) {
      for (let j = 0; j < H; j++) {
        const k = b * H + j;
        candidate[k] = tanh(inputProjection[2 * b * H + H + j] + un[k]);
        h[k] = (1 - forgetGate[k]) * hPrev[k] + forgetGate[k] * candidate[k];
      }
    }
    return { h, saved: [forgetGate, candidate, forgetH, hPrev] };
  },
  backward(r, saved, dh) {
    const { B, H } = r;
    const [forgetGate, candidate, forgetH, hPrev] = saved;
    const dan = new Float32Array(B * H); // δa_n
    for (let k = 0; k < dan.length; k++) dan[k] = dh[k] * forgetGate[k] * (1 - candidate[k] * candidate[k]);
    const dForgetH = r.gatedBack(dan); // δ(f ⊙ h), [B, H]
    const daf = new Float32Array(B * H); // δa_f
    const dhPrev = new Float32Array(B * H);
    const dInputProjection = new Float32Array(2 * B * H); // [B, 2H]
    for (let b = 0; b < B; b++) {
      for (let j = 0; j < H; j++) {
        const k = b * H + j;
        const f = forgetGate[k];
        const df = dh[k] * (candidate[k] - hPrev[k]) + dForgetH[k] * hPrev[k];
        daf[k] = df * f * (1 - f);
        dhPrev[k] = dh[k] * (1 - f) + dForgetH[k] * f;
        dInputProjection[2 * b * H + j] = daf[k];
        dInputProjection[2 * b * H + H + j] = dan[k];
      }
    }
    const back = r.directBack(daf);
    for (let k = 0; k < dhPrev.length; k++) dhPrev[k] += back[k];
    return { dInputProjection, dDirect: daf, dGated: dan, gatedInput: forgetH, dhPrev };
  },
};
