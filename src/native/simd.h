/*
 * Four-lane float helpers for the kernels in kernels.c (WebAssembly SIMD128, no libc).
 *
 *   exp(x) = 2^n · e^r,  n = round(x / ln 2),  r = x − n ln 2  (ln 2 split in two for accuracy;
 *   n rounded by adding and subtracting 1.5·2²³, which also leaves it in the low mantissa bits),
 *   e^r ≈ 1 + r·p(r) with a degree-4 polynomial p fitted to |r| ≤ ln2 / 2 (relative error 9e-8
 *   there in float64; exp4 within 1.8e-7 of exp over [−87, 88] in float); x is clamped to
 *   [−87.3, 88.3] so 2^n stays a normal float.
 *   σ(x) = 1 / (1 + e^−x),   tanh(x) = 1 − 2 / (e^{2x} + 1).
 */
#ifndef SORI_SIMD_H
#define SORI_SIMD_H
#include <wasm_simd128.h>

typedef v128_t f32x4;

#define splat wasm_f32x4_splat
#define add wasm_f32x4_add
#define sub wasm_f32x4_sub
#define mul wasm_f32x4_mul
#define div wasm_f32x4_div

/*
 * madd(a, b, c) = a·b + c. Built with SORI_FMA (the relaxed-SIMD variant, build.sh), it is
 * f32x4.relaxed_madd: one fused multiply-add where the CPU has FMA (x86 FMA3, ARM NEON), the
 * product unrounded; otherwise a multiply and an add, as in the plain variant.
 */
#ifdef SORI_FMA
#define madd __builtin_wasm_relaxed_madd_f32x4
#else
#define madd(a, b, c) add(mul(a, b), c)
#endif

static inline f32x4 exp4(f32x4 x) {
  x = wasm_f32x4_pmin(wasm_f32x4_pmax(x, splat(-87.3f)), splat(88.3f));
  /* t = x / ln 2 + 1.5·2²³: adding 1.5·2²³ rounds to an integer n, held in t's low mantissa bits */
  f32x4 t = madd(x, splat(1.44269504088896341f), splat(12582912.0f));
  f32x4 n = sub(t, splat(12582912.0f));
  f32x4 r = madd(n, splat(-0.693359375f), x);
  r = madd(n, splat(2.12194440e-4f), r);
  f32x4 p = splat(0x1.0F9F9Cp-7f);
  p = madd(p, r, splat(0x1.573A1Ap-5f));
  p = madd(p, r, splat(0x1.555A80p-3f));
  p = madd(p, r, splat(0x1.FFFDC6p-2f));
  p = madd(p, r, splat(0x1.FFFFF6p-1f));
  f32x4 er = madd(p, r, splat(1.0f));
  /* 2^n: the exponent field n + 127 = bits(t) − bits(1.5·2²³) + 127 */
  v128_t biased = wasm_i32x4_add(t, wasm_i32x4_splat(127 - 0x4b400000));
  return mul(er, wasm_i32x4_shl(biased, 23)); /* e^r · 2^n */
}

static inline f32x4 sigmoid4(f32x4 x) { return div(splat(1.0f), add(splat(1.0f), exp4(wasm_f32x4_neg(x)))); }

static inline f32x4 tanh4(f32x4 x) { return sub(splat(1.0f), div(splat(2.0f), add(exp4(add(x, x)), splat(1.0f)))); }

/*
 * Lane access for loops over a row of n values: whole groups of four are loaded and stored as
 * vectors; the last n mod 4 values one at a time (the vector math runs on a splat and lane 0 is
 * kept), so every element goes through the same arithmetic.
 */
static inline f32x4 load(const float *p, int whole) { return whole ? wasm_v128_load(p) : wasm_v128_load32_splat(p); }

static inline void store(float *p, f32x4 v, int whole) {
  if (whole) wasm_v128_store(p, v);
  else wasm_v128_store32_lane(p, v, 0);
}

/* for (j = 0; j < n; j += step): step is 4 while four values remain, then 1. */
#define FOR_LANES(j, n, whole) for (int j = 0, whole = (n) >= 4; j < (n); j += whole ? 4 : 1, whole = (n) - j >= 4)

#endif
