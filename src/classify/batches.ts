/**
 * Length-bucketed minibatches: samples of similar length share a batch, so a batch is padded
 * only to its own longest sample and a short review costs what it needs.
 *
 *   1. shuffle the samples (seeded);
 *   2. cut them into pools of `poolBatches`·B, sort each pool by length;
 *   3. cut each pool into batches of B, and shuffle the order of the batches.
 *
 * Each batch goes to the model with its ragged lengths T_b; the stacks stop at T_b.
 */
import * as tf from '@tensorflow/tfjs';
import { checkInt } from '../check.ts';
import { mulberry32, shuffled } from '../random.ts';

/** Sample indices grouped into length-bucketed batches of at most `batchSize`; the same `seed` gives the same batches. */
export function lengthBucketedBatches(
  lengths: readonly number[],
  { batchSize, seed, poolBatches = 50 }: { batchSize: number; seed: number; poolBatches?: number },
): number[][] {
  checkInt(batchSize, 1, Number.MAX_SAFE_INTEGER, 'batchSize');
  const random = mulberry32(seed);
  const order = shuffled(
    lengths.map((_, i) => i),
    random,
  );
  const batches: number[][] = [];
  const poolSize = batchSize * poolBatches;
  for (let p = 0; p < order.length; p += poolSize) {
    const pool = order.slice(p, p + poolSize).sort((a, b) => lengths[a] - lengths[b]);
    for (let i = 0; i < pool.length; i += batchSize) batches.push(pool.slice(i, i + batchSize));
  }
  return shuffled(batches, random);
}

/** Indices sorted by length, cut into batches (for evaluation: least padding, input order kept by index). */
export function sortedBatches(lengths: readonly number[], batchSize: number): number[][] {
  checkInt(batchSize, 1, Number.MAX_SAFE_INTEGER, 'batchSize');
  const order = lengths.map((_, i) => i).sort((a, b) => lengths[a] - lengths[b] || a - b);
  const batches: number[][] = [];
  for (let i = 0; i < order.length; i += batchSize) batches.push(order.slice(i, i + batchSize));
  return batches;
}

/**
 * Rows of ids → int32 ids [B, T] padded with 0 (<pad>) and their lengths; T = the longest row
 * (at least 1), or exactly `padTo` when given (Flatten needs a fixed T).
 */
export function padRows(rows: readonly (readonly number[])[], padTo?: number): { ids: tf.Tensor2D; lengths: number[] } {
  const lengths = rows.map((r) => r.length);
  const longest = Math.max(1, ...lengths);
  if (padTo !== undefined && longest > padTo) throw new Error(`rows: a row of ${longest} ids is longer than padTo ${padTo}`);
  const T = padTo ?? longest;
  const flat = new Int32Array(rows.length * T);
  rows.forEach((r, b) => flat.set(r, b * T));
  return { ids: tf.tensor2d(flat, [rows.length, T], 'int32'), lengths }; // [B, T]
}
