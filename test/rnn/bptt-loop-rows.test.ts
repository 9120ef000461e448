// The native kernel's time loop inside the module (src/native/loop.h), run on slices of the batch
// rows, one slice per thread, gives the same floats as the JavaScript loop on one thread
// (SORI_NATIVE_LOOP=js, the readable reference, itself checked against autodiff in
// bptt.test.ts): every cell kind, both directions, ragged lengths, B = 1, 3 and 9 (two slices of
// whole 4-row tiles and a tail row).
import { afterAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { RnnStack, setNativeThreads, type RnnStates } from '../../src/index.ts';
import { nativeLoop } from '../../src/rnn/bptt/native-loop.ts';
import { CONFIGS } from './bptt-cases.ts';
import { expectNoGrowth, uniformArray } from './helpers.ts';

type Config = (typeof CONFIGS)[number][1];
const T = 5;
const F = 3;
const H = 6;

/** Outputs, final states and every gradient of a 1-layer bidirectional stack, as plain arrays. */
function run(config: Config, lengths: number[], { driver, threads }: { driver: 'c' | 'js'; threads: number }) {
  process.env.SORI_NATIVE_LOOP = driver;
  setNativeThreads(threads, { minPartFlops: 0, takeBack: false });
  const B = lengths.length;
  const hasCell = config.cell === 'lstm';
  const x = tf.tensor3d(uniformArray(B * T * F, 1), [B, T, F]);
  const h0 = tf.tensor3d(uniformArray(2 * B * H, 2), [2, B, H]);
  const c0 = tf.tensor3d(uniformArray(2 * B * H, 3), [2, B, H]);
  const R = tf.tensor3d(uniformArray(B * T * 2 * H, 4), [B, T, 2 * H]);
  const stack = new RnnStack({ ...config, inputSize: F, hiddenSize: H, numLayers: 1, bidirectional: true, seed: 7, kernel: 'native' });
  const loss = (xx: tf.Tensor, hh: tf.Tensor, cc: tf.Tensor) => {
    const initialStates: RnnStates = { h: hh as tf.Tensor3D, ...(hasCell ? { c: cc as tf.Tensor3D } : {}) };
    const r = stack.apply(xx as tf.Tensor3D, { lengths, initialStates });
    let l = tf.add(tf.sum(tf.mul(r.outputs, R)), tf.sum(tf.mul(r.states.h, r.states.h)));
    if (r.states.c) l = tf.add(l, tf.sum(tf.mul(r.states.c, r.states.c)));
    return l as tf.Scalar;
  };
  const r = stack.apply(x, { lengths, initialStates: { h: h0, ...(hasCell ? { c: c0 } : {}) } });
  const inputGrads = hasCell ? tf.grads(loss)([x, h0, c0]) : tf.grads((xx, hh) => loss(xx, hh, c0))([x, h0]);
  const { grads } = tf.variableGrads(() => loss(x, h0, c0), stack.trainableWeights);
  const all = [r.outputs, r.states.h, ...(r.states.c ? [r.states.c] : []), ...inputGrads, ...stack.trainableWeights.map((v) => grads[v.name])];
  const result = all.map((t) => Array.from(t.dataSync()));
  tf.dispose([...all, x, h0, c0, R, ...Object.values(grads)]);
  stack.dispose();
  return result;
}

afterAll(() => {
  delete process.env.SORI_NATIVE_LOOP;
  setNativeThreads(1);
});

describe.skipIf(process.env.SORI_NATIVE === '0')('the native loop on slices of the batch rows, 2 threads, equals the JavaScript loop on one', () => {
  const batches: [string, number[]][] = [
    ['B = 1', [4]],
    ['B = 3, ragged lengths', [5, 2, 0]],
    ['B = 9, ragged lengths (slices of 8 and 1 rows)', [5, 1, 3, 5, 4, 2, 5, 0, 3]],
  ];
  for (const [name, config] of CONFIGS) {
    for (const [batch, lengths] of batches) {
      it(`${name}, bidirectional, ${batch}`, () => {
        const reference = run(config, lengths, { driver: 'js', threads: 1 });
        const rows = run(config, lengths, { driver: 'c', threads: 2 });
        expect(rows).toEqual(reference);
        expect(Math.max(...reference[0].map(Math.abs))).toBeGreaterThan(0);
      });
    }
  }

  it('also on one thread (one slice of all rows)', () => {
    const [, config] = CONFIGS[2]; // LSTM: the cell state takes the masked path too
    const lengths = [5, 2, 4];
    const reference = run(config, lengths, { driver: 'js', threads: 1 });
    expect(run(config, lengths, { driver: 'c', threads: 1 })).toEqual(reference);
  });

  it('a backward pass on fewer threads than its forward pass repeats the forward slices', () => {
    // B = 9 on 2 threads: slices of 8 and 1 rows; the backward pass runs them one after the other.
    const [B, T, F, H] = [9, 4, 3, 5];
    const lengths = [4, 1, 3, 4, 2, 4, 0, 3, 4];
    const maskValues = Float32Array.from({ length: T * B }, (_, i) => (Math.floor(i / B) < lengths[i % B] ? 1 : 0)); // [T·B]
    const order = [3, 2, 1, 0]; // reversed
    const everyReal = order.map((t) => maskValues.subarray(t * B, (t + 1) * B).every((m) => m === 1));
    const shape = { spec: { kind: 'lstm' as const }, B, T, F, H, GH: 4 * H, kH: 4 * H, order, maskValues, everyReal };
    const f32 = (n: number, seed: number) => Float32Array.from(uniformArray(n, seed));
    const inputs = {
      x: f32(T * B * F, 1),
      weightIh: f32(4 * H * F, 2),
      weightHh: f32(4 * H * H, 3),
      biasIh: f32(4 * H, 4),
      biasHh: f32(4 * H, 5),
      h0: f32(B * H, 6),
      c0: f32(B * H, 7),
    };
    const dy = { dys: f32(T * B * H, 8), dh: f32(B * H, 9), dc: f32(B * H, 10) };
    const pass = (forward: { driver: string; threads: number }, backwardThreads: number) => {
      process.env.SORI_NATIVE_LOOP = forward.driver;
      setNativeThreads(forward.threads);
      const { value, backward } = nativeLoop(shape, inputs, true);
      const outputs = value.slice(); // a view of the kernels' memory (LoopForward)
      setNativeThreads(backwardThreads);
      const { dx, done, ...g } = backward!(dy);
      const gradients = { dx: dx().slice(), ...Object.fromEntries(Object.entries(g).map(([name, v]) => [name, v && v.slice()])) };
      done();
      return { outputs, ...gradients };
    };
    expect(pass({ driver: 'c', threads: 2 }, 1)).toEqual(pass({ driver: 'js', threads: 1 }, 1));
  });

  it('gives back its module memory and tensors after inference and training steps', () => {
    process.env.SORI_NATIVE_LOOP = 'c';
    setNativeThreads(2);
    expectNoGrowth({ cell: 'lstm' });
  });
});
