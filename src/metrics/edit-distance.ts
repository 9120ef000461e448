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
 * Time O(N·M), memory O(M): two rows of the table, each cell carrying the edit counts of the
 * minimal path through it. The walk back from (N, M) picks at each cell the predecessor that the
 * preference above names, which depends on that cell alone; so choosing the same predecessor
 * while filling the table forward gives the same counts without keeping the table (24,000
 * characters against 24,000 took 2.3 GB as a full table).
 */
export function editDistance<T>(reference: readonly T[], hypothesis: readonly T[]): EditCounts {
  const N = reference.length;
  const M = hypothesis.length;
  // Row i−1 (prev*) and row i (cur*): distance, substitutions, deletions, insertions, hits. [M + 1] each
  let prevD = new Int32Array(M + 1);
  let prevS = new Int32Array(M + 1);
  let prevDel = new Int32Array(M + 1);
  let prevIns = new Int32Array(M + 1);
  let prevHit = new Int32Array(M + 1);
  let curD = new Int32Array(M + 1);
  let curS = new Int32Array(M + 1);
  let curDel = new Int32Array(M + 1);
  let curIns = new Int32Array(M + 1);
  let curHit = new Int32Array(M + 1);
  for (let j = 0; j <= M; j++) {
    prevD[j] = j; // D[0][j] = j: j insertions
    prevIns[j] = j;
  }
  for (let i = 1; i <= N; i++) {
    curD[0] = i; // D[i][0] = i: i deletions
    curS[0] = 0;
    curDel[0] = i;
    curIns[0] = 0;
    curHit[0] = 0;
    const r = reference[i - 1];
    for (let j = 1; j <= M; j++) {
      const same = r === hypothesis[j - 1];
      const diagonal = prevD[j - 1] + (same ? 0 : 1);
      const deletion = prevD[j] + 1;
      const insertion = curD[j - 1] + 1;
      const here = Math.min(diagonal, deletion, insertion);
      curD[j] = here;
      if (here === diagonal) {
        curS[j] = prevS[j - 1] + (same ? 0 : 1);
        curDel[j] = prevDel[j - 1];
        curIns[j] = prevIns[j - 1];
        curHit[j] = prevHit[j - 1] + (same ? 1 : 0);
      } else if (here === deletion) {
        curS[j] = prevS[j];
        curDel[j] = prevDel[j] + 1;
        curIns[j] = prevIns[j];
        curHit[j] = prevHit[j];
      } else {
        curS[j] = curS[j - 1];
        curDel[j] = curDel[j - 1];
        curIns[j] = curIns[j - 1] + 1;
        curHit[j] = curHit[j - 1];
      }
    }
    [prevD, curD] = [curD, prevD];
    [prevS, curS] = [curS, prevS];
    [prevDel, curDel] = [curDel, prevDel];
    [prevIns, curIns] = [curIns, prevIns];
    [prevHit, curHit] = [curHit, prevHit];
  }
  return { distance: prevD[M], substitutions: prevS[M], deletions: prevDel[M], insertions: prevIns[M], hits: prevHit[M] };
}
