/**
 * BLEU (Papineni et al., 2002) with sacreBLEU's defaults, so that a score printed here can be
 * compared with a score printed by `sacrebleu` (13a tokenisation, mixed case, n ≤ 4, 'exp'
 * smoothing, corpus level without effective order).
 *
 *   p_n  = Σ_sentences Σ_{g ∈ n-grams(hyp)} min(count_hyp(g), max_refs count_ref(g))
 *          / Σ_sentences |n-grams(hyp)|                                   modified n-gram precision
 *   c, r = total hypothesis length, total closest reference length (ties → shorter reference)
 *   BP   = 1 if c ≥ r, else exp(1 − r/c)                                     brevity penalty
 *   BLEU = 100 · BP · exp( (1/N) Σ_{n=1..N} log p_n )
 *
 * Smoothing for p_n = 0 ('exp', NIST mteval-v13a): the k-th order with no match gets
 * 1 / (2^k · total_n) instead. No match at all at any order gives BLEU = 0.
 */
import { checkInt, checkKeys } from '../check.ts';
import { ngramCounts } from './ngrams.ts';
import { referenceStreams } from './references.ts';

export type BleuTokenizer = '13a' | 'none';
export type BleuSmoothing = 'exp' | 'floor' | 'add-k' | 'none';

export interface BleuOptions {
  /** '13a' (mteval-v13a, sacreBLEU's default) or 'none' (split on white space only). */
  tokenize?: BleuTokenizer;
  /** Compare in lower case; default false. */
  lowercase?: boolean;
  /** N, the largest n-gram order; default 4. */
  maxNgramOrder?: number;
  /** Smoothing of zero precisions; default 'exp'. */
  smoothMethod?: BleuSmoothing;
  /** The value for 'floor' (default 0.1) and 'add-k' (default 1); only with those methods. */
  smoothValue?: number;
  /** Average only over orders n with any hypothesis n-gram (sentence BLEU); default false for corpus. */
  effectiveOrder?: boolean;
}

export interface BleuScore {
  /** BLEU in [0, 100]. */
  score: number;
  /** Matched n-grams per order n = 1 … N. */
  counts: number[];
  /** Hypothesis n-grams per order n = 1 … N. */
  totals: number[];
  /** p_n in percent, after smoothing. */
  precisions: number[];
  /** Brevity penalty. */
  bp: number;
  /** c: hypothesis length in tokens. */
  sysLen: number;
  /** r: reference length in tokens. */
  refLen: number;
}

const OPTION_KEYS = ['tokenize', 'lowercase', 'maxNgramOrder', 'smoothMethod', 'smoothValue', 'effectiveOrder'];
const SMOOTH_DEFAULTS: Record<BleuSmoothing, number | undefined> = { exp: undefined, floor: 0.1, 'add-k': 1, none: undefined };

/**
 * mteval-v13a tokenisation as sacreBLEU does it: unescape a few HTML entities, then put spaces
 * around punctuation and symbols, around '.' and ',' unless between digits, and after a '-'
 * that follows a digit.
 */
export function tokenize13a(line: string): string {
  let s = line.replaceAll('<skipped>', '').replaceAll('-\n', '').replaceAll('\n', ' ');
  s = s.replaceAll('&quot;', '"').replaceAll('&amp;', '&').replaceAll('&lt;', '<').replaceAll('&gt;', '>');
  s = ` ${s} `;
  s = s.replace(/([{-~[-` -&(-+:-@/])/g, ' $1 ');
  s = s.replace(/([^0-9])([.,])/g, '$1 $2 ');
  s = s.replace(/([.,])([^0-9])/g, ' $1 $2');
  s = s.replace(/([0-9])(-)/g, '$1 $2 ');
  return s.trim().split(/\s+/).filter((w) => w !== '').join(' ');
}

function preprocess(line: string, tokenize: BleuTokenizer, lowercase: boolean): string[] {
  let s = lowercase ? line.toLowerCase() : line;
  s = s.trimEnd();
  if (tokenize === '13a') s = tokenize13a(s);
  return s.split(/\s+/).filter((w) => w !== '');
}

/** Counts of every n-gram of `words` for n = 1 … N, keyed by the n-gram joined with '\u0001'. */
function wordNgrams(words: readonly string[], N: number): Map<string, number>[] {
  return ngramCounts(words, N, '\u0001');
}

/** The reference length closest to c (on a tie, the shorter reference). */
function closestRefLen(c: number, refLens: readonly number[]): number {
  let best = -1;
  let bestDiff = Infinity;
  for (const r of refLens) {
    const diff = Math.abs(c - r);
    if (diff < bestDiff || (diff === bestDiff && r < best)) {
      bestDiff = diff;
      best = r;
    }
  }
  return best;
}

/**
 * BLEU from its sufficient statistics (sacreBLEU's compute_bleu): `counts`/`totals` per order,
 * hypothesis length c = `sysLen`, reference length r = `refLen`.
 */
export function bleuFromStatistics(
  counts: readonly number[],
  totals: readonly number[],
  sysLen: number,
  refLen: number,
  options: BleuOptions = {},
): BleuScore {
  checkKeys(options, OPTION_KEYS, 'bleu options');
  const N = options.maxNgramOrder ?? counts.length;
  const smoothMethod = options.smoothMethod ?? 'exp';
  if (!(smoothMethod in SMOOTH_DEFAULTS)) throw new Error(`smoothMethod: unknown '${smoothMethod}'`);
  if (options.smoothValue !== undefined && SMOOTH_DEFAULTS[smoothMethod] === undefined) {
    throw new Error(`smoothValue: only 'floor' and 'add-k' take a value, got ${options.smoothValue} with '${smoothMethod}'`);
  }
  const smoothValue = options.smoothValue ?? SMOOTH_DEFAULTS[smoothMethod] ?? 0;
  if (counts.length !== N || totals.length !== N) {
    throw new Error(`counts, totals: expected ${N} orders each, got ${counts.length} and ${totals.length}`);
  }
  const correct = counts.slice();
  const total = totals.slice();
  const bp = sysLen < refLen ? (sysLen > 0 ? Math.exp(1 - refLen / sysLen) : 0) : 1;
  const precisions = new Array<number>(N).fill(0);
  const result = (score: number): BleuScore => ({ score, counts: correct, totals: total, precisions, bp, sysLen, refLen });
  if (!correct.some((k) => k > 0)) return result(0);

  let smoothMteval = 1;
  let effOrder = N;
  for (let n = 1; n <= N; n++) {
    if (smoothMethod === 'add-k' && n > 1) {
      correct[n - 1] += smoothValue;
      total[n - 1] += smoothValue;
    }
    if (total[n - 1] === 0) break;
    if (options.effectiveOrder) effOrder = n;
    if (correct[n - 1] === 0) {
      if (smoothMethod === 'exp') {
        smoothMteval *= 2;
        precisions[n - 1] = 100 / (smoothMteval * total[n - 1]);
      } else if (smoothMethod === 'floor') {
        precisions[n - 1] = (100 * smoothValue) / total[n - 1];
      }
    } else {
      precisions[n - 1] = (100 * correct[n - 1]) / total[n - 1];
    }
  }
  // log 0 is taken as −9999999999 (sacreBLEU's my_log), which drives the score to 0.
  const logSum = precisions.slice(0, effOrder).reduce((acc, p) => acc + (p === 0 ? -9999999999 : Math.log(p)), 0);
  return result(bp * Math.exp(logSum / effOrder));
}

/**
 * Corpus BLEU of `hypotheses` [S] against `references`: either one reference per sentence [S],
 * or sacreBLEU's layout of K reference streams [K][S] (references[k][i] is the k-th reference of
 * sentence i). Defaults are sacreBLEU's corpus_bleu defaults.
 */
export function corpusBleu(
  hypotheses: readonly string[],
  references: readonly string[] | readonly (readonly string[])[],
  options: BleuOptions = {},
): BleuScore {
  checkKeys(options, OPTION_KEYS, 'bleu options');
  const N = options.maxNgramOrder ?? 4;
  checkInt(N, 1, 100, 'maxNgramOrder');
  const tokenize = options.tokenize ?? '13a';
  if (tokenize !== '13a' && tokenize !== 'none') throw new Error(`tokenize: expected '13a' or 'none', got '${tokenize}'`);
  const lowercase = options.lowercase ?? false;
  const streams = referenceStreams(hypotheses, references);

  const counts = new Array<number>(N).fill(0);
  const totals = new Array<number>(N).fill(0);
  let sysLen = 0;
  let refLen = 0;
  hypotheses.forEach((hypothesis, i) => {
    const hypWords = preprocess(hypothesis, tokenize, lowercase);
    const refMax: Map<string, number>[] = Array.from({ length: N }, () => new Map());
    const refLens: number[] = [];
    for (const stream of streams) {
      const refWords = preprocess(stream[i], tokenize, lowercase);
      refLens.push(refWords.length);
      wordNgrams(refWords, N).forEach((m, n) => {
        for (const [g, k] of m) refMax[n].set(g, Math.max(refMax[n].get(g) ?? 0, k));
      });
    }
    sysLen += hypWords.length;
    refLen += closestRefLen(hypWords.length, refLens);
    wordNgrams(hypWords, N).forEach((m, n) => {
      for (const [g, k] of m) {
        totals[n] += k;
        counts[n] += Math.min(k, refMax[n].get(g) ?? 0);
      }
    });
  });
  return bleuFromStatistics(counts, totals, sysLen, refLen, { ...options, maxNgramOrder: N, tokenize: undefined, lowercase: undefined });
}

/**
 * Sentence BLEU of one `hypothesis` against its `references` (sacreBLEU's sentence_bleu:
 * 'exp' smoothing and effective order by default).
 */
export function sentenceBleu(hypothesis: string, references: readonly string[], options: BleuOptions = {}): BleuScore {
  return corpusBleu([hypothesis], references.map((r) => [r]), { effectiveOrder: true, ...options });
}

/** Fraction in [0, 1] of hypotheses equal to their reference (after trimming each end). */
export function exactMatch(hypotheses: readonly string[], references: readonly string[]): number {
  if (hypotheses.length !== references.length) {
    throw new Error(`references: expected ${hypotheses.length} sentences (one per hypothesis), got ${references.length}`);
  }
  if (hypotheses.length === 0) return 0;
  let same = 0;
  hypotheses.forEach((h, i) => {
    if (h.trim() === references[i].trim()) same++;
  });
  return same / hypotheses.length;
}
