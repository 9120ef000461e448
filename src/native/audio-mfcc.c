/*
 * Kaldi MFCC and log-mel frames in WebAssembly SIMD: four frames at a time, one per f32x4 lane.
 *
 * The readable reference is the TypeScript frame loop (src/audio/mfcc.ts with frames.ts,
 * power-spectrum.ts and mel-filterbank.ts, float64); this file does the same steps (the raw
 * energy summed as Σ (x − x̄)², not Σ x² − L·x̄²), in float32 (as torchaudio and Kaldi do).
 * Because every lane runs the same code on its own frame, each function below reads like the
 * scalar algorithm: an `f4` is "this value in frames t, t+1, t+2, t+3". All tables (window, mel
 * segments, FFT twiddles, DCT) are made by src/audio/mfcc-wasm.ts from the TypeScript code, which
 * owns the formulas; nothing is computed here that needs cos, sin or exp.
 *
 * Per frame (frame t covers samples [t·S, t·S + L), zero-padded to N, K = N/2, M mel bins):
 *   x̃ = x − mean x                                          DC removal
 *   e = Σ x̃²                                                 raw energy (for useEnergy)
 *   y[j] = w[j]·(x̃[j] − k·x̃[j−1]), y[0] = w[0]·(1 − k)·x̃[0]   pre-emphasis and window (w scaled)
 *   z[n] = y[2n] + i·y[2n+1], Z = FFT_K(z)                    real FFT through a K-point complex one
 *   P[k] = |E[k] + e^{−2πik/N} O[k]|²                         split (power-spectrum.ts)
 *   A[s] = Σ_{k∈s} P[k], B[s] = Σ_{k∈s} u[k] P[k]             mel segments (mel-filterbank.ts)
 *   E[m] = ln max(B[m] + A[m+1] − B[m+1], ε)                  log mel energies
 *   c[i] = Σ_m D[i, m] E[m]                                   DCT-II with the lifter folded into D
 */
#include <wasm_simd128.h>

/** One float per frame of the four in flight. */
typedef float f4 __attribute__((ext_vector_type(4)));
typedef int i4 __attribute__((ext_vector_type(4)));

/** float32 machine epsilon: the floor under every mel energy and the raw energy. */
#define EPSILON 1.1920928955078125e-7f
#define LN2 0.6931471805599453f
#define SQRT2 1.4142135623730951f

/* The zero-padding loop compiles to a memset call; with no libc, this is it. */
void *memset(void *dst, int c, __SIZE_TYPE__ n) {
  unsigned char *d = dst;
  while (n--) *d++ = (unsigned char)c;
  return dst;
}

static inline f4 splat(float a) { return (f4){a, a, a, a}; }

static inline f4 max4(f4 a, f4 b) { return (f4)wasm_f32x4_pmax((v128_t)a, (v128_t)b); }

/**
 * ln x per lane, for x ≥ ε (normal floats): x = 2^e · m with m ∈ [√½, √2), s = (m − 1)/(m + 1),
 *   ln x = e · ln 2 + 2 atanh s = e · ln 2 + 2 (s + s³/3 + s⁵/5 + s⁷/7 + s⁹/9 + …);
 * |s| ≤ 0.172, so the terms left out are below 2·10⁻⁹ of ln m (float32 keeps 6·10⁻⁸).
 */
static inline f4 ln4(f4 x) {
  i4 bits = (i4)x;                                  /* reinterpret, not convert */
  i4 e = ((bits >> 23) & 0xff) - 127;
  f4 m = (f4)((bits & 0x7fffff) | 0x3f800000);      /* mantissa in [1, 2) */
  i4 big = m > SQRT2;                               /* −1 where m ≥ √2: halve m, e + 1 */
  m = (f4)wasm_v128_bitselect((v128_t)(m * 0.5f), (v128_t)m, (v128_t)big);
  e = e - big;
  f4 s = (m - 1.0f) / (m + 1.0f);
  f4 s2 = s * s;
  f4 series = 1.0f + s2 * (1.0f / 3 + s2 * (1.0f / 5 + s2 * (1.0f / 7 + s2 * (1.0f / 9))));
  return __builtin_convertvector(e, f4) * LN2 + 2.0f * s * series;
}

/**
 * Frames t0 … t0+3 (start[l] = first sample of lane l's frame) → y [N] (frames.ts: prepareFrame),
 * returns the raw energies Σ x̃². `w` is the window times the sample scale; `scale2` = scale².
 * Samples are read four at a time from each frame and transposed so that y[j] holds sample j of
 * all four frames.
 */
static f4 prepare_frames(const float *x, const int start[4], int L, int N, float k, const float *w, float scale2,
                         f4 *y) {
  int j = 0;
  for (; j + 4 <= L; j += 4) {
    f4 a0 = (f4)wasm_v128_load(x + start[0] + j), a1 = (f4)wasm_v128_load(x + start[1] + j);
    f4 a2 = (f4)wasm_v128_load(x + start[2] + j), a3 = (f4)wasm_v128_load(x + start[3] + j);
    f4 t0 = __builtin_shufflevector(a0, a1, 0, 4, 1, 5), t1 = __builtin_shufflevector(a0, a1, 2, 6, 3, 7);
    f4 t2 = __builtin_shufflevector(a2, a3, 0, 4, 1, 5), t3 = __builtin_shufflevector(a2, a3, 2, 6, 3, 7);
    y[j] = __builtin_shufflevector(t0, t2, 0, 1, 4, 5);
    y[j + 1] = __builtin_shufflevector(t0, t2, 2, 3, 6, 7);
    y[j + 2] = __builtin_shufflevector(t1, t3, 0, 1, 4, 5);
    y[j + 3] = __builtin_shufflevector(t1, t3, 2, 3, 6, 7);
  }
  for (; j < L; j++) y[j] = (f4){x[start[0] + j], x[start[1] + j], x[start[2] + j], x[start[3] + j]};
  f4 sum = splat(0);
  for (j = 0; j < L; j++) sum += y[j];
  f4 mu = sum / (float)L;
  f4 energy = splat(0);
  /* Backwards, so that y[j − 1] is still the raw sample when y[j] is written. */
  for (j = L - 1; j >= 1; j--) {
    f4 d = y[j] - mu;
    energy += d * d;
    y[j] = w[j] * (d - k * (y[j - 1] - mu));
  }
  f4 d0 = y[0] - mu;
  energy += d0 * d0;
  y[0] = w[0] * (1.0f - k) * d0;
  for (j = L; j < N; j++) y[j] = splat(0);
  return energy * scale2;
}

/** One radix-2 DIF stage over z [K] (interleaved re, im), h = K/2: z[j] = a + b, z[j+h] = (a − b)·W^j. */
static void radix2_stage(f4 *z, int K, const float *tw) {
  int h = K / 2;
  for (int j = 0; j < h; j++) {
    f4 *a = z + 2 * j, *b = z + 2 * (j + h);
    f4 ar = a[0], ai = a[1], br = b[0], bi = b[1];
    f4 dr = ar - br, di = ai - bi;
    float wr = tw[2 * j], wi = tw[2 * j + 1];
    a[0] = ar + br;
    a[1] = ai + bi;
    b[0] = wr * dr - wi * di;
    b[1] = wr * di + wi * dr;
  }
}

/**
 * Radix-4 DIF stages on every block of Q complex points of z [K] (power-spectrum.ts: radix4Fft),
 * twiddles per stage (size Lb = Q, Q/4, …, 16) as (cos, sin) of W^j, W^2j, W^3j for j < Lb/4;
 * then the twiddle-free Lb = 4 stage. Output in base-4 digit-reversed order.
 */
static void radix4_stages(f4 *z, int K, int Q, const float *tw) {
  for (int Lb = Q; Lb >= 16; Lb >>= 2) {
    int q = Lb >> 2;
    for (int start = 0; start < K; start += Lb) {
      for (int j = 0; j < q; j++) {
        f4 *p0 = z + 2 * (start + j), *p1 = p0 + 2 * q, *p2 = p1 + 2 * q, *p3 = p2 + 2 * q;
        f4 t0r = p0[0] + p2[0], t0i = p0[1] + p2[1];
        f4 t1r = p0[0] - p2[0], t1i = p0[1] - p2[1];
        f4 t2r = p1[0] + p3[0], t2i = p1[1] + p3[1];
        f4 t3r = p1[0] - p3[0], t3i = p1[1] - p3[1];
        f4 y1r = t1r + t3i, y1i = t1i - t3r; /* (a0 − a2) − i(a1 − a3) */
        f4 y2r = t0r - t2r, y2i = t0i - t2i;
        f4 y3r = t1r - t3i, y3i = t1i + t3r; /* (a0 − a2) + i(a1 − a3) */
        const float *w = tw + 6 * j;
        p0[0] = t0r + t2r;
        p0[1] = t0i + t2i;
        p1[0] = w[0] * y1r - w[1] * y1i;
        p1[1] = w[0] * y1i + w[1] * y1r;
        p2[0] = w[2] * y2r - w[3] * y2i;
        p2[1] = w[2] * y2i + w[3] * y2r;
        p3[0] = w[4] * y3r - w[5] * y3i;
        p3[1] = w[4] * y3i + w[5] * y3r;
      }
    }
    tw += 6 * q;
  }
  for (f4 *p = z; p < z + 2 * K; p += 8) {
    f4 t0r = p[0] + p[4], t0i = p[1] + p[5];
    f4 t1r = p[0] - p[4], t1i = p[1] - p[5];
    f4 t2r = p[2] + p[6], t2i = p[3] + p[7];
    f4 t3r = p[2] - p[6], t3i = p[3] - p[7];
    p[0] = t0r + t2r;
    p[1] = t0i + t2i;
    p[2] = t1r + t3i;
    p[3] = t1i - t3r;
    p[4] = t0r - t2r;
    p[5] = t0i - t2i;
    p[6] = t1r - t3i;
    p[7] = t1i + t3r;
  }
}

/**
 * z [K] complex (the frame read as z[n] = y[2n] + i·y[2n+1]) → P [K + 1] = |X[k]|²
 * (power-spectrum.ts: realFftPowerSpectrum). at[k]: where Z[k] lies after the transform;
 * splitTw: (cos, sin) of e^{−2πik/N}, k ≤ K/2.
 */
static void power_spectrum(f4 *z, int K, const float *radix2Tw, const float *radix4Tw, const int *at,
                           const float *splitTw, f4 *P) {
  int bits = __builtin_ctz(K);
  int Q = K;
  if (bits & 1) {
    radix2_stage(z, K, radix2Tw);
    Q = K / 2;
  }
  radix4_stages(z, K, Q, radix4Tw);
  f4 r0 = z[at[0]], i0 = z[at[0] + 1];
  P[0] = (r0 + i0) * (r0 + i0);
  P[K] = (r0 - i0) * (r0 - i0);
  for (int k = 1; k <= K / 2; k++) {
    int a = at[k], b = at[K - k];
    f4 zr = z[a], zi = z[a + 1];
    f4 cr = z[b], ci = -z[b + 1];
    f4 er = 0.5f * (zr + cr), ei = 0.5f * (zi + ci);
    f4 odr = 0.5f * (zi - ci), odi = -0.5f * (zr - cr);
    float wr = splitTw[2 * k], wi = splitTw[2 * k + 1];
    f4 tr = wr * odr - wi * odi, ti = wr * odi + wi * odr;
    P[k] = (er + tr) * (er + tr) + (ei + ti) * (ei + ti);
    P[K - k] = (er - tr) * (er - tr) + (ei - ti) * (ei - ti);
  }
}

/**
 * Features of frames 0 … T−1 of `x` into out [T, D]:
 *   numCeps > 0: MFCC, D = numCeps, with dct [numCeps, H] (H = ⌈M/2⌉; the DCT folded by its
 *                symmetry and the lifter folded in, as mfcc.ts builds it); useEnergy: c0 = ln max(e, 1).
 *   numCeps = 0: log mel energies (fbank), D = M.
 * Tables: w [L] (window × scale), u [K], segFirst, segEnd [M + 1], at [K], splitTw [K + 2],
 * radix2Tw [K], radix4Tw (all radix-4 stages), all from src/audio/mfcc-wasm.ts.
 * scratch: 16-byte aligned, (N + K + 1 + 3M + 2) · 16 bytes.
 */
__attribute__((export_name("audio_mfcc_frames")))
void audio_mfcc_frames(const float *x, int T, int S, int L, int N, int M, float preemphasis, float scale,
                       const float *w, const float *u, const int *segFirst, const int *segEnd, const int *at,
                       const float *splitTw, const float *radix2Tw, const float *radix4Tw, const float *dct,
                       int numCeps, int useEnergy, f4 *scratch, float *out) {
  int K = N / 2;
  int H = (M + 1) / 2;
  int D = numCeps > 0 ? numCeps : M;
  f4 *z = scratch;          /* [N] */
  f4 *P = z + N;            /* [K + 1] */
  f4 *A = P + K + 1;        /* [M + 1] */
  f4 *B = A + M + 1;        /* [M + 1] */
  f4 *E = B + M + 1;        /* [M] */
  for (int t0 = 0; t0 < T; t0 += 4) {
    int start[4];
    /* Lanes past the last frame redo the last frame; their results are not written. */
    for (int l = 0; l < 4; l++) start[l] = (t0 + l < T ? t0 + l : T - 1) * S;
    f4 energy = prepare_frames(x, start, L, N, preemphasis, w, scale * scale, z);
    power_spectrum(z, K, radix2Tw, radix4Tw, at, splitTw, P);
    for (int s = 0; s <= M; s++) {
      f4 a = splat(0), b = splat(0);
      for (int k = segFirst[s]; k < segEnd[s]; k++) {
        a += P[k];
        b += u[k] * P[k];
      }
      A[s] = a;
      B[s] = b;
    }
    for (int m = 0; m < M; m++) E[m] = ln4(max4(B[m] + A[m + 1] - B[m + 1], splat(EPSILON)));
    int lanes = T - t0 < 4 ? T - t0 : 4;
    if (numCeps == 0) {
      for (int l = 0; l < lanes; l++) {
        for (int m = 0; m < M; m++) out[(t0 + l) * D + m] = E[m][l];
      }
      continue;
    }
    for (int i = 0; i < numCeps; i++) {
      /* D[i, M−1−m] = (−1)^i D[i, m]: fold E before the products (mfcc.ts). */
      f4 c = splat(0);
      for (int m = 0; m < H; m++) {
        int mirror = M - 1 - m;
        f4 folded = (i & 1) ? (m == mirror ? splat(0) : E[m] - E[mirror]) : (m == mirror ? E[m] : E[m] + E[mirror]);
        c += dct[i * H + m] * folded;
      }
      if (i == 0 && useEnergy) c = max4(ln4(max4(energy, splat(EPSILON))), splat(0));
      for (int l = 0; l < lanes; l++) out[(t0 + l) * D + i] = c[l];
    }
  }
}
