/**
 * Reference numbers are sacreBLEU's own, copied from its test suite (github.com/mjpost/sacrebleu):
 *   test/test_bleu.py           (commit 785d26bb42ff5cc738c8aa06efb288cf407fc4fd)
 *   test/test_sentence_bleu.py  (commit 27bec349d41c900990d5aa669056766d0543d710)
 * Nothing here is computed by the code under test.
 */
import { describe, expect, it } from 'vitest';
import { bleuFromStatistics, corpusBleu, exactMatch, sentenceBleu, tokenize13a } from '../../src/metrics/bleu.ts';

// The README example of test_bleu.py: two reference streams, each with one reference per hypothesis.
const refs = [
  ['The dog bit the man.', 'It was not unexpected.', 'The man bit him first.'],
  ['The dog had bit the man.', 'No one was surprised.', 'The man had bitten the dog.'],
];
const hyps = ['The dog bit the man.', "It wasn't surprising.", 'The man had just bitten him.'];

const EPSILON = 1e-8; // test_bleu.py's tolerance

describe('corpusBleu (sacreBLEU defaults)', () => {
  it('gives 48.530827 on the README example (test_bleu.py test_corpus_bleu, default settings)', () => {
    expect(Math.abs(corpusBleu(hyps, refs).score - 48.530827)).toBeLessThan(EPSILON);
  });

  it('gives 49.1919566 with tokenize none (test_bleu.py test_corpus_bleu)', () => {
    expect(Math.abs(corpusBleu(hyps, refs, { tokenize: 'none' }).score - 49.1919566)).toBeLessThan(EPSILON);
  });

  it("gives 48.530827 with smoothing 'none' too (test_bleu.py test_corpus_bleu)", () => {
    expect(Math.abs(corpusBleu(hyps, refs, { smoothMethod: 'none' }).score - 48.530827)).toBeLessThan(EPSILON);
  });

  it('gives 0 for empty hypotheses, which are kept, not dropped (test_bleu.py test_corpus_bleu)', () => {
    const score = corpusBleu(['', '', ''], refs);
    expect(score.score).toBe(0);
    expect(score.refLen).toBeGreaterThan(0);
  });

  it('matches test_bleu.py test_max_ngram_order for N = 1 … 6', () => {
    const expected = ['77.65', '60.50', '53.93', '48.53', '46.14', '43.28'];
    expected.forEach((score, i) => {
      expect(corpusBleu(hyps, refs, { maxNgramOrder: i + 1 }).score.toFixed(2)).toBe(score);
    });
  });

  it('counts matched and total n-grams as test_bleu.py test_statistics', () => {
    const score = corpusBleu(['am I am a character sequence'], [['I am a symbol string sequence a a']], {
      tokenize: 'none',
      smoothMethod: 'floor',
      smoothValue: 0.01,
      effectiveOrder: true,
    });
    expect(score.counts).toEqual([4, 2, 1, 0]);
    expect(score.totals).toEqual([6, 5, 4, 3]);
  });

  it("gives 0.1555722182 with floor smoothing 0.1 (test_bleu.py test_offset, raw_corpus_bleu)", () => {
    const score = corpusBleu(['am I am a character sequence'], [['I am a symbol string sequence a a']], {
      tokenize: 'none',
      smoothMethod: 'floor',
      effectiveOrder: true,
    });
    expect(Math.abs(score.score / 100 - 0.1555722182)).toBeLessThan(EPSILON);
  });

  it('uses only the orders present in short hypotheses with effectiveOrder (test_bleu.py test_effective_order)', () => {
    const raw = { tokenize: 'none', smoothMethod: 'floor', smoothValue: 0.01, effectiveOrder: true } as const;
    expect(Math.abs(corpusBleu(['test'], [['a test']], raw).score / 100 - 0.3678794411714425)).toBeLessThan(EPSILON);
    expect(Math.abs(corpusBleu(['a test'], [['a test']], raw).score / 100 - 1.0)).toBeLessThan(EPSILON);
    expect(Math.abs(corpusBleu(['a little test'], [['a test']], raw).score / 100 - 0.03218297948685433)).toBeLessThan(EPSILON);
  });

  it('gives 22.3606797749979 for one wrong word in four (test_bleu.py test_raw_bleu)', () => {
    const raw = { tokenize: 'none', smoothMethod: 'floor', smoothValue: 0.01, effectiveOrder: true } as const;
    expect(Math.abs(corpusBleu(['this is a fest'], [['this is a test']], raw).score / 100 - 0.223606797749979)).toBeLessThan(EPSILON);
    expect(corpusBleu(['this is a test', 'another test'], [['ref1', 'ref2']], raw).score).toBe(0);
  });

  it('accepts one reference per hypothesis as a plain list', () => {
    expect(corpusBleu(hyps, refs[0]).score).toBe(corpusBleu(hyps, [refs[0]]).score);
  });

  it('rejects a reference stream of the wrong length, naming it', () => {
    expect(() => corpusBleu(hyps, [refs[0], refs[1].slice(1)])).toThrow(/references\[1\].*3.*2/);
    expect(() => corpusBleu(hyps, refs, { smooth: 'exp' } as never)).toThrow(/smooth/);
  });
});

describe('bleuFromStatistics', () => {
  it('gives 0.8375922397 for counts [9,7,5,3] / [10,8,6,4], c = r = 11 (test_bleu.py test_scoring)', () => {
    expect(Math.abs(bleuFromStatistics([9, 7, 5, 3], [10, 8, 6, 4], 11, 11).score / 100 - 0.8375922397)).toBeLessThan(EPSILON);
  });

  it('gives 0 for degenerate statistics (test_bleu.py test_degenerate_statistics)', () => {
    const cases: [number[], number[], number, number, number][] = [
      [[0, 0, 0, 0], [4, 4, 2, 1], 0, 1, 0.0],
      [[0, 0, 0, 0], [10, 11, 12, 0], 14, 10, 0.0],
      [[0, 0, 0, 0], [0, 0, 0, 0], 0, 0, 0.0],
      [[6, 5, 4, 0], [6, 5, 4, 3], 6, 6, 0.0],
      [[0, 0, 0, 0], [0, 0, 0, 0], 0, 0, 0.1],
      [[0, 0, 0, 0], [0, 0, 0, 0], 1, 5, 0.01],
    ];
    for (const [counts, totals, sysLen, refLen, floor] of cases) {
      expect(bleuFromStatistics(counts, totals, sysLen, refLen, { smoothMethod: 'floor', smoothValue: floor }).score).toBe(0);
    }
  });
});

describe('sentenceBleu (sacreBLEU sentence_bleu defaults: exp smoothing, effective order)', () => {
  // test_sentence_bleu.py, "Example taken from #98"; its tolerance is 1e-3.
  const REF = 'producţia de zahăr brut se exprimă în zahăr alb;';
  const SYS = 'Producția de zahăr primă va fi exprimată în ceea ce privește zahărul alb;';

  it('gives 8.493 with 13a tokenisation', () => {
    expect(Math.abs(sentenceBleu(SYS, [REF]).score - 8.493)).toBeLessThan(1e-3);
  });

  it('gives 7.347 with tokenize none', () => {
    expect(Math.abs(sentenceBleu(SYS, [REF], { tokenize: 'none' }).score - 7.347)).toBeLessThan(1e-3);
  });

  it('gives the other smoothing methods as test_sentence_bleu.py', () => {
    const cases: [Parameters<typeof sentenceBleu>[2], number][] = [
      [{ smoothMethod: 'none' }, 0.0],
      [{ smoothMethod: 'floor' }, 4.51688],
      [{ smoothMethod: 'floor', smoothValue: 0.5 }, 10.1],
      [{ smoothMethod: 'add-k' }, 14.882],
      [{ smoothMethod: 'add-k', smoothValue: 2 }, 21.389],
    ];
    for (const [options, expected] of cases) {
      expect(Math.abs(sentenceBleu(SYS, [REF], options).score - expected)).toBeLessThan(1e-3);
    }
  });

  it('gives 0 when nothing matches (test_sentence_bleu.py, example from #141)', () => {
    expect(sentenceBleu('this is a cat', ['okay thanks']).score).toBe(0);
  });
});

describe('tokenize13a', () => {
  // Each case worked out by hand from mteval-v13a's rules (punctuation split, '.'/',' kept between digits).
  it('splits punctuation but keeps decimal points and thousands separators between digits', () => {
    expect(tokenize13a('The dog bit the man.')).toBe('The dog bit the man .');
    expect(tokenize13a("It wasn't 3.5, or 1,000!")).toBe("It wasn't 3.5 , or 1,000 !");
    expect(tokenize13a('5-year &quot;plan&quot;')).toBe('5 - year " plan "');
    expect(tokenize13a('(a/b)')).toBe('( a / b )');
  });
});

describe('exactMatch', () => {
  it('is the fraction of hypotheses identical to their reference', () => {
    expect(exactMatch(['a b', 'c', 'd '], ['a b', 'x', 'd'])).toBeCloseTo(2 / 3, 12);
    expect(() => exactMatch(['a'], [])).toThrow(/references/);
  });
});
