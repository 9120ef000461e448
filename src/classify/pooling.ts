/**
 * Pooling: a sequence of encoder outputs → one feature vector per sample, never reading a padded
 * step. With m_{b,t} = 1 for t < T_b (the sample's real length) and 0 after:
 *
 *   'last'      f_b = [h→_{T_b} ; h←_1]            the stack's final states (last layer, both directions)
 *   'mean'      f_b = Σ_t m_{b,t} y_{b,t} / T_b
 *   'max'       f_b = max_{t < T_b} y_{b,t}         (element-wise)
 *   'mean+max'  f_b = [mean ; max]
 *   'flatten'   f_b = [y_{b,1} ; … ; y_{b,T}]       fixed T (Keras's Flatten); padded steps are 0
 *
 * A sample with T_b = 0 (an empty text) pools to zeros.
 */
import * as tf from '@tensorflow/tfjs';
import { checkRank } from '../check.ts';
import type { RnnStates } from '../rnn/stack.ts';
import { maskedMeanMax } from './masked-mean-max.ts';

export const POOLINGS = ['last', 'mean', 'max', 'mean+max', 'flatten'] as const;
export type Pooling = (typeof POOLINGS)[number];

/** F_pool: the pooled feature size for outputs with F features per step and T steps. */
export function pooledSize(pooling: Pooling, F: number, T: number): number {
  if (pooling === 'mean+max') return 2 * F;
  if (pooling === 'flatten') return T * F;
  return F;
}

/**
 * Pool y [B, T, F] with mask [B, T] (1 at real steps). For 'last', `states` (h [L·D, B, H]) and
 * `numDirections` D give the last layer's final states, F = H·D. Returns [B, F_pool].
 */
export function pool(
  pooling: Pooling,
  y: tf.Tensor3D,
  mask: tf.Tensor2D,
  { states, numDirections = 1 }: { states?: RnnStates; numDirections?: number } = {},
): tf.Tensor2D {
  checkRank(y, 3, 'y', '[B, T, F]');
  checkRank(mask, 2, 'mask', '[B, T]');
  const [B, T, F] = y.shape;
  return tf.tidy(() => {
    // mean and max in one pass over y, with their gradient written out (masked-mean-max.ts)
    const mean = () => tf.slice(maskedMeanMax(y, mask), [0, 0], [B, F]) as tf.Tensor2D; // [B, F]
    const max = () => tf.slice(maskedMeanMax(y, mask), [0, F], [B, F]) as tf.Tensor2D; // [B, F]
    switch (pooling) {
      case 'last': {
        if (!states) throw new Error(`pooling 'last': needs the encoder's final states (no recurrent encoder?)`);
        // Slices, not tf.unstack: tfjs's Unpack gradient breaks when the axis has size 1 (L·D = 1).
        const [LD, , H] = states.h.shape;
        const finals = Array.from({ length: numDirections }, (_, d) =>
          tf.reshape(tf.slice(states.h, [LD - numDirections + d, 0, 0], [1, B, H]), [B, H]),
        ); // D × [B, H]
        return (numDirections === 1 ? finals[0] : tf.concat(finals, 1)) as tf.Tensor2D; // [B, H·D]
      }
      case 'mean':
        return mean();
      case 'max':
        return max();
      case 'mean+max':
        return maskedMeanMax(y, mask); // [B, 2F] = [mean ; max]
      case 'flatten':
        return tf.reshape(tf.mul(y, tf.expandDims(mask, 2)), [B, T * F]) as tf.Tensor2D; // [B, T·F]
      default:
        throw new Error(`pooling: expected one of ${POOLINGS.join(', ')}, got '${String(pooling)}'`);
    }
  });
}
