/** Model directories: ensembles and decoding settings saved with the model and used by default. */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Seq2Seq, Vocabulary, loadTranslator, readSentencePieceModel, saveTranslator, seq2seqDefaults, translateTexts } from '../../src/index.ts';
import { translateLines } from '../../src/cli/translate.ts';

const root = mkdtempSync(join(tmpdir(), 'sori-translator-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const source = Vocabulary.build(['the cat eats the apple', 'a dog'], 'subword', { maxSize: 30 });
const target = Vocabulary.build(['고양이가 사과를 먹는다', '개'], 'character');
const config = { ...seq2seqDefaults, embeddingSize: 4, hiddenSize: 4, sourceVocabSize: source.size, targetVocabSize: target.size };
const texts = ['the cat', 'a dog eats', 'apple'];

describe('a saved ensemble', () => {
  it('loads all its members and the decoding it was saved with, and translates as the ensemble did', () => {
    const dir = join(root, 'ensemble');
    const members = [new Seq2Seq({ ...config, seed: 1 }), new Seq2Seq({ ...config, seed: 2, hiddenSize: 5, tiedEmbeddings: true })];
    const decode = { beamWidth: 3, lengthPenalty: 0.5 };
    saveTranslator(dir, members, { source, target }, { decode });
    const expected = translateTexts(members, { source, target }, texts, decode).map((t) => t.text);
    const translator = loadTranslator(dir);
    expect(translator.models).toHaveLength(2);
    expect(translator.decode).toEqual(decode);
    expect(translator.source.level).toBe('subword');
    expect(readSentencePieceModel(readFileSync(join(dir, 'source-subwords.model')))).toEqual(source.subwords!.model);
    expect(existsSync(join(dir, 'target-subwords.model'))).toBe(false); // a character side has none
    expect(translator.translate(texts).map((t) => t.text)).toEqual(expected);
    translator.dispose();
    expect(translateLines(texts, { model: dir })).toEqual(expected);
    members.forEach((m) => m.dispose());
  });

  it('lets --beam 1 override the saved beam search (its length penalty dropped)', () => {
    const dir = join(root, 'ensemble');
    const translator = loadTranslator(dir);
    const greedy = translateTexts(translator.models, { source, target }, texts, { beamWidth: 1 }).map((t) => t.text);
    translator.dispose();
    expect(translateLines(texts, { model: dir, beam: 1 })).toEqual(greedy);
  });

  it('refuses members with other vocabulary sizes, naming the member', () => {
    const a = new Seq2Seq(config);
    const b = new Seq2Seq({ ...config, targetVocabSize: config.targetVocabSize + 1 });
    expect(() => saveTranslator(join(root, 'bad'), [a, b], { source, target })).toThrow(/model\[1\]: vocabulary sizes/);
    a.dispose();
    b.dispose();
  });
});
