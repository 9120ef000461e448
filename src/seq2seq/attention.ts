/**
 * Attention: at decoder step u, a query q_u looks at the encoder outputs h_1 … h_T (the keys and
 * values) and returns their weighted average, the context c_u.
 *
 *   score    e_{u,t} = v_aᵀ tanh(W_q q_u + W_k h_t)        'bahdanau'       (additive; Bahdanau et al., 2015)
 *                    = q_uᵀ h_t                             'luong-dot'      (Luong et al., 2015)
 *                    = q_uᵀ W_a h_t                         'luong-general'
 *   mask     e_{u,t} = −∞ where t is padding (t ≥ T_b)
 *   weights  α_{u,t} = softmax_t(e_{u,t})
 *   context  c_u     = Σ_t α_{u,t} h_t
 *
 * 'none' has no attention at all: the decoder sees the source only through its initial state.
 */
import * as tf from '@tensorflow/tfjs';
import { checkDim, checkRank } from '../check.ts';
import { applyLinear, applyLinearSteps, linearLayer, linearWeights, type Linear } from '../nn/linear.ts';
import { nativeKernels, nativeKernelsUnavailable } from '../native/kernels.ts';
import { nativeLuongAttend, prefixLengths } from './native-attention.ts';

/**
 * Who computes Luong attention: 'native' (default where it runs: native-attention.ts, one op with
 * a hand-written gradient) or 'reference' (the tfjs ops below, differentiated by autodiff).
 * Bahdanau attention, and masks that are not a prefix of ones per row, always use the latter.
 */
export type AttentionKernel = 'native' | 'reference';

export const ATTENTION_KINDS = ['none', 'bahdanau', 'luong-dot', 'luong-general'] as const;
export type AttentionKind = (typeof ATTENTION_KINDS)[number];

/** A large negative score for padded keys: exp(−1e9 − max) is exactly 0 in float32. */
const MASKED_SCORE = -1e9;

export interface AttentionOptions {
  /** Hq: size of a query (the decoder's hidden size). */
  querySize: number;
  /** Hk: size of a key/value (the encoder's output size H·D). */
  keySize: number;
  /** A: hidden size of the additive score (bahdanau only). */
  attentionSize?: number;
  seed?: number;
}

/** The weights of one attention kind; `keys` precomputes what does not depend on the query. */
export class Attention {
  readonly kind: Exclude<AttentionKind, 'none'>;
  private readonly wQuery?: Linear; // W_q [A, Hq] (bahdanau)
  private readonly wKey?: Linear; // W_k [A, Hk] + bias (bahdanau)
  private readonly vA?: Linear; // v_a [1, A] (bahdanau)
  private readonly wA?: Linear; // W_a [Hq, Hk] (luong-general)

  constructor(kind: Exclude<AttentionKind, 'none'>, { querySize, keySize, attentionSize, seed }: AttentionOptions) {
    this.kind = kind;
    const s = (k: number) => (seed === undefined ? undefined : seed + k);
    if (kind === 'bahdanau') {
      const A = attentionSize ?? querySize;
      this.wQuery = linearLayer(querySize, A, { bias: false, seed: s(0) });
      this.wKey = linearLayer(keySize, A, { bias: true, seed: s(10) });
      this.vA = linearLayer(A, 1, { bias: false, seed: s(20) });
    } else if (kind === 'luong-general') {
      this.wA = linearLayer(keySize, querySize, { bias: false, seed: s(0) });
    } else if (kind === 'luong-dot') {
      if (querySize !== keySize) {
        throw new Error(`attention 'luong-dot': query size ${querySize} must equal key size ${keySize} (decoder H = encoder H·D)`);
      }
    } else {
      throw new Error(`attention: expected one of ${ATTENTION_KINDS.join(', ')}, got '${String(kind)}'`);
    }
  }

  /** The trainable weights by name. */
  namedWeights(): Record<string, tf.Variable> {
    return {
      ...(this.wQuery ? linearWeights(this.wQuery, 'attention.query') : {}),
      ...(this.wKey ? linearWeights(this.wKey, 'attention.key') : {}),
      ...(this.vA ? linearWeights(this.vA, 'attention.v') : {}),
      ...(this.wA ? linearWeights(this.wA, 'attention.general') : {}),
    };
  }

  /**
   * The query-independent part of the score, computed once per source batch:
   * W_k h_t + b [B, T, A] (bahdanau), W_a h_t [B, T, Hq] (luong-general), h_t itself (luong-dot).
   * With the real steps T_b of each row (`lengths`), 'luong-general' computes the real steps only
   * (applyLinearSteps: 0 at padded steps, which the scores never read).
   */
  keys(memory: tf.Tensor3D, lengths?: readonly number[]): tf.Tensor3D {
    if (this.kind === 'bahdanau') return applyLinear(this.wKey!, memory) as tf.Tensor3D;
    if (this.kind === 'luong-general') return lengths ? applyLinearSteps(this.wA!, memory, lengths) : (applyLinear(this.wA!, memory) as tf.Tensor3D);
    return memory;
  }

  /**
   * Attend: queries [B, U, Hq], keys from {@link keys} [B, T, ·], values = encoder outputs
   * [B, T, Hk], mask [B, T] (1 real, 0 padding) → context [B, U, Hk], alpha [B, U, T].
   */
  attend(
    queries: tf.Tensor3D,
    keys: tf.Tensor3D,
    values: tf.Tensor3D,
    mask: tf.Tensor2D,
    { kernel }: { kernel?: AttentionKernel } = {},
  ): { context: tf.Tensor3D; alpha: tf.Tensor3D } {
    if (kernel !== undefined && kernel !== 'native' && kernel !== 'reference') throw new Error(`kernel: expected 'native' or 'reference', got '${kernel}'`);
    if (kernel !== 'reference' && this.kind !== 'bahdanau' && nativeKernels()) {
      const lengths = prefixLengths(mask);
      if (lengths && lengths.every((n) => n >= 1)) return nativeLuongAttend(queries, keys, values, lengths);
    }
    if (kernel === 'native') {
      throw new Error(`kernel: 'native' cannot run here: ${nativeKernelsUnavailable() || `attention '${this.kind}' with this mask`}`);
    }
    return tf.tidy(() => {
      let scores: tf.Tensor3D; // e [B, U, T]
      if (this.kind === 'bahdanau') {
        const q = applyLinear(this.wQuery!, queries); // W_q q_u [B, U, A]
        const hidden = tf.tanh(tf.add(tf.expandDims(q, 2), tf.expandDims(keys, 1))); // [B, U, T, A]
        scores = tf.squeeze(applyLinear(this.vA!, hidden), [3]) as tf.Tensor3D; // [B, U, T]
      } else {
        scores = tf.matMul(queries, keys, false, true); // q_uᵀ k_t [B, U, T]
      }
      const real = tf.expandDims(tf.cast(mask, 'bool'), 1); // [B, 1, T]
      const masked = tf.where(real, scores, tf.fill(scores.shape, MASKED_SCORE)); // [B, U, T]
      const alpha = tf.softmax(masked, -1) as tf.Tensor3D; // α [B, U, T]
      const context = tf.matMul(alpha, values) as tf.Tensor3D; // c = α h [B, U, Hk]
      return { context, alpha };
    });
  }

  /** Check the shapes {@link attend} needs; names the argument and the value found. */
  static checkInputs(queries: tf.Tensor, values: tf.Tensor, mask: tf.Tensor): void {
    checkRank(queries, 3, 'queries', '[B, U, Hq]');
    checkRank(values, 3, 'values', '[B, T, Hk]');
    checkRank(mask, 2, 'mask', '[B, T]');
    checkDim(values, 0, queries.shape[0]!, 'values', 'batch size B of queries');
    checkDim(mask, 0, queries.shape[0]!, 'mask', 'batch size B of queries');
    checkDim(mask, 1, values.shape[1]!, 'mask', 'steps T of values');
  }

  dispose(): void {
    tf.dispose(Object.values(this.namedWeights()));
  }
}

/** The attention of `kind`, or null for 'none'. */
export function createAttention(kind: AttentionKind, options: AttentionOptions): Attention | null {
  if (!(ATTENTION_KINDS as readonly string[]).includes(kind)) {
    throw new Error(`attention: expected one of ${ATTENTION_KINDS.join(', ')}, got '${String(kind)}'`);
  }
  return kind === 'none' ? null : new Attention(kind, options);
}
