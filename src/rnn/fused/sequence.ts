/**
 * The fused sequence kernel: one direction of one recurrent layer over all T steps, as a single
 * differentiable op whose backward pass (back-propagation through time) is written by hand.
 *
 *   forward:   P = X W_ihᵀ + b_ih                         all T steps in one product   [B·T, G·H]
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
 * keep the state and output 0. Everything is stacked time-major ([T·B, ·], row t·B + b). The op is attached with tf.customGrad, so the gradient tape holds
 * one node per direction instead of a dozen per step.
 */
import * as tf from '@tensorflow/tfjs';
import type { CellSpec, CellState } from '../cell.ts';
import type { CellWeights } from '../weights.ts';
import type { FusedStep, RecurrentWeights } from './step.ts';
import { simpleFusedStep } from './simple-step.ts';
import { lstmFusedStep } from './lstm-step.ts';
import { gruFusedStep } from './gru-step.ts';
import { mguFusedStep } from './mgu-step.ts';

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
 * with respect to x, every weight and state0. Arguments are checked by the caller (runDirection).
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
  const order = Array.from({ length: T }, (_, k) => (reverse ? T - 1 - k : k)); // forward time order
  // The mask lives in JavaScript: per step, m_t [B, 1] as a tensor, and whether every sample is real.
  const maskValues = mask ? timeMajor(mask.dataSync() as Float32Array, B, T, 1) : null; // [T·B]
  const maskAt = (t: number) => tf.tensor2d(maskValues!.subarray(t * B, (t + 1) * B), [B, 1]); // [B, 1]
  const everyReal = order.map((t) => !maskValues || maskValues.subarray(t * B, (t + 1) * B).every((m) => m > 0));

  // One op for the whole sequence: value = [y_1 … y_T ; h_n ; c_n] time-major, [(T + S)·B, H].
  const kernel = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const [xx, weightIh, weightHh, biasIh, biasHh, h0] = args as tf.Tensor[];
    const c0 = hasCell ? (args[6] as tf.Tensor2D) : undefined;
    const save = args[args.length - 1] as tf.GradSaveFunc;
    const u = splitRecurrent(weightHh as tf.Tensor2D, biasHh as tf.Tensor1D, kH, GH);
    const xTime = tf.reshape(tf.transpose(xx, [1, 0, 2]), [T * B, F]) as tf.Tensor2D; // [T·B, F], time-major
    const projection = tf.add(tf.matMul(xTime, tf.transpose(weightIh)), biasIh); // [T·B, G·H]
    // Per-step rows are read once into JavaScript and written back per step: the wasm backend's
    // slice/split/unstack copy their whole input out of wasm memory on every call.
    const projectionValues = projection.dataSync() as Float32Array;
    const projectionAt = (t: number) => tf.tensor2d(projectionValues.subarray(t * B * GH, (t + 1) * B * GH), [B, GH]);

    let h = h0 as tf.Tensor2D;
    let c = c0;
    const outputs: tf.Tensor2D[] = new Array(T);
    const hPrevs: tf.Tensor2D[] = new Array(T);
    const stepSaved: tf.Tensor[][] = new Array(T);
    order.forEach((t, k) => {
      hPrevs[t] = h;
      const next = step.forward(u, projectionAt(t), h, c);
      stepSaved[t] = next.saved;
      if (everyReal[k]) {
        outputs[t] = next.h;
        h = next.h;
        c = next.c;
        return;
      }
      const m = maskAt(t); // [B, 1]
      outputs[t] = tf.mul(m, next.h);
      h = tf.add(h, tf.mul(m, tf.sub(next.h, h))); // m ⊙ h^new + (1 − m) ⊙ h_{t−1}
      if (c) c = tf.add(c, tf.mul(m, tf.sub(next.c!, c)));
    });
    const value = tf.concat([...outputs, h, ...(hasCell ? [c!] : [])], 0); // [(T + S)·B, H]
    const perStep = stepSaved[0].length;
    save([xTime, weightIh, weightHh, biasHh, ...hPrevs, ...stepSaved.flat()]);

    const gradFunc = (dy: tf.Tensor, saved: tf.Tensor[]): tf.Tensor[] => {
      const [sxTime, sWeightIh, sWeightHh, sBiasHh] = saved as tf.Tensor2D[];
      const sHPrevs = saved.slice(4, 4 + T) as tf.Tensor2D[];
      const savedOf = (t: number) => saved.slice(4 + T + t * perStep, 4 + T + (t + 1) * perStep);
      const su = splitRecurrent(sWeightHh, sBiasHh as unknown as tf.Tensor1D, kH, GH);
      const dyValues = dy.dataSync() as Float32Array; // [(T + S)·B, H]
      const dyAt = (t: number) => tf.tensor2d(dyValues.subarray(t * B * H, (t + 1) * B * H), [B, H]); // [B, H]
      let dh = dyAt(T); // ∂L/∂h_n
      let dc = hasCell ? dyAt(T + 1) : undefined; // ∂L/∂C_n

      const dProjections: tf.Tensor2D[] = new Array(T);
      const dDirects: tf.Tensor2D[] = new Array(T);
      const dGateds: tf.Tensor2D[] = new Array(T);
      const gatedInputs: tf.Tensor2D[] = new Array(T);
      for (let k = T - 1; k >= 0; k--) {
        const t = order[k];
        const m = everyReal[k] ? null : maskAt(t); // [B, 1]
        const dhNew = tf.add(dh, dyAt(t)) as tf.Tensor2D;
        const g = step.backward(su, savedOf(t), m ? tf.mul(m, dhNew) : dhNew, dc && m ? tf.mul(m, dc) : dc);
        dProjections[t] = g.dInputProjection;
        dDirects[t] = g.dDirect;
        if (g.dGated) {
          dGateds[t] = g.dGated;
          gatedInputs[t] = g.gatedInput!;
        }
        const keep = (d: tf.Tensor2D) => tf.mul(tf.sub(1, m!), d); // (1 − m) ⊙ δS
        dh = m ? (tf.add(g.dhPrev, keep(dh)) as tf.Tensor2D) : g.dhPrev;
        if (dc) dc = m ? (tf.add(g.dcPrev!, keep(dc)) as tf.Tensor2D) : g.dcPrev!;
      }

      // Weight gradients: every step at once (all stacked time-major, T·B rows).
      const dProjection = tf.concat(dProjections, 0) as tf.Tensor2D; // [T·B, G·H]
      const dx = tf.transpose(tf.reshape(tf.matMul(dProjection, sWeightIh), [T, B, F]), [1, 0, 2]); // [B, T, F]
      const dWeightIh = transposedProduct(dProjection, sxTime); // [G·H, F]
      const dBiasIh = tf.sum(dProjection, 0); // [G·H]
      const dDirect = tf.concat(dDirects, 0) as tf.Tensor2D; // [T·B, k·H]
      const hPrevAll = tf.concat(sHPrevs, 0) as tf.Tensor2D; // [T·B, H]
      let dWeightHh = transposedProduct(dDirect, hPrevAll); // [k·H, H]
      let dBiasHh = tf.sum(dDirect, 0) as tf.Tensor1D; // [k·H]
      if (kH < GH) {
        const dGated = tf.concat(dGateds, 0) as tf.Tensor2D; // [T·B, (G−k)·H]
        const gatedAll = tf.concat(gatedInputs, 0) as tf.Tensor2D; // [T·B, H]
        dWeightHh = tf.concat([dWeightHh, transposedProduct(dGated, gatedAll)], 0); // [G·H, H]
        dBiasHh = tf.concat([dBiasHh, tf.sum(dGated, 0)]); // [G·H]
      }
      const grads = [dx, dWeightIh, dWeightHh, dBiasIh, dBiasHh, dh];
      if (hasCell) grads.push(dc!);
      return grads;
    };
    return { value, gradFunc };
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

/** [B, T, n] values (batch-major) → the same values time-major, [T, B, n]. */
function timeMajor(values: Float32Array, B: number, T: number, n: number): Float32Array {
  const out = new Float32Array(values.length);
  for (let b = 0; b < B; b++) {
    for (let t = 0; t < T; t++) out.set(values.subarray((b * T + t) * n, (b * T + t + 1) * n), (t * B + b) * n);
  }
  return out;
}

/**
 * dᵀ a for d [N, n] and a [N, m] (N = T·B, m ≤ n) → [n, m], as (aᵀ d)ᵀ: the wasm backend's matMul
 * is fast only without transpose flags, so the narrower operand and the small result are
 * transposed explicitly instead.
 */
function transposedProduct(d: tf.Tensor2D, a: tf.Tensor2D): tf.Tensor2D {
  return tf.transpose(tf.matMul(tf.transpose(a), d)); // [n, m]
}

/** weight_hh [G·H, H] and bias_hh [G·H] → direct rows [0, kH) and gated rows [kH, G·H). */
function splitRecurrent(weightHh: tf.Tensor2D, biasHh: tf.Tensor1D, kH: number, GH: number): RecurrentWeights {
  const H = weightHh.shape[1];
  const uDirect = kH === GH ? weightHh : (tf.slice(weightHh, [0, 0], [kH, H]) as tf.Tensor2D); // [k·H, H]
  const u: RecurrentWeights = {
    uDirect,
    uDirectT: tf.transpose(uDirect), // [H, k·H]
    bDirect: kH === GH ? biasHh : (tf.slice(biasHh, [0], [kH]) as tf.Tensor1D), // [k·H]
  };
  if (kH < GH) {
    u.uGated = tf.slice(weightHh, [kH, 0], [GH - kH, H]) as tf.Tensor2D; // [(G−k)·H, H]
    u.uGatedT = tf.transpose(u.uGated); // [H, (G−k)·H]
    u.bGated = tf.slice(biasHh, [kH], [GH - kH]) as tf.Tensor1D; // [(G−k)·H]
  }
  return u;
}
