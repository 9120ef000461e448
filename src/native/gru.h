/* GRU, both forms: forward step and hand-written backward step (included by kernels.c). */
#ifndef SORI_GRU_H
#define SORI_GRU_H
#include "simd.h"
#include "export.h"

/* GRU, reset-after (PyTorch)
 * forward:  [h_r, h_z, h_n] = U h_{t−1} + b_hh = a_t [B, 3H],   r = σ(p_r + h_r),  z = σ(p_z + h_z)
 *           n = tanh(p_n + r ⊙ h_n),   h_t = (1 − z) ⊙ n + z ⊙ h_{t−1}
 *           out: r, z, n, h_n, h_{t−1}, h_t  (the first five are what backward reads)
 * backward: δa_n = ∂L/∂h_t ⊙ (1 − z) ⊙ (1 − n²),  δa_r = δa_n ⊙ h_n ⊙ r(1−r),
 *           δa_z = ∂L/∂h_t ⊙ (h_{t−1} − n) ⊙ z(1−z)
 *           ∂L/∂p = [δa_r, δa_z, δa_n],  ∂L/∂a = [δa_r, δa_z, δa_n ⊙ r]
 *           ∂L/∂h_{t−1} = ∂L/∂h_t ⊙ z  (+ ∂L/∂a · U, by gemm)
 */
EXPORT(gru_forward)
void gru_forward(int B, int H, const float *P, const float *A, const float *hPrev, float *out) {
  int n = B * H;
  float *resetGate = out, *updateGate = out + n, *candidate = out + 2 * n, *hn = out + 3 * n;
  float *hSaved = out + 4 * n, *h = out + 5 * n;
  for (int b = 0; b < B; b++) {
    const float *p = P + 3 * b * H, *a = A + 3 * b * H;
    FOR_LANES(j, H, whole) {
      int k = b * H + j;
      f32x4 r = sigmoid4(add(load(p + j, whole), load(a + j, whole)));
      f32x4 z = sigmoid4(add(load(p + H + j, whole), load(a + H + j, whole)));
      f32x4 an = load(a + 2 * H + j, whole);
      f32x4 nn = tanh4(madd(r, an, load(p + 2 * H + j, whole)));
      f32x4 hp = load(hPrev + k, whole);
      store(resetGate + k, r, whole);
      store(updateGate + k, z, whole);
      store(candidate + k, nn, whole);
      store(hn + k, an, whole);
      store(hSaved + k, hp, whole);
      store(h + k, madd(z, sub(hp, nn), nn), whole); /* (1 − z) n + z h_{t−1} */
    }
  }
}

EXPORT(gru_backward)
void gru_backward(int B, int H, const float *saved, const float *dh, float *dP, float *dA, float *dhPrev) {
  int n = B * H;
  const float *resetGate = saved, *updateGate = saved + n, *candidate = saved + 2 * n, *hn = saved + 3 * n;
  const float *hPrev = saved + 4 * n;
  f32x4 one = splat(1.0f);
  for (int b = 0; b < B; b++) {
    float *dp = dP + 3 * b * H, *da = dA + 3 * b * H;
    FOR_LANES(j, H, whole) {
      int k = b * H + j;
      f32x4 r = load(resetGate + k, whole), z = load(updateGate + k, whole), nn = load(candidate + k, whole);
      f32x4 d = load(dh + k, whole);
      f32x4 dan = mul(mul(d, sub(one, z)), sub(one, mul(nn, nn)));
      f32x4 dar = mul(mul(dan, load(hn + k, whole)), mul(r, sub(one, r)));
      f32x4 daz = mul(mul(d, sub(load(hPrev + k, whole), nn)), mul(z, sub(one, z)));
      store(dp + j, dar, whole);
      store(dp + H + j, daz, whole);
      store(dp + 2 * H + j, dan, whole);
      store(da + j, dar, whole);
      store(da + H + j, daz, whole);
      store(da + 2 * H + j, mul(dan, r), whole);
      store(dhPrev + k, mul(d, z), whole);
    }
  }
}

/* GRU, lecture form: the reset gate acts before U_n.
 * forward:  [h_r, h_z] = U_rz h_{t−1} + b_rz = a_t [B, 2H],   r = σ(p_r + h_r),  z = σ(p_z + h_z)
 *           (gates)      out: r, z, ·, r ⊙ h_{t−1}, h_{t−1}
 *           then u_n = (r ⊙ h_{t−1}) U_nᵀ + b_n by gemm, and
 *           (candidate)  n = tanh(p_n + u_n),  h_t = (1 − z) ⊙ n + z ⊙ h_{t−1}     out: block 2 = n, block 5 = h_t
 *           out: r, z, n, r ⊙ h_{t−1}, h_{t−1}, h_t  (the first five are what backward reads)
 * backward: (back_candidate)  δa_n = ∂L/∂h_t ⊙ (1 − z) ⊙ (1 − n²)                 dG [B, H]
 *           then δ(r⊙h) = δa_n U_n by gemm, and
 *           (back_gates)  δa_r = δ(r⊙h) ⊙ h_{t−1} ⊙ r(1−r),  δa_z = ∂L/∂h_t ⊙ (h_{t−1} − n) ⊙ z(1−z)
 *                         ∂L/∂p = [δa_r, δa_z, δa_n],  ∂L/∂a = [δa_r, δa_z]
 *                         ∂L/∂h_{t−1} = ∂L/∂h_t ⊙ z + δ(r⊙h) ⊙ r   (+ ∂L/∂a · U_rz, by gemm)
 */
EXPORT(gru_lecture_gates)
void gru_lecture_gates(int B, int H, const float *P, const float *A, const float *hPrev, float *out) {
  int n = B * H;
  float *resetGate = out, *updateGate = out + n, *resetH = out + 3 * n, *hSaved = out + 4 * n;
  for (int b = 0; b < B; b++) {
    const float *p = P + 3 * b * H, *a = A + 2 * b * H;
    FOR_LANES(j, H, whole) {
      int k = b * H + j;
      f32x4 r = sigmoid4(add(load(p + j, whole), load(a + j, whole)));
      f32x4 z = sigmoid4(add(load(p + H + j, whole), load(a + H + j, whole)));
      f32x4 hp = load(hPrev + k, whole);
      store(resetGate + k, r, whole);
      store(updateGate + k, z, whole);
      store(resetH + k, mul(r, hp), whole);
      store(hSaved + k, hp, whole);
    }
  }
}

EXPORT(gru_lecture_candidate)
void gru_lecture_candidate(int B, int H, const float *P, const float *un, float *out) {
  int n = B * H;
  const float *updateGate = out + n, *hPrev = out + 4 * n;
  float *candidate = out + 2 * n, *h = out + 5 * n;
  for (int b = 0; b < B; b++) {
    const float *p = P + 3 * b * H + 2 * H;
    FOR_LANES(j, H, whole) {
      int k = b * H + j;
      f32x4 nn = tanh4(add(load(p + j, whole), load(un + k, whole)));
      f32x4 z = load(updateGate + k, whole), hp = load(hPrev + k, whole);
      store(candidate + k, nn, whole);
      store(h + k, madd(z, sub(hp, nn), nn), whole); /* (1 − z) n + z h_{t−1} */
    }
  }
}

EXPORT(gru_lecture_back_candidate)
void gru_lecture_back_candidate(int B, int H, const float *saved, const float *dh, float *dG) {
  int n = B * H;
  const float *updateGate = saved + n, *candidate = saved + 2 * n;
  f32x4 one = splat(1.0f);
  FOR_LANES(k, n, whole) {
    f32x4 z = load(updateGate + k, whole), nn = load(candidate + k, whole);
    store(dG + k, mul(mul(load(dh + k, whole), sub(one, z)), sub(one, mul(nn, nn))), whole);
  }
}

EXPORT(gru_lecture_back_gates)
void gru_lecture_back_gates(int B, int H, const float *saved, const float *dh, const float *dG, const float *dResetH,
                            float *dP, float *dA, float *dhPrev) {
  int n = B * H;
  const float *resetGate = saved, *updateGate = saved + n, *candidate = saved + 2 * n, *hPrev = saved + 4 * n;
  f32x4 one = splat(1.0f);
  for (int b = 0; b < B; b++) {
    float *dp = dP + 3 * b * H, *da = dA + 2 * b * H;
    FOR_LANES(j, H, whole) {
      int k = b * H + j;
      f32x4 r = load(resetGate + k, whole), z = load(updateGate + k, whole), nn = load(candidate + k, whole);
      f32x4 hp = load(hPrev + k, whole), d = load(dh + k, whole), drh = load(dResetH + k, whole);
      f32x4 dar = mul(mul(drh, hp), mul(r, sub(one, r)));
      f32x4 daz = mul(mul(d, sub(hp, nn)), mul(z, sub(one, z)));
      store(dp + j, dar, whole);
      store(dp + H + j, daz, whole);
      store(dp + 2 * H + j, load(dG + k, whole), whole);
      store(da + j, dar, whole);
      store(da + H + j, daz, whole);
      store(dhPrev + k, madd(d, z, mul(drh, r)), whole);
    }
  }
}

#endif
