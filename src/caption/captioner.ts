/**
 * Image captioning: a CNN reads the image, an RNN writes the sentence (the lecture notes'
 * one-to-many example; Vinyals et al., 2015 "Show and Tell"; Xu et al., 2015 "Show, Attend and Tell").
 *
 * Shapes: B batch, S image side, G grid cells, C channels, L layers, H hidden, E embedding,
 * U output steps, V vocabulary.
 *
 * Encoder (cnn.ts):  a_1 … a_G = CNN(image)                                   [B, G, C]
 * The RNN state starts from the image vector (every layer l its own projection):
 *   s_0^(l) = tanh(W_init^(l) vec(a) + b_init^(l))          vec(a) [B, G·C] → [B, H]   (c_0 likewise for an LSTM)
 * Decoder step u (y_0 = <sos>), by attention kind:
 *   'none' (plain one-to-many):  s_u = RNN(E[y_{u−1}], s_{u−1});                    z_u = W_o s_u + b_o
 *   'luong-*' (attend the grid): s_u = RNN(E[y_{u−1}], s_{u−1}); c_u = attend(s_u, a_1 … a_G)
 *                                h̃_u = tanh(W_c [c_u ; s_u]);                        z_u = W_o h̃_u + b_o
 *   p(y_u | y_<u, image) = softmax(z_u)
 * attend is seq2seq's Attention (attention.ts) with the G cells as its T steps (no padding:
 * the mask is all ones). The decoder state is seq2seq's DecoderState, so seq2seq's greedy and
 * beam search (search.ts) run it unchanged.
 */
import * as tf from '@tensorflow/tfjs';
import { checkInt, checkKeys, checkRank } from '../check.ts';
import { RnnStack, type RnnStates } from '../rnn/stack.ts';
import { cellSpec, type CellKind } from '../rnn/cell.ts';
import { Attention, createAttention, type AttentionKind } from '../seq2seq/attention.ts';
import { embeddingLookup, embeddingVariable } from '../nn/embedding.ts';
import { applyLinear, linearLayer, linearWeights, type Linear } from '../nn/linear.ts';
import { seedSequence } from '../nn/init.ts';
import { tidy } from '../nn/tidy.ts';
import { lengthMask } from '../seq2seq/batch.ts';
import { maskedCrossEntropy } from '../nn/cross-entropy.ts';
import type { DecoderOutput, DecoderState, EncoderMemory } from '../seq2seq/model.ts';
import { CNN_CONFIG_KEYS, cnnFeatures, cnnWeights, createCnn, gridShape, type Cnn, type CnnConfig } from '../image/cnn.ts';

export const CAPTION_ATTENTION_KINDS = ['none', 'luong-general', 'luong-dot'] as const;
export type CaptionAttentionKind = (typeof CAPTION_ATTENTION_KINDS)[number];

export interface CaptionerConfig {
  /** V: vocabulary size (with the special symbols). */
  vocabSize: number;
  /** S: the side of the (square) input image in pixels. */
  imageSize: number;
  cnn: CnnConfig;
  /** E: word embedding size. */
  embeddingSize: number;
  /** H: decoder hidden units. */
  hiddenSize: number;
  /** L: decoder layers. */
  numLayers: number;
  cell: CellKind;
  /** 'none': the plain one-to-many decoder; 'luong-general' / 'luong-dot': attention over the grid. */
  attention: CaptionAttentionKind;
  /** Dropout on word embeddings and between RNN layers, in training only. */
  dropout: number;
  seed?: number;
}

export const CAPTIONER_CONFIG_KEYS = [
  'vocabSize', 'imageSize', 'cnn', 'embeddingSize', 'hiddenSize', 'numLayers', 'cell', 'attention', 'dropout', 'seed',
] as const;

/** A teacher-forcing batch: images and their padded captions. */
export interface CaptionBatch {
  /** [B, S, S, 3] RGB in [0, 1] */
  images: tf.Tensor4D;
  /** [B, U] <sos> y_1 … y_U <pad> … */
  targetIn: tf.Tensor2D;
  /** [B, U] y_1 … y_U <eos> <pad> … */
  targetOut: tf.Tensor2D;
  /** U_b: real target steps per sample (with the <eos>) */
  targetLengths: number[];
}

/** The captioning model: weights and their configuration (plain data; see the functions below). */
export interface Captioner {
  config: CaptionerConfig;
  cnn: Cnn;
  /** G, C of the grid the CNN gives for S×S images */
  grid: { G: number; C: number };
  embedding: tf.Variable<tf.Rank.R2>; // E [V, E]
  decoder: RnnStack;
  initH: Linear; // W_init [L·H, G·C], b_init [L·H]
  initC?: Linear; // the same for the LSTM cell state
  attention: Attention | null;
  combine?: Linear; // W_c [H, C + H] (with attention)
  output: Linear; // W_o [V, H], b_o [V]
}

/** Build a captioner with fresh weights (seeded by config.seed). Errors name the bad key and value. */
export function createCaptioner(config: CaptionerConfig): Captioner {
  checkKeys(config, CAPTIONER_CONFIG_KEYS, 'captioner config');
  checkKeys(config.cnn, CNN_CONFIG_KEYS, 'captioner config cnn');
  const { vocabSize, imageSize, embeddingSize, hiddenSize: H, numLayers: L, attention, dropout } = config;
  checkInt(vocabSize, 5, 1e7, 'vocabSize');
  checkInt(imageSize, 1, 4096, 'imageSize');
  checkInt(embeddingSize, 1, 1e6, 'embeddingSize');
  checkInt(H, 1, 1e6, 'hiddenSize');
  checkInt(L, 1, 100, 'numLayers');
  const spec = cellSpec(config.cell, 'cell');
  if (!(CAPTION_ATTENTION_KINDS as readonly string[]).includes(attention)) {
    throw new Error(`attention: expected one of ${CAPTION_ATTENTION_KINDS.join(', ')}, got '${String(attention)}'`);
  }
  if (!(dropout >= 0 && dropout < 1)) throw new Error(`dropout: expected a rate in [0, 1), got ${dropout}`);
  const seed = seedSequence(config.seed);
  const cnn = createCnn(config.cnn, seed());
  const { G, C } = gridShape(cnn, imageSize);
  const hasCell = spec.kind === 'lstm';
  const model: Captioner = {
    config: { ...config, cnn: { ...config.cnn, channels: [...config.cnn.channels] } },
    cnn,
    grid: { G, C },
    embedding: embeddingVariable(vocabSize, embeddingSize, seed()),
    decoder: new RnnStack({ cell: config.cell, inputSize: embeddingSize, hiddenSize: H, numLayers: L, dropout, seed: seed() }),
    initH: linearLayer(G * C, L * H, { bias: true, seed: seed() }),
    initC: hasCell ? linearLayer(G * C, L * H, { bias: true, seed: seed() }) : undefined,
    attention: createAttention(attention as AttentionKind, { querySize: H, keySize: C, seed: seed() }),
    output: linearLayer(H, vocabSize, { bias: true, seed: seed() }),
  };
  if (model.attention) model.combine = linearLayer(C + H, H, { bias: false, seed: seed() });
  return model;
}

/** Every trainable weight by a stable name (for checkpoints and model files). */
export function captionerWeights(model: Captioner): Record<string, tf.Variable> {
  const named: Record<string, tf.Variable> = { ...cnnWeights(model.cnn), 'decoder.embedding.weight': model.embedding };
  model.decoder.weightNames.forEach((n, i) => (named[`decoder.rnn.${n}`] = model.decoder.trainableWeights[i]));
  Object.assign(named, linearWeights(model.initH, 'decoder.init_h'));
  if (model.initC) Object.assign(named, linearWeights(model.initC, 'decoder.init_c'));
  Object.assign(named, model.attention?.namedWeights() ?? {});
  if (model.combine) Object.assign(named, linearWeights(model.combine, 'decoder.combine'));
  Object.assign(named, linearWeights(model.output, 'decoder.output'));
  return named;
}

/** Free every weight of the model. */
export function disposeCaptioner(model: Captioner): void {
  tf.dispose(Object.values(captionerWeights(model)));
}

/**
 * Images [B, S, S, 3] (RGB in [0, 1]) → the decoder's initial state: s_0 from the image vector,
 * and the memory the attention reads (values = the grid [B, G, C], mask [B, G] of ones).
 */
export function encodeImages(model: Captioner, images: tf.Tensor4D): DecoderState {
  checkRank(images, 4, 'images', '[B, S, S, 3]');
  const S = model.config.imageSize;
  if (images.shape[1] !== S || images.shape[2] !== S || images.shape[3] !== 3) {
    throw new Error(`images: expected [B, ${S}, ${S}, 3] (the model's image size), got [${images.shape}]`);
  }
  return tidy(() => {
    const B = images.shape[0];
    const { G, C } = model.grid;
    const { numLayers: L, hiddenSize: H } = model.config;
    const grid = cnnFeatures(model.cnn, images); // a [B, G, C]
    const flat = tf.reshape(grid, [B, G * C]); // vec(a) [B, G·C]
    const start = (layer: Linear) =>
      tf.transpose(tf.reshape(tf.tanh(applyLinear(layer, flat)), [B, L, H]), [1, 0, 2]) as tf.Tensor3D; // [L, B, H]
    const rnn: RnnStates = { h: start(model.initH) };
    if (model.initC) rnn.c = start(model.initC);
    const memory: EncoderMemory = { values: grid, mask: tf.ones([B, G]) as tf.Tensor2D };
    if (model.attention) memory.keys = model.attention.keys(grid);
    return { rnn, memory };
  });
}

/**
 * Teacher forcing: decoder inputs yIn [B, U] from the state `rnn0` → logits [B, U, V] and
 * attention over the grid [B, U, G] (zeros for 'none'). Padded steps (t ≥ targetLengths[b]) do
 * not move the state.
 */
export function decodeCaptions(
  model: Captioner,
  yIn: tf.Tensor2D,
  rnn0: RnnStates,
  memory: EncoderMemory,
  { training = false, targetLengths, dropoutSeed }: { training?: boolean; targetLengths?: readonly number[]; dropoutSeed?: number } = {},
): { logits: tf.Tensor3D; alpha: tf.Tensor3D; rnn: RnnStates } {
  checkRank(yIn, 2, 'yIn', '[B, U]');
  return tf.tidy(() => {
    const [B, U] = yIn.shape;
    const { dropout } = model.config;
    let e = embeddingLookup(model.embedding, yIn) as tf.Tensor3D; // E[y] [B, U, E]
    if (training && dropout > 0) e = tf.dropout(e, dropout, undefined, dropoutSeed === undefined ? undefined : dropoutSeed * 2) as tf.Tensor3D;
    const lengths = targetLengths ? [...targetLengths] : undefined;
    const layerSeed = dropoutSeed === undefined ? undefined : dropoutSeed * 2 + 1;
    const { outputs: s, states } = model.decoder.apply(e, { lengths, initialStates: rnn0, training, dropoutSeed: layerSeed }); // s [B, U, H]
    if (!model.attention) {
      const logits = applyLinear(model.output, s) as tf.Tensor3D; // [B, U, V]
      return { logits, alpha: tf.zeros([B, U, model.grid.G]) as tf.Tensor3D, rnn: states };
    }
    const { context, alpha } = model.attention.attend(s, memory.keys!, memory.values, memory.mask); // c [B, U, C], α [B, U, G]
    const hTilde = tf.tanh(applyLinear(model.combine!, tf.concat([context, s], 2))); // h̃ [B, U, H]
    return { logits: applyLinear(model.output, hTilde) as tf.Tensor3D, alpha, rnn: states }; // [B, U, V]
  });
}

/** One decoder step: y_{u−1} [N] int32 and the state → logits [N, V], α [N, G], the next state. */
export function captionStep(model: Captioner, yPrev: tf.Tensor1D, state: DecoderState): DecoderOutput {
  checkRank(yPrev, 1, 'yPrev', '[N]');
  if (state.rnn.h.shape[1] !== yPrev.shape[0]) {
    throw new Error(`state.rnn.h: expected ${yPrev.shape[0]} rows (N of yPrev), got [${state.rnn.h.shape}]`);
  }
  return tidy(() => {
    const y = tf.reshape(yPrev, [-1, 1]) as tf.Tensor2D; // [N, 1]
    const { logits, alpha, rnn } = decodeCaptions(model, y, state.rnn, state.memory);
    return {
      logits: tf.squeeze(logits, [1]) as tf.Tensor2D, // [N, V]
      alpha: tf.squeeze(alpha, [1]) as tf.Tensor2D, // [N, G]
      state: { rnn, memory: state.memory },
    };
  });
}

/**
 * The training loss of a batch: masked cross-entropy (seq2seq's loss.ts) of the teacher-forced
 * predictions against targetOut over the real target steps, with optional label smoothing ε.
 */
export function captionLoss(
  model: Captioner,
  batch: CaptionBatch,
  { training = false, labelSmoothing = 0, dropoutSeed }: { training?: boolean; labelSmoothing?: number; dropoutSeed?: number } = {},
): tf.Scalar {
  return tf.tidy(() => {
    const { rnn, memory } = encodeImages(model, batch.images);
    const { logits } = decodeCaptions(model, batch.targetIn, rnn, memory, { training, targetLengths: batch.targetLengths, dropoutSeed });
    const mask = lengthMask(batch.targetLengths, batch.targetOut.shape[1]); // [B, U]
    return maskedCrossEntropy(logits, batch.targetOut, mask, { labelSmoothing });
  });
}
