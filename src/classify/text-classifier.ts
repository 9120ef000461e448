/**
 * A text classifier from a model directory: what `sori classify` and the recipes' evaluate and
 * demo stages run.
 *
 *   DIR/model.json            { model: ClassifierConfig, text: { unit, keep }, labels: string[] }
 *   DIR/weights.safetensors   the named weights (classifierWeights)
 *   DIR/vocabulary.json       { level, tokens }
 *
 * labels[k] is class k as written in the training file's label column.
 */
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { loadWeights, saveWeights } from '../io/weights.ts';
import { writeJsonAtomic } from '../io/atomic.ts';
import { Vocabulary, type VocabularyJSON } from '../text/vocabulary.ts';
import { textUnits, type TextUnit } from '../text/word-tokenizer.ts';
import { encodeUnits, fitLength, type KeepMode } from '../text/top-vocabulary.ts';
import { classifierLogits, classifierWeights, classProbabilities, createClassifier, disposeClassifier, type Classifier, type ClassifierConfig } from './classifier.ts';
import { padRows, sortedBatches } from './batches.ts';
import { readModelJson } from '../io/model-dir.ts';
import { checkInt } from '../check.ts';

/** How raw text becomes ids: units, then at most maxLength of them (keep: which end). */
export interface TextSettings {
  unit: TextUnit;
  keep: KeepMode;
  /**
   * T_read: units read per text at inference; default the model's maxLength (the training cut).
   * Mean and max pooling read a longer text as well as a cut one, so a model trained on ≤ T_max
   * units may read whole reviews; 'flatten' needs exactly T_max.
   */
  maxLength?: number;
}

export interface TextClassifier {
  model: Classifier;
  vocabulary: Vocabulary;
  text: TextSettings;
  /** labels[k]: the name of class k. */
  labels: string[];
  /** Text → ids as the model reads them (at most text.maxLength, default the model's maxLength). */
  encode(text: string): number[];
  /** Texts [N] → class probabilities, N × [K] (each row sums to 1). */
  probabilities(texts: readonly string[], options?: { batchSize?: number }): number[][];
  dispose(): void;
}

/** Ids → probabilities [N][K] in input order, batched by length (batchSize default 64). */
export function classifyIds(model: Classifier, rows: readonly (readonly number[])[], batchSize = 64): number[][] {
  const out: number[][] = new Array(rows.length);
  const padTo = model.config.pooling === 'flatten' ? model.config.maxLength : undefined;
  for (const batch of sortedBatches(
    rows.map((r) => r.length),
    batchSize,
  )) {
    const { ids, lengths } = padRows(
      batch.map((i) => rows[i]),
      padTo,
    );
    const p = tf.tidy(() => classProbabilities(model.config, classifierLogits(model, ids, lengths)));
    const values = p.arraySync();
    tf.dispose([ids, p]);
    batch.forEach((i, j) => (out[i] = values[j]));
  }
  return out;
}

/** Wrap a model, its vocabulary and text settings as a TextClassifier. */
export function textClassifier(model: Classifier, vocabulary: Vocabulary, text: TextSettings, labels: string[]): TextClassifier {
  if (labels.length !== model.config.numClasses) {
    throw new Error(`labels: expected ${model.config.numClasses} (numClasses), got ${labels.length}: ${labels.join(', ')}`);
  }
  const cut = text.maxLength ?? model.config.maxLength;
  checkInt(cut, 1, Number.MAX_SAFE_INTEGER, 'text.maxLength');
  if (model.config.pooling === 'flatten' && cut !== model.config.maxLength) {
    throw new Error(`text.maxLength: pooling 'flatten' reads exactly the model's maxLength ${model.config.maxLength}, got ${cut}`);
  }
  const encode = (s: string) => fitLength(encodeUnits(vocabulary, textUnits(s, text.unit)), cut, text.keep);
  return {
    model,
    vocabulary,
    text,
    labels,
    encode,
    probabilities: (texts, { batchSize = 64 } = {}) => classifyIds(model, texts.map(encode), batchSize),
    dispose: () => disposeClassifier(model),
  };
}

/** Write everything inference needs to `dir` (each file atomically). */
export function saveTextClassifier(dir: string, classifier: TextClassifier): void {
  const { model, vocabulary, text, labels } = classifier;
  if (vocabulary.size !== model.config.vocabSize) {
    throw new Error(`vocabulary: ${vocabulary.size} symbols, the model expects vocabSize ${model.config.vocabSize}`);
  }
  saveWeights(join(dir, 'weights.safetensors'), classifierWeights(model));
  writeJsonAtomic(join(dir, 'vocabulary.json'), vocabulary.toJSON());
  writeJsonAtomic(join(dir, 'model.json'), { model: model.config, text, labels });
}

/** A JSON file of model directory `dir` (a regular file, no symbolic link; errors name the file, never quote it). */
function readJson<T>(path: string, dir: string): T {
  return readModelJson(dir, path.slice(dir.length + 1)) as T;
}

/** Load the classifier stored in `dir` by {@link saveTextClassifier}. */
export function loadTextClassifier(dir: string): TextClassifier {
  const { model: config, text, labels } = readJson<{ model: ClassifierConfig; text: TextSettings; labels: string[] }>(join(dir, 'model.json'), dir);
  const vocabulary = Vocabulary.fromJSON(readJson<VocabularyJSON>(join(dir, 'vocabulary.json'), dir));
  const model = createClassifier(config);
  try {
    loadWeights(join(dir, 'weights.safetensors'), classifierWeights(model));
    return textClassifier(model, vocabulary, text, labels);
  } catch (err) {
    disposeClassifier(model);
    throw err;
  }
}
