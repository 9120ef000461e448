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
import type { GruForm } from '../gru.ts';
import { sigmoid, tanh, type FusedStep } from './step.ts';

export function gruFusedStep(form: GruForm): FusedStep {
  return form === 'reset-after' ? resetAfter : lecture;
}

const resetAfter: FusedStep = {
  directGates: 3,
  forward(r, inputProjection, hPrev) {
    const { B, H } = r;
    const a = r.direct(hPrev); // [h_r, h_z, h_n], [B, 3H]
    const [resetGate, updateGate, candidate, hn, h] = Array.from({ length: 5 }, () => new Float32Array(B * H));
    for (let b = 0; b < B; b++) {
      for (let j = 0; j < H; j++) {
        const k = b * H + j;
        const row = 3 * b * H + j;
        resetGate[k] = sigmoid(inputProjection[row] + a[row]);
        updateGate[k] = sigmoid(inputProjection[row + H] + a[row + H]);
        hn[k] = a[row + 2 * H];
        candidate[k] = tanh(inputProjection[row + 2 * H] + resetGate[k] * hn[k]);
        h[k] = (1 - updateGate[k]) * candidate[k] + updateGate[k] * hPrev[k];
      }
    }
    return { h, saved: [resetGate, updateGate, candidate, hn, hPrev] };
  },
  backward(r, saved, dh) {
    const { B, H } = r;
    const [resetGate, updateGate, candidate, hn, hPrev] = saved;
    const dInputProjection = new Float32Array(3 * B * H); // [B, 3H]
    const dDirect = new Float32Array(3 * B * H); // [B, 3H]
    const dhPrev = new Float32Array(B * H);
    for (let b = 0; b < B; b++) {
      for (let j = 0; j < H; j++) {
        const k = b * H + j;
        const row = 3 * b * H + j;
        const rg = resetGate[k], z = updateGate[k], n = candidate[k];
        const dan = dh[k] * (1 - z) * (1 - n * n);
        const dar = dan * hn[k] * rg * (1 - rg);
        const daz = dh[k] * (hPrev[k] - n) * z * (1 - z);
        dInputProjection[row] = dDirect[row] = dar;
        dInputProjection[row + H] = dDirect[row + H] = daz;
        dInputProjection[row + 2 * H] = dan;
        dDirect[row + 2 * H] = dan * rg;
        dhPrev[k] = dh[k] * z;
      }
    }
    const back = r.directBack(dDirect);
    for (let k = 0; k < dhPrev.length; k++) dhPrev[k] += back[k];
    return { dInputProjection, dDirect, dhPrev };
  },
};

const lecture: FusedStep = {
  directGates: 2,
  forward(r, inputProjection, hPrev) {
    const { B, H } = r;
    const a = r.direct(hPrev); // [h_r, h_z], [B, 2H]
    const [resetGate, updateGate, resetH, candidate, h] = Array.from({ length: 5 }, () => new Float32Array(B * H));
    for (let b = 0; b < B; b++) {
      for (let j = 0; j < H; j++) {
        const k = b * H + j;
        resetGate[k] = sigmoid(inputProjection[3 * b * H + j] + a[2 * b * H + j]);
        updateGate[k] = sigmoid(inputProjection[3 * b * H + H + j] + a[2 * b * H + H + j]);
        resetH[k] = resetGate[k] * hPrev[k]; // r ⊙ h_{t−1}
      }
    }
    const un = r.gated(resetH); // (r ⊙ h_{t−1}) U_nᵀ + b_n, [B, H]
    for (let b = 0; b < B; b++) {
      for (let j = 0; j < H; j++) {
        const k = b * H + j;
        candidate[k] = tanh(inputProjection[3 * b * H + 2 * H + j] + un[k]);
        h[k] = (1 - updateGate[k]) * candidate[k] + updateGate[k] * hPrev[k];
      }
    }
    return { h, saved: [resetGate, updateGate, candidate, resetH, hPrev] };
  },
  backward(r, saved, dh) {
    const { B, H } = r;
    const [resetGate, updateGate, candidate, resetH, hPrev] = saved;
    const dan = new Float32Array(B * H); // δa_n
    for (let k = 0; k < dan.length; k++) dan[k] = dh[k] * (1 - updateGate[k]) * (1 - candidate[k] * candidate[k]);
    const dResetH = r.gatedBack(dan); // δ(r ⊙ h), [B, H]
    const dInputProjection = new Float32Array(3 * B * H); // [B, 3H]
    const dDirect = new Float32Array(2 * B * H); // [B, 2H]
    const dhPrev = new Float32Array(B * H);
    for (let b = 0; b < B; b++) {
      for (let j = 0; j < H; j++) {
        const k = b * H + j;
        const rg = resetGate[k], z = updateGate[k];
        const dar = dResetH[k] * hPrev[k] * rg * (1 - rg);
        const daz = dh[k] * (hPrev[k] - candidate[k]) * z * (1 - z);
        dInputProjection[3 * b * H + j] = dDirect[2 * b * H + j] = dar;
        dInputProjection[3 * b * H + H + j] = dDirect[2 * b * H + H + j] = daz;
        dInputProjection[3 * b * H + 2 * H + j] = dan[k];
        dhPrev[k] = dh[k] * z + dResetH[k] * rg;
      }
    }
    const back = r.directBack(dDirect);
    for (let k = 0; k < dhPrev.length; k++) dhPrev[k] += back[k];
    return { dInputProjection, dDirect, dGated: dan, gatedInput: resetH, dhPrev };
  },
};
