/**
 * A translator from a model directory: what `sori translate` and the recipes' decode stages run.
 *
 *   DIR/model.json               { model: Seq2SeqConfig }
 *   DIR/weights.safetensors      the named weights of Seq2Seq
 *   DIR/source-vocabulary.json   { level, tokens }  (tokenises the input text)
 *   DIR/target-vocabulary.json   { level, tokens }  (writes the output text)
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadWeights, saveWeights } from '../io/weights.ts';
import { writeJsonAtomic } from '../io/atomic.ts';
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

/** Write everything inference needs to `dir` (each file atomically). */
export function saveTranslator(dir: string, model: Seq2Seq, vocabularies: { source: Vocabulary; target: Vocabulary }): void {
  const { source, target } = vocabularies;
  if (source.size !== model.config.sourceVocabSize || target.size !== model.config.targetVocabSize) {
    throw new Error(
      `vocabularies: sizes ${source.size} / ${target.size} do not match the model's ` +
        `${model.config.sourceVocabSize} / ${model.config.targetVocabSize} (source / target)`,
    );
  }
  saveWeights(join(dir, 'weights.safetensors'), model.namedWeights());
  writeJsonAtomic(join(dir, 'source-vocabulary.json'), source.toJSON());
  writeJsonAtomic(join(dir, 'target-vocabulary.json'), target.toJSON());
  writeJsonAtomic(join(dir, 'model.json'), { model: model.config });
}

function readJson<T>(path: string, dir: string): T {
  if (!existsSync(path)) throw new Error(`model directory '${dir}': no ${path.slice(dir.length + 1)}`);
  return JSON.parse(readFileSync(path, 'utf8')) as T;
}

/** Load the translator stored in `dir` by {@link saveTranslator}. */
export function loadTranslator(dir: string): Translator {
  const { model: config } = readJson<{ model: Seq2SeqConfig }>(join(dir, 'model.json'), dir);
  const source = Vocabulary.fromJSON(readJson<VocabularyJSON>(join(dir, 'source-vocabulary.json'), dir));
  const target = Vocabulary.fromJSON(readJson<VocabularyJSON>(join(dir, 'target-vocabulary.json'), dir));
  const model = new Seq2Seq(config);
  try {
    loadWeights(join(dir, 'weights.safetensors'), model.namedWeights());
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
