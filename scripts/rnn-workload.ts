/**
 * What the RNN measurement scripts (rnn-phases.ts, threads-rnn.ts) share: their flag reader, the
 * bench's two RNN shapes (bench/rnn.ts), one step of a workload, and CPU clocks.
 */
import * as tf from '@tensorflow/tfjs';
import { readFileSync } from 'node:fs';
import { RnnStack } from '../src/index.ts';

/** `--name VALUE` from the command line, else `fallback`. */
export function option(name: string, fallback: string): string {
  const args = process.argv.slice(2);
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : fallback;
}

/** The shapes of `npm run bench -- rnn`: L layers of H, batch B, T steps of F features. */
export const RNN_SHAPES = [
  { L: 2, H: 128, B: 32, T: 100, F: 13 },
  { L: 1, H: 256, B: 64, T: 50, F: 13 },
];

/** One step of the bench's workload: train (forward, mean(y²), backward, Adam) or infer (forward, read back). */
export function rnnWorkload(cell: 'lstm' | 'gru', s: (typeof RNN_SHAPES)[number], mode: string): { step: () => void; dispose: () => void } {
  const x = tf.randomNormal([s.B, s.T, s.F], 0, 1, 'float32', 1) as tf.Tensor3D; // [B, T, F]
  const stack = new RnnStack({ cell, inputSize: s.F, hiddenSize: s.H, numLayers: s.L, seed: 1, kernel: 'native' });
  const optimizer = tf.train.adam(1e-3);
  const step =
    mode === 'train'
      ? () => void optimizer.minimize(() => tf.mean(tf.square(stack.apply(x).outputs)) as tf.Scalar, false, stack.trainableWeights)
      : () => tf.tidy(() => void stack.apply(x).outputs.dataSync());
  return { step, dispose: () => (stack.dispose(), x.dispose(), optimizer.dispose()) };
}

/** CPU milliseconds of the calling thread so far (schedstat: nanoseconds on the CPU). */
export const threadCpuMs = () => Number(readFileSync('/proc/thread-self/schedstat', 'utf8').split(' ')[0]) / 1e6;

/** CPU milliseconds of the whole process so far (every thread). */
export function processCpuMs(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}
