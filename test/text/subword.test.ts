/**
 * BPE subwords (src/text/subword.ts). The merges and segmentations expected here were worked out
 * by hand from the algorithm (Sennrich et al. 2016's example corpus, in SentencePiece's '▁' form,
 * and SentencePiece's bpe_model.cc rule: join the adjacent pair forming the best-scored piece).
 */
import { describe, expect, it } from 'vitest';
import { fromSentencePieceVocab, subwords, toSentencePieceVocab, trainSubwords } from '../../src/text/subword.ts';
import { Vocabulary } from '../../src/text/vocabulary.ts';

const SENNRICH = [
  ...Array(5).fill('low'),
  ...Array(2).fill('lower'),
  ...Array(6).fill('newest'),
  ...Array(3).fill('widest'),
].join(' ');

describe('trainSubwords', () => {
  it("learns the hand-worked merges of Sennrich et al.'s corpus (low ×5, lower ×2, newest ×6, widest ×3)", () => {
    // chars: ▁ l o w e r n s t i d (11); pairs es = st = 9 → 'es' first (code-point order), then
    // est 9, lo 7 ('lo' < 'ow' < '▁l'), low 7, ▁low 7, ew 6, ewest 6, newest 6, ▁newest 6.
    const model = trainSubwords([SENNRICH], { pieces: 11 + 9 });
    expect(model.pieces.slice(0, 9)).toEqual(['es', 'est', 'lo', 'low', '▁low', 'ew', 'ewest', 'newest', '▁newest']);
    expect(model.scores.slice(0, 9)).toEqual([0, -1, -2, -3, -4, -5, -6, -7, -8]);
  });

  it('ends with every character of the text, most frequent first, scored below every merge', () => {
    const model = trainSubwords([SENNRICH], { pieces: 11 + 9 });
    const chars = model.pieces.slice(9);
    expect(new Set(chars)).toEqual(new Set(['▁', 'l', 'o', 'w', 'e', 'r', 'n', 's', 't', 'i', 'd']));
    expect(chars[0]).toBe('e'); // e: lower 2 + newest 12 + widest 3 = 17, the most frequent
    expect(Math.max(...model.scores.slice(9))).toBeLessThan(Math.min(...model.scores.slice(0, 9)));
  });

  it('names the size when the text has more characters than pieces asked for', () => {
    expect(() => trainSubwords(['abc'], { pieces: 3 })).toThrow(/pieces: 3 is fewer than the 4 distinct characters/);
  });

  it('stops when no pair is left (one word, fully merged)', () => {
    // ▁a and ab both occur once: ('a', 'b') comes before ('▁', 'a') in code-point order.
    const model = trainSubwords(['ab'], { pieces: 100 });
    expect(model.pieces).toEqual(['ab', '▁ab', 'a', 'b', '▁']);
  });
});

describe('subwords(model).segment', () => {
  it("segments an unseen word as the merges say: 'lowest' → ▁low est (es, est, lo, low, ▁low)", () => {
    const seg = subwords(trainSubwords([SENNRICH], { pieces: 20 }));
    expect(seg.segment('lowest')).toEqual(['▁low', 'est']);
    expect(seg.segment('newer lower')).toEqual(['▁', 'n', 'ew', 'e', 'r', '▁low', 'e', 'r']);
  });

  it('joins the best-scored pair first, not the leftmost: ab (−1) vs bc (0) in "abc" → ▁ a bc', () => {
    const seg = subwords({ pieces: ['bc', 'ab', '▁', 'a', 'b', 'c'], scores: [0, -1, -2, -3, -4, -5] });
    expect(seg.segment('abc')).toEqual(['▁', 'a', 'bc']);
    const other = subwords({ pieces: ['ab', 'bc', '▁', 'a', 'b', 'c'], scores: [0, -1, -2, -3, -4, -5] });
    expect(other.segment('abc')).toEqual(['▁', 'ab', 'c']);
  });

  it('keeps a character it has no piece for on its own', () => {
    const seg = subwords(trainSubwords([SENNRICH], { pieces: 20 }));
    expect(seg.segment('lowz')).toEqual(['▁low', 'z']);
  });
});

// Training text and held-out text (sentences not in training, characters unseen in training).
const TRAIN = [
  '고양이가 물을 마셔요.', '저는 학생이에요.', '오늘 날씨가 좋네요.', '고양이는 귀여워요.', '물을 좀 주세요.',
  'The cat drinks water.', 'I am a student.', 'The weather is nice today.', 'Cats are cute.', 'Give me some water, please.',
];
const HELD_OUT = [
  '강아지가 우유를 마셔요!', '내일 날씨는 어때요?', 'Dogs drink milk quickly.', "Isn't the weather lovely?", '12:30에 만나요 😀',
  // conjoining jamo (ᄒ ᅡ ᆫ …) must come back precomposed (NFC)
  '\u1112\u1161\u11AB\u1100\u116E\u11A8\u110B\u1165',
];

describe('reversibility', () => {
  it('decode(segment(x)) = NFC(x) on held-out text, unseen characters included', () => {
    const seg = subwords(trainSubwords(TRAIN, { pieces: 120 }));
    for (const x of HELD_OUT) expect(seg.join(seg.segment(x))).toBe(x.normalize('NFC'));
  });

  it('vocabulary.decode(vocabulary.encode(x)) = NFC(x) for held-out text made of known characters', () => {
    const vocabulary = Vocabulary.build(TRAIN, 'subword', { maxSize: 150 });
    for (const x of ['고양이가 좋네요.', 'The student drinks some water.', '\u1112\u1161\u11A8\u1109\u1162\u11BC']) {
      expect(vocabulary.decode(vocabulary.encode(x))).toBe(x.normalize('NFC'));
    }
  });
});

describe('saving', () => {
  it('a subword vocabulary survives toJSON / fromJSON and segments the same', () => {
    const vocabulary = Vocabulary.build(TRAIN, 'subword', { maxSize: 150 });
    const back = Vocabulary.fromJSON(JSON.parse(JSON.stringify(vocabulary.toJSON())));
    expect(back.level).toBe('subword');
    expect(back.size).toBe(150);
    for (const x of HELD_OUT) expect(back.encode(x)).toEqual(vocabulary.encode(x));
  });

  it("round-trips through SentencePiece's .vocab format (piece<TAB>score), its special lines left out", () => {
    const model = trainSubwords(TRAIN, { pieces: 120 });
    const text = toSentencePieceVocab(model, ['<unk>', '<s>', '</s>']);
    expect(text.split('\n')[0]).toBe('<unk>\t0');
    expect(fromSentencePieceVocab(text)).toEqual(model);
  });

  it('rejects a subword vocabulary without its model', () => {
    expect(() => Vocabulary.fromJSON({ level: 'subword', tokens: ['<pad>', '<sos>', '<eos>', '<unk>', 'a'] })).toThrow(/subword: a BPE model/);
  });
});
