/**
 * Translation model directories on disk (Node only); translator-url.ts fetches the same files
 * (the layout is in translator.ts).
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { saveWeights } from '../io/weights.ts';
import { writeFileAtomic, writeJsonAtomic } from '../io/atomic.ts';
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

function readJson<T>(path: string, dir: string): T {
  if (!existsSync(path)) throw new Error(`model directory '${dir}': no ${path.slice(dir.length + 1)}`);
  return JSON.parse(readFileSync(path, 'utf8')) as T;
}

function readBytes(path: string, dir: string): Uint8Array {
  if (!existsSync(path)) throw new Error(`model directory '${dir}': no ${path.slice(dir.length + 1)}`);
  return readFileSync(path);
}

/** Load the translator stored in `dir` by {@link saveTranslator}. */
export function loadTranslator(dir: string): Translator {
  const weightsPath = join(dir, 'weights.safetensors');
  const card = readJson<TranslatorCard>(join(dir, 'model.json'), dir);
  return translatorFromFiles({
    card,
    source: readJson<VocabularyJSON>(join(dir, 'source-vocabulary.json'), dir),
    target: readJson<VocabularyJSON>(join(dir, 'target-vocabulary.json'), dir),
    weights: readBytes(weightsPath, dir),
    weightsSource: weightsPath,
    memberWeights: (card.members ?? []).map((m) => ({ bytes: readBytes(join(dir, m.weights), dir), source: join(dir, m.weights) })),
  });
}
