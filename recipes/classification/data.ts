/**
 * What the classification stages share: the config sections of a classification recipe, the
 * prepared splits under exp/NAME/data/ and the labels → class ids map.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import {
  readJsonFile,
  readLabelledTsv,
  Vocabulary,
  type ClassifierConfig,
  type KeepMode,
  type LabelledText,
  type TextUnit,
  type VocabularyJSON,
} from '../../src/index.ts';

/** The config sections of a classification recipe (recipes/imdb, recipes/nsmc). */
export type ClassificationRecipeConfig = {
  data: {
    /** The labelled TSV (read in place, never copied). */
    path: string;
    textColumn: string;
    labelColumn: string;
    /** Split dev by this column's groups (e.g. 'movie'); '' splits by sample. */
    groupColumn: string;
    /** Share of the samples (or groups) held out as dev (picks the best epoch). */
    devFraction: number;
    /** Share of the samples (or groups) held out as heldout: nothing selects on it, it is the reported estimate (0: none). */
    heldoutFraction: number;
    seed: number;
  };
  text: {
    unit: TextUnit;
    /** V: the most frequent units of train, special symbols included. */
    vocabSize: number;
    /** T_max: longer texts are cut to this many units. */
    maxLength: number;
    keep: KeepMode;
    /** T_read: units read per text by dev, evaluation and `sori classify` (0: maxLength); mean/max pooling reads whole reviews. */
    readLength: number;
  };
  model: Omit<ClassifierConfig, 'vocabSize' | 'numClasses' | 'maxLength'>;
  train: {
    epochs: number;
    /** Texts per minibatch (length-bucketed). */
    batchSize: number;
    optimizer: 'adam' | 'rmsprop';
    learningRate: number;
    /** Cosine decay to this rate at the last epoch (= learningRate: constant). */
    finalLearningRate: number;
    /** Clip the global gradient norm (0: off). */
    clipNorm: number;
    /** N: the saved model is the mean of the last N epochs' weights (1: the epoch with the best dev accuracy). */
    average: number;
    /** Initialisation, batch order and dropout masks. */
    seed: number;
    /**
     * One entry per model trained: model-section overrides and `seed` (that member's train.seed).
     * Two or more are saved as one ensemble whose class probabilities are averaged ([{}]: one model).
     */
    members: ClassifierMember[];
    /** How many members train at once, each in its own process (1: one after another in this one). */
    workers: number;
  };
  eval: {
    /** A further labelled TSV (same columns) to evaluate in stage 3, e.g. a held-back test half; '' for none. */
    testPath: string;
  };
  demo: { texts: string[] };
};

/** One member of train.members: overrides of the model section, and its own train.seed. */
export type ClassifierMember = Partial<ClassificationRecipeConfig['model']> & { seed?: number };

/** The directories of one experiment. */
export interface ExpDirs {
  expDir: string;
  dataDir: string;
  trainDir: string;
  modelDir: string;
}

/** A prepared split (exp/NAME/data/SPLIT.tsv, columns label and text). */
export function readSplit(dataDir: string, split: string): LabelledText[] {
  const path = join(dataDir, `${split}.tsv`);
  if (!existsSync(path)) throw new Error(`${path} is missing: run stage 1 (prepare) first`);
  return readLabelledTsv(path, { textColumn: 'text', labelColumn: 'label' });
}

/** The `labels` of labels.json: at least two distinct strings. */
function labelList(json: unknown): string[] {
  const labels = (json as { labels?: unknown } | null)?.labels;
  if (!Array.isArray(labels) || labels.length < 2 || !labels.every((l) => typeof l === 'string') || new Set(labels).size !== labels.length) {
    throw new Error('expected { labels: [two or more distinct strings] }');
  }
  return labels;
}

/** The labels and vocabulary written by stage 1. */
export function readPrepared(dataDir: string): { labels: string[]; vocabulary: Vocabulary } {
  const labels = readJsonFile(join(dataDir, 'labels.json'), { as: labelList });
  const vocabulary = readJsonFile(join(dataDir, 'vocabulary.json'), { as: (json) => Vocabulary.fromJSON(json as VocabularyJSON) });
  return { labels, vocabulary };
}

/** Each row's class id (its label's index in `labels`); a label outside them is an error naming the row. */
export function classIds(rows: readonly LabelledText[], labels: readonly string[], source: string): number[] {
  return rows.map((r, i) => {
    const k = labels.indexOf(r.label);
    if (k < 0) throw new Error(`${source} row ${i + 1}: label '${r.label}' is not one of the model's labels (${labels.join(', ')})`);
    return k;
  });
}
