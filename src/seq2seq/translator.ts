/**
 * A translator: a Seq2Seq model (or an ensemble of them) with its two vocabularies and its default
 * decoding; what `sori translate`, the recipes' decode stages and the browser demo run. Pure:
 * translator-files.ts reads and writes a model directory (Node), translator-url.ts fetches one
 * (browser).
 *
 *   DIR/model.json               { model: Seq2SeqConfig, members?: { weights, model }[], decode?: TranslateOptions }
 *   DIR/weights.safetensors      the named weights of Seq2Seq
 *   DIR/member-M.safetensors     further members of an ensemble (each with its own config), listed in `members`
 *   DIR/source-vocabulary.json   { level, tokens[, subword] }  (segments the input text)
 *   DIR/target-vocabulary.json   { level, tokens[, subword] }  (writes the output text)
 *   DIR/SIDE-subwords.model      a subword side's BPE model as a SentencePiece .model file (for
 *                                other tools; the vocabulary JSON is what sori reads)
 */
import { assignWeightBytes } from '../io/named-weights.ts';
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

/** model.json: the first model's config, the further ensemble members, the default decoding. */
export interface TranslatorCard {
  model: Seq2SeqConfig;
  /** The ensemble's members after the first (weights.safetensors, `model`): weight file and config. */
  members?: { weights: string; model: Seq2SeqConfig }[];
  /** Default decoding options of `sori translate` and the recipes. */
  decode?: TranslateOptions;
}

/** The contents of a model directory's files (JSON parsed, weights as bytes). */
export interface TranslatorFiles {
  /** model.json */
  card: TranslatorCard;
  /** source-vocabulary.json, target-vocabulary.json */
  source: VocabularyJSON;
  target: VocabularyJSON;
  /** weights.safetensors, named `weightsSource` (its path or URL) in errors. */
  weights: Uint8Array;
  weightsSource: string;
  /** The weights of card.members, in order, each with its path or URL. */
  memberWeights?: { bytes: Uint8Array; source: string }[];
}

/** The translator a model directory's files describe (see TranslatorFiles). */
export function translatorFromFiles(files: TranslatorFiles): Translator {
  const source = Vocabulary.fromJSON(files.source);
  const target = Vocabulary.fromJSON(files.target);
  const members = files.card.members ?? [];
  const memberWeights = files.memberWeights ?? [];
  if (memberWeights.length !== members.length) {
    throw new Error(`model.json lists ${members.length} further ensemble member(s), ${memberWeights.length} weights file(s) given`);
  }
  const parts = [
    { config: files.card.model, bytes: files.weights, from: files.weightsSource },
    ...members.map((m, i) => ({ config: m.model, bytes: memberWeights[i].bytes, from: memberWeights[i].source })),
  ];
  const models: Seq2Seq[] = [];
  try {
    for (const { config, bytes, from } of parts) {
      const model = new Seq2Seq(config);
      models.push(model);
      assignWeightBytes(bytes, model.namedWeights(), from);
    }
  } catch (err) {
    models.forEach((m) => m.dispose());
    throw err;
  }
  const decode = files.card.decode ?? {};
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
