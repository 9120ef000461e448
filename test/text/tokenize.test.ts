import { describe, expect, it } from 'vitest';
import { detokenize, normalizeText, tokenize } from '../../src/text/tokenize.ts';

describe('tokenize', () => {
  it('maps Hangul typed as conjoining jamo to the same symbols as precomposed syllables', () => {
    const composed = '한국어를 배워요.';
    const jamo = composed.normalize('NFD');
    expect(jamo).not.toBe(composed);
    expect(jamo.length).toBeGreaterThan(composed.length);
    expect(tokenize(jamo, 'character')).toEqual(tokenize(composed, 'character'));
    expect(tokenize(jamo, 'word')).toEqual(tokenize(composed, 'word'));
    expect(tokenize(jamo, 'character').slice(0, 3)).toEqual(['한', '국', '어']);
  });

  it('gives one symbol per code point at character level, space included', () => {
    expect(tokenize('고양이  가 ', 'character')).toEqual(['고', '양', '이', ' ', '가']);
    expect(tokenize('a😀b', 'character')).toEqual(['a', '😀', 'b']);
  });

  it('splits punctuation off words at word level', () => {
    expect(tokenize('The dog bit the man.', 'word')).toEqual(['The', 'dog', 'bit', 'the', 'man', '.']);
    expect(tokenize('"Hi," she said (twice)!', 'word')).toEqual(
      ['"', 'Hi', ',', '"', 'she', 'said', '(', 'twice', ')', '!'],
    );
    expect(tokenize('고양이가 물을 마셔요?', 'word')).toEqual(['고양이가', '물을', '마셔요', '?']);
  });

  it('keeps apostrophes and hyphens inside a word', () => {
    expect(tokenize("It wasn't well-known.", 'word')).toEqual(['It', "wasn't", 'well-known', '.']);
  });

  it('collapses white space and trims the ends', () => {
    expect(normalizeText('  a \t b\n')).toBe('a b');
    expect(tokenize('   ', 'word')).toEqual([]);
    expect(tokenize('', 'character')).toEqual([]);
  });

  it('detokenizes words back to normally spaced text', () => {
    for (const s of ['The dog bit the man.', 'Is it (really) true?', '나는 학생이다.', 'Yes, 3.5 of them.']) {
      expect(detokenize(tokenize(s, 'word'), 'word')).toBe(s);
      expect(detokenize(tokenize(s, 'character'), 'character')).toBe(s);
    }
  });

  it('rejects an unknown level, naming it', () => {
    expect(() => tokenize('a', 'byte' as never)).toThrow(/level.*byte/);
  });
});
