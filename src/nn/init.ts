/**
 * Seeds for parameter initialisation: a model that creates several layers from one seed gives
 * each its own, so that the same seed always gives the same initial weights.
 */

/** A seeded source of initial values: the k-th call gets seed + 1000·k (reproducible), or undefined (random). */
export function seedSequence(seed: number | undefined): () => number | undefined {
  let k = 0;
  return () => (seed === undefined ? undefined : seed + 1000 * k++);
}
