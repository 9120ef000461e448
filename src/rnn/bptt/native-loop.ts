/**
 * The sequence kernel's arithmetic (loop.ts) on sori's native kernels (src/native/kernels.c,
 * WebAssembly SIMD128): the same recurrence and BPTT as js-loop.ts, but every step is a few calls
 * into one WebAssembly module — the recurrent product a_t = h_{t−1} U_directᵀ + b_direct, the
 * cell's gate arithmetic (and, for the lecture GRU and MGU, the gated product
 * (g_t ⊙ h_{t−1}) U_gatedᵀ + b_gated between two halves of it) — on arrays that stay in the
 * module's memory for the whole loop. The input projection and the weight gradients are single
 * products in the same module. JavaScript only blends the masked steps' kept state and copies
 * inputs in and results out once.
 */
import type { CellSpec } from '../cell.ts';
import { nativeKernelsUnavailable, nativeKernels, type NativeKernels } from '../../native/kernels.ts';
import type { LoopGradients, SequenceLoop } from './loop.ts';

/** Byte addresses of one forward step's arrays in the module's memory. */
export interface StepPointers {
  /** P_t [B, G·H], a_t [B, k·H], h_{t−1} [B, H], C_{t−1} [B, H], out: the cell's [B, H] blocks */
  P: number;
  A: number;
  hPrev: number;
  cPrev: number;
  out: number;
  /** U_gatedᵀ packed [H, (G−k)·H], b_gated [(G−k)·H], u [B, (G−k)·H] scratch (gated cells) */
  UGatedT: number;
  biasGated: number;
  u: number;
}

/** Byte addresses of one backward step's arrays. */
interface BackPointers {
  /** the step's saved blocks, ∂L/∂h_t, ∂L/∂C_t */
  saved: number;
  dh: number;
  dc: number;
  /** → ∂L/∂P_t [B, G·H], ∂L/∂a_t [B, k·H], ∂L/∂u_t [B, (G−k)·H], ∂L/∂h_{t−1}, ∂L/∂C_{t−1} [B, H] */
  dP: number;
  dA: number;
  dG: number;
  dhPrev: number;
  dcPrev: number;
  /** U_direct [k·H, H] and U_gated [(G−k)·H, H], packed; scratch [B, H] */
  UDirect: number;
  UGated: number;
  scratch: number;
}

export interface NativeCell {
  /** [B, H] blocks forward writes per step; the first ones are what backward reads. */
  blocks: number;
  /** Where h_t (and C_t) are among them. */
  hBlock: number;
  cBlock?: number;
  /** k: gate blocks of weight_hh acting on h_{t−1} directly; the other G − k act on block `gatedBlock`. */
  directGates: number;
  gatedBlock?: number;
  /** ∂L/∂a_t is not ∂L/∂P_t (it has other blocks, or other values). */
  separateDirect: boolean;
  forward(k: NativeKernels, B: number, H: number, p: StepPointers): void;
  /** Also completes ∂L/∂h_{t−1} with the product ∂L/∂a_t U_direct. */
  backward(k: NativeKernels, B: number, H: number, p: BackPointers): void;
}

/** A cell kind's step on the native kernels (also used by the seq2seq decoder, seq2seq/native-step.ts). */
export function nativeCell(spec: CellSpec): NativeCell {
  switch (spec.kind) {
    case 'simple': {
      const relu = spec.nonlinearity === 'relu' ? 1 : 0;
      return {
        blocks: 2, // h_t (read by backward), h_t (the state, which masking may overwrite)
        hBlock: 1,
        directGates: 1,
        separateDirect: false,
        forward: (k, B, H, p) => k.simple_forward(B, H, relu, p.P, p.A, p.out),
        backward: (k, B, H, p) => {
          k.simple_backward(B, H, relu, p.saved, p.dh, p.dP);
          k.gemm_packed(B, H, H, p.dP, p.UDirect, 0, p.dhPrev, 0); // ∂L/∂h_{t−1} = ∂L/∂a U
        },
      };
    }
    case 'lstm':
      return {
        blocks: 8, // i, f, g, o, C_{t−1}, tanh C_t, C_t, h_t
        hBlock: 7,
        cBlock: 6,
        directGates: 4,
        separateDirect: false,
        forward: (k, B, H, p) => k.lstm_forward(B, H, p.P, p.A, p.cPrev, p.out),
        backward: (k, B, H, p) => {
          k.lstm_backward(B, H, p.saved, p.dh, p.dc, p.dP, p.dcPrev);
          k.gemm_packed(B, H, 4 * H, p.dP, p.UDirect, 0, p.dhPrev, 0); // ∂L/∂h_{t−1} = ∂L/∂a U
        },
      };
    case 'gru':
      if (spec.form === 'reset-after') {
        return {
          blocks: 6, // r, z, n, h_n, h_{t−1}, h_t
          hBlock: 5,
          directGates: 3,
          separateDirect: true,
          forward: (k, B, H, p) => k.gru_forward(B, H, p.P, p.A, p.hPrev, p.out),
          backward: (k, B, H, p) => {
            k.gru_backward(B, H, p.saved, p.dh, p.dP, p.dA, p.dhPrev);
            k.gemm_packed(B, H, 3 * H, p.dA, p.UDirect, 0, p.dhPrev, 1); // + ∂L/∂a U
          },
        };
      }
      return {
        blocks: 6, // r, z, n, r ⊙ h_{t−1}, h_{t−1}, h_t
        hBlock: 5,
        directGates: 2,
        gatedBlock: 3,
        separateDirect: true,
        forward: (k, B, H, p) => {
          k.gru_lecture_gates(B, H, p.P, p.A, p.hPrev, p.out);
          k.gemm_packed(B, H, H, p.out + 4 * 3 * B * H, p.UGatedT, p.biasGated, p.u, 0); // (r ⊙ h) U_nᵀ + b_n
          k.gru_lecture_candidate(B, H, p.P, p.u, p.out);
        },
        backward: (k, B, H, p) => {
          k.gru_lecture_back_candidate(B, H, p.saved, p.dh, p.dG);
          k.gemm_packed(B, H, H, p.dG, p.UGated, 0, p.scratch, 0); // δ(r ⊙ h) = δa_n U_n
          k.gru_lecture_back_gates(B, H, p.saved, p.dh, p.dG, p.scratch, p.dP, p.dA, p.dhPrev);
          k.gemm_packed(B, H, 2 * H, p.dA, p.UDirect, 0, p.dhPrev, 1); // + ∂L/∂a U_rz
        },
      };
    case 'mgu':
      return {
        blocks: 5, // f, n, f ⊙ h_{t−1}, h_{t−1}, h_t
        hBlock: 4,
        directGates: 1,
        gatedBlock: 2,
        separateDirect: true,
        forward: (k, B, H, p) => {
          k.mgu_gates(B, H, p.P, p.A, p.hPrev, p.out);
          k.gemm_packed(B, H, H, p.out + 4 * 2 * B * H, p.UGatedT, p.biasGated, p.u, 0); // (f ⊙ h) U_nᵀ + b_n
          k.mgu_candidate(B, H, p.P, p.u, p.out);
        },
        backward: (k, B, H, p) => {
          k.mgu_back_candidate(B, H, p.saved, p.dh, p.dG);
          k.gemm_packed(B, H, H, p.dG, p.UGated, 0, p.scratch, 0); // δ(f ⊙ h) = δa_n U_n
          k.mgu_back_gates(B, H, p.saved, p.dh, p.dG, p.scratch, p.dP, p.dA, p.dhPrev);
          k.gemm_packed(B, H, H, p.dA, p.UDirect, 0, p.dhPrev, 1); // + δa_f U_f
        },
      };
  }
}

/**
 * What a recorded forward pass keeps in the module's memory for its backward pass: released by
 * the backward pass, or, if the gradient is never asked for, once the backward closure is
 * garbage (the gradient tape that held it was dropped).
 */
interface Kept {
  kernels: NativeKernels;
  block: number;
  released: boolean;
}
const unusedKept = new FinalizationRegistry<Kept>((kept) => release(kept));

function release(kept: Kept): void {
  if (kept.released) return;
  kept.released = true;
  kept.kernels.heap.release(kept.block);
}

export const nativeLoop: SequenceLoop = (shape, inputs, keepForBackward) => {
  const { spec, B, T, F, H, GH, kH, order, maskValues, everyReal } = shape;
  const k = nativeKernels();
  if (!k) throw new Error(`nativeLoop: ${nativeKernelsUnavailable()}`);
  const cell = nativeCell(spec);
  const BH = B * H;
  const TB = T * B;
  const gH = GH - kH; // rows of weight_hh acting on g ⊙ h_{t−1}
  const S = cell.blocks * BH; // floats per step of `out`
  const hasCell = inputs.c0 !== undefined;

  // Kept for the backward pass (when recorded): every step's blocks and h_{t−1}.
  const kept = k.heap.layout({ out: T * S, hPrevs: keepForBackward ? T * BH : 0 });
  const mem = k.heap.layout({
    x: TB * F,
    weightIh: GH * F,
    transposed: Math.max(F, H) * GH,
    weightIhTPacked: k.packed_size(F, GH),
    biasIh: GH,
    weightHh: GH * H,
    UDirectTPacked: k.packed_size(H, kH),
    UGatedTPacked: gH ? k.packed_size(H, gH) : 0,
    biasHh: GH,
    P: TB * GH,
    A: B * kH,
    u: B * gH,
    h0: BH,
    c0: BH,
  });
  k.f32(mem.x, TB * F).set(inputs.x);
  k.f32(mem.weightIh, GH * F).set(inputs.weightIh);
  k.f32(mem.biasIh, GH).set(inputs.biasIh);
  k.f32(mem.weightHh, GH * H).set(inputs.weightHh);
  k.f32(mem.biasHh, GH).set(inputs.biasHh);
  k.f32(mem.h0, BH).set(inputs.h0);
  if (inputs.c0) k.f32(mem.c0, BH).set(inputs.c0);
  k.transpose(GH, F, mem.weightIh, mem.transposed); // W_ihᵀ [F, G·H]
  k.pack(F, GH, mem.transposed, mem.weightIhTPacked);
  k.transpose(kH, H, mem.weightHh, mem.transposed); // U_directᵀ [H, k·H]
  k.pack(H, kH, mem.transposed, mem.UDirectTPacked); // packed once, used at every step
  if (gH) {
    k.transpose(gH, H, mem.weightHh + 4 * kH * H, mem.transposed); // U_gatedᵀ [H, (G−k)·H]
    k.pack(H, gH, mem.transposed, mem.UGatedTPacked);
  }
  k.gemm_packed(TB, GH, F, mem.x, mem.weightIhTPacked, mem.biasIh, mem.P, 0); // P = X W_ihᵀ + b_ih, [T·B, G·H]

  const value = new Float32Array((T + (hasCell ? 2 : 1)) * BH); // [(T + S)·B, H]
  let hPtr = mem.h0;
  let cPtr = mem.c0;
  order.forEach((t, step) => {
    const out = kept.out + 4 * t * S;
    k.gemm_packed(B, kH, H, hPtr, mem.UDirectTPacked, mem.biasHh, mem.A, 0); // a_t = h_{t−1} U_directᵀ + b, [B, k·H]
    cell.forward(k, B, H, {
      P: mem.P + 4 * t * B * GH,
      A: mem.A,
      hPrev: hPtr,
      cPrev: cPtr,
      out,
      UGatedT: mem.UGatedTPacked,
      biasGated: mem.biasHh + 4 * kH,
      u: mem.u,
    });
    const hNewPtr = out + 4 * cell.hBlock * BH;
    const cNewPtr = cell.cBlock === undefined ? cPtr : out + 4 * cell.cBlock * BH;
    const hNew = k.f32(hNewPtr, BH);
    if (keepForBackward) k.f32(kept.hPrevs + 4 * t * BH, BH).set(k.f32(hPtr, BH)); // h_{t−1}, [B, H]
    if (everyReal[step]) {
      value.set(hNew, t * BH);
    } else {
      const hPrev = k.f32(hPtr, BH);
      const cNew = hasCell ? k.f32(cNewPtr, BH) : null;
      const cPrev = hasCell ? k.f32(cPtr, BH) : null;
      for (let b = 0; b < B; b++) {
        const m = maskValues![t * B + b];
        for (let i = b * H; i < (b + 1) * H; i++) {
          value[t * BH + i] = m * hNew[i]; // y_t = m ⊙ h^new
          hNew[i] = m * hNew[i] + (1 - m) * hPrev[i]; // kept state: m ⊙ h^new + (1 − m) ⊙ h_{t−1}
          if (cNew) cNew[i] = m * cNew[i] + (1 - m) * cPrev![i];
        }
      }
    }
    hPtr = hNewPtr;
    cPtr = cNewPtr;
  });
  value.set(k.f32(hPtr, BH), T * BH);
  if (hasCell) value.set(k.f32(cPtr, BH), (T + 1) * BH);
  k.heap.release(mem.block);
  const keptBlock: Kept = { kernels: k, block: kept.block, released: false };
  if (!keepForBackward) {
    release(keptBlock);
    return { value };
  }

  const backward = (dy: Float32Array): LoopGradients => {
    if (keptBlock.released) throw new Error('nativeLoop: this pass was already differentiated');
    const m = k.heap.layout({
      x: TB * F,
      weightIh: GH * F,
      U: GH * H,
      UDirectPacked: k.packed_size(kH, H),
      UGatedPacked: gH ? k.packed_size(gH, H) : 0,
      scratch: Math.max(k.packed_size(GH, F), k.packed_size(TB, F), k.packed_size(TB, H), BH),
      transposed: TB * GH,
      gatedInputs: gH ? TB * H : 0,
      dP: TB * GH,
      dA: cell.separateDirect ? TB * kH : 0,
      dG: TB * gH,
      dh: 2 * BH, // ping-pong: ∂L/∂h_t and ∂L/∂h_{t−1}
      dc: 2 * BH,
      dhNew: BH,
      dcNew: BH,
      dx: TB * F,
      dWeightIh: GH * F,
      dWeightHh: GH * H,
      dBiasIh: GH,
      dBiasHh: GH,
    });
    k.f32(m.x, TB * F).set(inputs.x);
    k.f32(m.weightIh, GH * F).set(inputs.weightIh);
    k.f32(m.U, GH * H).set(inputs.weightHh);
    k.pack(kH, H, m.U, m.UDirectPacked); // packed once, used at every step
    if (gH) k.pack(gH, H, m.U + 4 * kH * H, m.UGatedPacked);
    let dhPtr = m.dh;
    let dhPrevPtr = m.dh + 4 * BH;
    let dcPtr = m.dc;
    let dcPrevPtr = m.dc + 4 * BH;
    k.f32(dhPtr, BH).set(dy.subarray(T * BH, (T + 1) * BH)); // ∂L/∂h_n
    if (hasCell) k.f32(dcPtr, BH).set(dy.subarray((T + 1) * BH, (T + 2) * BH)); // ∂L/∂C_n
    const dA = cell.separateDirect ? m.dA : m.dP; // ∂L/∂a_t = ∂L/∂P_t for SimpleRNN and LSTM
    for (let step = T - 1; step >= 0; step--) {
      const t = order[step];
      const dh = k.f32(dhPtr, BH);
      const dhNew = k.f32(m.dhNew, BH);
      for (let i = 0; i < BH; i++) dhNew[i] = dh[i] + dy[t * BH + i]; // δS_h + ∂L/∂y_t
      let dcNewPtr = dcPtr;
      if (!everyReal[step]) {
        const dc = k.f32(dcPtr, BH);
        const dcNew = k.f32(m.dcNew, BH);
        for (let i = 0; i < BH; i++) {
          const mask = maskValues![t * B + Math.floor(i / H)];
          dhNew[i] *= mask;
          dcNew[i] = mask * dc[i];
        }
        dcNewPtr = m.dcNew;
      }
      cell.backward(k, B, H, {
        saved: kept.out + 4 * t * S,
        dh: m.dhNew,
        dc: dcNewPtr,
        dP: m.dP + 4 * t * B * GH,
        dA: dA + 4 * t * B * kH,
        dG: m.dG + 4 * t * B * gH,
        dhPrev: dhPrevPtr,
        dcPrev: dcPrevPtr,
        UDirect: m.UDirectPacked,
        UGated: m.UGatedPacked,
        scratch: m.scratch,
      });
      if (gH) k.f32(m.gatedInputs + 4 * t * BH, BH).set(k.f32(kept.out + 4 * (t * S + cell.gatedBlock! * BH), BH));
      if (!everyReal[step]) {
        const dhPrev = k.f32(dhPrevPtr, BH);
        const dcPrev = k.f32(dcPrevPtr, BH);
        const dc = k.f32(dcPtr, BH);
        for (let i = 0; i < BH; i++) {
          const keep = 1 - maskValues![t * B + Math.floor(i / H)]; // (1 − m) ⊙ δS flows past the step
          dhPrev[i] += keep * dh[i];
          if (hasCell) dcPrev[i] += keep * dc[i];
        }
      }
      [dhPtr, dhPrevPtr] = [dhPrevPtr, dhPtr];
      [dcPtr, dcPrevPtr] = [dcPrevPtr, dcPtr];
    }
    // Weight gradients: every step at once.
    k.gemm(TB, F, GH, m.dP, m.weightIh, 0, m.dx, 0, m.scratch); // ∂L/∂X = δP W_ih, [T·B, F]
    k.transpose(TB, GH, m.dP, m.transposed); // δPᵀ [G·H, T·B]
    k.gemm(GH, F, TB, m.transposed, m.x, 0, m.dWeightIh, 0, m.scratch); // ∂L/∂W_ih = δPᵀ X, [G·H, F]
    if (dA !== m.dP) k.transpose(TB, kH, dA, m.transposed); // δAᵀ [k·H, T·B]
    k.gemm(kH, H, TB, m.transposed, kept.hPrevs, 0, m.dWeightHh, 0, m.scratch); // ∂L/∂U_direct = δAᵀ H_prev, [k·H, H]
    k.column_sums(TB, GH, m.dP, m.dBiasIh, 0); // ∂L/∂b_ih = Σ δP, [G·H]
    k.column_sums(TB, kH, dA, m.dBiasHh, 0); // ∂L/∂b_direct = Σ δA, [k·H]
    if (gH) {
      k.transpose(TB, gH, m.dG, m.transposed); // δGᵀ [(G−k)·H, T·B]
      // ∂L/∂U_gated = δGᵀ (g ⊙ H_prev), [(G−k)·H, H]: rows k·H … G·H of ∂L/∂weight_hh
      k.gemm(gH, H, TB, m.transposed, m.gatedInputs, 0, m.dWeightHh + 4 * kH * H, 0, m.scratch);
      k.column_sums(TB, gH, m.dG, m.dBiasHh + 4 * kH, 0); // ∂L/∂b_gated = Σ δG, [(G−k)·H]
    }
    const gradients = {
      dx: k.f32(m.dx, TB * F).slice(),
      dWeightIh: k.f32(m.dWeightIh, GH * F).slice(),
      dWeightHh: k.f32(m.dWeightHh, GH * H).slice(),
      dBiasIh: k.f32(m.dBiasIh, GH).slice(),
      dBiasHh: k.f32(m.dBiasHh, GH).slice(),
      dh0: k.f32(dhPtr, BH).slice(),
      dc0: hasCell ? k.f32(dcPtr, BH).slice() : undefined,
    };
    k.heap.release(m.block);
    release(keptBlock);
    return gradients;
  };
  unusedKept.register(backward, keptBlock);
  return { value, backward };
};
