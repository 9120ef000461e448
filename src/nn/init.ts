/**
 * Parameter initialisation, the one home of every model's initial weights (PyTorch's defaults):
 *
 *   uniform:  W ~ U(−k, k)        nn.Linear, nn.RNN/LSTM/GRU with k = 1/√fan   (fan: I or H)
 *   normal:   W ~ N(0, σ²)        nn.Embedding with σ = 1
 *
 * and the seeds they are drawn with: a model that creates several layers from one seed gives each
 * its own, so that the same seed always gives the same initial weights.
 */
import * as tf from '@tensorflow/tfjs';

/** U(−bound, bound) of `shape`, drawn with `seed` (undefined: random). */
export function uniformInit(shape: number[], bound: number, seed: number | undefined): tf.Tensor {
  return tf.randomUniform(shape, -bound, bound, 'float32', seed);
}

/** N(0, std²) of `shape`, drawn with `seed` (undefined: random). */
export function normalInit(shape: number[], std: number, seed: number | undefined): tf.Tensor {
  return tf.randomNormal(shape, 0, std, 'float32', seed);
}

/** A seeded source of initial values: the k-th call gets seed + 1000·k (reproducible), or undefined (random). */
export function seedSequence(seed: number | undefined): () => number | undefined {
  let k = 0;
  return () => (seed === undefined ? undefined : seed + 1000 * k++);
}
