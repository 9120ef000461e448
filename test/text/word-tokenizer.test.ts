// Units for classification: English words without <br />, Korean syllables with '▁' for spaces.
import { describe, expect, it } from 'vitest';
import { syllableTokens, textUnits, wordTokens } from '../../src/index.ts';

describe('wordTokens', () => {
  it('strips <br /> line breaks, lower-cases and splits off punctuation', () => {
    expect(wordTokens('Great film!<br /><br />I LOVED it, really.')).toEqual(['great', 'film', '!', 'i', 'loved', 'it', ',', 'really', '.']);
  });

  it('keeps contractions and hyphenated words whole', () => {
    expect(wordTokens("It wasn't a well-known movie")).toEqual(['it', "wasn't", 'a', 'well-known', 'movie']);
  });

  it('gives no units for an empty or blank text', () => {
    expect(wordTokens('')).toEqual([]);
    expect(wordTokens('  <br />  ')).toEqual([]);
  });
});

describe('syllableTokens', () => {
  it('one unit per syllable, ▁ for a space', () => {
    expect(syllableTokens('재밌는 영화')).toEqual(['재', '밌', '는', '▁', '영', '화']);
  });

  it('cuts a run of one character after 3', () => {
    expect(syllableTokens('최고ㅋㅋㅋㅋㅋㅋ!!!!')).toEqual(['최', '고', 'ㅋ', 'ㅋ', 'ㅋ', '!', '!', '!']);
  });

  it('composes conjoining jamo first (NFC), so both spellings give the same units', () => {
    expect(syllableTokens('\u1112\u1161\u11ab')).toEqual(['한']);
  });

  it('textUnits names an unknown unit', () => {
    expect(() => textUnits('a', 'letter' as never)).toThrow(/unit: expected one of word, syllable, got 'letter'/);
  });
});
