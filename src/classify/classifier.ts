/**
 * A many-to-one sequence classifier: token ids → one class per sequence.
 *
 *   e_t = E[x_t]                                   embedding        [B, T, E]
 *   y   = encoder(e; T_b)                          RnnStack or none [B, T, H·D]
 *   f   = pool(y; T_b)                             pooling.ts       [B, F_pool]
 *   z   = W dropout(f) + b                         dense            [B, K′]
 *   p   = σ(z)                     (loss 'binary':      K′ = 1, two classes)
 *   p   = softmax(z)               (loss 'categorical': K′ = K classes)
 *
 * Padded steps (t ≥ T_b) never reach the result: the stack stops at T_b (its outputs are 0 at
 * padding) and the pooling reads real steps only; with no encoder, the padded embeddings are
 * zeroed before pooling.
 *
 * Shapes: B batch, T steps (tokens), E embedding size, H hidden size, D directions, K classes.
 * The lecture's labs are configurations of this one model (recipes/imdb/config.ts).
 */
import * as tf from '@tensorflow/tfjs';
import { checkInt, checkKeys, checkRank } from '../check.ts';
import { CELL_KINDS, type CellKind } from '../rnn/cell.ts';
import { RnnStack, type RnnStates } from '../rnn/stack.ts';
import type { RnnKernel } from '../rnn/bptt/direction.ts';
import { embeddingLookup, embeddingVariable } from '../nn/embedding.ts';
import { applyLinear, disposeLinear, linearLayer, linearWeights, type Linear } from '../nn/linear.ts';
import { seedSequence, uniformInit } from '../nn/init.ts';
import { binaryCrossEntropy, categoricalCrossEntropy } from '../nn/binary-cross-entropy.ts';
import { pool, pooledSize, POOLINGS, type Pooling } from './pooling.ts';

export const ENCODERS = ['none', ...CELL_KINDS] as const;
export type EncoderKind = (typeof ENCODERS)[number];
export const CLASSIFIER_LOSSES = ['binary', 'categorical'] as const;
export type ClassifierLoss = (typeof CLASSIFIER_LOSSES)[number];

/** Everything that fixes the model's shape and behaviour (saved as model.json). */
export interface ClassifierConfig {
  /** V: vocabulary size (ids in [0, V), 0 = <pad>). */
  vocabSize: number;
  /** K: classes (≥ 2). */
  numClasses: number;
  /** E: embedding size. */
  embeddingSize: number;
  /** 'none' (embedding straight to pooling, the lab's Flatten) or an RnnStack cell kind. */
  encoder: EncoderKind;
  /** H per direction (ignored without an encoder). */
  hiddenSize: number;
  numLayers: number;
  bidirectional: boolean;
  pooling: Pooling;
  /** T_max: longest sequence fed to the model; 'flatten' pads every batch to exactly T_max. */
  maxLength: number;
  /** Dropout on the pooled features (and between stacked layers), in training only. */
  dropout: number;
  /** Dropout on the embeddings, in training only. */
  embeddingDropout: number;
  /** 'binary' (one logit, sigmoid, K = 2) or 'categorical' (K logits, softmax). */
  loss: ClassifierLoss;
  /** 'two' (PyTorch: b_ih and b_hh) or 'one' (Keras: one bias per gate group). */
  biases: 'one' | 'two';
  /**
   * Initial embedding and dense weights: 'pytorch' (E ~ N(0, 1); W, b ~ U(±1/√F_pool)) or
   * 'keras' (E ~ U(±0.05); W ~ Glorot uniform U(±√(6/(F_pool + K′))), b = 0). The stack keeps
   * PyTorch's U(±1/√H) either way.
   */
  init: 'pytorch' | 'keras';
}

export const classifierDefaults: ClassifierConfig = {
  vocabSize: 20000,
  numClasses: 2,
  embeddingSize: 64,
  encoder: 'gru',
  hiddenSize: 64,
  numLayers: 1,
  bidirectional: true,
  pooling: 'mean+max',
  maxLength: 400,
  dropout: 0.5,
  embeddingDropout: 0,
  loss: 'binary',
  biases: 'two',
  init: 'pytorch',
};

export interface Classifier {
  config: ClassifierConfig;
  /** E [V, E] */
  embedding: tf.Variable<tf.Rank.R2>;
  /** absent for encoder 'none' */
  encoder?: RnnStack;
  /** W [K′, F_pool], b [K′] */
  dense: Linear;
}

/** K′: logits per sample (1 for a binary classifier). */
export function logitCount(config: ClassifierConfig): number {
  return config.loss === 'binary' ? 1 : config.numClasses;
}

/** F: features per step after the encoder (E without one, H·D with one). */
export function encodedSize(config: ClassifierConfig): number {
  return config.encoder === 'none' ? config.embeddingSize : config.hiddenSize * (config.bidirectional ? 2 : 1);
}

/** Check every field of a classifier config; errors name the field and the value. */
export function checkClassifierConfig(config: ClassifierConfig): void {
  checkKeys(config, Object.keys(classifierDefaults), 'classifier config');
  for (const key of Object.keys(classifierDefaults) as (keyof ClassifierConfig)[]) {
    if (config[key] === undefined) throw new Error(`classifier config: '${key}' is missing`);
  }
  checkInt(config.vocabSize, 1, Number.MAX_SAFE_INTEGER, 'vocabSize');
  checkInt(config.numClasses, 2, Number.MAX_SAFE_INTEGER, 'numClasses');
  checkInt(config.embeddingSize, 1, Number.MAX_SAFE_INTEGER, 'embeddingSize');
  checkInt(config.hiddenSize, 1, Number.MAX_SAFE_INTEGER, 'hiddenSize');
  checkInt(config.numLayers, 1, Number.MAX_SAFE_INTEGER, 'numLayers');
  checkInt(config.maxLength, 1, Number.MAX_SAFE_INTEGER, 'maxLength');
  if (!(ENCODERS as readonly string[]).includes(config.encoder)) {
    throw new Error(`encoder: expected one of ${ENCODERS.join(', ')}, got '${config.encoder}'`);
  }
  if (!(POOLINGS as readonly string[]).includes(config.pooling)) {
    throw new Error(`pooling: expected one of ${POOLINGS.join(', ')}, got '${config.pooling}'`);
  }
  if (config.encoder === 'none' && config.pooling === 'last') throw new Error(`pooling: 'last' needs a recurrent encoder, got encoder 'none'`);
  if (!(CLASSIFIER_LOSSES as readonly string[]).includes(config.loss)) {
    throw new Error(`loss: expected one of ${CLASSIFIER_LOSSES.join(', ')}, got '${config.loss}'`);
  }
  if (config.loss === 'binary' && config.numClasses !== 2) {
    throw new Error(`loss: 'binary' is for 2 classes, got numClasses ${config.numClasses} (use 'categorical')`);
  }
  if (config.init !== 'pytorch' && config.init !== 'keras') throw new Error(`init: expected 'pytorch' or 'keras', got '${config.init}'`);
  if (config.biases !== 'one' && config.biases !== 'two') throw new Error(`biases: expected 'one' or 'two', got '${config.biases}'`);
  for (const key of ['dropout', 'embeddingDropout'] as const) {
    const v = config[key];
    if (typeof v !== 'number' || !(v >= 0 && v < 1)) throw new Error(`${key}: expected a rate in [0, 1), got ${v}`);
  }
}

/** A new classifier with PyTorch's initialisation (seeded when `seed` is given). */
export function createClassifier(config: ClassifierConfig, { seed, kernel }: { seed?: number; kernel?: RnnKernel } = {}): Classifier {
  checkClassifierConfig(config);
  const next = seedSequence(seed);
  const embeddingSeed = next();
  const embedding =
    config.init === 'keras'
      ? (tf.variable(uniformInit([config.vocabSize, config.embeddingSize], 0.05, embeddingSeed), true) as tf.Variable<tf.Rank.R2>)
      : embeddingVariable(config.vocabSize, config.embeddingSize, embeddingSeed);
  const encoderSeed = next();
  const encoder =
    config.encoder === 'none'
      ? undefined
      : new RnnStack({
          cell: config.encoder as CellKind,
          inputSize: config.embeddingSize,
          hiddenSize: config.hiddenSize,
          numLayers: config.numLayers,
          bidirectional: config.bidirectional,
          dropout: config.dropout,
          biases: config.biases,
          seed: encoderSeed,
          kernel,
        });
  const F = pooledSize(config.pooling, encodedSize(config), config.maxLength);
  const dense = linearLayer(F, logitCount(config), { seed: next() });
  if (config.init === 'keras') {
    const limit = Math.sqrt(6 / (F + logitCount(config)));
    const denseSeed = embeddingSeed === undefined ? undefined : embeddingSeed + 1;
    tf.tidy(() => {
      dense.weight.assign(uniformInit(dense.weight.shape, limit, denseSeed) as tf.Tensor2D);
      dense.bias!.assign(tf.zerosLike(dense.bias!));
    });
  }
  return { config, embedding, encoder, dense };
}

/** Every trainable weight by a stable name: embedding.weight, encoder.weight_ih_l0 …, dense.weight, dense.bias. */
export function classifierWeights(model: Classifier): Record<string, tf.Variable> {
  const out: Record<string, tf.Variable> = { 'embedding.weight': model.embedding };
  model.encoder?.weightNames.forEach((name, i) => (out[`encoder.${name}`] = model.encoder!.trainableWeights[i]));
  return { ...out, ...linearWeights(model.dense, 'dense') };
}

export interface ForwardOptions {
  /** Apply dropout; default false. */
  training?: boolean;
  /** Seed of this batch's dropout masks (repeatable runs); default unseeded. */
  dropoutSeed?: number;
}

/**
 * Logits z [B, K′] for ids [B, T] (int, <pad> = 0 after each row's end) with `lengths` T_b
 * (number[B], each in [0, T]).
 */
export function classifierLogits(
  model: Classifier,
  ids: tf.Tensor2D,
  lengths: readonly number[],
  { training = false, dropoutSeed }: ForwardOptions = {},
): tf.Tensor2D {
  const { config } = model;
  checkRank(ids, 2, 'ids', '[B, T]');
  const [B, T] = ids.shape;
  if (lengths.length !== B) throw new Error(`lengths: expected ${B} entries (one per row of ids), got ${lengths.length}`);
  lengths.forEach((len, b) => checkInt(len, 0, T, `lengths[${b}]`));
  if (config.pooling === 'flatten' && T !== config.maxLength) {
    throw new Error(`ids: pooling 'flatten' needs exactly maxLength = ${config.maxLength} steps, got shape [${ids.shape}]`);
  }
  const seed = (k: number) => (dropoutSeed === undefined ? undefined : dropoutSeed + k);
  return tf.tidy(() => {
    const mask = tf.tensor2d(lengths.flatMap((len) => Array.from({ length: T }, (_, t) => (t < len ? 1 : 0))), [B, T]); // [B, T]
    let e = tf.mul(embeddingLookup(model.embedding, ids), tf.expandDims(mask, 2)) as tf.Tensor3D; // [B, T, E]
    if (training && config.embeddingDropout > 0) e = tf.dropout(e, config.embeddingDropout, undefined, seed(0)) as tf.Tensor3D;
    let y: tf.Tensor3D = e;
    let states: RnnStates | undefined;
    if (model.encoder) {
      const result = model.encoder.apply(e, { lengths: lengths.slice(), training, dropoutSeed: seed(10) });
      y = result.outputs; // [B, T, H·D]
      states = result.states;
    }
    let f = pool(config.pooling, y, mask, { states, numDirections: model.encoder?.numDirections }); // [B, F_pool]
    if (training && config.dropout > 0) f = tf.dropout(f, config.dropout, undefined, seed(100)) as tf.Tensor2D;
    return applyLinear(model.dense, f) as tf.Tensor2D; // [B, K′]
  });
}

/** Class probabilities p [B, K] from logits z [B, K′] (σ for binary: p = [1 − σ(z), σ(z)]). */
export function classProbabilities(config: ClassifierConfig, logits: tf.Tensor2D): tf.Tensor2D {
  return tf.tidy(() => {
    if (config.loss === 'categorical') return tf.softmax(logits) as tf.Tensor2D;
    const p1 = tf.sigmoid(logits); // [B, 1]
    return tf.concat([tf.sub(1, p1), p1], 1) as tf.Tensor2D; // [B, 2]
  });
}

/** The training loss for ids [B, T], lengths [B] and integer labels [B] in [0, K): a scalar. */
export function classifierLoss(
  model: Classifier,
  ids: tf.Tensor2D,
  lengths: readonly number[],
  labels: readonly number[],
  options: ForwardOptions = {},
): tf.Scalar {
  if (labels.length !== ids.shape[0]) throw new Error(`labels: expected ${ids.shape[0]} entries (one per row of ids), got ${labels.length}`);
  labels.forEach((y, b) => checkInt(y, 0, model.config.numClasses - 1, `labels[${b}]`));
  return tf.tidy(() => {
    const z = classifierLogits(model, ids, lengths, options); // [B, K′]
    if (model.config.loss === 'binary') return binaryCrossEntropy(tf.reshape(z, [-1]) as tf.Tensor1D, tf.tensor1d(labels.slice()));
    return categoricalCrossEntropy(z, tf.tensor1d(labels.slice(), 'int32'));
  });
}

/** Free every weight of the model. */
export function disposeClassifier(model: Classifier): void {
  model.embedding.dispose();
  model.encoder?.dispose();
  disposeLinear(model.dense);
}
