// Small model directories for the package and browser tests: made in seconds, no training. The
// recogniser's blank is pushed down (bias −100) so that its greedy output is a string of symbols
// rather than nothing, which makes "the same transcription in both places" a real comparison.
import * as tf from '@tensorflow/tfjs';
import {
  createCtcModel,
  ctcModelDefaults,
  disposeCtcModel,
  saveCtcModel,
  saveTranslator,
  Seq2Seq,
  seq2seqDefaults,
  speechFeatureDefaults,
  Vocabulary,
} from '../../src/index.ts';

export const ANNYEONG_WAV = 'corpora/annyeong/wav/test/test-0003.wav';
export const SYMBOLS = ['<space>', '안', '녕', '하', '세', '요', '<blank>'];

/** A 1-layer bidirectional LSTM recogniser (seed 3) in `dir`. */
export function writeTinyRecognizer(dir: string): void {
  const model = createCtcModel({ ...ctcModelDefaults, cell: 'lstm', hiddenSize: 16, numLayers: 1, dropout: 0, seed: 3 });
  const bias = model.output.bias!;
  bias.assign(tf.add(bias, tf.oneHot([6], 7).reshape([7]).mul(-100)) as tf.Tensor1D); // [V]
  saveCtcModel(dir, model, { symbols: SYMBOLS, blank: 6, features: { ...speechFeatureDefaults } });
  disposeCtcModel(model);
}

export const SENTENCES = ['the cat eats fish', 'a dog sees the cat'];

/** A GRU encoder-decoder with Luong attention (seed 5) over the words of SENTENCES, in `dir`. */
export function writeTinyTranslator(dir: string): void {
  const source = Vocabulary.build(SENTENCES, 'word');
  const target = Vocabulary.build(['고양이 가 생선 을 먹는다', '개 가 고양이 를 본다'], 'word');
  const model = new Seq2Seq({
    ...seq2seqDefaults,
    sourceVocabSize: source.size,
    targetVocabSize: target.size,
    embeddingSize: 8,
    hiddenSize: 8,
    seed: 5,
  });
  saveTranslator(dir, model, { source, target });
  model.dispose();
}
