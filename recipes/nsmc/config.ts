/**
 * The one config file of the nsmc recipe: Korean movie reviews (Naver, in the manner of NSMC),
 * syllable units, a bidirectional GRU with mean+max pooling. The dev and heldout splits hold out
 * whole movies, as the held-back evaluation set does: dev picks the epoch, heldout is the
 * estimate. Override any key, e.g. `--train.epochs=2`.
 */
import { classifierDefaults } from '../../src/index.ts';
import type { ClassificationRecipeConfig } from '../classification/recipe.ts';

const { vocabSize: _v, numClasses: _k, maxLength: _t, ...modelDefaults } = classifierDefaults;

export const config: ClassificationRecipeConfig = {
  data: {
    path: '../shared/corpora/nsmc/train.tsv',
    textColumn: 'text',
    labelColumn: 'label',
    groupColumn: 'movie',
    devFraction: 0.1,
    // 5 % of the movies, disjoint from train's and dev's: the reported estimate (dev picks the epoch).
    heldoutFraction: 0.05,
    seed: 7,
  },
  text: { unit: 'syllable', vocabSize: 3000, maxLength: 140, keep: 'head', readLength: 0 },
  model: { ...modelDefaults, embeddingSize: 64, encoder: 'gru', hiddenSize: 64, bidirectional: true, pooling: 'mean+max', dropout: 0.5 },
  train: { epochs: 3, batchSize: 64, optimizer: 'adam', learningRate: 0.002, finalLearningRate: 0.0005, clipNorm: 5, average: 1, seed: 1, members: [{}, { seed: 2 }], workers: 2 }, // two seeds, trained at once
  eval: { testPath: '' },
  demo: { texts: ['정말 재미있게 봤어요 강추합니다', '시간 낭비였다 최악의 영화', '배우들 연기는 좋았는데 스토리가 아쉽네요'] },
};

export const configs: Record<string, ClassificationRecipeConfig> = { default: config };
