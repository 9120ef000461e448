// RnnStack against PyTorch's nn.RNN / nn.LSTM / nn.GRU: the same state_dict loaded through
// loadTorchStateDict gives the same outputs, final states and gradients of a fixed loss.
// Reference numbers: test/fixtures/rnn/torch_rnn.json, made by make_rnn_fixtures.py (float64).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { RnnStack, type RnnStackOptions, type TorchStateDict } from '../../src/index.ts';
import { expectClose, fixedLoss } from './helpers.ts';

interface TorchCase {
  name: string;
  config: RnnStackOptions;
  stateDict: TorchStateDict;
  x: number[][][];
  lengths: number[] | null;
  h0: number[][][] | null;
  c0: number[][][] | null;
  R: number[][][];
  Rh: number[][][];
  Rc: number[][][] | null;
  outputs: number[][][];
  hn: number[][][];
  cn: number[][][] | null;
  loss: number;
  gradX: number[][][];
  gradH0: number[][][] | null;
  gradC0: number[][][] | null;
  gradWeights: Record<string, number[] | number[][]>;
}

const fixture = JSON.parse(
  readFileSync(new URL('../fixtures/rnn/torch_rnn.json', import.meta.url), 'utf8'),
) as { cases: TorchCase[] };

const TOL = 1e-5;

const KERNELS: NonNullable<RnnStackOptions['kernel']>[] = ['reference', 'fused'];

describe('RnnStack matches PyTorch', () => {
  for (const kernel of KERNELS) for (const c of fixture.cases) {
    it(`${c.name} (${kernel} kernel): outputs, final states and gradients`, () => {
      const stack = new RnnStack({ ...c.config, kernel });
      stack.loadTorchStateDict(c.stateDict);
      const x = tf.tensor3d(c.x);
      const h0 = c.h0 ? tf.tensor3d(c.h0) : undefined;
      const c0 = c.c0 ? tf.tensor3d(c.c0) : undefined;
      const R = tf.tensor3d(c.R);
      const Rh = tf.tensor3d(c.Rh);
      const Rc = c.Rc ? tf.tensor3d(c.Rc) : undefined;
      const run = (xx: tf.Tensor, hh?: tf.Tensor, cc?: tf.Tensor) =>
        stack.apply(xx as tf.Tensor3D, {
          lengths: c.lengths ?? undefined,
          initialStates: hh ? { h: hh as tf.Tensor3D, ...(cc ? { c: cc as tf.Tensor3D } : {}) } : undefined,
        });

      const result = run(x, h0, c0);
      expectClose(result.outputs, c.outputs, TOL, 'outputs');
      expectClose(result.states.h, c.hn, TOL, 'h_n');
      if (c.cn) expectClose(result.states.c!, c.cn, TOL, 'c_n');
      else expect(result.states.c).toBeUndefined();

      const inputs = [x, ...(h0 ? [h0] : []), ...(c0 ? [c0] : [])];
      const grads = tf.grads((...args: tf.Tensor[]) => fixedLoss(run(args[0], args[1], args[2]), R, Rh, Rc))(inputs);
      expectClose(grads[0], c.gradX, TOL, 'dL/dx');
      if (c.gradH0) expectClose(grads[1], c.gradH0, TOL, 'dL/dh0');
      if (c.gradC0) expectClose(grads[2], c.gradC0, TOL, 'dL/dc0');

      const { value, grads: weightGrads } = tf.variableGrads(() => fixedLoss(run(x, h0, c0), R, Rh, Rc));
      expectClose([value.dataSync()[0]], [c.loss], TOL, 'loss');
      for (const [name, expected] of Object.entries(c.gradWeights)) {
        const variable = stack.trainableWeights[stack.weightNames.indexOf(name)];
        expectClose(weightGrads[variable.name], expected, TOL, `dL/d${name}`);
      }
      tf.dispose([x, h0, c0, R, Rh, Rc, result.outputs, result.states.h, result.states.c, value]);
      tf.dispose(grads);
      tf.dispose(Object.values(weightGrads));
      stack.dispose();
    });
  }
  // (the loop above runs every case through both loops over time: the autodiff reference
  // runDirection and the fused kernel)

  it('toTorchStateDict gives back exactly the state_dict that was loaded', () => {
    const c = fixture.cases.find((k) => k.config.bidirectional && k.config.cell === 'lstm')!;
    const stack = new RnnStack(c.config);
    stack.loadTorchStateDict(c.stateDict);
    const saved = stack.toTorchStateDict();
    expect(Object.keys(saved)).toEqual(Object.keys(c.stateDict));
    for (const key of Object.keys(saved)) expectClose(saved[key], c.stateDict[key], 1e-7, key);
    stack.dispose();
  });
});
