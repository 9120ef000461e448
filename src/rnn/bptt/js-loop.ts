/**
 * The sequence kernel's arithmetic (loop.ts) in JavaScript: each cell kind's hand-written step
 * (*-step.ts) does the gate arithmetic on Float32Arrays; the tensor backend does the matrix
 * products (the input projection, one recurrent product per step, the weight gradients).
 */
import * as tf from '@tensorflow/tfjs';
import type { CellSpec } from '../cell.ts';
import type { FusedStep, Recurrent } from './step.ts';
import type { LoopOutputGradients, SequenceLoop } from './loop.ts';
import { simpleFusedStep } from './simple-step.ts';
import { lstmFusedStep } from './lstm-step.ts';
import { gruFusedStep } from './gru-step.ts';
import { mguFusedStep } from './mgu-step.ts';
import { readFloat32 } from '../../backend/read.ts';

/** The hand-differentiated step of a cell kind. */
export function fusedStepOf(spec: CellSpec): FusedStep {
  switch (spec.kind) {
    case 'simple':
      return simpleFusedStep(spec.nonlinearity);
    case 'lstm':
      return lstmFusedStep;
    case 'gru':
      return gruFusedStep(spec.form);
    case 'mgu':
      return mguFusedStep;
  }
}

export const jsLoop: SequenceLoop = (shape, inputs, keepForBackward) => {
  const { spec, B, T, F, H, GH, kH, order, maskValues, everyReal } = shape;
  const step = fusedStepOf(spec);
  const hasCell = inputs.c0 !== undefined;
  const BH = B * H;
  const xTime = tf.tensor2d(inputs.x, [T * B, F]); // [T·B, F]
  const weightIh = tf.tensor2d(inputs.weightIh, [GH, F]);
  const weightHh = tf.tensor2d(inputs.weightHh, [GH, H]);
  const biasHh = tf.tensor1d(inputs.biasHh);
  const P = tf.add(tf.matMul(xTime, tf.transpose(weightIh)), tf.tensor1d(inputs.biasIh)); // [T·B, G·H]
  const projection = readFloat32(P);
  const r = recurrent(weightHh, biasHh, B, kH);
  let h = inputs.h0; // [B, H]
  let c = inputs.c0;
  const value = new Float32Array((T + (hasCell ? 2 : 1)) * BH); // [(T + S)·B, H]
  const hPrevs = new Float32Array(T * BH); // h_{t−1} for every t, [T·B, H]
  const stepSaved: Float32Array[][] = new Array(T);
  order.forEach((t, k) => {
    hPrevs.set(h, t * BH);
    const next = step.forward(r, projection.subarray(t * B * GH, (t + 1) * B * GH), h, c);
    stepSaved[t] = next.saved;
    if (everyReal[k]) {
      value.set(next.h, t * BH);
      h = next.h;
      c = next.c;
      return;
    }
    const hKept = new Float32Array(BH);
    const cKept = c && new Float32Array(BH);
    for (let b = 0; b < B; b++) {
      const m = maskValues![t * B + b];
      for (let i = b * H; i < (b + 1) * H; i++) {
        value[t * BH + i] = m * next.h[i]; // y_t = m ⊙ h^new
        hKept[i] = m * next.h[i] + (1 - m) * h[i]; // m ⊙ h^new + (1 − m) ⊙ h_{t−1}
        if (cKept) cKept[i] = m * next.c![i] + (1 - m) * c![i];
      }
    }
    h = hKept;
    c = cKept;
  });
  value.set(h, T * BH);
  if (c) value.set(c, (T + 1) * BH);
  // (Tensors made here are disposed by the tidy around the kernel; backward makes its own.)
  if (!keepForBackward) return { value };

  const backward = ({ dys: dyValues, dh: dhFinal, dc: dcFinal }: LoopOutputGradients) => {
    const weightIh = tf.tensor2d(inputs.weightIh, [GH, F]);
    const weightHh = tf.tensor2d(inputs.weightHh, [GH, H]);
    const xTime = tf.tensor2d(inputs.x, [T * B, F]); // [T·B, F]
    const rb = recurrent(weightHh, tf.tensor1d(inputs.biasHh), B, kH);
    let dh: Float32Array = dhFinal.slice(); // ∂L/∂h_n
    let dc: Float32Array | undefined = hasCell ? dcFinal!.slice() : undefined; // ∂L/∂C_n
    const dProjection = new Float32Array(T * B * GH); // [T·B, G·H]
    const dDirect = new Float32Array(T * B * kH); // [T·B, k·H]
    const dGated = kH < GH ? new Float32Array(T * B * (GH - kH)) : null; // [T·B, (G−k)·H]
    const gatedInputs = kH < GH ? new Float32Array(T * BH) : null; // [T·B, H]
    for (let k = T - 1; k >= 0; k--) {
      const t = order[k];
      const dhNew = new Float32Array(BH);
      for (let i = 0; i < BH; i++) dhNew[i] = dh[i] + dyValues[t * BH + i]; // δS_h + ∂L/∂y_t
      let dcNew = dc;
      if (!everyReal[k]) {
        dcNew = dc && new Float32Array(BH);
        for (let i = 0; i < BH; i++) {
          const m = maskValues![t * B + Math.floor(i / H)];
          dhNew[i] *= m;
          if (dcNew) dcNew[i] = m * dc![i];
        }
      }
      const g = step.backward(rb, stepSaved[t], dhNew, dcNew);
      dProjection.set(g.dInputProjection, t * B * GH);
      dDirect.set(g.dDirect, t * B * kH);
      if (dGated) {
        dGated.set(g.dGated!, t * B * (GH - kH));
        gatedInputs!.set(g.gatedInput!, t * BH);
      }
      if (everyReal[k]) {
        dh = g.dhPrev;
        dc = g.dcPrev;
        continue;
      }
      for (let i = 0; i < BH; i++) {
        const keep = 1 - maskValues![t * B + Math.floor(i / H)]; // (1 − m) ⊙ δS flows past the step
        g.dhPrev[i] += keep * dh[i];
        if (dc) g.dcPrev![i] += keep * dc[i];
      }
      dh = g.dhPrev;
      dc = g.dcPrev;
    }

    // Weight gradients: every step at once.
    const dP = tf.tensor2d(dProjection, [T * B, GH]); // [T·B, G·H]
    const dx = tf.matMul(dP, weightIh); // [T·B, F]
    const dWeightIh = transposedProduct(dP, xTime); // [G·H, F]
    const dBiasIh = tf.sum(dP, 0); // [G·H]
    const dA = tf.tensor2d(dDirect, [T * B, kH]); // [T·B, k·H]
    let dWeightHh = transposedProduct(dA, tf.tensor2d(hPrevs, [T * B, H])); // [k·H, H]
    let dBiasHh = tf.sum(dA, 0) as tf.Tensor1D; // [k·H]
    if (dGated) {
      const dG = tf.tensor2d(dGated, [T * B, GH - kH]); // [T·B, (G−k)·H]
      const gated = transposedProduct(dG, tf.tensor2d(gatedInputs!, [T * B, H])); // [(G−k)·H, H]
      dWeightHh = tf.concat([dWeightHh, gated], 0); // [G·H, H]
      dBiasHh = tf.concat([dBiasHh, tf.sum(dG, 0)]); // [G·H]
    }
    const dxValues = readFloat32(dx);
    const gradients = {
      dx: () => dxValues,
      done: () => {},
      dWeightIh: readFloat32(dWeightIh),
      dWeightHh: readFloat32(dWeightHh),
      dBiasIh: readFloat32(dBiasIh),
      dBiasHh: readFloat32(dBiasHh),
      dh0: dh,
      dc0: dc,
    };
    return gradients; // (its tensors are disposed by the tidy around the gradient)
  };
  return { value, backward };
};

/**
 * dᵀ a for d [N, n] and a [N, m] (N = T·B) → [n, m], as (aᵀ d)ᵀ: the wasm backend's matMul is
 * fast only without transpose flags, so the narrower operand and the small result are transposed
 * explicitly instead.
 */
function transposedProduct(d: tf.Tensor2D, a: tf.Tensor2D): tf.Tensor2D {
  return tf.transpose(tf.matMul(tf.transpose(a), d)); // [n, m]
}

/**
 * The recurrent products of a step on B rows, for weight_hh [G·H, H] and bias_hh [G·H] split into
 * direct rows [0, kH) and gated rows [kH, G·H). Weights are transposed once here: the wasm
 * backend's matMul is fast only without transpose flags.
 */
function recurrent(weightHh: tf.Tensor2D, biasHh: tf.Tensor1D, B: number, kH: number): Recurrent {
  const [GH, H] = weightHh.shape;
  const uDirect = kH === GH ? weightHh : (tf.slice(weightHh, [0, 0], [kH, H]) as tf.Tensor2D); // [k·H, H]
  const uDirectT = tf.transpose(uDirect); // [H, k·H]
  const bDirect = kH === GH ? biasHh : (tf.slice(biasHh, [0], [kH]) as tf.Tensor1D); // [k·H]
  const uGated = kH < GH ? (tf.slice(weightHh, [kH, 0], [GH - kH, H]) as tf.Tensor2D) : null; // [(G−k)·H, H]
  const uGatedT = uGated && tf.transpose(uGated); // [H, (G−k)·H]
  const bGated = kH < GH ? (tf.slice(biasHh, [kH], [GH - kH]) as tf.Tensor1D) : null; // [(G−k)·H]
  /** v [B, n] × w [n, m] (+ bias [m]) → [B, m], read back into JavaScript. */
  // (Not tf.tidy: tidy walks a returned Float32Array element by element looking for tensors.)
  const product = (v: Float32Array, w: tf.Tensor2D, bias?: tf.Tensor1D) => {
    const a = tf.tensor2d(v, [B, w.shape[0]]);
    const out = bias ? tf.fused.matMul({ a, b: w, bias }) : tf.matMul(a, w);
    const values = readFloat32(out);
    tf.dispose([a, out]);
    return values;
  };
  return {
    B,
    H,
    direct: (h) => product(h, uDirectT, bDirect),
    gated: (v) => product(v, uGatedT!, bGated!),
    directBack: (d) => product(d, uDirect),
    gatedBack: (d) => product(d, uGated!),
  };
}
