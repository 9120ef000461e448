/**
 * A translator from a model directory: what `sori translate` and the recipes' decode stages run.
 *
 *   DIR/model.json               { model: Seq2SeqConfig, members?: { weights, model }[], decode?: TranslateOptions }
 *   DIR/weights.safetensors      the named weights of Seq2Seq
 *   DIR/member-M.safetensors     further members of an ensemble (each with its own config), listed in `members`
 *   DIR/source-vocabulary.json   { level, tokens }  (tokenises the input text)
 *   DIR/target-vocabulary.json   { level, tokens }  (writes the output text)
 *   DIR/SIDE-subwords.model      a subword side's BPE model as a SentencePiece .model file (for
 *                                other tools; the vocabulary JSON is what sori reads)
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadWeights, saveWeights } from '../io/weights.ts';
import { writeFileAtomic, writeJsonAtomic } from '../io/atomic.ts';
import { writeSentencePieceModel } from '../text/sentencepiece-model.ts';
import { Vocabulary, type VocabularyJSON } from '../text/vocabulary.ts';
import { Seq2Seq, type Seq2SeqConfig } from './model.ts';
import { translateTexts, type TranslateOptions, type Translation } from './decode.ts';

/** The Seq2Seq config keys a recipe sets (a plain object type, so that it fits a recipe's Config). */
export type Seq2SeqDefaults = Omit<Seq2SeqConfig, 'attentionSize' | 'seed' | 'tiedEmbeddings'> & { seed: number; tiedEmbeddings: boolean };

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
  tiedEmbeddings: false,
  seed: 1,
};

export interface Translator {
  /** The first (or only) model. */
  model: Seq2Seq;
  /** Every member of the ensemble (just `model` for a single model). */
  models: Seq2Seq[];
  source: Vocabulary;
  target: Vocabulary;
  /** The decoding the directory was saved with (beam width, length penalty); options override it. */
  decode: TranslateOptions;
  /** Texts [B] → one translation each (see translateTexts: '' for an empty text). */
  translate(texts: readonly string[], options?: TranslateOptions): Translation[];
  dispose(): void;
}

/** The saved form of model.json. */
interface ModelJson {
  model: Seq2SeqConfig;
  /** The ensemble's members after the first (weights.safetensors, `model`): weight file and config. */
  members?: { weights: string; model: Seq2SeqConfig }[];
  /** Default decoding options of `sori translate` and the recipes. */
  decode?: TranslateOptions;
}

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
  const json: ModelJson = { model: first.config, ...(members.length ? { members } : {}), ...(decode ? { decode } : {}) };
  writeJsonAtomic(join(dir, 'model.json'), json);
}

function readJson<T>(path: string, dir: string): T {
  if (!existsSync(path)) throw new Error(`model directory '${dir}': no ${path.slice(dir.length + 1)}`);
  return JSON.parse(readFileSync(path, 'utf8')) as T;
}

/** Load the translator stored in `dir` by {@link saveTranslator}. */
export function loadTranslator(dir: string): Translator {
  const { model: config, members = [], decode = {} } = readJson<ModelJson>(join(dir, 'model.json'), dir);
  const source = Vocabulary.fromJSON(readJson<VocabularyJSON>(join(dir, 'source-vocabulary.json'), dir));
  const target = Vocabulary.fromJSON(readJson<VocabularyJSON>(join(dir, 'target-vocabulary.json'), dir));
  const models: Seq2Seq[] = [];
  try {
    for (const { weights, model: c } of [{ weights: 'weights.safetensors', model: config }, ...members]) {
      const model = new Seq2Seq(c);
      models.push(model);
      loadWeights(join(dir, weights), model.namedWeights());
    }
  } catch (err) {
    models.forEach((m) => m.dispose());
    throw err;
  }
  const ensemble = models.length === 1 ? models[0] : models;
  return {
    model: models[0],
    models,
    source,
    target,
    decode,
    translate: (texts, options = {}) => {
      const merged: TranslateOptions = { ...decode, ...options };
      // A saved length penalty belongs to beam search: greedy decoding (beamWidth 1) drops it.
      if ((merged.beamWidth ?? 1) === 1 && options.lengthPenalty === undefined) delete merged.lengthPenalty;
      return translateTexts(ensemble, { source, target }, texts, merged);
    },
    dispose: () => models.forEach((m) => m.dispose()),
  };
}
