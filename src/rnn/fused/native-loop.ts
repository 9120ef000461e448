/**
 * The loop over time on sori's native kernels (src/native/rnn.c, WebAssembly SIMD128): the same
 * recurrence and BPTT as js-loop.ts, but every step is two calls into one WebAssembly module —
 * the recurrent product a_t = h_{t−1} Uᵀ + b_hh and the cell's gate arithmetic — on arrays that
 * stay in the module's memory for the whole loop; the input projection and the weight gradients
 * are single products in the same module. JavaScript only blends the masked steps' kept state
 * and copies inputs in and results out once.
 *
 * Cells: SimpleRNN, LSTM and the reset-after GRU (every row of weight_hh acts on h_{t−1}).
 * js-loop.ts runs the lecture GRU and MGU.
 */
import type { CellSpec } from '../cell.ts';
import { rnnKernels, type RnnKernels } from '../../native/rnn-kernels.ts';
import type { LoopGradients, SequenceLoop } from './loop.ts';

/** Byte addresses of one step's arrays in the module's memory. */
interface StepPointers {
  /** forward: P_t [B, G·H], a_t [B, G·H], h_{t−1}, C_{t−1} [B, H], out: the cell's [B, H] blocks */
  P: number;
  A: number;
  hPrev: number;
  cPrev: number;
  out: number;
}
interface BackPointers {
  /** backward: the step's saved blocks, ∂L/∂h_t, ∂L/∂C_t → ∂L/∂P_t, ∂L/∂a_t, ∂L/∂h_{t−1}, ∂L/∂C_{t−1}; U [G·H, H] packed */
  saved: number;
  dh: number;
  dc: number;
  dP: number;
  dA: number;
  dhPrev: number;
  dcPrev: number;
  U: number;
}

interface NativeCell {
  /** [B, H] blocks forward writes per step; the first `saved` are what backward reads. */
  blocks: number;
  /** Where h_t (and C_t) are among them. */
  hBlock: number;
  cBlock?: number;
  /** ∂L/∂a_t differs from ∂L/∂P_t (GRU: the n block is scaled by r). */
  separateDirect: boolean;
  forward(k: RnnKernels, B: number, H: number, p: StepPointers): void;
  /** Also completes ∂L/∂h_{t−1} with the product ∂L/∂a_t U. */
  backward(k: RnnKernels, B: number, H: number, p: BackPointers): void;
}

function nativeCell(spec: CellSpec): NativeCell | null {
  switch (spec.kind) {
    case 'simple': {
      const relu = spec.nonlinearity === 'relu' ? 1 : 0;
      return {
        blocks: 2, // h_t (read by backward), h_t (the state, which masking may overwrite)
        hBlock: 1,
        separateDirect: false,
        forward: (k, B, H, p) => k.simple_forward(B, H, relu, p.P, p.A, p.out),
        backward: (k, B, H, p) => {
          k.simple_backward(B, H, relu, p.saved, p.dh, p.dP);
          k.gemm_packed(B, H, H, p.dP, p.U, 0, p.dhPrev, 0); // ∂L/∂h_{t−1} = ∂L/∂a U
        },
      };
    }
    case 'lstm':
      return {
        blocks: 8, // i, f, g, o, C_{t−1}, tanh C_t, C_t, h_t
        hBlock: 7,
        cBlock: 6,
        separateDirect: false,
        forward: (k, B, H, p) => k.lstm_forward(B, H, p.P, p.A, p.cPrev, p.out),
        backward: (k, B, H, p) => {
          k.lstm_backward(B, H, p.saved, p.dh, p.dc, p.dP, p.dcPrev);
          k.gemm_packed(B, H, 4 * H, p.dP, p.U, 0, p.dhPrev, 0); // ∂L/∂h_{t−1} = ∂L/∂a U
        },
      };
    case 'gru':
      if (spec.form !== 'reset-after') return null;
      return {
        blocks: 6, // r, z, n, h_n, h_{t−1}, h_t
        hBlock: 5,
        separateDirect: true,
        forward: (k, B, H, p) => k.gru_forward(B, H, p.P, p.A, p.hPrev, p.out),
        backward: (k, B, H, p) => {
          k.gru_backward(B, H, p.saved, p.dh, p.dP, p.dA, p.dhPrev);
          k.gemm_packed(B, H, 3 * H, p.dA, p.U, 0, p.dhPrev, 1); // ∂L/∂h_{t−1} = ∂L/∂h_t ⊙ z + ∂L/∂a U
        },
      };
    case 'mgu':
      return null;
  }
}

/** Why the native loop cannot run `spec` here, or '' when it can. */
export function nativeLoopUnavailable(spec: CellSpec): string {
  const kernels = rnnKernels();
  if (!kernels) return `native kernels unavailable`;
  if (!nativeCell(spec)) return `no native kernel for ${spec.kind}${spec.kind === 'gru' ? ` (${spec.form})` : ''} yet`;
  return '';
}

/** Lays out consecutive float arrays in the module's memory; sizes in floats, addresses in bytes. */
function layout(kernels: RnnKernels, sizes: Record<string, number>): Record<string, number> {
  const total = Object.values(sizes).reduce((s, n) => s + n, 0);
  let at = kernels.reserve(4 * total);
  const pointers: Record<string, number> = {};
  for (const [name, n] of Object.entries(sizes)) {
    pointers[name] = at;
    at += 4 * n;
  }
  return pointers;
}

export const nativeLoop: SequenceLoop = (shape, inputs, keepForBackward) => {
  const { spec, B, T, F, H, GH, order, maskValues, everyReal } = shape;
  const cell = nativeCell(spec);
  const k = rnnKernels();
  if (!cell || !k) throw new Error(`nativeLoop: ${nativeLoopUnavailable(spec)}`);
  const BH = B * H;
  const TB = T * B;
  const S = cell.blocks * BH; // floats per step of `out`
  const hasCell = inputs.c0 !== undefined;

  const mem = layout(k, {
    x: TB * F,
    weightIh: GH * F,
    weightIhT: F * GH,
    weightIhTPacked: k.packed_size(F, GH),
    biasIh: GH,
    weightHh: GH * H,
    UT: H * GH,
    UTPacked: k.packed_size(H, GH),
    biasHh: GH,
    P: TB * GH,
    A: B * GH,
    h0: BH,
    c0: BH,
    out: T * S,
  });
  k.f32(mem.x, TB * F).set(inputs.x);
  k.f32(mem.weightIh, GH * F).set(inputs.weightIh);
  k.f32(mem.biasIh, GH).set(inputs.biasIh);
  k.f32(mem.weightHh, GH * H).set(inputs.weightHh);
  k.f32(mem.biasHh, GH).set(inputs.biasHh);
  k.f32(mem.h0, BH).set(inputs.h0);
  if (inputs.c0) k.f32(mem.c0, BH).set(inputs.c0);
  k.transpose(GH, F, mem.weightIh, mem.weightIhT); // W_ihᵀ [F, G·H]
  k.pack(F, GH, mem.weightIhT, mem.weightIhTPacked);
  k.transpose(GH, H, mem.weightHh, mem.UT); // Uᵀ [H, G·H]
  k.pack(H, GH, mem.UT, mem.UTPacked); // packed once, used at every step
  k.gemm_packed(TB, GH, F, mem.x, mem.weightIhTPacked, mem.biasIh, mem.P, 0); // P = X W_ihᵀ + b_ih, [T·B, G·H]

  const value = new Float32Array((T + (hasCell ? 2 : 1)) * BH); // [(T + S)·B, H]
  const hPrevs = keepForBackward ? new Float32Array(T * BH) : null; // h_{t−1} of every t, [T·B, H]
  let hPtr = mem.h0;
  let cPtr = mem.c0;
  order.forEach((t, step) => {
    const out = mem.out + 4 * t * S;
    k.gemm_packed(B, GH, H, hPtr, mem.UTPacked, mem.biasHh, mem.A, 0); // a_t = h_{t−1} Uᵀ + b_hh, [B, G·H]
    cell.forward(k, B, H, { P: mem.P + 4 * t * B * GH, A: mem.A, hPrev: hPtr, cPrev: cPtr, out });
    const hNewPtr = out + 4 * cell.hBlock * BH;
    const cNewPtr = cell.cBlock === undefined ? cPtr : out + 4 * cell.cBlock * BH;
    const hNew = k.f32(hNewPtr, BH);
    hPrevs?.set(k.f32(hPtr, BH), t * BH);
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
  if (!keepForBackward) return { value };
  const saved = k.f32(mem.out, T * S).slice(); // [T, blocks, B, H]

  const backward = (dy: Float32Array): LoopGradients => {
    const m = layout(k, {
      x: TB * F,
      weightIh: GH * F,
      U: GH * H,
      UPacked: k.packed_size(GH, H),
      scratch: Math.max(k.packed_size(GH, F), k.packed_size(TB, F), k.packed_size(TB, H)),
      transposed: TB * GH,
      saved: T * S,
      hPrevs: T * BH,
      dP: TB * GH,
      dA: cell.separateDirect ? TB * GH : 0,
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
    k.pack(GH, H, m.U, m.UPacked); // packed once, used at every step
    k.f32(m.saved, T * S).set(saved);
    k.f32(m.hPrevs, T * BH).set(hPrevs!);
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
        saved: m.saved + 4 * t * S,
        dh: m.dhNew,
        dc: dcNewPtr,
        dP: m.dP + 4 * t * B * GH,
        dA: dA + 4 * t * B * GH,
        dhPrev: dhPrevPtr,
        dcPrev: dcPrevPtr,
        U: m.UPacked,
      });
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
    if (dA !== m.dP) k.transpose(TB, GH, dA, m.transposed); // δAᵀ [G·H, T·B]
    k.gemm(GH, H, TB, m.transposed, m.hPrevs, 0, m.dWeightHh, 0, m.scratch); // ∂L/∂U = δAᵀ H_prev, [G·H, H]
    k.column_sums(TB, GH, m.dP, m.dBiasIh, 0); // ∂L/∂b_ih = Σ δP, [G·H]
    k.column_sums(TB, GH, dA, m.dBiasHh, 0); // ∂L/∂b_hh = Σ δA, [G·H]
    return {
      dx: k.f32(m.dx, TB * F).slice(),
      dWeightIh: k.f32(m.dWeightIh, GH * F).slice(),
      dWeightHh: k.f32(m.dWeightHh, GH * H).slice(),
      dBiasIh: k.f32(m.dBiasIh, GH).slice(),
      dBiasHh: k.f32(m.dBiasHh, GH).slice(),
      dh0: k.f32(dhPtr, BH).slice(),
      dc0: hasCell ? k.f32(dcPtr, BH).slice() : undefined,
    };
  };
  return { value, backward };
};
