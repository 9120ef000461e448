/**
 * The encoder-decoder (sequence-to-sequence) translation model.
 *
 * Encoder (source ids x_1 … x_T):
 *   h_1 … h_T, state_T = RnnStack_enc(E_src[x_1] … E_src[x_T])            h_t [H·D]
 * The decoder (hidden size H·D, same cell kind and layers) starts from the encoder's final state:
 *   s_0^(l) = [h→_T^(l) ; h←_1^(l)]          layer l, both directions concatenated
 * Decoder step u (y_0 = <sos>), by attention kind:
 *   'none':      s_u = RNN_dec(E_tgt[y_{u−1}], s_{u−1});                    z_u = W_o s_u + b_o
 *   'luong-*':   s_u = RNN_dec(E_tgt[y_{u−1}], s_{u−1}); c_u = attend(s_u)
 *                h̃_u = tanh(W_c [c_u ; s_u]);                               z_u = W_o h̃_u + b_o
 *   'bahdanau':  c_u = attend(s_{u−1}); s_u = RNN_dec([E_tgt[y_{u−1}] ; c_u], s_{u−1})
 *                h̃_u = tanh(W_c [c_u ; s_u]);                               z_u = W_o h̃_u + b_o
 *   p(y_u | y_<u, x) = softmax(z_u)
 * With tiedEmbeddings, the output layer reuses the target embeddings (Press & Wolf, 2017):
 *   z_u = E_tgt (W_p h̃_u) + b_o          W_p [E, H·D]  (h̃_u = s_u for 'none')
 * (attend: see attention.ts; the source padding mask is applied there.)
 * This file is the reference: decoding runs the same equations on the native kernels
 * (native-step.ts, native-encode.ts), and Luong attention is one native op (native-attention.ts).
 */
import * as tf from '@tensorflow/tfjs';
import { checkInt, checkKeys, checkRank, checkDim } from '../check.ts';
import { RnnStack, type RnnStates } from '../rnn/stack.ts';
import { cellSpec, type CellKind } from '../rnn/cell.ts';
import { Attention, ATTENTION_KINDS, createAttention, type AttentionKernel, type AttentionKind } from './attention.ts';
import { embeddingLookup, embeddingVariable } from '../nn/embedding.ts';
import { applyLinear, linearLayer, linearWeights, type Linear } from '../nn/linear.ts';
import { seedSequence } from '../nn/init.ts';
import { tidy } from '../nn/tidy.ts';
import { dropout } from '../nn/dropout.ts';
import { lengthMask, type TranslationBatch } from './batch.ts';
import { maskedCrossEntropy } from '../nn/cross-entropy.ts';
import { nativeKernels, nativeKernelsUnavailable } from '../native/kernels.ts';
import { nativeOutputLoss } from './native-output-loss.ts';

export interface Seq2SeqConfig {
  /** V_src: source vocabulary size. */
  sourceVocabSize: number;
  /** V: target vocabulary size. */
  targetVocabSize: number;
  /** E: embedding size (source and target). */
  embeddingSize: number;
  /** H: encoder hidden units per direction; the decoder has H·D. */
  hiddenSize: number;
  /** L: layers of the encoder and of the decoder. */
  numLayers: number;
  cell: CellKind;
  /** D = 2 when true. */
  bidirectional: boolean;
  attention: AttentionKind;
  /** A: hidden size of Bahdanau's score; default H·D. Only for attention 'bahdanau'. */
  attentionSize?: number;
  /** Dropout on embeddings and between RNN layers, in training only. */
  dropout: number;
  /** Output weights = target embeddings E_tgt (through a projection W_p to E); default false. */
  tiedEmbeddings?: boolean;
  seed?: number;
}

export const SEQ2SEQ_CONFIG_KEYS = [
  'sourceVocabSize', 'targetVocabSize', 'embeddingSize', 'hiddenSize', 'numLayers', 'cell',
  'bidirectional', 'attention', 'attentionSize', 'dropout', 'tiedEmbeddings', 'seed',
] as const;

/** What the decoder needs to know about the source batch, one row per hypothesis. */
export interface EncoderMemory {
  /** h_1 … h_T: encoder outputs [N, T, H·D] (the attention values) */
  values: tf.Tensor3D;
  /** precomputed keys [N, T, ·] (attention.keys(values)), absent for 'none' */
  keys?: tf.Tensor3D;
  /** [N, T]: 1 at real source steps, 0 at padding */
  mask: tf.Tensor2D;
}

/** Everything carried from one decoder step to the next. */
export interface DecoderState {
  /** decoder RNN state: h [L, N, H·D], c [L, N, H·D] (LSTM) */
  rnn: RnnStates;
  memory: EncoderMemory;
}

export interface DecoderOutput {
  /** z_u: next-symbol logits [N, V] */
  logits: tf.Tensor2D;
  /** α_u: attention over source steps [N, T] (all zeros for 'none') */
  alpha: tf.Tensor2D;
  state: DecoderState;
}

/** How decodeSequence runs: dropout in training, padded target steps, the attention's kernel. */
interface DecodeOptions {
  training?: boolean;
  /** U_b: real target steps per row */
  targetLengths?: readonly number[];
  dropoutSeed?: number;
  attentionKernel?: AttentionKernel;
}

export class Seq2Seq {
  readonly config: Seq2SeqConfig;
  /** H·D: the size of encoder outputs and of the decoder state. */
  readonly decoderSize: number;
  private readonly sourceEmbedding: tf.Variable<tf.Rank.R2>; // E_src [V_src, E]
  private readonly targetEmbedding: tf.Variable<tf.Rank.R2>; // E_tgt [V, E]
  private readonly encoder: RnnStack;
  private readonly decoder: RnnStack;
  private readonly attention: Attention | null;
  private readonly combine?: Linear; // W_c [H·D, 2·H·D] (with attention)
  private readonly output: Linear; // W_o [V, H·D], b_o [V]; tied: W_o = E_tgt [V, E]
  private readonly tiedProjection?: Linear; // W_p [E, H·D] (tiedEmbeddings)

  constructor(config: Seq2SeqConfig) {
    checkKeys(config, SEQ2SEQ_CONFIG_KEYS, 'Seq2Seq config');
    const { sourceVocabSize, targetVocabSize, embeddingSize, hiddenSize, numLayers, bidirectional, attention, dropout } = config;
    checkInt(sourceVocabSize, 5, 1e7, 'sourceVocabSize');
    checkInt(targetVocabSize, 5, 1e7, 'targetVocabSize');
    checkInt(embeddingSize, 1, 1e6, 'embeddingSize');
    checkInt(hiddenSize, 1, 1e6, 'hiddenSize');
    checkInt(numLayers, 1, 100, 'numLayers');
    cellSpec(config.cell, 'cell');
    if (typeof bidirectional !== 'boolean') throw new Error(`bidirectional: expected a boolean, got ${bidirectional}`);
    if (!(ATTENTION_KINDS as readonly string[]).includes(attention)) {
      throw new Error(`attention: expected one of ${ATTENTION_KINDS.join(', ')}, got '${String(attention)}'`);
    }
    if (config.attentionSize !== undefined && attention !== 'bahdanau') {
      throw new Error(`attentionSize: only for attention 'bahdanau', got ${config.attentionSize} with '${attention}'`);
    }
    if (!(dropout >= 0 && dropout < 1)) throw new Error(`dropout: expected a rate in [0, 1), got ${dropout}`);
    this.config = { ...config };
    const D = bidirectional ? 2 : 1;
    const Hd = hiddenSize * D;
    this.decoderSize = Hd;
    const seed = seedSequence(config.seed);

    this.sourceEmbedding = embeddingVariable(sourceVocabSize, embeddingSize, seed());
    this.targetEmbedding = embeddingVariable(targetVocabSize, embeddingSize, seed());
    this.encoder = new RnnStack({ cell: config.cell, inputSize: embeddingSize, hiddenSize, numLayers, bidirectional, dropout, seed: seed() });
    const decoderInput = attention === 'bahdanau' ? embeddingSize + Hd : embeddingSize;
    this.decoder = new RnnStack({ cell: config.cell, inputSize: decoderInput, hiddenSize: Hd, numLayers, bidirectional: false, dropout, seed: seed() });
    this.attention = createAttention(attention, { querySize: Hd, keySize: Hd, attentionSize: config.attentionSize, seed: seed() });
    if (this.attention) this.combine = linearLayer(2 * Hd, Hd, { bias: false, seed: seed() });
    const output = linearLayer(Hd, targetVocabSize, { bias: true, seed: seed() });
    if (config.tiedEmbeddings) {
      this.tiedProjection = linearLayer(Hd, embeddingSize, { bias: false, seed: seed() });
      output.weight.dispose();
      this.output = { weight: this.targetEmbedding, bias: output.bias };
    } else this.output = output;
  }

  /** Every trainable weight by a stable name (for checkpoints). */
  namedWeights(): Record<string, tf.Variable> {
    const named: Record<string, tf.Variable> = {
      'encoder.embedding.weight': this.sourceEmbedding,
      'decoder.embedding.weight': this.targetEmbedding,
    };
    this.encoder.weightNames.forEach((n, i) => (named[`encoder.rnn.${n}`] = this.encoder.trainableWeights[i]));
    this.decoder.weightNames.forEach((n, i) => (named[`decoder.rnn.${n}`] = this.decoder.trainableWeights[i]));
    Object.assign(named, this.attention?.namedWeights() ?? {});
    if (this.combine) Object.assign(named, linearWeights(this.combine, 'decoder.combine'));
    if (this.tiedProjection) {
      Object.assign(named, linearWeights(this.tiedProjection, 'decoder.tied_projection'));
      named['decoder.output.bias'] = this.output.bias!;
    } else Object.assign(named, linearWeights(this.output, 'decoder.output'));
    return named;
  }

  get trainableWeights(): tf.Variable[] {
    return Object.values(this.namedWeights());
  }

  /**
   * Encode source ids [B, T] (int32, padded; lengths T_b) → the decoder's memory and initial state.
   */
  encode(
    source: tf.Tensor2D,
    sourceLengths: readonly number[],
    { training = false, dropoutSeed }: { training?: boolean; dropoutSeed?: number } = {},
  ): DecoderState {
    checkRank(source, 2, 'source', '[B, T]');
    const [B, T] = source.shape;
    if (sourceLengths.length !== B) throw new Error(`sourceLengths: expected ${B} entries (batch size B), got ${sourceLengths.length}`);
    sourceLengths.forEach((len, b) => checkInt(len, 1, T, `sourceLengths[${b}]`));
    return tidy(() => {
      let x = embeddingLookup(this.sourceEmbedding, source) as tf.Tensor3D; // E_src[x] [B, T, E]
      x = dropout(x, this.config.dropout, { training, seed: maskSeed(dropoutSeed, 0) }); // [B, T, E]
      const { outputs, states } = this.encoder.apply(x, { lengths: [...sourceLengths], training, dropoutSeed: maskSeed(dropoutSeed, 1) }); // [B, T, H·D]
      const L = this.config.numLayers;
      const D = this.config.bidirectional ? 2 : 1;
      const H = this.config.hiddenSize;
      // [L·D, B, H] → [L, B, D·H]: layer l gets [forward ; backward] of encoder layer l
      const bridge = (s: tf.Tensor3D) =>
        tf.reshape(tf.transpose(tf.reshape(s, [L, D, B, H]), [0, 2, 1, 3]), [L, B, D * H]) as tf.Tensor3D; // [L, B, H·D]
      const rnn: RnnStates = { h: bridge(states.h) };
      if (states.c) rnn.c = bridge(states.c);
      const mask = lengthMask(sourceLengths, T); // [B, T]
      const memory: EncoderMemory = { values: outputs, mask };
      if (this.attention) memory.keys = this.attention.keys(outputs, sourceLengths); // real steps only
      return { rnn, memory };
    });
  }

  /**
   * One decoder step: previous symbols y_{u−1} [N] (int32) and the state → logits [N, V],
   * attention α [N, T] and the next state. The state's memory is passed through unchanged.
   * `attentionKernel`: see attention.ts (default 'native' where it runs).
   */
  step(yPrev: tf.Tensor1D, state: DecoderState, { attentionKernel }: { attentionKernel?: AttentionKernel } = {}): DecoderOutput {
    checkRank(yPrev, 1, 'yPrev', '[N]');
    checkDim(state.rnn.h, 1, yPrev.shape[0], 'state.rnn.h', 'rows N of yPrev');
    return tidy(() => {
      const y = tf.reshape(yPrev, [-1, 1]) as tf.Tensor2D; // [N, 1]
      const { logits, alpha, rnn } = this.decodeSequence(y, state.rnn, state.memory, { training: false, attentionKernel });
      return {
        logits: tf.squeeze(logits, [1]) as tf.Tensor2D, // [N, V]
        alpha: tf.squeeze(alpha, [1]) as tf.Tensor2D, // [N, T]
        state: { rnn, memory: state.memory },
      };
    });
  }

  /**
   * Teacher forcing: decoder inputs yIn [B, U] (<sos> y_1 …) from the initial state → logits
   * [B, U, V] and attention [B, U, T]. `targetLengths` (U_b) keeps padded steps from moving the
   * state; they do not affect real steps either way.
   */
  decodeSequence(yIn: tf.Tensor2D, rnn0: RnnStates, memory: EncoderMemory, options: DecodeOptions): { logits: tf.Tensor3D; alpha: tf.Tensor3D; rnn: RnnStates } {
    return tf.tidy(() => {
      const { s, context, alpha, rnn } = this.decodeTop(yIn, rnn0, memory, options);
      return { logits: context ? this.project(context, s) : this.logits(s), alpha, rnn }; // [B, U, V]
    });
  }

  /**
   * decodeSequence up to the output layer: the decoder's states s [B, U, H·D], the contexts c
   * [B, U, H·D] (absent for 'none'), α [B, U, T] and the final states. Call inside a tidy.
   */
  private decodeTop(
    yIn: tf.Tensor2D,
    rnn0: RnnStates,
    memory: EncoderMemory,
    { training = false, targetLengths, dropoutSeed, attentionKernel }: DecodeOptions,
  ): { s: tf.Tensor3D; context?: tf.Tensor3D; alpha: tf.Tensor3D; rnn: RnnStates } {
    const [B, U] = yIn.shape;
    const T = memory.values.shape[1];
    let e = embeddingLookup(this.targetEmbedding, yIn) as tf.Tensor3D; // E_tgt[y] [B, U, E]
    e = dropout(e, this.config.dropout, { training, seed: maskSeed(dropoutSeed, 2) }); // [B, U, E]
    const decoderSeed = maskSeed(dropoutSeed, 3);
    const lengths = targetLengths ? [...targetLengths] : undefined;

    if (!this.attention) {
      const { outputs: s, states } = this.decoder.apply(e, { lengths, initialStates: rnn0, training, dropoutSeed: decoderSeed }); // s [B, U, H·D]
      return { s, alpha: tf.zeros([B, U, T]) as tf.Tensor3D, rnn: states };
    }

    if (this.attention.kind !== 'bahdanau') {
      const { outputs: s, states } = this.decoder.apply(e, { lengths, initialStates: rnn0, training, dropoutSeed: decoderSeed }); // [B, U, H·D]
      const { context, alpha } = this.attention.attend(s, memory.keys!, memory.values, memory.mask, { kernel: attentionKernel });
      return { s, context, alpha, rnn: states };
    }

    // Bahdanau: the query is the previous state, so the steps run one after another.
    const L = this.config.numLayers;
    const es = tf.unstack(e, 1) as tf.Tensor2D[]; // U × [B, E]
    const sSteps: tf.Tensor3D[] = [];
    const contextSteps: tf.Tensor3D[] = [];
    const alphaSteps: tf.Tensor3D[] = [];
    let rnn = rnn0;
    for (let u = 0; u < U; u++) {
      const query = tf.reshape(tf.slice(rnn.h, [L - 1, 0, 0], [1, B, this.decoderSize]), [B, 1, this.decoderSize]); // s_{u−1} [B, 1, H·D]
      const { context, alpha } = this.attention.attend(query as tf.Tensor3D, memory.keys!, memory.values, memory.mask, { kernel: attentionKernel }); // c [B, 1, H·D]
      const input = tf.concat([tf.expandDims(es[u], 1), context], 2) as tf.Tensor3D; // [B, 1, E + H·D]
      const stepLengths = lengths?.map((len) => (u < len ? 1 : 0));
      const stepSeed = decoderSeed === undefined ? undefined : decoderSeed + L * (u + 1); // new masks at every step
      const { outputs: s, states } = this.decoder.apply(input, { lengths: stepLengths, initialStates: rnn, training, dropoutSeed: stepSeed }); // [B, 1, H·D]
      sSteps.push(s);
      contextSteps.push(context);
      alphaSteps.push(alpha);
      rnn = states;
    }
    return {
      s: tf.concat(sSteps, 1) as tf.Tensor3D, // [B, U, H·D]
      context: tf.concat(contextSteps, 1) as tf.Tensor3D, // [B, U, H·D]
      alpha: tf.concat(alphaSteps, 1) as tf.Tensor3D, // [B, U, T]
      rnn,
    };
  }

  /** z = W_o tanh(W_c [c ; s]) + b_o: context c, state s [B, U, H·D] → logits [B, U, V]. */
  private project(context: tf.Tensor3D, s: tf.Tensor3D): tf.Tensor3D {
    const hTilde = tf.tanh(applyLinear(this.combine!, tf.concat([context, s], 2))) as tf.Tensor3D; // h̃ [B, U, H·D]
    return this.logits(hTilde); // [B, U, V]
  }

  /** z = W_o h + b_o, or E_tgt (W_p h) + b_o when tied: h [B, U, H·D] → [B, U, V]. */
  private logits(h: tf.Tensor3D): tf.Tensor3D {
    const x = this.tiedProjection ? applyLinear(this.tiedProjection, h) : h; // [B, U, E] or [B, U, H·D]
    return applyLinear(this.output, x) as tf.Tensor3D; // [B, U, V]
  }

  /** Teacher-forced logits [B, U, V] and attention [B, U, T] for a batch. */
  forward(
    batch: TranslationBatch,
    { training = false, dropoutSeed, attentionKernel }: { training?: boolean; dropoutSeed?: number; attentionKernel?: AttentionKernel } = {},
  ): { logits: tf.Tensor3D; alpha: tf.Tensor3D } {
    return tf.tidy(() => {
      const { rnn, memory } = this.encode(batch.source, batch.sourceLengths, { training, dropoutSeed });
      const { logits, alpha } = this.decodeSequence(batch.targetIn, rnn, memory, { training, targetLengths: batch.targetLengths, dropoutSeed, attentionKernel });
      return { logits, alpha };
    });
  }

  /**
   * The training loss of a batch: masked cross-entropy of the teacher-forced predictions against
   * targetOut over real target steps (see nn/cross-entropy.ts), with optional label smoothing ε.
   * `kernel`: who computes the output layer and the loss: 'native' (default where it runs, every
   * model but tied embeddings: native-output-loss.ts, real steps only) or 'reference' (project and
   * maskedCrossEntropy, differentiated by autodiff).
   */
  loss(
    batch: TranslationBatch,
    {
      training = false,
      labelSmoothing = 0,
      dropoutSeed,
      attentionKernel,
      kernel,
    }: { training?: boolean; labelSmoothing?: number; dropoutSeed?: number; attentionKernel?: AttentionKernel; kernel?: AttentionKernel } = {},
  ): tf.Scalar {
    if (kernel !== undefined && kernel !== 'native' && kernel !== 'reference') throw new Error(`kernel: expected 'native' or 'reference', got '${kernel}'`);
    const native = kernel !== 'reference' && nativeKernels() !== null && !this.tiedProjection;
    if (kernel === 'native' && !native) throw new Error(`kernel: 'native' cannot run here: ${nativeKernelsUnavailable() || 'tied embeddings'}`);
    return tf.tidy(() => {
      const { rnn, memory } = this.encode(batch.source, batch.sourceLengths, { training, dropoutSeed });
      const { targetIn, targetOut, targetLengths } = batch;
      const { s, context } = this.decodeTop(targetIn, rnn, memory, { training, targetLengths, dropoutSeed, attentionKernel });
      if (native) {
        const { weight, bias } = this.output;
        return nativeOutputLoss({ states: s, context, combine: this.combine?.weight, weight, bias: bias!, targets: targetOut, lengths: targetLengths, labelSmoothing });
      }
      const logits = context ? this.project(context, s) : this.logits(s); // [B, U, V]
      return maskedCrossEntropy(logits, targetOut, lengthMask(targetLengths, targetOut.shape[1]), { labelSmoothing });
    });
  }

  /** Free every weight. */
  dispose(): void {
    tf.dispose(this.trainableWeights);
  }
}

/** Keep rows `rows` (indices into N) of a decoder state: used by beam search to follow beams. */
export function selectRows(state: DecoderState, rows: readonly number[]): DecoderState {
  return tidy(() => {
    const index = tf.tensor1d(rows as number[], 'int32');
    const rnn: RnnStates = { h: tf.gather(state.rnn.h, index, 1) as tf.Tensor3D };
    if (state.rnn.c) rnn.c = tf.gather(state.rnn.c, index, 1) as tf.Tensor3D;
    const memory: EncoderMemory = {
      values: tf.gather(state.memory.values, index) as tf.Tensor3D,
      mask: tf.gather(state.memory.mask, index) as tf.Tensor2D,
    };
    if (state.memory.keys) memory.keys = tf.gather(state.memory.keys, index) as tf.Tensor3D;
    return { rnn, memory };
  });
}

/**
 * Keep rows `rows` of the decoder RNN state only; the encoder memory stays. Valid when row i and
 * row rows[i] translate the same source (beam search reordering the beams of one sentence).
 */
export function followBeams(state: DecoderState, rows: readonly number[]): DecoderState {
  return tidy(() => {
    const index = tf.tensor1d(rows as number[], 'int32');
    const rnn: RnnStates = { h: tf.gather(state.rnn.h, index, 1) as tf.Tensor3D };
    if (state.rnn.c) rnn.c = tf.gather(state.rnn.c, index, 1) as tf.Tensor3D;
    return { rnn, memory: state.memory };
  });
}

/** Every tensor held by a decoder state. */
export function stateTensors(state: DecoderState): tf.Tensor[] {
  const out: tf.Tensor[] = [state.rnn.h, state.memory.values, state.memory.mask];
  if (state.rnn.c) out.push(state.rnn.c);
  if (state.memory.keys) out.push(state.memory.keys);
  return out;
}

/**
 * The seed of dropout draw k of a training pass seeded with `dropoutSeed` (undefined: unseeded):
 * k = 0 source embeddings, 1 encoder, 2 target embeddings, 3 decoder, each its own block of 1024
 * seeds, dropoutSeed · 4096 + 1024 k; within a block, a stack's layer l adds l (RnnStack.apply)
 * and the Bahdanau decoder's step u adds L (u + 1), so no two masks of a pass share a seed.
 */
function maskSeed(dropoutSeed: number | undefined, k: number): number | undefined {
  return dropoutSeed === undefined ? undefined : dropoutSeed * 4096 + 1024 * k;
}
