import { describe, expect, it } from 'vitest';
import { EOS_ID, PAD_ID, SOS_ID, UNK_ID, Vocabulary } from '../../src/text/vocabulary.ts';

const corpus = ['the cat sat.', 'the dog sat.', 'the cat ran!'];

describe('Vocabulary', () => {
  it('puts <pad>, <sos>, <eos>, <unk> at ids 0, 1, 2, 3', () => {
    const vocab = Vocabulary.build(corpus, 'word');
    expect(vocab.tokens.slice(0, 4)).toEqual(['<pad>', '<sos>', '<eos>', '<unk>']);
    expect([PAD_ID, SOS_ID, EOS_ID, UNK_ID]).toEqual([0, 1, 2, 3]);
  });

  it('orders symbols by count, ties in code-point order', () => {
    // counts: the 3, cat 2, sat 2, . 2, dog 1, ran 1, ! 1
    const vocab = Vocabulary.build(corpus, 'word');
    expect(vocab.tokens.slice(4)).toEqual(['the', '.', 'cat', 'sat', '!', 'dog', 'ran']);
  });

  it('does not depend on the order of the corpus', () => {
    expect(Vocabulary.build(corpus.slice().reverse(), 'word').tokens).toEqual(Vocabulary.build(corpus, 'word').tokens);
  });

  it('drops symbols below minCount and stops at maxSize', () => {
    expect(Vocabulary.build(corpus, 'word', { minCount: 2 }).tokens.slice(4)).toEqual(['the', '.', 'cat', 'sat']);
    expect(Vocabulary.build(corpus, 'word', { maxSize: 6 }).tokens.slice(4)).toEqual(['the', '.']);
  });

  it('encodes unknown symbols as <unk> and decodes up to <eos>, skipping <pad> and <sos>', () => {
    const vocab = Vocabulary.build(corpus, 'word');
    const ids = vocab.encode('the bird sat.');
    expect(ids).toEqual([4, UNK_ID, 7, 5]);
    expect(vocab.decode([SOS_ID, ...ids, EOS_ID, 6, PAD_ID])).toBe('the <unk> sat.');
    expect(vocab.decode([SOS_ID, 4, PAD_ID, 6])).toBe('the cat');
  });

  it('encodes composed and decomposed Hangul alike', () => {
    const vocab = Vocabulary.build(['고양이가 물을 마셔요.'], 'character');
    expect(vocab.encode('고양이'.normalize('NFD'))).toEqual(vocab.encode('고양이'));
    expect(vocab.encode('고양이')).not.toContain(UNK_ID);
  });

  it('survives a JSON round trip with its level', () => {
    const vocab = Vocabulary.build(corpus, 'character');
    const back = Vocabulary.fromJSON(JSON.parse(JSON.stringify(vocab)));
    expect(back.level).toBe('character');
    expect(back.tokens).toEqual(vocab.tokens);
    expect(back.encode('cats')).toEqual(vocab.encode('cats'));
  });

  it('rejects a token list without the special symbols, naming the position', () => {
    expect(() => new Vocabulary('word', ['a', 'b'])).toThrow(/tokens\[0\].*<pad>/);
    expect(() => new Vocabulary('word', ['<pad>', '<sos>', '<eos>', '<unk>', 'x', 'x'])).toThrow(/tokens\[5\]/);
    expect(() => Vocabulary.build(corpus, 'word', { minCount: 1, size: 3 } as never)).toThrow(/size/);
  });
});
