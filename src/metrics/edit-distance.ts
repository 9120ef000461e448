/**
 * Levenshtein edit distance between two token sequences, with the counts of each kind of edit.
 *
 * With r = reference (length N) and h = hypothesis (length M), the table
 *
 *   D[i][0] = i,   D[0][j] = j,
 *   D[i][j] = min( D[i-1][j-1] + [r_i ≠ h_j],   (match or substitution)
 *                  D[i-1][j]   + 1,             (deletion: r_i missing from h)
 *                  D[i][j-1]   + 1 )            (insertion: h_j not in r)
 *
 * gives the distance D[N][M] = S + D + I. The counts come from walking back one minimal path
 * from (N, M) to (0, 0); where several minimal paths exist the walk prefers the diagonal
 * (match/substitution), then deletion, then insertion: 'ab' against 'ba' (distance 2) counts
 * two substitutions, not a deletion and an insertion.
 */

/** The result of aligning a reference with a hypothesis. */
export interface EditCounts {
  /** S + D + I, the Levenshtein distance. */
  distance: number;
  /** Reference tokens replaced by another token (S). */
  substitutions: number;
  /** Reference tokens missing from the hypothesis (D). */
  deletions: number;
  /** Hypothesis tokens with no counterpart in the reference (I). */
  insertions: number;
  /** Reference tokens matched exactly; hits + S + D = reference length. */
  hits: number;
}

/**
 * Edit distance between `reference` [N] and `hypothesis` [M], tokens compared with `===`.
 * Time and memory O(N·M).
 */
export function editDistance<T>(reference: readonly T[], hypothesis: readonly T[]): EditCounts {
  const N = reference.length;
  const M = hypothesis.length;
  const width = M + 1;
  const D = new Int32Array((N + 1) * width); // D[i * width + j], [N + 1, M + 1]
  for (let i = 0; i <= N; i++) D[i * width] = i;
  for (let j = 0; j <= M; j++) D[j] = j;
  for (let i = 1; i <= N; i++) {
    for (let j = 1; j <= M; j++) {
      const diagonal = D[(i - 1) * width + (j - 1)] + (reference[i - 1] === hypothesis[j - 1] ? 0 : 1);
      const deletion = D[(i - 1) * width + j] + 1;
      const insertion = D[i * width + (j - 1)] + 1;
      D[i * width + j] = Math.min(diagonal, deletion, insertion);
    }
  }

  const counts: EditCounts = { distance: D[N * width + M], substitutions: 0, deletions: 0, insertions: 0, hits: 0 };
  let i = N;
  let j = M;
  while (i > 0 || j > 0) {
    const here = D[i * width + j];
    if (i > 0 && j > 0) {
      const same = reference[i - 1] === hypothesis[j - 1];
      if (here === D[(i - 1) * width + (j - 1)] + (same ? 0 : 1)) {
        if (same) counts.hits++;
        else counts.substitutions++;
        i--;
        j--;
        continue;
      }
    }
    if (i > 0 && here === D[(i - 1) * width + j] + 1) {
      counts.deletions++;
      i--;
    } else {
      counts.insertions++;
      j--;
    }
  }
  return counts;
}
