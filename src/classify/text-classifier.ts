/**
 * A text classifier from a model directory: what `sori classify` and the recipes' evaluate and
 * demo stages run. It is one model, or an ensemble of M models (members) over the same vocabulary
 * and labels, whose class probabilities are averaged:
 *
 *   p(k | x) = (1/M) Σ_m p_m(k | x)                                 [N, K]
 *
 *   DIR/model.json              { model: ClassifierConfig, members?: [{ weights, model }],
 *                                 text: { unit, keep, maxLength? }, labels: string[] }
 *   DIR/weights.safetensors     the first model's named weights (classifierWeights)
 *   DIR/member-M.safetensors    member M's (M = 2, 3, …), as members[M − 2].weights names it
 *   DIR/vocabulary.json         { level, tokens }
 *
 * labels[k] is class k as written in the training file's label column.
 */
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { loadWeights, saveWeights } from '../io/weights.ts';
import { removeStaleTemporaries, writeJsonAtomic } from '../io/atomic.ts';
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
  /** The M ≥ 1 models whose probabilities are averaged (one, unless an ensemble). */
  models: Classifier[];
  vocabulary: Vocabulary;
  text: TextSettings;
  /** labels[k]: the name of class k. */
  labels: string[];
  /** Text → ids as the model reads them (at most text.maxLength, default the model's maxLength). */
  encode(text: string): number[];
  /** Texts [N] → class probabilities, N × [K] (each row sums to 1; an ensemble's mean). */
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

/** The mean of M members' probabilities, M × [N][K] → [N][K]. */
function meanProbabilities(members: readonly number[][][]): number[][] {
  if (members.length === 1) return members[0];
  return members[0].map((row, n) => row.map((_, k) => members.reduce((sum, p) => sum + p[n][k], 0) / members.length));
}

/**
 * Wrap a model (or the M members of an ensemble), its vocabulary and text settings as a
 * TextClassifier. Members share vocabSize, numClasses and maxLength; sizes, cells and seeds may differ.
 */
export function textClassifier(model: Classifier | readonly Classifier[], vocabulary: Vocabulary, text: TextSettings, labels: string[]): TextClassifier {
  const models = Array.isArray(model) ? [...(model as readonly Classifier[])] : [model as Classifier];
  if (models.length === 0) throw new Error('model: an ensemble needs at least one model, got none');
  const first = models[0].config;
  models.forEach((m, i) => {
    for (const key of ['vocabSize', 'numClasses', 'maxLength'] as const) {
      if (m.config[key] !== first[key]) throw new Error(`model[${i}]: ${key} ${m.config[key]}, member 0 has ${first[key]}`);
    }
  });
  if (labels.length !== first.numClasses) {
    throw new Error(`labels: expected ${first.numClasses} (numClasses), got ${labels.length}: ${labels.join(', ')}`);
  }
  const cut = text.maxLength ?? first.maxLength;
  checkInt(cut, 1, Number.MAX_SAFE_INTEGER, 'text.maxLength');
  if (models.some((m) => m.config.pooling === 'flatten') && cut !== first.maxLength) {
    throw new Error(`text.maxLength: pooling 'flatten' reads exactly the model's maxLength ${first.maxLength}, got ${cut}`);
  }
  const encode = (s: string) => fitLength(encodeUnits(vocabulary, textUnits(s, text.unit)), cut, text.keep);
  return {
    models,
    vocabulary,
    text,
    labels,
    encode,
    probabilities: (texts, { batchSize = 64 } = {}) => {
      const ids = texts.map(encode);
      return meanProbabilities(models.map((m) => classifyIds(m, ids, batchSize)));
    },
    dispose: () => models.forEach(disposeClassifier),
  };
}

/** Write everything inference needs to `dir` (each file atomically). */
export function saveTextClassifier(dir: string, classifier: TextClassifier): void {
  const { models, vocabulary, text, labels } = classifier;
  const [first, ...rest] = models;
  if (vocabulary.size !== first.config.vocabSize) {
    throw new Error(`vocabulary: ${vocabulary.size} symbols, the model expects vocabSize ${first.config.vocabSize}`);
  }
  removeStaleTemporaries(dir); // what a save killed mid-write left
  const members = rest.map((m, i) => ({ weights: `member-${i + 2}.safetensors`, model: m.config }));
  saveWeights(join(dir, 'weights.safetensors'), classifierWeights(first));
  rest.forEach((m, i) => saveWeights(join(dir, members[i].weights), classifierWeights(m)));
  writeJsonAtomic(join(dir, 'vocabulary.json'), vocabulary.toJSON());
  // model.json last: a directory without it (a save killed midway) is not a model
  writeJsonAtomic(join(dir, 'model.json'), { model: first.config, ...(members.length ? { members } : {}), text, labels });
}

/** A JSON file of model directory `dir` (a regular file, no symbolic link; errors name the file, never quote it). */
function readJson<T>(path: string, dir: string): T {
  return readModelJson(dir, path.slice(dir.length + 1)) as T;
}

/** Load the classifier stored in `dir` by {@link saveTextClassifier}. */
export function loadTextClassifier(dir: string): TextClassifier {
  const card = readJson<{ model: ClassifierConfig; members?: { weights: string; model: ClassifierConfig }[]; text: TextSettings; labels: string[] }>(join(dir, 'model.json'), dir);
  const { text, labels } = card;
  const members = card.members ?? [];
  if (!Array.isArray(members)) throw new Error(`${join(dir, 'model.json')}: members: expected a list, got ${typeof members}`);
  members.forEach((m, i) => {
    if (typeof m?.weights !== 'string' || !/^member-\d+\.safetensors$/.test(m.weights)) {
      throw new Error(`${join(dir, 'model.json')}: members[${i}].weights: expected a file name member-N.safetensors`);
    }
  });
  const vocabulary = Vocabulary.fromJSON(readJson<VocabularyJSON>(join(dir, 'vocabulary.json'), dir));
  const parts = [{ weights: 'weights.safetensors', model: card.model }, ...members];
  const models: Classifier[] = [];
  try {
    for (const part of parts) {
      const model = createClassifier(part.model);
      models.push(model);
      loadWeights(join(dir, part.weights), classifierWeights(model));
    }
    return textClassifier(models, vocabulary, text, labels);
  } catch (err) {
    models.forEach(disposeClassifier);
    throw err;
  }
}
