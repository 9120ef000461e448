/**
 * chrF (Popović, 2015) with sacreBLEU's defaults (chrF2: character n-grams n ≤ 6, β = 2, white
 * space removed, mixed case, no word n-grams, no ε smoothing), so that a score printed here can be
 * compared with one printed by `sacrebleu -m chrf`.
 *
 * For each sentence, with white space removed (s ↦ s without \s) and n = 1 … N (N = 6):
 *   hyp_n = #character n-grams of the hypothesis (0 if the reference has none of order n)
 *   ref_n = #character n-grams of the reference
 *   m_n   = Σ_g min(count_hyp(g), count_ref(g))                                       matches
 * With several references, a sentence keeps the statistics of the reference with the best
 * sentence-level score. The corpus sums the statistics over sentences, then
 *   P = (1/N') Σ_{n: hyp_n > 0, ref_n > 0} m_n / hyp_n,   R likewise with ref_n     (N' such n)
 *   chrF_β = 100 · (1 + β²) P R / (β² P + R)                                        (0 if P + R = 0)
 * ε smoothing (chrF++.py, sacreBLEU's `eps_smoothing=True`) instead averages the per-order F:
 *   chrF_β = 100 · (1/N) Σ_n (1 + β²) p_n r_n / (β² p_n + r_n),  p_n, r_n = ε = 1e-16 when undefined.
 */
import { checkInt, checkKeys } from '../check.ts';
import { ngramCounts } from './ngrams.ts';
import { referenceStreams } from './references.ts';

export interface ChrfOptions {
  /** N: largest character n-gram order; default 6. */
  charOrder?: number;
  /** β: recall counts β times as much as precision; default 2. */
  beta?: number;
  /** Keep white space inside the n-grams; default false (sacreBLEU's `whitespace`). */
  whitespace?: boolean;
  /** Compare in lower case; default false. */
  lowercase?: boolean;
  /** chrF++.py-style ε smoothing (average of per-order F scores); default false. */
  epsSmoothing?: boolean;
}

export interface ChrfScore {
  /** chrF_β in [0, 100]. */
  score: number;
  /** Summed [hyp_n, ref_n, m_n] for n = 1 … N, flattened: 3N numbers. */
  statistics: number[];
}

const OPTION_KEYS = ['charOrder', 'beta', 'whitespace', 'lowercase', 'epsSmoothing'];

/** Counts of the character n-grams (code points) of `chars`, n = 1 … N. */
function charNgrams(chars: readonly string[], N: number): Map<string, number>[] {
  return ngramCounts(chars, N, '');
}

/** [hyp_n, ref_n, m_n] for n = 1 … N, flattened, of one hypothesis against one reference. */
function matchStatistics(hyp: Map<string, number>[], ref: Map<string, number>[]): number[] {
  const stats: number[] = [];
  hyp.forEach((h, i) => {
    const r = ref[i];
    let hypCount = 0;
    let matches = 0;
    for (const [g, c] of h) {
      hypCount += c;
      matches += Math.min(c, r.get(g) ?? 0);
    }
    let refCount = 0;
    for (const c of r.values()) refCount += c;
    // As sacreBLEU: hypothesis n-grams do not count where the reference has none of that order.
    stats.push(r.size > 0 ? hypCount : 0, refCount, matches);
  });
  return stats;
}

/** chrF_β from summed statistics (see the module comment). */
export function chrfFromStatistics(statistics: readonly number[], { beta = 2, epsSmoothing = false }: { beta?: number; epsSmoothing?: boolean } = {}): number {
  if (statistics.length % 3 !== 0 || statistics.length === 0) {
    throw new Error(`statistics: expected 3N numbers [hyp_n, ref_n, m_n …], got ${statistics.length}`);
  }
  const eps = 1e-16;
  const factor = beta * beta;
  const N = statistics.length / 3;
  let fSum = 0;
  let precision = 0;
  let recall = 0;
  let effective = 0;
  for (let i = 0; i < N; i++) {
    const [nHyp, nRef, nMatch] = statistics.slice(3 * i, 3 * i + 3);
    const p = nHyp > 0 ? nMatch / nHyp : eps;
    const r = nRef > 0 ? nMatch / nRef : eps;
    const denominator = factor * p + r;
    fSum += denominator > 0 ? ((1 + factor) * p * r) / denominator : eps;
    if (nHyp > 0 && nRef > 0) {
      precision += p;
      recall += r;
      effective++;
    }
  }
  if (epsSmoothing) return (100 * fSum) / N;
  if (effective === 0) return 0;
  precision /= effective;
  recall /= effective;
  if (precision + recall === 0) return 0;
  return (100 * (1 + factor) * precision * recall) / (factor * precision + recall);
}

/**
 * Corpus chrF of `hypotheses` [S] against `references`: one reference per sentence [S], or
 * sacreBLEU's layout of K reference streams [K][S] (references[k][i]: k-th reference of
 * sentence i; an empty string means sentence i has no k-th reference).
 */
export function corpusChrf(
  hypotheses: readonly string[],
  references: readonly string[] | readonly (readonly string[])[],
  options: ChrfOptions = {},
): ChrfScore {
  checkKeys(options, OPTION_KEYS, 'chrF options');
  const { charOrder = 6, beta = 2, whitespace = false, lowercase = false, epsSmoothing = false } = options;
  checkInt(charOrder, 1, 100, 'charOrder');
  if (!(beta > 0)) throw new Error(`beta: expected a number > 0, got ${beta}`);
  const streams = referenceStreams(hypotheses, references);
  /** The n-gram counts of a sentence: lower-cased if asked, white space removed unless kept. */
  const prepare = (s: string) => {
    const t = lowercase ? s.toLowerCase() : s;
    return charNgrams(Array.from(whitespace ? t : t.replace(/\s+/gu, '')), charOrder);
  };
  const total = new Array<number>(3 * charOrder).fill(0);
  hypotheses.forEach((hypothesis, i) => {
    const hyp = prepare(hypothesis);
    let best: number[] | undefined;
    let bestScore = -1;
    for (const stream of streams) {
      if (stream[i] === '' && streams.length > 1) continue;
      const stats = matchStatistics(hyp, prepare(stream[i]));
      const score = chrfFromStatistics(stats, { beta, epsSmoothing });
      if (score > bestScore) [best, bestScore] = [stats, score];
    }
    best?.forEach((v, j) => (total[j] += v));
  });
  return { score: chrfFromStatistics(total, { beta, epsSmoothing }), statistics: total };
}

/** Sentence chrF of one `hypothesis` against its `references` (sacreBLEU's sentence_chrf). */
export function sentenceChrf(hypothesis: string, references: readonly string[], options: ChrfOptions = {}): ChrfScore {
  return corpusChrf([hypothesis], references.map((r) => [r]), options);
}
