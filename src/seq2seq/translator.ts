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
import { validateConfig } from '../io/config-ranges.ts';
import { cardSourceOf, checkWeightBytes, fieldTypesOf, requireFields, rnnStackWeightCount } from '../io/model-checks.ts';
import { Vocabulary, type VocabularyJSON } from '../text/vocabulary.ts';
import { Seq2Seq, type Seq2SeqConfig } from './model.ts';
import { DECODE_BATCH, translateTexts, type TranslateOptions, type Translation } from './decode.ts';

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

/** A vocabulary file's contents, checked: `{ level, tokens: string[] }` of `size` tokens; `path` names it. */
function checkedVocabulary(json: VocabularyJSON, size: number, path: string): Vocabulary {
  requireFields(json, { level: 'string', tokens: 'array' }, path);
  if (!json.tokens.every((t) => typeof t === 'string')) throw new Error(`${path}: tokens must be strings`);
  if (json.tokens.length !== size) throw new Error(`${path}: holds ${json.tokens.length} tokens, model.json says ${size}`);
  try {
    return Vocabulary.fromJSON(json);
  } catch (err) {
    throw new Error(`${path}: ${(err as Error).message}`);
  }
}

/** A lower bound on the weights of a Seq2Seq: embeddings, the decoder's recurrent weights and the output layer. */
function seq2seqWeightLowerBound(c: Seq2SeqConfig): number {
  const Hd = c.hiddenSize * (c.bidirectional ? 2 : 1);
  const decoder = rnnStackWeightCount({ cell: c.cell, inputSize: c.embeddingSize, hiddenSize: Hd, numLayers: c.numLayers, bidirectional: false });
  const output = c.tiedEmbeddings ? c.targetVocabSize + c.embeddingSize * Hd : c.targetVocabSize * (Hd + 1); // tied: b_o and W_p
  return (c.sourceVocabSize + c.targetVocabSize) * c.embeddingSize + decoder + output;
}

/**
 * The translator a model directory's files describe (see TranslatorFiles). Everything is checked
 * before the model is built: model.json's required fields, types and ranges, the vocabularies
 * against the sizes it states, and the weights' size against the model's; a failure frees
 * whatever was allocated.
 */
export function translatorFromFiles(files: TranslatorFiles): Translator {
  const cardSource = cardSourceOf(files.weightsSource);
  const dirOf = (name: string) => cardSource.replace(/model\.json$/, name);
  requireFields(files.card, { model: 'object' }, cardSource);
  const { attentionSize: _optional, tiedEmbeddings: _absentBefore, ...required } = fieldTypesOf({ ...seq2seqDefaults, attentionSize: 0 });
  const checkConfig = (config: Seq2SeqConfig, where: string) => {
    requireFields(config, required, `${cardSource}: ${where}`);
    validateConfig(config, cardSource, `${where}.`);
  };
  checkConfig(files.card.model, 'model');
  const config = files.card.model;
  const members = files.card.members ?? [];
  if (!Array.isArray(members)) throw new Error(`${cardSource}: members must be a list of { weights, model }`);
  members.forEach((m, i) => {
    requireFields(m, { weights: 'string', model: 'object' }, `${cardSource}: members[${i}]`);
    checkConfig(m.model, `members[${i}].model`);
    if (m.model.sourceVocabSize !== config.sourceVocabSize || m.model.targetVocabSize !== config.targetVocabSize) {
      throw new Error(`${cardSource}: members[${i}] has vocabulary sizes ${m.model.sourceVocabSize} / ${m.model.targetVocabSize}, model has ${config.sourceVocabSize} / ${config.targetVocabSize}`);
    }
  });
  const memberWeights = files.memberWeights ?? [];
  if (memberWeights.length !== members.length) {
    throw new Error(`${cardSource} lists ${members.length} further ensemble member(s), ${memberWeights.length} weights file(s) given`);
  }
  const source = checkedVocabulary(files.source, config.sourceVocabSize, dirOf('source-vocabulary.json'));
  const target = checkedVocabulary(files.target, config.targetVocabSize, dirOf('target-vocabulary.json'));
  const parts = [
    { config, bytes: files.weights, from: files.weightsSource },
    ...members.map((m, i) => ({ config: m.model, bytes: memberWeights[i].bytes, from: memberWeights[i].source })),
  ];
  for (const { config: c, bytes, from } of parts) checkWeightBytes(seq2seqWeightLowerBound(c), bytes.length, from, cardSource);
  const models: Seq2Seq[] = [];
  try {
    for (const { config: c, bytes, from } of parts) {
      const model = new Seq2Seq(c);
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

/**
 * Translate `lines` as they arrive, `batchSize` at a time, yielding each line with its translation
 * (in input order) as soon as its batch is done: memory holds one batch, and a reader sees the
 * first answers before the input ends. The default batch is translateTexts' own (DECODE_BATCH),
 * so the answers are those of `translate(all lines)`; batchSize 1 answers each line at once
 * (interactive use) with the same answers, since each source's output limit is its own
 * (2 · T_b + 10). `sori translate` runs this on standard input.
 */
export async function* translateStream(
  translator: Pick<Translator, 'translate'>,
  lines: AsyncIterable<string> | Iterable<string>,
  { batchSize = DECODE_BATCH, ...options }: TranslateOptions & { batchSize?: number } = {},
): AsyncGenerator<{ source: string; translation: Translation }> {
  if (!(Number.isInteger(batchSize) && batchSize >= 1)) throw new Error(`batchSize: expected an integer ≥ 1, got ${batchSize}`);
  let batch: string[] = [];
  const answer = function* (texts: string[]) {
    const out = translator.translate(texts, options);
    for (let i = 0; i < texts.length; i++) yield { source: texts[i], translation: out[i] };
  };
  for await (const line of lines) {
    batch.push(line);
    if (batch.length === batchSize) {
      yield* answer(batch);
      batch = [];
    }
  }
  if (batch.length) yield* answer(batch);
}
