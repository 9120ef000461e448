/**
 * Translation model directories on disk (Node only); translator-url.ts fetches the same files:
 *
 *   DIR/model.json               { model: Seq2SeqConfig }
 *   DIR/weights.safetensors      the named weights of Seq2Seq
 *   DIR/source-vocabulary.json   { level, tokens }  (tokenises the input text)
 *   DIR/target-vocabulary.json   { level, tokens }  (writes the output text)
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { saveWeights } from '../io/weights.ts';
import { writeJsonAtomic } from '../io/atomic.ts';
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
  saveWeights(join(dir, 'weights.safetensors'), model.namedWeights());
  writeJsonAtomic(join(dir, 'source-vocabulary.json'), source.toJSON());
  writeJsonAtomic(join(dir, 'target-vocabulary.json'), target.toJSON());
  writeJsonAtomic(join(dir, 'model.json'), { model: model.config });
}

function readJson<T>(path: string, dir: string): T {
  if (!existsSync(path)) throw new Error(`model directory '${dir}': no ${path.slice(dir.length + 1)}`);
  return JSON.parse(readFileSync(path, 'utf8')) as T;
}

function fail(message: string): never {
  throw new Error(message);
}

/** Load the translator stored in `dir` by {@link saveTranslator}. */
export function loadTranslator(dir: string): Translator {
  const weightsPath = join(dir, 'weights.safetensors');
  return translatorFromFiles({
    card: readJson<{ model: Seq2SeqConfig }>(join(dir, 'model.json'), dir),
    source: readJson<VocabularyJSON>(join(dir, 'source-vocabulary.json'), dir),
    target: readJson<VocabularyJSON>(join(dir, 'target-vocabulary.json'), dir),
    weights: existsSync(weightsPath) ? readFileSync(weightsPath) : fail(`model directory '${dir}': no weights.safetensors`),
    weightsSource: weightsPath,
  });
}
