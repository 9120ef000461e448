// The hand-written-BPTT kernels (src/rnn/bptt: the JavaScript loop 'fused' and the WebAssembly SIMD loop
// 'native') compute exactly what the reference loop (runDirection, differentiated by autodiff)
// computes: outputs, final states and every gradient, for every cell kind, one and two
// directions, ragged lengths, given initial states, T = 1 and reversed runs. 'native' runs once per
// variant of the module that loads here (relaxed SIMD with fused multiply-add, plain SIMD).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { RnnStack, type RnnStackOptions, type RnnStates } from '../../src/index.ts';
import { runDirection } from '../../src/rnn/layer.ts';
import { nativeKernelUnavailable, runFusedDirection, runNativeDirection } from '../../src/rnn/bptt/direction.ts';
import { initCellWeights } from '../../src/rnn/weights.ts';
import { readFloat32 } from '../../src/backend/read.ts';
import { nativeKernels, nativeKernelsVariants, useNativeKernelsVariant, type NativeVariant } from '../../src/native/kernels.ts';
import { expectClose, uniformArray } from './helpers.ts';

const TOL = 1e-5;

type Config = Omit<RnnStackOptions, 'inputSize' | 'hiddenSize' | 'seed' | 'kernel'>;
const CONFIGS: [string, Config][] = [
  ['simple tanh', { cell: 'simple', nonlinearity: 'tanh' }],
  ['simple relu', { cell: 'simple', nonlinearity: 'relu' }],
  ['lstm', { cell: 'lstm' }],
  ['gru reset-after', { cell: 'gru', gruForm: 'reset-after' }],
  ['gru lecture', { cell: 'gru', gruForm: 'lecture' }],
  ['mgu', { cell: 'mgu' }],
];

const B = 3;
const T = 6;
const F = 3;
const H = 4;

interface Setting {
  numLayers: number;
  bidirectional: boolean;
  lengths?: number[];
  /** Hidden size; default H (4). 5 exercises the native kernels' non-multiple-of-4 tails. */
  hiddenSize?: number;
}
type FastKernel = 'fused' | 'native';

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

function expectSame(config: Config, kernel: FastKernel, setting: Setting) {
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

const RUNS: [FastKernel, NativeVariant | undefined][] = [['fused', undefined], ...nativeKernelsVariants().map((v): [FastKernel, NativeVariant] => ['native', v])];
const defaultVariant = nativeKernelsVariants()[0];

for (const [kernel, variant] of RUNS) {
  describe(`kernel '${kernel}'${variant ? ` (${variant})` : ''} equals the autodiff reference`, () => {
    if (variant) {
      beforeAll(() => void useNativeKernelsVariant(variant));
      afterAll(() => void useNativeKernelsVariant(defaultVariant));
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

describe("kernel 'native'", () => {
  it('is the default where WebAssembly SIMD runs (Node 20 has it), for every cell kind', () => {
    expect(nativeKernelUnavailable()).toBe('');
    for (const cell of ['simple', 'lstm', 'gru', 'mgu'] as const) {
      const stack = new RnnStack({ cell, inputSize: 2, hiddenSize: 3 });
      expect(stack.kernel).toBe('native');
      stack.dispose();
    }
  });
  it('gives back its WebAssembly memory after inference and after training steps', () => {
    const heap = nativeKernels()!.heap;
    const stack = new RnnStack({ cell: 'lstm', inputSize: F, hiddenSize: H, numLayers: 2, bidirectional: true, seed: 3 });
    const optimizer = tf.train.adam(1e-3);
    const x = tf.tensor3d(uniformArray(B * T * F, 12), [B, T, F]);
    const before = heap.allocatedBytes;
    tf.dispose(stack.apply(x, { lengths: [6, 2, 5] }).outputs);
    expect(heap.allocatedBytes).toBe(before);
    for (let i = 0; i < 3; i++) {
      optimizer.minimize(() => tf.mean(stack.apply(x, { lengths: [6, 2, 5] }).outputs) as tf.Scalar, false, stack.trainableWeights);
    }
    expect(heap.allocatedBytes).toBe(before);
    tf.dispose([x]);
    optimizer.dispose();
    stack.dispose();
  });

  it('T = 1 and a batch of 1 give what runDirection gives', () => {
    const w = initCellWeights(4, F, 6, 5);
    const x = tf.tensor3d(uniformArray(1 * 1 * F, 7), [1, 1, F]);
    const a = runDirection('lstm', w, x);
    const b = runNativeDirection('lstm', w, x);
    expectClose(b.outputs, a.outputs.arraySync() as number[][][], TOL, 'outputs');
    expectClose(b.state.c!, a.state.c!.arraySync() as number[][], TOL, 'c');
    tf.dispose([x, a.outputs, a.state.h, a.state.c, b.outputs, b.state.h, b.state.c, ...Object.values(w)]);
  });
});

describe('runFusedDirection', () => {
  it('T = 1 and T = 0 give what runDirection gives', () => {
    const w = initCellWeights(4, F, H, 5);
    for (const steps of [1, 0]) {
      const x = tf.tensor3d(uniformArray(B * steps * F, 7), [B, steps, F]);
      const a = runDirection('lstm', w, x, { reverse: true });
      const b = runFusedDirection('lstm', w, x, { reverse: true });
      expectClose(b.outputs, a.outputs.arraySync() as number[][][], TOL, `outputs, T = ${steps}`);
      expectClose(b.state.c!, a.state.c!.arraySync() as number[][], TOL, `c, T = ${steps}`);
      tf.dispose([x, a.outputs, a.state.h, a.state.c, b.outputs, b.state.h, b.state.c]);
    }
    tf.dispose(Object.values(w));
  });

  it('batch consistency: a sample alone equals the same sample padded in a batch of 3', () => {
    const w = initCellWeights(3, F, H, 9);
    const values = uniformArray(B * T * F, 8);
    const x = tf.tensor3d(values, [B, T, F]);
    const mask = tf.tensor2d([[1, 1, 1, 1, 1, 1], [1, 1, 1, 0, 0, 0], [1, 1, 1, 1, 1, 0]]);
    const batch = runFusedDirection('gru', w, x, { mask, reverse: true });
    const alone = tf.tensor3d(values.slice(T * F, T * F + 3 * F), [1, 3, F]); // sample 1, its 3 real steps
    const one = runFusedDirection('gru', w, alone, { reverse: true });
    const batchRows = batch.outputs.arraySync()[1];
    expectClose(batchRows.slice(0, 3), one.outputs.arraySync()[0], TOL, 'real steps');
    expectClose(batchRows.slice(3), [[0, 0, 0, 0], [0, 0, 0, 0], [0, 0, 0, 0]], 0, 'padded steps output 0');
    expectClose([batch.state.h.arraySync()[1]], one.state.h.arraySync(), TOL, 'final state');
    tf.dispose([x, mask, alone, batch.outputs, batch.state.h, one.outputs, one.state.h, ...Object.values(w)]);
  });

  it('names a wrong mask shape', () => {
    const w = initCellWeights(1, F, H, 1);
    const x = tf.zeros([B, T, F]) as tf.Tensor3D;
    expect(() => runFusedDirection('simple', w, x, { mask: tf.ones([B, T + 1]) as tf.Tensor2D })).toThrow(/mask/);
    expect(() => runFusedDirection('lstm', w, x)).toThrow(/weights\.weightIh/);
    tf.dispose([x, ...Object.values(w)]);
  });
});

describe('readFloat32', () => {
  it('returns a copy of the values of a computed tensor', () => {
    const a = tf.tensor2d([1, 2, 3, 4, 5, 6], [2, 3]);
    const b = tf.mul(a, 2);
    const values = readFloat32(b);
    expect(Array.from(values)).toEqual([2, 4, 6, 8, 10, 12]);
    values[0] = 99; // a copy: the tensor is unchanged
    expect(Array.from(b.dataSync())).toEqual([2, 4, 6, 8, 10, 12]);
    tf.dispose([a, b]);
  });
});

describe('fused training steps do not leak tensors', () => {
  it('100 forward + backward + Adam steps of a bidirectional 2-layer LSTM with lengths', () => {
    const stack = new RnnStack({ cell: 'lstm', inputSize: F, hiddenSize: H, numLayers: 2, bidirectional: true, dropout: 0.2, seed: 3 });
    const optimizer = tf.train.adam(1e-3);
    const x = tf.tensor3d(uniformArray(B * T * F, 12), [B, T, F]);
    const step = () => {
      const cost = optimizer.minimize(
        () => tf.mean(tf.square(stack.apply(x, { lengths: [6, 2, 5], training: true }).outputs)) as tf.Scalar,
        true,
        stack.trainableWeights,
      );
      cost?.dispose();
    };
    step();
    const before = tf.memory().numTensors;
    for (let i = 0; i < 100; i++) step();
    expect(tf.memory().numTensors).toBe(before);
    optimizer.dispose();
    stack.dispose();
    x.dispose();
  });
});
