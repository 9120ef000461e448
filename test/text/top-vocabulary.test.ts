// A top-N vocabulary with <unk>, and cutting id rows to a maximum length.
import { describe, expect, it } from 'vitest';
import { encodeUnits, fitLength, PAD_ID, topVocabulary, UNK_ID } from '../../src/index.ts';

describe('topVocabulary', () => {
  const texts = [
    ['good', 'good', 'bad', 'film'],
    ['good', 'film', 'plot'],
  ];

  it('keeps the N − 4 most frequent units after the special symbols, ties in code-point order', () => {
    const v = topVocabulary(texts, 6, 'word');
    expect(v.tokens).toEqual(['<pad>', '<sos>', '<eos>', '<unk>', 'good', 'film']);
    expect(v.size).toBe(6);
  });

  it('does not depend on the order of the texts', () => {
    expect(topVocabulary([...texts].reverse(), 7, 'word').tokens).toEqual(topVocabulary(texts, 7, 'word').tokens);
  });

  it('maps units outside the vocabulary to <unk>', () => {
    const v = topVocabulary(texts, 6, 'word');
    expect(encodeUnits(v, ['good', 'plot', 'zebra'])).toEqual([4, UNK_ID, UNK_ID]);
    expect(PAD_ID).toBe(0);
  });

  it('names a size too small for the special symbols', () => {
    expect(() => topVocabulary(texts, 3, 'word')).toThrow(/size: expected an integer in \[4,/);
  });
});

describe('fitLength', () => {
  const ids = [1, 2, 3, 4, 5, 6, 7, 8];
  it('leaves a short row alone', () => expect(fitLength([1, 2], 5)).toEqual([1, 2]));
  it("'head' keeps the start", () => expect(fitLength(ids, 3, 'head')).toEqual([1, 2, 3]));
  it("'tail' keeps the end (Keras's pad_sequences truncating='pre')", () => expect(fitLength(ids, 3, 'tail')).toEqual([6, 7, 8]));
  it("'both' keeps a quarter from the start and the rest from the end", () => expect(fitLength(ids, 4, 'both')).toEqual([1, 6, 7, 8]));
});
