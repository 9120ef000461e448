/**
 * Minibatches for sequence models: examples sorted by length and cut into buckets of `batchSize`
 * (so a batch pads little), the buckets shuffled anew each epoch from a seed, each batch with its
 * own seed for the random masks drawn while training on it (dropout, SpecAugment). The order and
 * the masks depend only on (seed, epoch), so a run, and a resumed run, repeat exactly.
 */
import { mulberry32, shuffled } from '../random.ts';

/** A minibatch and the seed of the masks drawn while training on it. */
export interface SeededBatch<T> {
  examples: T[];
  maskSeed: number;
}

/**
 * Sort `examples` by `lengthOf` (stable: ties keep their order) and cut them into buckets of
 * `batchSize` (the last may be smaller).
 */
export function lengthBuckets<T>(examples: readonly T[], lengthOf: (example: T) => number, batchSize: number): T[][] {
  if (!(Number.isInteger(batchSize) && batchSize >= 1)) throw new Error(`batchSize: expected an integer ≥ 1, got ${batchSize}`);
  const byLength = [...examples].sort((a, b) => lengthOf(a) - lengthOf(b));
  const buckets: T[][] = [];
  for (let i = 0; i < byLength.length; i += batchSize) buckets.push(byLength.slice(i, i + batchSize));
  return buckets;
}

/**
 * The batches of epoch `epoch` (1-based): `buckets` shuffled with the generator seeded
 * `seed · 1000 + epoch`, each given a mask seed drawn from the same generator.
 */
export function epochBatches<T>(buckets: readonly T[][], seed: number, epoch: number): SeededBatch<T>[] {
  const random = mulberry32(seed * 1000 + epoch);
  return shuffled(buckets, random).map((examples) => ({ examples, maskSeed: Math.floor(random() * 2 ** 31) }));
}

/**
 * The batches of epoch `epoch` (1-based) for examples of one size (no length to sort by):
 * `examples` shuffled with the generator seeded `seed · 1000 + epoch`, cut into batches of
 * `batchSize` (the last may be smaller), each given a mask seed drawn from the same generator.
 */
export function shuffledBatches<T>(examples: readonly T[], batchSize: number, seed: number, epoch: number): SeededBatch<T>[] {
  if (!(Number.isInteger(batchSize) && batchSize >= 1)) throw new Error(`batchSize: expected an integer ≥ 1, got ${batchSize}`);
  const random = mulberry32(seed * 1000 + epoch);
  const order = shuffled(examples, random);
  const batches: SeededBatch<T>[] = [];
  for (let i = 0; i < order.length; i += batchSize) batches.push({ examples: order.slice(i, i + batchSize), maskSeed: Math.floor(random() * 2 ** 31) });
  return batches;
}
