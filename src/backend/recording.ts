/**
 * The gradient-recording check the hand-differentiated kernels (src/rnn/bptt, src/nn) ask before
 * keeping what their backward pass reads.
 */
import * as tf from '@tensorflow/tfjs';

/**
 * Whether a gradient tape is recording (inside tf.grads, variableGrads, minimize …): only then can
 * an op's backward be asked for, so only then do sori's hand-differentiated kernels keep what
 * their backward pass reads. Reads tfjs-core's engine state; where that is not there, assumes it is
 * recording.
 */
export function isRecordingGradients(): boolean {
  const state = (tf.engine() as unknown as { state?: { gradientDepth?: unknown } }).state;
  return typeof state?.gradientDepth === 'number' ? state.gradientDepth > 0 : true;
}
