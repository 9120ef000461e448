/**
 * The extended label sequence of CTC. A target l = (l_1, …, l_L) becomes
 *
 *   l′ = (∅, l_1, ∅, l_2, ∅, …, ∅, l_L, ∅),   |l′| = 2L + 1,
 *
 * with the blank ∅ between labels and at both ends. A path through l′ may stay on a state,
 * move to the next one, or skip the blank in between (s − 2 → s) — the skip only when
 * l′_s is not blank and l′_s ≠ l′_(s−2), since a blank must separate a repeated label.
 */

/** l′ [2L+1] from l [L]: even positions hold the blank, odd positions the labels. */
export function extendedLabels(labels: ArrayLike<number>, blank: number): Int32Array {
  const L = labels.length;
  const ext = new Int32Array(2 * L + 1).fill(blank);
  for (let u = 0; u < L; u++) ext[2 * u + 1] = labels[u];
  return ext;
}

/** canSkip [2L+1]: 1 where the transition s − 2 → s is allowed (l′_s ≠ ∅ and l′_s ≠ l′_(s−2)). */
export function skipTransitions(extended: Int32Array, blank: number): Uint8Array {
  const canSkip = new Uint8Array(extended.length);
  for (let s = 2; s < extended.length; s++) {
    canSkip[s] = extended[s] !== blank && extended[s] !== extended[s - 2] ? 1 : 0;
  }
  return canSkip;
}

/**
 * The fewest frames any alignment of l needs: one per label plus one blank between each
 * pair of equal neighbours, T_min = L + #{u : l_u = l_(u−1)}.
 */
export function minimumFrames(labels: ArrayLike<number>): number {
  let repeats = 0;
  for (let u = 1; u < labels.length; u++) if (labels[u] === labels[u - 1]) repeats++;
  return labels.length + repeats;
}
