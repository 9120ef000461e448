/**
 * Reference numbers are sacreBLEU's own, copied from github.com/mjpost/sacrebleu:
 *   test/test_chrf.py (commit 0dca9d481824294b6e2b67b5bc6d7b6564a2553a; tolerance 1e-4 as there)
 *   README.md, "chrF2 = 59.73" for its two-reference example with CHRF() defaults
 * Nothing here is computed by the code under test.
 */
import { describe, expect, it } from 'vitest';
import { corpusChrf, sentenceChrf } from '../../src/metrics/chrf.ts';

const EPSILON = 1e-4;

describe('corpusChrf with sacreBLEU defaults (chrF2)', () => {
  it("gives 59.73 on the README's two-reference example", () => {
    const refs = [
      ['The dog bit the man.', 'It was not unexpected.', 'The man bit him first.'],
      ['The dog had bit the man.', 'No one was surprised.', 'The man had bitten the dog.'],
    ];
    const sys = ['The dog bit the man.', "It wasn't surprising.", 'The man had just bitten him.'];
    expect(corpusChrf(sys, refs).score.toFixed(2)).toBe('59.73');
  });

  it('is 100 for a hypothesis equal to its reference', () => {
    expect(corpusChrf(['Niemand hat die Absicht'], ['Niemand hat die Absicht']).score).toBeCloseTo(100, 10);
  });
});

describe('corpusChrf with ε smoothing, β = 3 (test_chrf.py test_chrf)', () => {
  const cases: [string[], string[], number][] = [
    [['abcdefg'], ['hijklmnop'], 0.0],
    [['a'], ['b'], 0.0],
    [[''], ['b'], 0.0],
    [[''], ['ref'], 0.0],
    [[''], ['reference'], 0.0],
    [['aa'], ['ab'], 8.3333],
    [['a', 'b'], ['a', 'c'], 8.3333],
    [['a'], ['a'], 16.6667],
    [['a b c'], ['a b c'], 50.0],
    [['a b c'], ['abc'], 50.0],
    [
      [' risk assessment must be made of those who are qualified and expertise in the sector - these are the scientists .'],
      ['risk assessment has to be undertaken by those who are qualified and expert in that area - that is the scientists .'],
      63.36173,
    ],
    [
      [' Die    Beziehung zwischen  Obama und Netanjahu ist nicht gerade  freundlich. '],
      ['Das Verhältnis zwischen Obama und Netanyahu ist nicht gerade freundschaftlich.'],
      64.1302698,
    ],
    [['Niemand hat die Absicht, eine Mauer zu errichten'], ['Niemand hat die Absicht, eine Mauer zu errichten'], 100.0],
  ];
  for (const [hyps, refs, expected] of cases) {
    it(`gives ${expected} for ${JSON.stringify(hyps).slice(0, 40)} against ${JSON.stringify(refs).slice(0, 40)}`, () => {
      expect(Math.abs(corpusChrf(hyps, [refs], { beta: 3, epsSmoothing: true }).score - expected)).toBeLessThan(EPSILON);
    });
  }
});

describe('corpusChrf with effective-order averaging, β = 3 (test_chrf.py test_chrf_eff_order)', () => {
  const cases: [string[], string[], number][] = [
    [['a'], ['a'], 100.0],
    [[''], ['reference'], 0.0],
    [['a b c'], ['a b c'], 100.0],
    [['a b c'], ['abc'], 100.0],
    [[''], ['c'], 0.0],
    [['a', 'b'], ['a', 'c'], 50.0],
    [['aa'], ['ab'], 25.0],
  ];
  for (const [hyps, refs, expected] of cases) {
    it(`gives ${expected} for ${JSON.stringify(hyps)} against ${JSON.stringify(refs)}`, () => {
      expect(Math.abs(corpusChrf(hyps, [refs], { beta: 3 }).score - expected)).toBeLessThan(EPSILON);
    });
  }
});

describe('corpusChrf keeping white space, β = 3 (test_chrf.py test_chrf_keep_whitespace)', () => {
  it('gives 67.3481606 on the Obama sentence', () => {
    const score = corpusChrf(
      ['Die Beziehung zwischen Obama und Netanjahu ist nicht gerade freundlich.'],
      ['Das Verhältnis zwischen Obama und Netanyahu ist nicht gerade freundschaftlich.'],
      { beta: 3, whitespace: true },
    ).score;
    expect(Math.abs(score - 67.3481606)).toBeLessThan(EPSILON);
  });

  it('gives 65.2414427 on the risk-assessment sentence', () => {
    const score = corpusChrf(
      ['risk assessment must be made of those who are qualified and expertise in the sector - these are the scientists .'],
      ['risk assessment has to be undertaken by those who are qualified and expert in that area - that is the scientists .'],
      { beta: 3, whitespace: true },
    ).score;
    expect(Math.abs(score - 65.2414427)).toBeLessThan(EPSILON);
  });
});

describe('sentenceChrf with ε smoothing (test_chrf.py test_chrf_sentence_level, β = 2)', () => {
  const cases: [string, string, number][] = [
    [
      'Co nás nejvíc trápí, protože lékaři si vybírají, kdo bude žít a kdo zemře.',
      'Nejvíce smutní jsme z toho, že musíme rozhodovat o tom, kdo bude žít a kdo zemře.',
      39.14078509,
    ],
    [
      'Nebo prostě nemají vybavení, které by jim pomohlo, uvedli lékaři.',
      'A někdy nemáme ani potřebný materiál, abychom jim pomohli, popsali lékaři.',
      31.22557079,
    ],
    [
      'Lapali po dechu, jejich životy skončily dřív, než skutečně začaly.',
      'Lapali po dechu a pak jejich život skončil - dřív, než skutečně mohl začít, připomněli.',
      57.15704367,
    ],
  ];
  for (const [hyp, ref, expected] of cases) {
    it(`gives ${expected} for '${hyp.slice(0, 30)}…'`, () => {
      expect(Math.abs(sentenceChrf(hyp, [ref], { epsSmoothing: true }).score - expected)).toBeLessThan(EPSILON);
    });
  }
});

describe('corpusChrf input checks', () => {
  it('names a reference stream of the wrong length', () => {
    expect(() => corpusChrf(['a', 'b'], [['a']])).toThrow(/references\[0\]: expected 2 sentences/);
  });

  it('rejects an unknown option', () => {
    expect(() => corpusChrf(['a'], ['a'], { order: 4 } as never)).toThrow(/order/);
  });
});
