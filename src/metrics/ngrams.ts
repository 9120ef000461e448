/**
 * n-gram counts, the statistic BLEU (word n-grams) and chrF (character n-grams) are built on:
 * for n = 1 … N, how often each run of n consecutive symbols occurs.
 */

/**
 * counts[n − 1]: each n-gram of `symbols` (its symbols joined with `joiner`) → its count, for
 * n = 1 … N. Choose a joiner that cannot occur inside a symbol ('' for single characters).
 */
export function ngramCounts(symbols: readonly string[], N: number, joiner: string): Map<string, number>[] {
  const counts: Map<string, number>[] = [];
  for (let n = 1; n <= N; n++) {
    const m = new Map<string, number>();
    for (let i = 0; i + n <= symbols.length; i++) {
      const g = symbols.slice(i, i + n).join(joiner);
      m.set(g, (m.get(g) ?? 0) + 1);
    }
    counts.push(m);
  }
  return counts;
}
