/**
 * The one config file of the imdb recipe: the default (a bidirectional GRU with mean+max pooling)
 * and the lecture's three labs as named configs (`--config lab1|lab2|lab3`). Override any key on
 * the command line, e.g. `--train.epochs=2`.
 *
 * The labs as the lecture runs them in Keras (imdb.load_data(num_words=10000), pad_sequences,
 * which keeps a review's last words):
 *   lab1  Embedding(10000, 8) on 20 words → Flatten → Dense(1, sigmoid); RMSprop, 10 epochs, batch 32
 *   lab2  Embedding(10000, 32) → SimpleRNN(32) → Dense(1, sigmoid), 500 words; RMSprop, 10 epochs, batch 128
 *   lab3  the same with LSTM(32)
 * Keras keeps one bias per gate group: biases 'one' gives the lecture's parameter counts.
 */
import { classifierDefaults } from '../../src/index.ts';
import type { ClassificationRecipeConfig } from '../classification/recipe.ts';

const { vocabSize: _v, numClasses: _k, maxLength: _t, ...modelDefaults } = classifierDefaults;

export const config: ClassificationRecipeConfig = {
  data: {
    path: '../shared/corpora/imdb/train.tsv',
    textColumn: 'text',
    labelColumn: 'label',
    groupColumn: '',
    devFraction: 0.1,
    // 1,249 reviews that nothing selects on: the reported estimate (dev picks the epoch).
    heldoutFraction: 0.05,
    seed: 7,
  },
  text: { unit: 'word', vocabSize: 20000, maxLength: 400, keep: 'both', readLength: 0 },
  model: { ...modelDefaults, embeddingSize: 64, encoder: 'gru', hiddenSize: 64, bidirectional: true, pooling: 'mean+max', dropout: 0.5, embeddingDropout: 0.2 },
  train: { epochs: 4, batchSize: 32, optimizer: 'adam', learningRate: 0.002, finalLearningRate: 0.0005, clipNorm: 5, average: 1, seed: 1, members: [{}], workers: 1 },
  eval: { testPath: '' },
  demo: {
    texts: [
      'A wonderful film: the acting is superb and the story moved me to tears.',
      'Dull, predictable and far too long. I wanted my two hours back.',
      'Not bad at all, though the ending was a letdown.',
    ],
  },
};

const lab = (over: { embeddingSize: number; encoder: 'none' | 'simple' | 'lstm'; maxLength: number; batchSize: number }): ClassificationRecipeConfig => ({
  ...config,
  // The labs train on everything but dev, as the lecture does, and report dev.
  data: { ...config.data, heldoutFraction: 0 },
  text: { unit: 'word', vocabSize: 10000, maxLength: over.maxLength, keep: 'tail', readLength: 0 },
  model: {
    ...modelDefaults,
    embeddingSize: over.embeddingSize,
    encoder: over.encoder,
    hiddenSize: 32,
    bidirectional: false,
    pooling: over.encoder === 'none' ? 'flatten' : 'last',
    dropout: 0,
    biases: 'one',
    init: 'keras',
  },
  train: { epochs: 10, batchSize: over.batchSize, optimizer: 'rmsprop', learningRate: 0.001, finalLearningRate: 0.001, clipNorm: 0, average: 1, seed: 1, members: [{}], workers: 1 },
});

/** The named configs of `--config`. */
export const configs: Record<string, ClassificationRecipeConfig> = {
  default: config,
  lab1: lab({ embeddingSize: 8, encoder: 'none', maxLength: 20, batchSize: 32 }),
  lab2: lab({ embeddingSize: 32, encoder: 'simple', maxLength: 500, batchSize: 128 }),
  lab3: lab({ embeddingSize: 32, encoder: 'lstm', maxLength: 500, batchSize: 128 }),
};
