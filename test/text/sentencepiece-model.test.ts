/**
 * SentencePiece model files: a BPE model written here is loaded by SentencePiece itself (its
 * WebAssembly build, @sctg/sentencepiece-js, a dev dependency) and segments text exactly as
 * subword.ts does; reading the file back gives the model again.
 */
import { SentencePieceProcessor } from '@sctg/sentencepiece-js';
import { describe, expect, it } from 'vitest';
import { readSentencePieceModel, writeSentencePieceModel } from '../../src/text/sentencepiece-model.ts';
import { subwords, trainSubwords } from '../../src/text/subword.ts';

const TRAIN = [
  '고양이가 물을 마셔요.', '저는 학생이에요.', '오늘 날씨가 좋네요.', '고양이는 귀여워요.', '물을 좀 주세요.',
  'The cat drinks water.', 'I am a student.', 'The weather is nice today.', 'Cats are cute.', 'Give me some water, please.',
];
// Held out: new sentences of known characters (SentencePiece maps unknown ones to <unk>).
const HELD_OUT = ['고양이가 학생이에요.', '날씨는 좋아요?', 'The student drinks some water today.', 'Give the cats  water!', 'a cute cat'];

describe('SentencePiece .model files', () => {
  const model = trainSubwords(TRAIN, { pieces: 120 });
  const bytes = writeSentencePieceModel(model);

  it('read back give the model written', () => {
    expect(readSentencePieceModel(bytes)).toEqual(model);
  });

  it('segment held-out text in SentencePiece itself exactly as subwords(model).segment does', async () => {
    const spm = new SentencePieceProcessor();
    await spm.loadFromB64StringModel(Buffer.from(bytes).toString('base64'));
    const ours = subwords(model);
    for (const text of HELD_OUT) expect(spm.encodePieces(text)).toEqual(ours.segment(text));
  });

  it('that are not BPE are refused, naming the model type', () => {
    // ModelProto { trainer_spec { model_type: 1 (UNIGRAM) } }: field 2, 2 bytes: field 3 varint 1
    expect(() => readSentencePieceModel(Uint8Array.from([0x12, 0x02, 0x18, 0x01]))).toThrow(/model_type 1/);
  });
});
