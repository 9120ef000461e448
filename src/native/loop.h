/* The time loop of one RNN layer direction on rows b0 … b1−1 of the batch (included by kernels.c). */
#ifndef SORI_LOOP_H
#define SORI_LOOP_H
#include "gemm.h"
#include "export.h"
#include "simple.h"
#include "lstm.h"
#include "gru.h"
#include "mgu.h"

/*
 * Rows of a batch are independent through the whole recurrence, so the loop over t of
 * src/rnn/bptt/native-loop.ts can run on a slice of rows [b0, b1) by itself: threads.ts runs one
 * slice per thread, with one hand-over per sequence instead of one per step. Every step is the
 * same calls as the JavaScript loop, on the slice's rows, so results are the same floats
 * (gemm.h sums every entry in the same order whatever the rows of the call).
 *
 * Layouts ([T, B, ·] arrays: a slice is rows t·B + b0 … t·B + b1 − 1 of every step):
 *   P [T, B, G·H], Y [T, B, H] (the outputs, masked), hPrevs [T, B, H] (h_{t−1}, when kept),
 *   mask [T, B] (0: none), blend [T] int (1: the step has padding somewhere in the batch),
 *   dy [T, B, H], dP [T, B, G·H], dA [T, B, k·H], dG [T, B, (G−k)·H], gatedInputs [T, B, H];
 *   out: per step blocks·B·H floats (or two steps' only, reused in turn, when L_OUT_RING: inference), the slice's blocks·(b1−b0)·H of them at blocks·b0·H, laid out
 *   as the cell's consecutive [b1−b0, H] blocks (so forward and backward must use the same slices);
 *   [B, ·] arrays (h0, c0, hLast, cLast, A, u, dh, dc, dhNew, dcNew, scratch): rows b0 … b1−1.
 * The descriptor is LOOP_FIELDS int32 at `d` (native-loop.ts writes it).
 */
enum {
  L_KIND, /* 0 simple, 1 lstm, 2 gru (reset-after), 3 gru (lecture), 4 mgu */
  L_RELU,
  L_B,
  L_H,
  L_T,
  L_REVERSE,
  L_P,
  L_U_DIRECT_T, /* U_directᵀ packed [H, k·H] */
  L_BIAS_HH,
  L_U_GATED_T, /* U_gatedᵀ packed [H, (G−k)·H] */
  L_H0,
  L_C0,
  L_OUT,
  L_H_PREVS,
  L_MASK,
  L_BLEND,
  L_Y,
  L_A,
  L_U,
  L_H_LAST,
  L_C_LAST,
  /* backward */
  L_DY,
  L_DH, /* 2 × [B, H]: ping-pong ∂L/∂h_t, ∂L/∂h_{t−1} (the first holds ∂L/∂h_n on entry) */
  L_DC,
  L_DH_NEW,
  L_DC_NEW,
  L_DP,
  L_DA,
  L_DG,
  L_GATED_INPUTS,
  L_U_DIRECT, /* U_direct packed [k·H, H] */
  L_U_GATED,
  L_SCRATCH,
  L_OUT_RING, /* forward: 1 when nothing is kept for backward: `out` holds 2 steps, step k's at k mod 2 */
  LOOP_FIELDS
};

typedef struct {
  int blocks, hBlock, cBlock, k, g; /* cBlock −1: no cell state; k, g: direct and gated gate blocks */
} LoopCell;

static LoopCell loop_cell(int kind) {
  switch (kind) {
  case 0: return (LoopCell){2, 1, -1, 1, 0};
  case 1: return (LoopCell){8, 7, 6, 4, 0};
  case 2: return (LoopCell){6, 5, -1, 3, 0};
  case 3: return (LoopCell){6, 5, -1, 2, 1};
  default: return (LoopCell){5, 4, -1, 1, 1};
  }
}

#define F(i) ((float *)(long)d[i])

EXPORT(rnn_loop_forward)
void rnn_loop_forward(const int *d, int b0, int b1) {
  int kind = d[L_KIND], B = d[L_B], H = d[L_H], T = d[L_T], n = (b1 - b0) * H;
  LoopCell c = loop_cell(kind);
  int kH = c.k * H, GH = (c.k + c.g) * H, S = c.blocks * B * H;
  const float *mask = F(L_MASK);
  const int *blend = (const int *)(long)d[L_BLEND];
  float *A = F(L_A) + b0 * kH, *u = F(L_U) + b0 * c.g * H, *hPrevs = F(L_H_PREVS);
  const float *hPrev = F(L_H0) + b0 * H, *cPrev = F(L_C0) + b0 * H;
  for (int step = 0; step < T; step++) {
    int t = d[L_REVERSE] ? T - 1 - step : step;
    const float *P = F(L_P) + (t * B + b0) * GH;
    float *out = F(L_OUT) + (d[L_OUT_RING] ? step % 2 : t) * S + c.blocks * b0 * H; /* a ring stays in cache */
    gemm_packed(b1 - b0, kH, H, hPrev, H, F(L_U_DIRECT_T), F(L_BIAS_HH), A, kH, 0); /* a_t = h_{t−1} U_directᵀ + b */
    switch (kind) {
    case 0: simple_forward(b1 - b0, H, d[L_RELU], P, A, out); break;
    case 1: lstm_forward(b1 - b0, H, P, A, cPrev, out); break;
    case 2: gru_forward(b1 - b0, H, P, A, hPrev, out); break;
    case 3:
      gru_lecture_gates(b1 - b0, H, P, A, hPrev, out);
      gemm_packed(b1 - b0, H, H, out + 3 * n, H, F(L_U_GATED_T), F(L_BIAS_HH) + kH, u, H, 0); /* (r ⊙ h) U_nᵀ + b_n */
      gru_lecture_candidate(b1 - b0, H, P, u, out);
      break;
    default:
      mgu_gates(b1 - b0, H, P, A, hPrev, out);
      gemm_packed(b1 - b0, H, H, out + 2 * n, H, F(L_U_GATED_T), F(L_BIAS_HH) + kH, u, H, 0); /* (f ⊙ h) U_nᵀ + b_n */
      mgu_candidate(b1 - b0, H, P, u, out);
    }
    float *h = out + c.hBlock * n, *cNew = c.cBlock < 0 ? 0 : out + c.cBlock * n;
    float *y = F(L_Y) + (t * B + b0) * H;
    if (hPrevs) {
      float *kept = hPrevs + (t * B + b0) * H;
      for (int i = 0; i < n; i++) kept[i] = hPrev[i];
    }
    if (!blend || !blend[t]) {
      for (int i = 0; i < n; i++) y[i] = h[i];
    } else {
      for (int b = 0; b < b1 - b0; b++) {
        float m = mask[t * B + b0 + b];
        for (int i = b * H; i < (b + 1) * H; i++) {
          y[i] = m * h[i];                           /* y_t = m ⊙ h^new */
          h[i] = m * h[i] + (1 - m) * hPrev[i];      /* kept state: m ⊙ h^new + (1 − m) ⊙ h_{t−1} */
          if (cNew) cNew[i] = m * cNew[i] + (1 - m) * cPrev[i];
        }
      }
    }
    hPrev = h;
    if (cNew) cPrev = cNew;
  }
  float *hLast = F(L_H_LAST) + b0 * H, *cLast = F(L_C_LAST);
  for (int i = 0; i < n; i++) hLast[i] = hPrev[i];
  if (c.cBlock >= 0)
    for (int i = 0; i < n; i++) cLast[b0 * H + i] = cPrev[i];
}

EXPORT(rnn_loop_backward)
void rnn_loop_backward(const int *d, int b0, int b1) {
  int kind = d[L_KIND], B = d[L_B], H = d[L_H], T = d[L_T], n = (b1 - b0) * H, Bs = b1 - b0;
  LoopCell c = loop_cell(kind);
  int kH = c.k * H, gH = c.g * H, GH = kH + gH, S = c.blocks * B * H, separate = kind >= 2;
  const float *mask = F(L_MASK), *Ud = F(L_U_DIRECT), *Ug = F(L_U_GATED);
  const int *blend = (const int *)(long)d[L_BLEND];
  float *dh = F(L_DH) + b0 * H, *dhPrev = F(L_DH) + B * H + b0 * H;
  float *dc = F(L_DC) + b0 * H, *dcPrev = F(L_DC) + B * H + b0 * H;
  float *dhNew = F(L_DH_NEW) + b0 * H, *dcNew0 = F(L_DC_NEW) + b0 * H, *scratch = F(L_SCRATCH) + b0 * H;
  for (int step = T - 1; step >= 0; step--) {
    int t = d[L_REVERSE] ? T - 1 - step : step;
    const float *dy = F(L_DY) + (t * B + b0) * H;
    for (int i = 0; i < n; i++) dhNew[i] = dh[i] + dy[i]; /* δS_h + ∂L/∂y_t */
    float *dcNew = dc;
    int padded = blend && blend[t];
    if (padded) {
      for (int b = 0; b < Bs; b++) {
        float m = mask[t * B + b0 + b];
        for (int i = b * H; i < (b + 1) * H; i++) {
          dhNew[i] *= m;
          dcNew0[i] = m * dc[i];
        }
      }
      dcNew = dcNew0;
    }
    const float *saved = F(L_OUT) + t * S + c.blocks * b0 * H;
    float *dP = F(L_DP) + (t * B + b0) * GH;
    float *dA = separate ? F(L_DA) + (t * B + b0) * kH : dP;
    float *dG = F(L_DG) + (t * B + b0) * gH;
    switch (kind) {
    case 0:
      simple_backward(Bs, H, d[L_RELU], saved, dhNew, dP);
      gemm_packed(Bs, H, H, dP, H, Ud, 0, dhPrev, H, 0); /* ∂L/∂h_{t−1} = ∂L/∂a U */
      break;
    case 1:
      lstm_backward(Bs, H, saved, dhNew, dcNew, dP, dcPrev);
      gemm_packed(Bs, H, 4 * H, dP, 4 * H, Ud, 0, dhPrev, H, 0);
      break;
    case 2:
      gru_backward(Bs, H, saved, dhNew, dP, dA, dhPrev);
      gemm_packed(Bs, H, 3 * H, dA, 3 * H, Ud, 0, dhPrev, H, 1); /* + ∂L/∂a U */
      break;
    case 3:
      gru_lecture_back_candidate(Bs, H, saved, dhNew, dG);
      gemm_packed(Bs, H, H, dG, H, Ug, 0, scratch, H, 0); /* δ(r ⊙ h) = δa_n U_n */
      gru_lecture_back_gates(Bs, H, saved, dhNew, dG, scratch, dP, dA, dhPrev);
      gemm_packed(Bs, H, 2 * H, dA, 2 * H, Ud, 0, dhPrev, H, 1); /* + ∂L/∂a U_rz */
      break;
    default:
      mgu_back_candidate(Bs, H, saved, dhNew, dG);
      gemm_packed(Bs, H, H, dG, H, Ug, 0, scratch, H, 0); /* δ(f ⊙ h) = δa_n U_n */
      mgu_back_gates(Bs, H, saved, dhNew, dG, scratch, dP, dA, dhPrev);
      gemm_packed(Bs, H, H, dA, H, Ud, 0, dhPrev, H, 1); /* + δa_f U_f */
    }
    if (c.g) {
      const float *gated = saved + (kind == 3 ? 3 : 2) * n;
      float *g = F(L_GATED_INPUTS) + (t * B + b0) * H;
      for (int i = 0; i < n; i++) g[i] = gated[i];
    }
    if (padded) {
      for (int b = 0; b < Bs; b++) {
        float keep = 1 - mask[t * B + b0 + b]; /* (1 − m) ⊙ δS flows past the step */
        for (int i = b * H; i < (b + 1) * H; i++) {
          dhPrev[i] += keep * dh[i];
          if (c.cBlock >= 0) dcPrev[i] += keep * dc[i];
        }
      }
    }
    float *swap = dh;
    dh = dhPrev;
    dhPrev = swap;
    swap = dc;
    dc = dcPrev;
    dcPrev = swap;
  }
}

#undef F
#endif
