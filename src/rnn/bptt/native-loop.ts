/**
 * The sequence kernel's arithmetic (loop.ts) on sori's native kernels (src/native/kernels.c,
 * WebAssembly SIMD128): the same recurrence and BPTT as js-loop.ts, but every step is a few calls
 * into one WebAssembly module — the recurrent product a_t = h_{t−1} U_directᵀ + b_direct, the
 * cell's gate arithmetic (and, for the lecture GRU and MGU, the gated product
 * (g_t ⊙ h_{t−1}) U_gatedᵀ + b_gated between two halves of it) — on arrays that stay in the
 * module's memory for the whole loop. The input projection and the weight gradients are single
 * products in the same module.
 *
 * The loop over time itself runs in one of two drivers, with the same calls in the same order
 * (so the same floats): by default inside the module (src/native/loop.h), on slices of the batch
 * rows — rows are independent through the recurrence, so with threads on (src/native/threads.ts)
 * each thread runs the whole loop, forward and backward, for its slice, and the threads meet once
 * per sequence instead of once per step; or here in JavaScript (SORI_NATIVE_LOOP=js), step by
 * step, blending the masked steps' kept state in JavaScript: the readable reference of both.
 */
import { nativeKernelsUnavailable, nativeKernels, type NativeKernels } from '../../native/kernels.ts';
import { nativeCell } from './native-cell.ts';
import type { LoopGradients, LoopOutputGradients, SequenceLoop } from './loop.ts';
import { LOOP_FIELDS, nativeLoopDriver, writeLoopDescriptor } from './native-rows.ts';

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
  const rows = nativeLoopDriver() === 'c'; // the loop in the module (loop.h), on slices of rows
  const blend = new Int32Array(T); // [T]: 1 where step t has padding somewhere in the batch
  order.forEach((t, step) => (blend[t] = everyReal[step] ? 0 : 1));

  // Kept for the backward pass (when recorded): every step's blocks and h_{t−1}. Else loop.h needs
  // only the last step's blocks: two steps' in turn, which stay in cache (13 MB for T 100 steps of
  // an LSTM with B 32, H 128, else).
  // The inputs backward reads again (x, W_ih, weight_hh) stay there too.
  const ring = rows && !keepForBackward;
  const keep = (n: number) => (keepForBackward ? n : 0);
  const kept = k.heap.layout({
    out: (ring ? 2 : T) * S,
    hPrevs: keep(T * BH),
    x: keep(TB * F),
    weightIh: keep(GH * F),
    weightHh: keep(GH * H),
  });
  const mem = k.heap.layout({
    x: TB * F - keep(TB * F),
    weightIh: GH * F - keep(GH * F),
    transposed: Math.max(F, H) * GH,
    weightIhTPacked: k.packed_size(F, GH),
    biasIh: GH,
    weightHh: GH * H - keep(GH * H),
    UDirectTPacked: k.packed_size(H, kH),
    UGatedTPacked: gH ? k.packed_size(H, gH) : 0,
    biasHh: GH,
    P: TB * GH,
    A: B * kH,
    u: B * gH,
    h0: BH,
    c0: BH,
    desc: rows ? LOOP_FIELDS : 0,
    mask: rows && maskValues ? TB : 0,
    blend: rows ? T : 0,
    Y: rows ? (T + 2) * BH : 0, // [y_1 … y_T ; h_n ; c_n]
  });
  const x = keepForBackward ? kept.x : mem.x; // [T·B, F]
  const weightIh = keepForBackward ? kept.weightIh : mem.weightIh; // [G·H, F]
  const weightHh = keepForBackward ? kept.weightHh : mem.weightHh; // [G·H, H]
  k.f32(x, TB * F).set(inputs.x);
  k.f32(weightIh, GH * F).set(inputs.weightIh);
  k.f32(mem.biasIh, GH).set(inputs.biasIh);
  k.f32(weightHh, GH * H).set(inputs.weightHh);
  k.f32(mem.biasHh, GH).set(inputs.biasHh);
  k.f32(mem.h0, BH).set(inputs.h0);
  if (inputs.c0) k.f32(mem.c0, BH).set(inputs.c0);
  k.transpose(GH, F, weightIh, mem.transposed); // W_ihᵀ [F, G·H]
  k.pack(F, GH, mem.transposed, mem.weightIhTPacked);
  k.transpose(kH, H, weightHh, mem.transposed); // U_directᵀ [H, k·H]
  k.pack(H, kH, mem.transposed, mem.UDirectTPacked); // packed once, used at every step
  if (gH) {
    k.transpose(gH, H, weightHh + 4 * kH * H, mem.transposed); // U_gatedᵀ [H, (G−k)·H]
    k.pack(H, gH, mem.transposed, mem.UGatedTPacked);
  }
  k.gemm_packed(TB, GH, F, x, mem.weightIhTPacked, mem.biasIh, mem.P, 0); // P = X W_ihᵀ + b_ih, [T·B, G·H]

  // [(T + S)·B, H]: a view of the module's memory in loop.h's case (see LoopForward)
  let value: Float32Array = new Float32Array(rows ? 0 : (T + (hasCell ? 2 : 1)) * BH);
  let slices = B; // rows per slice of loop.h (the backward pass repeats them)
  if (rows) {
    if (maskValues) k.f32(mem.mask, TB).set(maskValues);
    k.i32(mem.blend, T).set(blend);
    writeLoopDescriptor(k, mem.desc, spec, {
      B, H, T, reverse: order[0] === 0 ? 0 : 1, P: mem.P, UDirectT: mem.UDirectTPacked, biasHh: mem.biasHh,
      UGatedT: mem.UGatedTPacked, h0: mem.h0, c0: mem.c0, out: kept.out, hPrevs: keepForBackward ? kept.hPrevs : 0,
      mask: maskValues ? mem.mask : 0, blend: mem.blend, Y: mem.Y, A: mem.A, u: mem.u,
      hLast: mem.Y + 4 * T * BH, cLast: mem.Y + 4 * (T + 1) * BH, outRing: ring ? 1 : 0,
    });
    slices = k.loop_rows('forward', mem.desc, B);
    value = k.f32(mem.Y, (T + (hasCell ? 2 : 1)) * BH);
  } else {
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
  }
  k.heap.release(mem.block);
  const keptBlock: Kept = { kernels: k, block: kept.block, released: false };
  if (!keepForBackward) {
    release(keptBlock);
    return { value };
  }

  const backward = (dy: LoopOutputGradients): LoopGradients => {
    if (keptBlock.released) throw new Error('nativeLoop: this pass was already differentiated');
    const m = k.heap.layout({
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
      desc: rows ? LOOP_FIELDS : 0,
      mask: rows && maskValues ? TB : 0,
      blend: rows ? T : 0,
      dy: rows ? TB * H : 0,
    });
    k.pack(kH, H, kept.weightHh, m.UDirectPacked); // packed once, used at every step
    if (gH) k.pack(gH, H, kept.weightHh + 4 * kH * H, m.UGatedPacked);
    let dhPtr = m.dh;
    let dhPrevPtr = m.dh + 4 * BH;
    let dcPtr = m.dc;
    let dcPrevPtr = m.dc + 4 * BH;
    k.f32(dhPtr, BH).set(dy.dh); // ∂L/∂h_n
    if (hasCell) k.f32(dcPtr, BH).set(dy.dc!); // ∂L/∂C_n
    const dA = cell.separateDirect ? m.dA : m.dP; // ∂L/∂a_t = ∂L/∂P_t for SimpleRNN and LSTM
    if (rows) {
      if (maskValues) k.f32(m.mask, TB).set(maskValues);
      k.i32(m.blend, T).set(blend);
      k.f32(m.dy, TB * H).set(dy.dys);
      writeLoopDescriptor(k, m.desc, spec, {
        B, H, T, reverse: order[0] === 0 ? 0 : 1, out: kept.out, mask: maskValues ? m.mask : 0, blend: m.blend,
        dy: m.dy, dh: m.dh, dc: m.dc, dhNew: m.dhNew, dcNew: m.dcNew, dP: m.dP, dA, dG: m.dG,
        gatedInputs: m.gatedInputs, UDirect: m.UDirectPacked, UGated: m.UGatedPacked, scratch: m.scratch,
      });
      k.loop_rows('backward', m.desc, B, slices);
      if (T % 2 === 1) {
        [dhPtr, dhPrevPtr] = [dhPrevPtr, dhPtr];
        [dcPtr, dcPrevPtr] = [dcPrevPtr, dcPtr];
      }
    } else {
      for (let step = T - 1; step >= 0; step--) {
        const t = order[step];
        const dh = k.f32(dhPtr, BH);
        const dhNew = k.f32(m.dhNew, BH);
        for (let i = 0; i < BH; i++) dhNew[i] = dh[i] + dy.dys[t * BH + i]; // δS_h + ∂L/∂y_t
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
    }
    // Weight gradients: every step at once.
    // Each transpose also sums its matrix's columns: the bias gradients, from the same pass.
    k.transpose_sums(TB, GH, m.dP, m.transposed, m.dBiasIh); // δPᵀ [G·H, T·B]; ∂L/∂b_ih = Σ δP, [G·H]
    k.gemm(GH, F, TB, m.transposed, kept.x, 0, m.dWeightIh, 0, m.scratch); // ∂L/∂W_ih = δPᵀ X, [G·H, F]
    if (dA !== m.dP) k.transpose_sums(TB, kH, dA, m.transposed, m.dBiasHh); // δAᵀ [k·H, T·B]; ∂L/∂b_direct = Σ δA, [k·H]
    else k.f32(m.dBiasHh, kH).set(k.f32(m.dBiasIh, kH)); // δA = δP (SimpleRNN, LSTM): the same sums
    k.gemm(kH, H, TB, m.transposed, kept.hPrevs, 0, m.dWeightHh, 0, m.scratch); // ∂L/∂U_direct = δAᵀ H_prev, [k·H, H]
    if (gH) {
      k.transpose_sums(TB, gH, m.dG, m.transposed, m.dBiasHh + 4 * kH); // δGᵀ [(G−k)·H, T·B]; ∂L/∂b_gated = Σ δG
      // ∂L/∂U_gated = δGᵀ (g ⊙ H_prev), [(G−k)·H, H]: rows k·H … G·H of ∂L/∂weight_hh
      k.gemm(gH, H, TB, m.transposed, m.gatedInputs, 0, m.dWeightHh + 4 * kH * H, 0, m.scratch);
    }
    const held: Kept = { kernels: k, block: m.block, released: false };
    const gradients = {
      dx: () => {
        if (held.released) throw new Error('nativeLoop: ∂L/∂x was asked after done()');
        k.gemm(TB, F, GH, m.dP, kept.weightIh, 0, m.dx, 0, m.scratch); // ∂L/∂X = δP W_ih, [T·B, F]
        return k.f32(m.dx, TB * F);
      },
      done: () => {
        release(held);
        release(keptBlock);
      },
      dWeightIh: k.f32(m.dWeightIh, GH * F),
      dWeightHh: k.f32(m.dWeightHh, GH * H),
      dBiasIh: k.f32(m.dBiasIh, GH),
      dBiasHh: k.f32(m.dBiasHh, GH),
      dh0: k.f32(dhPtr, BH),
      dc0: hasCell ? k.f32(dcPtr, BH) : undefined,
    };
    unusedKept.register(gradients, held); // done() never called (an error on the way): given back when garbage
    return gradients;
  };
  unusedKept.register(backward, keptBlock);
  return { value, backward };
};
nativeLoop.readsInputsAtOnce = true; // every input is copied into the module's memory first

