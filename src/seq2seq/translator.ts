/**
 * A translator: a Seq2Seq model with its two vocabularies; what `sori translate`, the recipes'
 * decode stages and the browser demo run. Pure: translator-files.ts reads and writes a model
 * directory (Node), translator-url.ts fetches one (browser).
 *
 *   DIR/model.json               { model: Seq2SeqConfig }
 *   DIR/weights.safetensors      the named weights of Seq2Seq
 *   DIR/source-vocabulary.json   { level, tokens }  (tokenises the input text)
 *   DIR/target-vocabulary.json   { level, tokens }  (writes the output text)
 */
import { assignWeightBytes } from '../io/named-weights.ts';
import { Vocabulary, type VocabularyJSON } from '../text/vocabulary.ts';
import { Seq2Seq, type Seq2SeqConfig } from './model.ts';
import { translateTexts, type TranslateOptions, type Translation } from './decode.ts';

/** The Seq2Seq config keys a recipe sets (a plain object type, so that it fits a recipe's Config). */
export type Seq2SeqDefaults = Omit<Seq2SeqConfig, 'attentionSize' | 'seed'> & { seed: number };

/**
 * The model's typed defaults (recipes spread them into their config and set the vocabulary sizes
 * once the vocabularies are built): a bidirectional GRU encoder, H = 64, E = 32, Luong 'general'.
 */
export const seq2seqDefaults: Seq2SeqDefaults = {
  sourceVocabSize: 5,
  targetVocabSize: 5,
  embeddingSize: 32,
  hiddenSize: 64,
  numLayers: 1,
  cell: 'gru',
  bidirectional: true,
  attention: 'luong-general',
  dropout: 0,
  seed: 1,
};

export interface Translator {
  model: Seq2Seq;
  source: Vocabulary;
  target: Vocabulary;
  /** Texts [B] → one translation each (see translateTexts: '' for an empty text). */
  translate(texts: readonly string[], options?: TranslateOptions): Translation[];
  dispose(): void;
}

/** The contents of a model directory's four files (JSON parsed, weights as bytes). */
export interface TranslatorFiles {
  /** model.json */
  card: { model: Seq2SeqConfig };
  /** source-vocabulary.json, target-vocabulary.json */
  source: VocabularyJSON;
  target: VocabularyJSON;
  /** weights.safetensors, named `weightsSource` (its path or URL) in errors. */
  weights: Uint8Array;
  weightsSource: string;
}

/** The translator a model directory's files describe (see TranslatorFiles). */
export function translatorFromFiles(files: TranslatorFiles): Translator {
  const source = Vocabulary.fromJSON(files.source);
  const target = Vocabulary.fromJSON(files.target);
  const model = new Seq2Seq(files.card.model);
  try {
    assignWeightBytes(files.weights, model.namedWeights(), files.weightsSource);
  } catch (err) {
    model.dispose();
    throw err;
  }
  return {
    model,
    source,
    target,
    translate: (texts, options = {}) => translateTexts(model, { source, target }, texts, options),
    dispose: () => model.dispose(),
  };
}
