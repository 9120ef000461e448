/**
 * Translation model directories on disk (Node only); translator-url.ts fetches the same files:
 *
 *   DIR/model.json               { model: Seq2SeqConfig }
 *   DIR/weights.safetensors      the named weights of Seq2Seq
 *   DIR/source-vocabulary.json   { level, tokens }  (tokenises the input text)
 *   DIR/target-vocabulary.json   { level, tokens }  (writes the output text)
 */
import { join } from 'node:path';
import { saveWeights } from '../io/weights.ts';
import { removeStaleTemporaries, writeJsonAtomic } from '../io/atomic.ts';
import { readModelBytes, readModelJson } from '../io/model-dir.ts';
import type { Vocabulary, VocabularyJSON } from '../text/vocabulary.ts';
import type { Seq2Seq, Seq2SeqConfig } from './model.ts';
import { translatorFromFiles, type Translator } from './translator.ts';

/** Write everything inference needs to `dir` (each file atomically). */
export function saveTranslator(dir: string, model: Seq2Seq, vocabularies: { source: Vocabulary; target: Vocabulary }): void {
  const { source, target } = vocabularies;
  if (source.size !== model.config.sourceVocabSize || target.size !== model.config.targetVocabSize) {
    throw new Error(
      `vocabularies: sizes ${source.size} / ${target.size} do not match the model's ` +
        `${model.config.sourceVocabSize} / ${model.config.targetVocabSize} (source / target)`,
    );
  }
  removeStaleTemporaries(dir); // what a save killed mid-write left
  saveWeights(join(dir, 'weights.safetensors'), model.namedWeights());
  writeJsonAtomic(join(dir, 'source-vocabulary.json'), source.toJSON());
  writeJsonAtomic(join(dir, 'target-vocabulary.json'), target.toJSON());
  writeJsonAtomic(join(dir, 'model.json'), { model: model.config });
}

/**
 * Load the translator stored in `dir` by {@link saveTranslator}: every file must be a regular file
 * (no symbolic links, FIFOs or devices); translatorFromFiles checks their contents before
 * building the model.
 */
export function loadTranslator(dir: string): Translator {
  return translatorFromFiles({
    card: readModelJson(dir, 'model.json') as { model: Seq2SeqConfig },
    source: readModelJson(dir, 'source-vocabulary.json') as VocabularyJSON,
    target: readModelJson(dir, 'target-vocabulary.json') as VocabularyJSON,
    weights: readModelBytes(dir, 'weights.safetensors'),
    weightsSource: join(dir, 'weights.safetensors'),
  });
}
