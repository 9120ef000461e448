/**
 * The fused sequence kernel: one direction of one recurrent layer over all T steps, as a single
 * differentiable op whose backward pass (back-propagation through time) is written by hand.
 *
 *   forward:   P = X W_ihᵀ + b_ih                         all T steps in one product   [T·B, G·H]
 *              for t (T … 1 when reversed):  state_t^new = step(P_t, state_{t−1})
 *                state_t = m_t ⊙ state_t^new + (1 − m_t) ⊙ state_{t−1},   y_t = m_t ⊙ h_t^new
 *   backward:  for t in the opposite order, with δS = ∂L/∂state_t (from t+1 and the final state):
 *                ∂L/∂h_t^new = m_t ⊙ (δS_h + ∂L/∂y_t),   ∂L/∂C_t^new = m_t ⊙ δS_C
 *                δS ← step⁻¹(…) + (1 − m_t) ⊙ δS                       (kept state flows through)
 *              then once for all steps:
 *                ∂L/∂W_ih = δPᵀ X,   ∂L/∂b_ih = Σ δP,   ∂L/∂X = δP W_ih
 *                ∂L/∂U_direct = δA_directᵀ H_prev,   ∂L/∂U_gated = δA_gatedᵀ (g ⊙ H_prev),   ∂L/∂b_hh = Σ δA
 *
 * Same semantics as the reference loop in layer.ts (which autodiff differentiates): padded steps
 * keep the state and output 0. Everything is stacked time-major ([T·B, ·], row t·B + b). The
 * state, gates and per-step gradients live in Float32Arrays; the tensor backend does the matrix
 * products (one per step and direction, plus the few whole-sequence ones). The op is attached with
 * tf.customGrad, so the gradient tape holds one node per direction instead of a dozen per step.
 */
import * as tf from '@tensorflow/tfjs';
import type { CellSpec, CellState } from '../cell.ts';
import type { CellWeights } from '../weights.ts';
import type { FusedStep, Recurrent } from './step.ts';
import { simpleFusedStep } from './simple-step.ts';
import { lstmFusedStep } from './lstm-step.ts';
import { gruFusedStep } from './gru-step.ts';
import { mguFusedStep } from './mgu-step.ts';
import { readFloat32 } from './read.ts';

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

export interface FusedDirectionOptions {
  /** [B, T] float 1 at real steps, 0 at padding; absent: every step is real. */
  mask?: tf.Tensor2D;
  /** State before the first step: h [B, H], and c [B, H] for LSTM (required: pass zeros). */
  state0: CellState;
  /** Run from t = T down to 1. */
  reverse: boolean;
}

/**
 * x [B, T, F] (T ≥ 1) → outputs [B, T, H] and final state h [B, H] (c [B, H]), differentiable
 * with respect to x, every weight and state0. Arguments are checked by the caller (runFusedDirection).
 */
export function fusedDirection(
  spec: CellSpec,
  weights: CellWeights,
  x: tf.Tensor3D,
  { mask, state0, reverse }: FusedDirectionOptions,
): { outputs: tf.Tensor3D; state: CellState } {
  const step = fusedStepOf(spec);
  const hasCell = spec.kind === 'lstm';
  const [B, T, F] = x.shape;
  const H = weights.weightHh.shape[1];
  const GH = weights.weightHh.shape[0];
  const kH = step.directGates * H;
  const BH = B * H;
  const order = Array.from({ length: T }, (_, k) => (reverse ? T - 1 - k : k)); // forward time order
  const maskValues = mask ? timeMajor(mask.dataSync() as Float32Array, B, T, 1) : null; // [T·B]
  const everyReal = order.map((t) => !maskValues || maskValues.subarray(t * B, (t + 1) * B).every((m) => m === 1));

  // One op for the whole sequence: value = [y_1 … y_T ; h_n ; c_n] time-major, [(T + S)·B, H].
  const kernel = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const [xx, weightIh, weightHh, biasIh, biasHh, h0] = args as tf.Tensor[];
    const c0 = hasCell ? (args[6] as tf.Tensor) : undefined;
    const save = args[args.length - 1] as tf.GradSaveFunc;
    const xTime = tf.reshape(tf.transpose(xx, [1, 0, 2]), [T * B, F]) as tf.Tensor2D; // [T·B, F]
    const projection = readFloat32(tf.add(tf.matMul(xTime, tf.transpose(weightIh)), biasIh)); // [T·B, G·H]
    const r = recurrent(weightHh as tf.Tensor2D, biasHh as tf.Tensor1D, B, kH);

    let h = readFloat32(h0); // [B, H]
    let c = c0 && readFloat32(c0);
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
    save([xTime, weightIh, weightHh, biasHh]);

    const gradFunc = (dy: tf.Tensor, saved: tf.Tensor[]): tf.Tensor[] => {
      const [sxTime, sWeightIh, sWeightHh, sBiasHh] = saved as tf.Tensor2D[];
      const rb = recurrent(sWeightHh, sBiasHh as unknown as tf.Tensor1D, B, kH);
      const dyValues = readFloat32(dy); // [(T + S)·B, H]
      let dh: Float32Array = dyValues.slice(T * BH, (T + 1) * BH); // ∂L/∂h_n
      let dc: Float32Array | undefined = hasCell ? dyValues.slice((T + 1) * BH, (T + 2) * BH) : undefined; // ∂L/∂C_n
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
      const dx = tf.transpose(tf.reshape(tf.matMul(dP, sWeightIh), [T, B, F]), [1, 0, 2]); // [B, T, F]
      const dWeightIh = transposedProduct(dP, sxTime); // [G·H, F]
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
      const grads = [dx, dWeightIh, dWeightHh, dBiasIh, dBiasHh, tf.tensor2d(dh, [B, H])];
      if (hasCell) grads.push(tf.tensor2d(dc!, [B, H]));
      return grads;
    };
    return { value: tf.tensor2d(value, [value.length / H, H]), gradFunc };
  });

  const inputs: tf.Tensor[] = [x, weights.weightIh, weights.weightHh, weights.biasIh, weights.biasHh, state0.h];
  if (hasCell) inputs.push(state0.c!);
  const value = kernel(...inputs); // [(T + S)·B, H]
  const [ys, ...finals] = tf.split(value, [T * B, ...(hasCell ? [B, B] : [B])], 0); // [T·B, H], S × [B, H]
  const outputs = tf.transpose(tf.reshape(ys, [T, B, H]), [1, 0, 2]) as tf.Tensor3D; // [B, T, H]
  const state: CellState = { h: finals[0] as tf.Tensor2D };
  if (hasCell) state.c = finals[1] as tf.Tensor2D;
  return { outputs, state };
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

/** [B, T, n] values (batch-major) → the same values time-major, [T, B, n]. */
function timeMajor(values: Float32Array, B: number, T: number, n: number): Float32Array {
  const out = new Float32Array(values.length);
  for (let b = 0; b < B; b++) {
    for (let t = 0; t < T; t++) out.set(values.subarray((b * T + t) * n, (b * T + t + 1) * n), (t * B + b) * n);
  }
  return out;
}

/**
 * dᵀ a for d [N, n] and a [N, m] (N = T·B) → [n, m], as (aᵀ d)ᵀ: the wasm backend's matMul is
 * fast only without transpose flags, so the narrower operand and the small result are transposed
 * explicitly instead.
 */
function transposedProduct(d: tf.Tensor2D, a: tf.Tensor2D): tf.Tensor2D {
  return tf.transpose(tf.matMul(tf.transpose(a), d)); // [n, m]
}
