/*
 * sori's native recurrent kernels (WebAssembly SIMD128): the matrix product of a step and the
 * gate arithmetic of each cell, forward and hand-written backward. They compute exactly what the
 * TypeScript steps in src/rnn/fused/ (lstm-step.ts, gru-step.ts, …) compute (read those for the derivations; tests
 * check that both agree); src/rnn/fused/native-sequence.ts runs the loop over time.
 *
 * Every array is row-major [B, ·] in the module's memory; gate blocks are laid out as in PyTorch
 * (LSTM i, f, g, o; GRU r, z, n; MGU f, n), so a row of a [B, G·H] array is G blocks of H.
 * "out" arrays are consecutive [B, H] blocks, listed per function.
 *
 * Build: npm run build:native (src/native/build.sh).
 */
#include "simd.h"
#include "gemm.h"

#define EXPORT(name) __attribute__((export_name(#name)))

/* Floats of a packed K × N matrix (gemm.h). */
EXPORT(packed_size)
int sori_packed_size(int K, int N) { return packed_size(K, N); }

/* Bp = B [K, N] packed in panels of 8 columns (gemm.h). */
EXPORT(pack)
void sori_pack(int K, int N, const float *B, float *Bp) { pack_b(K, N, B, N, Bp); }

/* C [M, N] = A [M, K] · B [K, N] (+ bias [N], when not 0) (+ C, when accumulate ≠ 0), B packed. */
EXPORT(gemm_packed)
void sori_gemm_packed(int M, int N, int K, const float *A, const float *Bp, const float *bias, float *C, int accumulate) {
  gemm_packed(M, N, K, A, K, Bp, bias, C, N, accumulate);
}

/* The same with B as it is; `scratch` holds packed_size(K, N) floats. */
EXPORT(gemm)
void sori_gemm(int M, int N, int K, const float *A, const float *B, const float *bias, float *C, int accumulate,
               float *scratch) {
  pack_b(K, N, B, N, scratch);
  gemm_packed(M, N, K, A, K, scratch, bias, C, N, accumulate);
}

/* out [N, M] = Aᵀ for A [M, N]: 4 × 4 blocks transposed in registers, the edges one by one. */
EXPORT(transpose)
void sori_transpose(int M, int N, const float *A, float *out) {
  int M4 = M & ~3, N4 = N & ~3;
  for (int i = 0; i < M4; i += 4) {
    for (int j = 0; j < N4; j += 4) {
      f32x4 r0 = wasm_v128_load(A + i * N + j), r1 = wasm_v128_load(A + (i + 1) * N + j);
      f32x4 r2 = wasm_v128_load(A + (i + 2) * N + j), r3 = wasm_v128_load(A + (i + 3) * N + j);
      f32x4 t0 = wasm_i32x4_shuffle(r0, r1, 0, 4, 1, 5), t1 = wasm_i32x4_shuffle(r0, r1, 2, 6, 3, 7);
      f32x4 t2 = wasm_i32x4_shuffle(r2, r3, 0, 4, 1, 5), t3 = wasm_i32x4_shuffle(r2, r3, 2, 6, 3, 7);
      wasm_v128_store(out + j * M + i, wasm_i64x2_shuffle(t0, t2, 0, 2));
      wasm_v128_store(out + (j + 1) * M + i, wasm_i64x2_shuffle(t0, t2, 1, 3));
      wasm_v128_store(out + (j + 2) * M + i, wasm_i64x2_shuffle(t1, t3, 0, 2));
      wasm_v128_store(out + (j + 3) * M + i, wasm_i64x2_shuffle(t1, t3, 1, 3));
    }
    for (int j = N4; j < N; j++)
      for (int r = i; r < i + 4; r++) out[j * M + r] = A[r * N + j];
  }
  for (int i = M4; i < M; i++)
    for (int j = 0; j < N; j++) out[j * M + i] = A[i * N + j];
}

/* out [N] = Σ_m A[m, ·] (+ out, when accumulate ≠ 0) for A [M, N]: a bias gradient. */
EXPORT(column_sums)
void sori_column_sums(int M, int N, const float *A, float *out, int accumulate) {
  FOR_LANES(j, N, whole) {
    f32x4 s = accumulate ? load(out + j, whole) : splat(0.0f);
    for (int m = 0; m < M; m++) s = add(s, load(A + m * N + j, whole));
    store(out + j, s, whole);
  }
}

/* ---------------------------------------------------------------- SimpleRNN
 * forward:  h_t = φ(p_t + a_t),  a_t = U h_{t−1} + b_hh [B, H]        out: h_t (read by backward), h_t (the state)
 * backward: ∂L/∂a_t = ∂L/∂h_t ⊙ φ'  (tanh: 1 − h², relu: [h > 0])    da [B, H]
 */
EXPORT(simple_forward)
void simple_forward(int B, int H, int relu, const float *P, const float *A, float *out) {
  int n = B * H;
  FOR_LANES(k, n, whole) {
    f32x4 a = add(load(P + k, whole), load(A + k, whole));
    f32x4 h = relu ? wasm_f32x4_pmax(a, splat(0.0f)) : tanh4(a);
    store(out + k, h, whole);
    store(out + n + k, h, whole);
  }
}

EXPORT(simple_backward)
void simple_backward(int B, int H, int relu, const float *h, const float *dh, float *da) {
  int n = B * H;
  FOR_LANES(k, n, whole) {
    f32x4 hk = load(h + k, whole), d = load(dh + k, whole);
    f32x4 slope = relu ? wasm_v128_and(wasm_f32x4_gt(hk, splat(0.0f)), splat(1.0f)) : sub(splat(1.0f), mul(hk, hk));
    store(da + k, mul(d, slope), whole);
  }
}

/* ---------------------------------------------------------------- LSTM
 * forward:  [i, f, g, o] = [σ, σ, tanh, σ](p_t + a_t),  a_t = U h_{t−1} + b_hh  [B, 4H]
 *           C_t = f ⊙ C_{t−1} + i ⊙ g,   h_t = o ⊙ tanh(C_t)
 *           out: i, f, g, o, C_{t−1}, tanh(C_t), C_t, h_t  (the first six are what backward reads)
 * backward: δC = ∂L/∂C_t + ∂L/∂h_t ⊙ o ⊙ (1 − tanh²C_t)
 *           ∂L/∂a = [δC ⊙ g ⊙ i(1−i), δC ⊙ C_{t−1} ⊙ f(1−f), δC ⊙ i ⊙ (1−g²), ∂L/∂h_t ⊙ tanhC_t ⊙ o(1−o)]
 *           ∂L/∂C_{t−1} = δC ⊙ f        (∂L/∂h_{t−1} = ∂L/∂a · U, by gemm)
 */
EXPORT(lstm_forward)
void lstm_forward(int B, int H, const float *P, const float *A, const float *cPrev, float *out) {
  int n = B * H;
  float *inputGate = out, *forgetGate = out + n, *candidate = out + 2 * n, *outputGate = out + 3 * n;
  float *cSaved = out + 4 * n, *tanhC = out + 5 * n, *c = out + 6 * n, *h = out + 7 * n;
  for (int b = 0; b < B; b++) {
    const float *p = P + 4 * b * H, *a = A + 4 * b * H;
    FOR_LANES(j, H, whole) {
      int k = b * H + j;
      f32x4 i = sigmoid4(add(load(p + j, whole), load(a + j, whole)));
      f32x4 f = sigmoid4(add(load(p + H + j, whole), load(a + H + j, whole)));
      f32x4 g = tanh4(add(load(p + 2 * H + j, whole), load(a + 2 * H + j, whole)));
      f32x4 o = sigmoid4(add(load(p + 3 * H + j, whole), load(a + 3 * H + j, whole)));
      f32x4 cp = load(cPrev + k, whole);
      f32x4 ct = add(mul(f, cp), mul(i, g));
      f32x4 tc = tanh4(ct);
      store(inputGate + k, i, whole);
      store(forgetGate + k, f, whole);
      store(candidate + k, g, whole);
      store(outputGate + k, o, whole);
      store(cSaved + k, cp, whole);
      store(tanhC + k, tc, whole);
      store(c + k, ct, whole);
      store(h + k, mul(o, tc), whole);
    }
  }
}

EXPORT(lstm_backward)
void lstm_backward(int B, int H, const float *saved, const float *dh, const float *dc, float *dA, float *dcPrev) {
  int n = B * H;
  const float *inputGate = saved, *forgetGate = saved + n, *candidate = saved + 2 * n, *outputGate = saved + 3 * n;
  const float *cPrev = saved + 4 * n, *tanhC = saved + 5 * n;
  f32x4 one = splat(1.0f);
  for (int b = 0; b < B; b++) {
    float *da = dA + 4 * b * H;
    FOR_LANES(j, H, whole) {
      int k = b * H + j;
      f32x4 i = load(inputGate + k, whole), f = load(forgetGate + k, whole), g = load(candidate + k, whole);
      f32x4 o = load(outputGate + k, whole), tc = load(tanhC + k, whole), d = load(dh + k, whole);
      f32x4 deltaC = add(load(dc + k, whole), mul(mul(d, o), sub(one, mul(tc, tc))));
      store(da + j, mul(mul(deltaC, g), mul(i, sub(one, i))), whole);
      store(da + H + j, mul(mul(deltaC, load(cPrev + k, whole)), mul(f, sub(one, f))), whole);
      store(da + 2 * H + j, mul(mul(deltaC, i), sub(one, mul(g, g))), whole);
      store(da + 3 * H + j, mul(mul(d, tc), mul(o, sub(one, o))), whole);
      store(dcPrev + k, mul(deltaC, f), whole);
    }
  }
}

/* ---------------------------------------------------------------- GRU, reset-after (PyTorch)
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
      f32x4 nn = tanh4(add(load(p + 2 * H + j, whole), mul(r, an)));
      f32x4 hp = load(hPrev + k, whole);
      store(resetGate + k, r, whole);
      store(updateGate + k, z, whole);
      store(candidate + k, nn, whole);
      store(hn + k, an, whole);
      store(hSaved + k, hp, whole);
      store(h + k, add(nn, mul(z, sub(hp, nn))), whole); /* (1 − z) n + z h_{t−1} */
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
