// The equality cases of test/rnn/bptt.test.ts: a hand-written-BPTT kernel ('fused' or 'native')
// against the autodiff reference (runDirection) on outputs, final states and every gradient, for
// every cell kind, one and two directions, ragged lengths. test/rnn/bptt-threads.test.ts runs them
// again with the native products split across two threads.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { RnnStack, type RnnStackOptions, type RnnStates } from '../../src/index.ts';
import { nativeKernelsVariants, useNativeKernelsVariant, type NativeVariant } from '../../src/native/kernels.ts';
import { expectClose, uniformArray } from './helpers.ts';

export const TOL = 1e-5;

type Config = Omit<RnnStackOptions, 'inputSize' | 'hiddenSize' | 'seed' | 'kernel'>;
export const CONFIGS: [string, Config][] = [
  ['simple tanh', { cell: 'simple', nonlinearity: 'tanh' }],
  ['simple relu', { cell: 'simple', nonlinearity: 'relu' }],
  ['lstm', { cell: 'lstm' }],
  ['gru reset-after', { cell: 'gru', gruForm: 'reset-after' }],
  ['gru lecture', { cell: 'gru', gruForm: 'lecture' }],
  ['mgu', { cell: 'mgu' }],
];

export const B = 3;
export const T = 6;
export const F = 3;
export const H = 4;

interface Setting {
  numLayers: number;
  bidirectional: boolean;
  lengths?: number[];
  /** Hidden size; default H (4). 5 exercises the native kernels' non-multiple-of-4 tails. */
  hiddenSize?: number;
}
export type FastKernel = 'fused' | 'native';

/** Results and gradients of L = Σ y ⊙ R + Σ h_n ⊙ R_h (+ Σ c_n ⊙ R_c) for the reference and `kernel`. */
function runBoth(config: Config, kernel: FastKernel, { numLayers, bidirectional, lengths, hiddenSize = H }: Setting) {
  const H = hiddenSize;
  const D = bidirectional ? 2 : 1;
  const hasCell = config.cell === 'lstm';
  const x = tf.tensor3d(uniformArray(B * T * F, 1), [B, T, F]);
  const h0 = tf.tensor3d(uniformArray(numLayers * D * B * H, 2), [numLayers * D, B, H]);
  const c0 = tf.tensor3d(uniformArray(numLayers * D * B * H, 3), [numLayers * D, B, H]);
  const R = tf.tensor3d(uniformArray(B * T * H * D, 4), [B, T, H * D]);
  const Rh = tf.tensor3d(uniformArray(numLayers * D * B * H, 5), [numLayers * D, B, H]);
  const Rc = tf.tensor3d(uniformArray(numLayers * D * B * H, 6), [numLayers * D, B, H]);
  const out = (['reference', kernel] as const).map((kernel) => {
    const stack = new RnnStack({ ...config, inputSize: F, hiddenSize: H, numLayers, bidirectional, seed: 11, kernel });
    const loss = (xx: tf.Tensor, hh: tf.Tensor, cc: tf.Tensor) => {
      const initialStates: RnnStates = { h: hh as tf.Tensor3D, ...(hasCell ? { c: cc as tf.Tensor3D } : {}) };
      const r = stack.apply(xx as tf.Tensor3D, { lengths, initialStates });
      let l = tf.add(tf.sum(tf.mul(r.outputs, R)), tf.sum(tf.mul(r.states.h, Rh)));
      if (r.states.c) l = tf.add(l, tf.sum(tf.mul(r.states.c, Rc)));
      return l as tf.Scalar;
    };
    const r = stack.apply(x, { lengths, initialStates: { h: h0, ...(hasCell ? { c: c0 } : {}) } });
    const [dx, dh0, dc0]: (tf.Tensor | undefined)[] = hasCell
      ? tf.grads(loss)([x, h0, c0])
      : tf.grads((xx, hh) => loss(xx, hh, c0))([x, h0]);
    const { grads } = tf.variableGrads(() => loss(x, h0, c0), stack.trainableWeights);
    const result = {
      outputs: r.outputs.arraySync(),
      h: r.states.h.arraySync(),
      c: r.states.c?.arraySync(),
      dx: dx!.arraySync(),
      dh0: dh0!.arraySync(),
      dc0: dc0?.arraySync(),
      weightGrads: stack.trainableWeights.map((v) => grads[v.name].arraySync()),
      names: stack.weightNames,
    };
    tf.dispose([r.outputs, r.states.h, r.states.c, dx, dh0, dc0, ...Object.values(grads)]);
    stack.dispose();
    return result;
  });
  tf.dispose([x, h0, c0, R, Rh, Rc]);
  return { reference: out[0], fused: out[1] };
}

export function expectSame(config: Config, kernel: FastKernel, setting: Setting) {
  const { reference, fused } = runBoth(config, kernel, setting);
  expectClose(fused.outputs, reference.outputs as number[][][], TOL, 'outputs');
  expectClose(fused.h, reference.h as number[][][], TOL, 'h_n');
  if (config.cell === 'lstm') expectClose(fused.c!, reference.c as number[][][], TOL, 'c_n');
  expectClose(fused.dx, reference.dx as number[][][], TOL, '∂L/∂x');
  expectClose(fused.dh0, reference.dh0 as number[][][], TOL, '∂L/∂h_0');
  if (config.cell === 'lstm') expectClose(fused.dc0!, reference.dc0 as number[][][], TOL, '∂L/∂c_0');
  reference.weightGrads.forEach((g, i) => {
    expectClose(fused.weightGrads[i], g as number[][], TOL, `∂L/∂${reference.names[i]}`);
  });
  // The loss reaches every tensor, so a zero gradient would mean a path was dropped.
  expect(Math.max(...(fused.dx as number[][][]).flat(2).map(Math.abs))).toBeGreaterThan(0);
}

/**
 * The equality tests of `kernel` against the reference; for 'native', on module `variant` (relaxed
 * SIMD or plain SIMD; default: the one loaded), and with `threads` in the title.
 */
export function describeEquality(kernel: FastKernel, { variant, threads }: { variant?: NativeVariant; threads?: number } = {}): void {
  const on = [variant, threads ? `${threads} threads` : ''].filter(Boolean).join(', ');
  describe(`kernel '${kernel}'${on ? ` (${on})` : ''} equals the autodiff reference`, () => {
    if (variant) {
      beforeAll(() => void useNativeKernelsVariant(variant));
      afterAll(() => void useNativeKernelsVariant(nativeKernelsVariants()[0]));
    }
    for (const [name, config] of CONFIGS) {
      it(`${name}: 2 layers, one direction, every step real`, () => {
        expectSame(config, kernel, { numLayers: 2, bidirectional: false });
      });
      it(`${name}: 2 layers, bidirectional, ragged lengths [6, 4, 1]`, () => {
        expectSame(config, kernel, { numLayers: 2, bidirectional: true, lengths: [6, 4, 1] });
      });
      it(`${name}: a sample of length 0 keeps its initial state`, () => {
        expectSame(config, kernel, { numLayers: 1, bidirectional: true, lengths: [0, 6, 2] });
      });
      it(`${name}: hidden size 5 (not a multiple of 4), ragged lengths`, () => {
        expectSame(config, kernel, { numLayers: 1, bidirectional: true, lengths: [6, 3, 5], hiddenSize: 5 });
      });
    }
  });
}
