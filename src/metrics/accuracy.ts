/**
 * Classification accuracy: the share of samples whose most probable class is the gold one,
 *
 *   acc = (1/N) Σ_n [argmax_k p_{n,k} = y_n]
 *
 * (ties go to the lowest class index).
 */

/** probabilities [N][K], gold classes [N] in [0, K) → accuracy in [0, 1] (0 for N = 0). */
export function accuracy(probabilities: readonly (readonly number[])[], gold: readonly number[]): number {
  if (probabilities.length !== gold.length) {
    throw new Error(`gold: expected ${probabilities.length} classes (one per row of probabilities), got ${gold.length}`);
  }
  let correct = 0;
  probabilities.forEach((p, i) => (correct += p.indexOf(Math.max(...p)) === gold[i] ? 1 : 0));
  return correct / Math.max(1, gold.length);
}
