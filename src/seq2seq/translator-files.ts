/**
 * Translation model directories on disk (Node only); translator-url.ts fetches the same files
 * (the layout is in translator.ts).
 */
import { join } from 'node:path';
import { saveWeights } from '../io/weights.ts';
import { removeStaleTemporaries, writeFileAtomic, writeJsonAtomic } from '../io/atomic.ts';
import { readModelBytes, readModelJson } from '../io/model-dir.ts';
import { writeSentencePieceModel } from '../text/sentencepiece-model.ts';
import type { Vocabulary, VocabularyJSON } from '../text/vocabulary.ts';
import type { Seq2Seq } from './model.ts';
import type { TranslateOptions } from './decode.ts';
import { translatorFromFiles, type Translator, type TranslatorCard } from './translator.ts';

/**
 * Write everything inference needs to `dir` (each file atomically): one model, or the members of
 * an ensemble (same vocabularies; sizes and seeds may differ), and the decoding to use by default.
 */
export function saveTranslator(
  dir: string,
  model: Seq2Seq | readonly Seq2Seq[],
  vocabularies: { source: Vocabulary; target: Vocabulary },
  { decode }: { decode?: TranslateOptions } = {},
): void {
  const { source, target } = vocabularies;
  const models = Array.isArray(model) ? (model as readonly Seq2Seq[]) : [model as Seq2Seq];
  if (models.length === 0) throw new Error('model: no model to save (an empty ensemble)');
  const first = models[0];
  if (source.size !== first.config.sourceVocabSize || target.size !== first.config.targetVocabSize) {
    throw new Error(
      `vocabularies: sizes ${source.size} / ${target.size} do not match the model's ` +
        `${first.config.sourceVocabSize} / ${first.config.targetVocabSize} (source / target)`,
    );
  }
  models.forEach((m, i) => {
    if (m.config.sourceVocabSize !== first.config.sourceVocabSize || m.config.targetVocabSize !== first.config.targetVocabSize) {
      throw new Error(`model[${i}]: vocabulary sizes ${m.config.sourceVocabSize} / ${m.config.targetVocabSize}, member 0 has ${first.config.sourceVocabSize} / ${first.config.targetVocabSize}`);
    }
  });
  removeStaleTemporaries(dir); // what a save killed mid-write left
  const members = models.slice(1).map((m, i) => ({ weights: `member-${i + 2}.safetensors`, model: m.config }));
  saveWeights(join(dir, 'weights.safetensors'), first.namedWeights());
  models.slice(1).forEach((m, i) => saveWeights(join(dir, members[i].weights), m.namedWeights()));
  writeJsonAtomic(join(dir, 'source-vocabulary.json'), source.toJSON());
  writeJsonAtomic(join(dir, 'target-vocabulary.json'), target.toJSON());
  for (const [side, v] of [['source', source], ['target', target]] as const) {
    if (v.subwords) writeFileAtomic(join(dir, `${side}-subwords.model`), writeSentencePieceModel(v.subwords.model));
  }
  const card: TranslatorCard = { model: first.config, ...(members.length ? { members } : {}), ...(decode ? { decode } : {}) };
  writeJsonAtomic(join(dir, 'model.json'), card);
}

/**
 * Load the translator stored in `dir` by {@link saveTranslator}: every file must be a regular file
 * (no symbolic links, FIFOs or devices); translatorFromFiles checks their contents before
 * building the model.
 */
export function loadTranslator(dir: string): Translator {
  const card = readModelJson(dir, 'model.json') as TranslatorCard;
  return translatorFromFiles({
    card,
    source: readModelJson(dir, 'source-vocabulary.json') as VocabularyJSON,
    target: readModelJson(dir, 'target-vocabulary.json') as VocabularyJSON,
    weights: readModelBytes(dir, 'weights.safetensors'),
    weightsSource: join(dir, 'weights.safetensors'),
    memberWeights: (Array.isArray(card?.members) ? card.members : []).map((m) => ({ bytes: readModelBytes(dir, m.weights), source: join(dir, m.weights) })),
  });
}
