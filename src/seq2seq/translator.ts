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
import { validateConfig } from '../io/config-ranges.ts';
import { cardSourceOf, checkWeightBytes, fieldTypesOf, requireFields, rnnStackWeightCount } from '../io/model-checks.ts';
import { Vocabulary, type VocabularyJSON } from '../text/vocabulary.ts';
import { Seq2Seq, type Seq2SeqConfig } from './model.ts';
import { DECODE_BATCH, translateTexts, type TranslateOptions, type Translation } from './decode.ts';

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
  return (c.sourceVocabSize + c.targetVocabSize) * c.embeddingSize + decoder + c.targetVocabSize * (Hd + 1);
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
  const config = files.card.model;
  const { attentionSize: _optional, ...required } = fieldTypesOf({ ...seq2seqDefaults, attentionSize: 0 });
  requireFields(config, required, `${cardSource}: model`);
  validateConfig(config, cardSource, 'model.');
  const source = checkedVocabulary(files.source, config.sourceVocabSize, dirOf('source-vocabulary.json'));
  const target = checkedVocabulary(files.target, config.targetVocabSize, dirOf('target-vocabulary.json'));
  checkWeightBytes(seq2seqWeightLowerBound(config), files.weights.length, files.weightsSource, cardSource);
  const model = new Seq2Seq(config);
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

/**
 * Translate `lines` as they arrive, `batchSize` at a time, yielding each line with its translation
 * (in input order) as soon as its batch is done: memory holds one batch, and a reader sees the
 * first answers before the input ends. The default batch is translateTexts' own (DECODE_BATCH),
 * so the answers are those of `translate(all lines)`; batchSize 1 answers each line at once
 * (interactive use), though an answer cut at the default maxLength (2 · longest source of the
 * batch + 10) can then differ. `sori translate` runs this on standard input.
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
