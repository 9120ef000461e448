/**
 * A cell kind's step on sori's native kernels (src/native/kernels.c): the calls of one forward
 * and one backward step, on arrays in the module's memory. native-loop.ts's JavaScript loop runs
 * them step by step (loop.h does the same calls inside the module); the seq2seq decoder
 * (seq2seq/native-step.ts) runs one step.
 */
import type { CellSpec } from '../cell.ts';
import type { NativeKernels } from '../../native/kernels.ts';

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
export interface BackPointers {
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
      // r, z, n, r ⊙ h_{t−1}, h_{t−1}, h_t
      return gatedCandidateCell({ blocks: 6, directGates: 2, gatedBlock: 3, kernels: 'gru_lecture' });
    case 'mgu':
      // f, n, f ⊙ h_{t−1}, h_{t−1}, h_t
      return gatedCandidateCell({ blocks: 5, directGates: 1, gatedBlock: 2, kernels: 'mgu' });
  }
}

/**
 * The cells whose candidate reads a gated state (the lecture's GRU: r ⊙ h_{t−1}; MGU: f ⊙ h_{t−1}):
 * the k direct gates first, then the candidate's product on the gated block, then the candidate,
 *
 *   forward    gates (a_direct)  →  u = (g ⊙ h_{t−1}) U_nᵀ + b_n  →  candidate, h_t
 *   backward   δa_n  →  δ(g ⊙ h_{t−1}) = δa_n U_n  →  δ gates, ∂L/∂h_{t−1}  →  + δa_direct U_direct
 *
 * with the kernels `${kernels}_gates`, `_candidate`, `_back_candidate` and `_back_gates`.
 * Blocks: the k gates, the candidate, g ⊙ h_{t−1} (block `gatedBlock`), h_{t−1}, h_t (the last).
 */
function gatedCandidateCell({ blocks, directGates, gatedBlock, kernels }: { blocks: number; directGates: number; gatedBlock: number; kernels: 'gru_lecture' | 'mgu' }): NativeCell {
  const gates = `${kernels}_gates` as const;
  const candidate = `${kernels}_candidate` as const;
  const backCandidate = `${kernels}_back_candidate` as const;
  const backGates = `${kernels}_back_gates` as const;
  return {
    blocks,
    hBlock: blocks - 1,
    directGates,
    gatedBlock,
    separateDirect: true,
    forward: (k, B, H, p) => {
      k[gates](B, H, p.P, p.A, p.hPrev, p.out);
      k.gemm_packed(B, H, H, p.out + 4 * gatedBlock * B * H, p.UGatedT, p.biasGated, p.u, 0); // (g ⊙ h) U_nᵀ + b_n
      k[candidate](B, H, p.P, p.u, p.out);
    },
    backward: (k, B, H, p) => {
      k[backCandidate](B, H, p.saved, p.dh, p.dG);
      k.gemm_packed(B, H, H, p.dG, p.UGated, 0, p.scratch, 0); // δ(g ⊙ h) = δa_n U_n
      k[backGates](B, H, p.saved, p.dh, p.dG, p.scratch, p.dP, p.dA, p.dhPrev);
      k.gemm_packed(B, H, directGates * H, p.dA, p.UDirect, 0, p.dhPrev, 1); // + δa_direct U_direct
    },
  };
}
