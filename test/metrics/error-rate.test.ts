import { describe, expect, it } from 'vitest';
import {
  characterErrorRate, errorRates, splitCharacters, splitWords, totalErrorRate, wordErrorRate,
} from '../../src/metrics/error-rate.ts';

describe('characterErrorRate', () => {
  it('counts a spurious space: 안녕하세요 → 안녕 하세요 is 1 insertion over 5 characters', () => {
    expect(characterErrorRate('안녕하세요', '안녕 하세요')).toEqual({
      rate: 1 / 5, errors: 1, substitutions: 0, deletions: 0, insertions: 1, referenceLength: 5,
    });
  });

  it('counts spaces in the reference length: 안녕 하세요 → 안녕하세요 is 1 deletion over 6', () => {
    expect(characterErrorRate('안녕 하세요', '안녕하세요')).toEqual({
      rate: 1 / 6, errors: 1, substitutions: 0, deletions: 1, insertions: 0, referenceLength: 6,
    });
  });

  it('안 녕 하 → 안녕하 loses two spaces: 2/5', () => {
    expect(characterErrorRate('안 녕 하', '안녕하').rate).toBeCloseTo(2 / 5, 12);
  });

  it('a substituted syllable: 안녕하세요 → 안녕하세세 is 1/5', () => {
    const r = characterErrorRate('안녕하세요', '안녕하세세');
    expect([r.substitutions, r.deletions, r.insertions, r.rate]).toEqual([1, 0, 0, 0.2]);
  });

  it('counts a doubled space as an insertion (no whitespace normalisation)', () => {
    expect(characterErrorRate('안 녕', '안  녕').insertions).toBe(1);
  });

  it('can exceed 1 when the hypothesis is much longer', () => {
    expect(characterErrorRate('요', '안녕하세요').rate).toBe(4);
  });

  it('is 0 for two empty strings and Infinity for a hypothesis against an empty reference', () => {
    expect(characterErrorRate('', '').rate).toBe(0);
    expect(characterErrorRate('', '안').rate).toBe(Infinity);
    expect(characterErrorRate('', '안').errors).toBe(1);
  });

  it('is 1 for an empty hypothesis', () => {
    expect(characterErrorRate('하세요', '').rate).toBe(1);
  });

  it('treats a syllable written as separate jamo (NFD) as the same character', () => {
    const decomposed = '안녕'.normalize('NFD');
    expect(decomposed.length).toBe(6);
    expect(characterErrorRate('안녕', decomposed).errors).toBe(0);
  });
});

describe('wordErrorRate', () => {
  it('one word split in two is a substitution and an insertion: 2/1', () => {
    expect(wordErrorRate('안녕하세요', '안녕 하세요')).toEqual({
      rate: 2, errors: 2, substitutions: 1, deletions: 0, insertions: 1, referenceLength: 1,
    });
  });

  it('three words merged into one: 1 substitution + 2 deletions over 3', () => {
    const r = wordErrorRate('안 녕 하', '안녕하');
    expect([r.substitutions, r.deletions, r.insertions, r.rate]).toEqual([1, 2, 0, 1]);
  });

  it('splits on runs of whitespace and ignores leading/trailing whitespace', () => {
    expect(wordErrorRate('안녕 하세요', '  안녕   하세요 ').errors).toBe(0);
  });

  it('an extra word at the end: the cat sat → the cat sat down is 1/3', () => {
    expect(wordErrorRate('the cat sat', 'the cat sat down').rate).toBeCloseTo(1 / 3, 12);
  });
});

describe('totalErrorRate', () => {
  it('divides total edits by total reference length, not the mean of rates', () => {
    const total = totalErrorRate([characterErrorRate('안녕', '안'), characterErrorRate('안녕하세요', '안녕하세요')]);
    expect(total).toEqual({ rate: 1 / 7, errors: 1, substitutions: 0, deletions: 1, insertions: 0, referenceLength: 7 });
  });

  it('sums each kind of edit separately', () => {
    const total = totalErrorRate([
      characterErrorRate('안녕', '안녕 '), // 1 insertion / 2
      characterErrorRate('세요', '세'), // 1 deletion / 2
      characterErrorRate('하', '요'), // 1 substitution / 1
    ]);
    expect(total).toEqual({ rate: 3 / 5, errors: 3, substitutions: 1, deletions: 1, insertions: 1, referenceLength: 5 });
  });

  it('is 0 over no utterances', () => {
    expect(totalErrorRate([]).rate).toBe(0);
  });
});

describe('errorRates', () => {
  it('gives corpus CER and WER of paired lists: 2/13 characters, 3/4 words', () => {
    // 안녕하세요 → 안녕 하세요: 1 char insertion, 1 word S + 1 I; 안녕 하세요 → 안녕 하세: 1 char
    // deletion, 1 word S; 세요 → 세요: nothing.
    const r = errorRates(['안녕하세요', '안녕 하세요', '세요'], ['안녕 하세요', '안녕 하세', '세요']);
    expect([r.cer, r.wer]).toEqual([2 / 13, 3 / 4]);
    expect([r.characters.insertions, r.characters.deletions, r.words.substitutions]).toEqual([1, 1, 2]);
  });

  it('rejects lists of different lengths, naming both counts', () => {
    expect(() => errorRates(['안'], [])).toThrow('got 1 references and 0 hypotheses');
  });
});

describe('splitCharacters and splitWords', () => {
  it('splitCharacters keeps spaces as characters', () => {
    expect(splitCharacters('안녕 하세요')).toEqual(['안', '녕', ' ', '하', '세', '요']);
  });

  it('splitWords drops empty words', () => {
    expect(splitWords(' 안녕  하세요 ')).toEqual(['안녕', '하세요']);
  });
});
